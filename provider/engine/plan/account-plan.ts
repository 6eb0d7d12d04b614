/** The changes and problems of one declared account while it is being planned. */
import type { DesiredAccount } from '../../model/types.js';
import type { AccountBinding, Change, LiveAccount, PlanProblem } from '../types.js';

/** Distributes `Omit` over the union, so each kind keeps its own fields. */
type WithoutKey<T> = T extends unknown ? Omit<T, 'accountKey'> : never;

/** Collects the changes of one account, stamping its key. */
export class AccountPlan {
  readonly changes: Change[] = [];
  readonly problems: PlanProblem[] = [];
  constructor(
    readonly d: DesiredAccount,
    readonly live: LiveAccount | undefined,
    readonly binding: AccountBinding,
  ) {}

  get key(): string {
    return this.d.key;
  }

  /** `account.<key>`. */
  get address(): string {
    return `account.${this.d.key}`;
  }

  get accountId(): string | undefined {
    return this.live?.account.accountId;
  }

  /** `{ accountId }` when the account exists, else `{}` (it is created first). */
  get ids(): { accountId?: string } {
    return this.live ? { accountId: this.live.account.accountId } : {};
  }

  /** What changes that need the account to exist depend on. */
  get accountDeps(): string[] {
    return this.live ? [] : [this.address];
  }

  add(c: WithoutKey<Change>): void {
    this.changes.push({ ...c, accountKey: this.d.key } as Change);
  }

  problem(p: Omit<PlanProblem, 'accountKey'>): void {
    this.problems.push({ ...p, accountKey: this.d.key, ...(this.d.source && !p.source ? { source: this.d.source } : {}) });
  }
}

/** The address of a user and of its sub-objects. */
export const userAddress = (key: string, email: string): string => `account.${key}.user[${JSON.stringify(email)}]`;
