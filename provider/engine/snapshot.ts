/**
 * Reads live state with the minimum of requests: the principal's claims, then one paginated
 * list each for orders, catalogue and accounts, then, for every account a declared account
 * matches, its contacts, integrations, users and licenses (one billing list per account: no
 * per-user call), accounts in parallel.
 */
import type { CloudLinkApi } from '../api/client-types.js';
import type { Account } from '../model/live.js';
import type { Tenancy } from '../model/types.js';
import type { LiveAccount, LiveSnapshot } from './types.js';
import { matchAccount } from './match.js';

/** Drains an async iterable (a paginated list) into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

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
}

/** Reads everything the engine compares for one live account. */
export async function readLiveAccount(api: CloudLinkApi, account: Account): Promise<LiveAccount> {
  const id = account.accountId;
  const [contacts, integrations, users, licenses] = await Promise.all([
    collect(api.contacts.list(id)),
    collect(api.integrations.list(id)),
    collect(api.users.list(id)),
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

/** Reads the live state that the declared tenancy needs to be compared against. */
export async function readSnapshot(api: CloudLinkApi, tenancy: Tenancy, options: SnapshotOptions = {}): Promise<LiveSnapshot> {
  const partnerId = tenancy.partner.id;
  const principal = await api.principal.whoami();
  const [orders, catalog, listed] = await Promise.all([collect(api.orders.list(partnerId)), api.integrations.catalog(), collect(api.accounts.list(partnerId))]);
  const accounts = customerAccounts(listed, principal.accountId);
  const wanted = new Map<string, Account>();
  for (const declared of tenancy.accounts) {
    const m = matchAccount(declared, accounts, partnerId);
    if (m.kind === 'matched') wanted.set(m.account.accountId, m.account);
    else if (m.kind === 'problem') {
      // Keep every candidate so the diff reaches the same (ambiguous) verdict.
      for (const a of accounts) if (a.name === declared.name || a.identityKey === declared.key) wanted.set(a.accountId, a);
    }
  }
  const detailed = await mapLimit([...wanted.values()], options.concurrency ?? 8, (account) => readLiveAccount(api, account));
  return { partnerId, principal, takenAt: (options.now?.() ?? new Date()).toISOString(), accounts: detailed, orders, catalog };
}
