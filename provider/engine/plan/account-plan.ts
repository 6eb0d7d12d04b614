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

  /**
   * A change's id: `{ accountId }` when the account exists (else nothing: it is created first),
   * followed by `rest`'s fields, with no undefined field. Built by assignment, not by spreading:
   * object spreads on a plan's hot path gave each of 30,000 changes and ids its own hidden class
   * (15 MB of shapes for 30,000 users).
   */
  id<T extends Record<string, string | undefined>>(rest: T): { accountId?: string } & { [K in keyof T]: Exclude<T[K], undefined> } {
    const out: Record<string, string> = {};
    const accountId = this.accountId;
    if (accountId !== undefined) out.accountId = accountId;
    for (const k in rest) {
      const v = rest[k];
      if (v !== undefined) out[k] = v;
    }
    return out as { accountId?: string } & { [K in keyof T]: Exclude<T[K], undefined> };
  }

  /** What changes that need the account to exist depend on. */
  get accountDeps(): string[] {
    return this.live ? [] : [this.address];
  }

  /** Adds the change, keyed to this account (the object passed is the plan's: it is not copied, see `id`). */
  add(c: WithoutKey<Change>): void {
    const change = c as Change;
    change.accountKey = this.d.key;
    this.changes.push(change);
  }

  problem(p: Omit<PlanProblem, 'accountKey'>): void {
    this.problems.push({ ...p, accountKey: this.d.key, ...(this.d.source && !p.source ? { source: this.d.source } : {}) });
  }
}

/** The address of a user and of its sub-objects. */
export const userAddress = (key: string, email: string): string => `account.${key}.user[${JSON.stringify(email)}]`;
