/**
 * The sandbox store's records and the reads over them: every map of the state, the clock,
 * id and audit helpers, the lookups, and the license arithmetic (capacity and holdings) the
 * rules of every resource share. It changes nothing but `reset()`; the write rules are layered
 * on top of it (`store-accounts.ts` → `store-users.ts` → `store-billing.ts` → `store.ts`).
 */
import { randomBytes } from 'node:crypto';
import {
  ApiFailure,
  type AccountRecord,
  type CatalogEntry,
  type ClientRecord,
  type ContactRecord,
  type IntegrationRecord,
  type LicenseRecord,
  type OrderRecord,
  type OutboxMail,
  type PartnerRecord,
  type UserRecord,
} from './types.js';
import { DEFAULT_CATALOG } from './seed.js';

/** A new opaque id (32 hex characters). */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

/** One account with everything that hangs off it. */
export interface AccountState {
  account: AccountRecord;
  users: Map<string, UserRecord>;
  /** lower-cased e-mail → userId */
  emails: Map<string, string>;
  /** The user ids in list order (creation order), built on the first list; `undefined` when it must be rebuilt (after a delete). */
  userOrder?: string[];
  contacts: Map<string, ContactRecord>;
  integrations: Map<string, IntegrationRecord>;
  licenses: Map<string, LicenseRecord>;
}

/** The state of an account that has nothing hanging off it yet. */
export function emptyAccountState(account: AccountRecord): AccountState {
  return { account, users: new Map(), emails: new Map(), contacts: new Map(), integrations: new Map(), licenses: new Map() };
}

/** The value when there is one, else a 404 `ApiFailure` "`what` not found". */
export function orNotFound<T>(value: T | undefined, what: string): T {
  if (!value) throw new ApiFailure(404, `${what} not found`);
  return value;
}

/** The audit fields of an object created now. */
export type AuditFields = { createdOn: string; createdBy: string; modifiedOn: string; modifiedBy: string };

/** The records of the sandbox and the reads over them (the base of `SandboxStore`). */
export class StoreRecords {
  partners = new Map<string, PartnerRecord>();
  clients = new Map<string, ClientRecord>();
  /** userId → login password (sandbox only). */
  passwords = new Map<string, string>();
  catalog: CatalogEntry[] = [...DEFAULT_CATALOG];
  accounts = new Map<string, AccountState>();
  protected orderMap = new Map<string, OrderRecord>();
  /** licenseId → accountId */
  protected licenseIndex = new Map<string, string>();
  outbox: OutboxMail[] = [];
  accountNumberSeq = 100_100;

  constructor(protected readonly now: () => Date) {}

  /** Now, as an ISO timestamp. */
  protected stamp(): string {
    return this.now().toISOString();
  }

  /** The audit fields of an object `by` creates at `at` (default: now). */
  protected audit(by: string, at = this.stamp()): AuditFields {
    return { createdOn: at, createdBy: by, modifiedOn: at, modifiedBy: by };
  }

  /** Empties the state: no partner, client, account or order; the default catalogue; account numbers start over. */
  reset(): void {
    this.partners.clear();
    this.clients.clear();
    this.passwords.clear();
    this.catalog = [...DEFAULT_CATALOG];
    this.accounts.clear();
    this.orderMap.clear();
    this.licenseIndex.clear();
    this.outbox = [];
    this.accountNumberSeq = 100_100;
  }

  /** The next unused `accountNumber`. */
  protected nextAccountNumber(): string {
    this.accountNumberSeq += 1;
    return String(this.accountNumberSeq);
  }

  /** The account's state, or 404. */
  state(accountId: string): AccountState {
    const s = this.accounts.get(accountId);
    if (!s) throw new ApiFailure(404, `Account ${accountId} not found`);
    return s;
  }

  /** The account, or undefined. */
  account(accountId: string): AccountRecord | undefined {
    return this.accounts.get(accountId)?.account;
  }

  /** The first account with exactly this name, or undefined. */
  accountByName(name: string): AccountRecord | undefined {
    return [...this.accounts.values()].find((s) => s.account.name === name)?.account;
  }

  /** The partner whose own account this is, if any. */
  partnerOwning(accountId: string): PartnerRecord | undefined {
    return [...this.partners.values()].find((p) => p.accountId === accountId);
  }

  /** The users of the account (404 when the account does not exist). */
  users(accountId: string): UserRecord[] {
    return [...this.state(accountId).users.values()];
  }

  /**
   * The account's users in their stable list order, as a window a list pages in O(page size)
   * (404 when the account does not exist). Creates append to the order; a delete drops it,
   * and the next list rebuilds it once.
   */
  userRows(accountId: string): { length: number; slice(start: number, end: number): UserRecord[] } {
    const s = this.state(accountId);
    if (s.userOrder?.length !== s.users.size) s.userOrder = [...s.users.keys()];
    const order = s.userOrder;
    return {
      length: order.length,
      slice: (start, end) => {
        const out: UserRecord[] = [];
        for (const id of order.slice(start, end)) {
          const u = s.users.get(id);
          if (u) out.push(u);
        }
        return out;
      },
    };
  }

  /** The user, or undefined (also when the account does not exist). */
  user(accountId: string, userId: string): UserRecord | undefined {
    return this.accounts.get(accountId)?.users.get(userId);
  }

  /** The user with this e-mail (case-insensitive) in the account. */
  userByEmail(accountId: string, email: string): UserRecord | undefined {
    const s = this.accounts.get(accountId);
    const id = s?.emails.get(email.toLowerCase());
    return id ? s?.users.get(id) : undefined;
  }

  /** The contacts of the account (404 when the account does not exist). */
  contacts(accountId: string): ContactRecord[] {
    return [...this.state(accountId).contacts.values()];
  }

  /** The integrations of the account still listed (404 when the account does not exist); a removal whose time came is carried out first. */
  integrations(accountId: string): IntegrationRecord[] {
    const s = this.state(accountId);
    const now = this.now().getTime();
    for (const [id, i] of s.integrations) if (i.removeAt !== undefined && Date.parse(i.removeAt) <= now) s.integrations.delete(id);
    return [...s.integrations.values()];
  }

  /** True when the account has (lists) an integration of this type. */
  hasIntegration(accountId: string, type: string): boolean {
    return this.accounts.has(accountId) && this.integrations(accountId).some((i) => i.type === type);
  }

  /** Licenses of one account, or of every account. */
  licenses(accountId?: string): LicenseRecord[] {
    if (accountId !== undefined) return [...(this.accounts.get(accountId)?.licenses.values() ?? [])];
    return [...this.accounts.values()].flatMap((s) => [...s.licenses.values()]);
  }

  /** The license, in whichever account holds it, or undefined. */
  license(licenseId: string): LicenseRecord | undefined {
    const accountId = this.licenseIndex.get(licenseId);
    return accountId ? this.accounts.get(accountId)?.licenses.get(licenseId) : undefined;
  }

  /** Every order of every partner. */
  orders(): OrderRecord[] {
    return [...this.orderMap.values()];
  }

  /** An order by subscription id or tracking number. */
  order(idOrTrackingNumber: string): OrderRecord | undefined {
    return this.orderMap.get(idOrTrackingNumber) ?? [...this.orderMap.values()].find((o) => o.trackingNumber === idOrTrackingNumber);
  }

  /** True while the order counts (not expired). */
  counts(order: OrderRecord): boolean {
    return order.expiresOn === null || Date.parse(order.expiresOn) > this.now().getTime();
  }

  /** Licenses of a product the account may hold: Σ quantity of its assigned, unexpired orders. */
  capacity(accountId: string, product: string): number {
    let total = 0;
    for (const o of this.orderMap.values()) if (o.accountId === accountId && o.product === product && this.counts(o)) total += o.quantity;
    return total;
  }

  /** Licenses of a product held in the account. */
  held(accountId: string, product: string): number {
    let n = 0;
    for (const l of this.accounts.get(accountId)?.licenses.values() ?? []) if (l.product === product) n += 1;
    return n;
  }
}
