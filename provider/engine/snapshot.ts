/**
 * Reads live state with the minimum of requests: the principal's claims, then one paginated
 * list each for orders, catalogue and accounts; binds declared accounts to live ones once
 * (`plan/bind.ts`); then, for every bound account, its contacts, integrations, users and
 * licenses (one billing list per account: no per-user call), accounts in parallel. The
 * partner's own users are read only when a support contact names one.
 */
import type { CloudLinkApi } from '../api/client-types.js';
import type { Account, Principal, User } from '../model/live.js';
import { isValidEmail } from '../model/email.js';
import type { Tenancy } from '../model/types.js';
import type { AccountBinding, LiveAccount, LiveSnapshot } from './types.js';
import { bindAccounts, keysOf } from './plan/bind.js';
import { accountNameKey } from '../model/account-names.js';
import { collectRows } from '../api/paged-rows.js';

/** Drains an async iterable (a paginated list) into an array: a page at a time when the client's list hands over pages (`api/paged-rows.ts`). */
export const collect: <T>(items: AsyncIterable<T>) => Promise<T[]> = collectRows;

/** Runs `work` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Options of `readSnapshot`. */
export interface SnapshotOptions {
  /** Accounts read at once (default 8). */
  concurrency?: number;
  now?: () => Date;
  /**
   * Every key and previous key of the whole declaration, when `tenancy` is a selection
   * (`--account`, `--shard`); default: those of `tenancy`.
   */
  declaredKeys?: ReadonlySet<string>;
}

/** Reads everything the engine compares for one live account. */
export async function readLiveAccount(api: CloudLinkApi, account: Account): Promise<LiveAccount> {
  const id = account.accountId;
  // The users first: the longest list, whose later pages wait for its first.
  const [users, contacts, integrations, licenses] = await Promise.all([
    collect(api.users.list(id)),
    collect(api.contacts.list(id)),
    collect(api.integrations.list(id)),
    collect(api.billing.licenses(id)),
  ]);
  return { account, contacts, integrations, users, licenses };
}

/**
 * The partner's customer accounts: every account the principal sees under the partner, less
 * the principal's own account (a partner admin sees its partner's account too).
 */
export function customerAccounts(accounts: readonly Account[], ownAccountId: string | undefined): Account[] {
  return accounts.filter((a) => a.accountId !== ownAccountId);
}

/** The live account ids a binding needs details of (all candidates when it is ambiguous, so plan and drift say the same). */
function accountsToRead(bindings: readonly AccountBinding[], accounts: readonly Account[], tenancy: Tenancy): Account[] {
  const wanted = new Map<string, Account>();
  bindings.forEach((b, i) => {
    if (b.kind === 'matched') {
      const hit = accounts.find((a) => a.accountId === b.accountId);
      if (hit) wanted.set(hit.accountId, hit);
    }
    const d = tenancy.accounts[i];
    if (b.kind === 'problem' && d) for (const a of accounts) if (accountNameKey(a.name) === accountNameKey(d.name) || a.identityKey === d.key) wanted.set(a.accountId, a);
  });
  return [...wanted.values()];
}

/** True when a declared support contact is a name to look up among the partner's users. */
function namesPartnerUsers(tenancy: Tenancy): boolean {
  return tenancy.accounts.some((a) => (a.supportContacts ?? []).some((c) => !isValidEmail(c.toLowerCase())));
}

/** Who the credentials belong to, the partner's customer accounts, and the declared accounts bound to them. */
export interface LiveBindings {
  principal: Principal;
  accounts: Account[];
  bindings: AccountBinding[];
}

/**
 * The identity step alone (for commands that need no full snapshot: `users`, `orders`): the
 * same bindings `readSnapshot` makes, from one accounts list.
 */
export async function readBindings(api: Pick<CloudLinkApi, 'principal' | 'accounts'>, tenancy: Tenancy, declaredKeys?: ReadonlySet<string>): Promise<LiveBindings> {
  const principal = await api.principal.whoami();
  const accounts = customerAccounts(await collect(api.accounts.list(tenancy.partner.id)), principal.accountId);
  const keys = declaredKeys ?? keysOf([...tenancy.accounts, ...(tenancy.unselected ?? [])]);
  return { principal, accounts, bindings: bindAccounts(tenancy.accounts, accounts, tenancy.partner.id, keys, tenancy.unselected) };
}

/** Reads the live state that the declared tenancy needs to be compared against. */
export async function readSnapshot(api: CloudLinkApi, tenancy: Tenancy, options: SnapshotOptions = {}): Promise<LiveSnapshot> {
  const partnerId = tenancy.partner.id;
  // The accounts' own reads start once the accounts are bound, not once the orders and the
  // catalogue are read too: the bindings come first on the chain of calls a plan waits for.
  const details = readBindings(api, tenancy, options.declaredKeys).then(async ({ principal, accounts: allAccounts, bindings }) => {
    const [accounts, partnerUsers] = await Promise.all([
      mapLimit(accountsToRead(bindings, allAccounts, tenancy), options.concurrency ?? 8, (account) => readLiveAccount(api, account)),
      namesPartnerUsers(tenancy) ? collect(api.users.list(principal.accountId)) : Promise.resolve<User[]>([]),
    ]);
    return { principal, allAccounts, bindings, accounts, partnerUsers };
  });
  const [{ principal, allAccounts, bindings, accounts, partnerUsers }, orders, catalog] = await Promise.all([details, collect(api.orders.list(partnerId)), api.integrations.catalog()]);
  return { partnerId, principal, takenAt: (options.now?.() ?? new Date()).toISOString(), allAccounts, bindings, accounts, partnerUsers, orders, catalog };
}
