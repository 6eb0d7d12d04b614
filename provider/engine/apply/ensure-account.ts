/**
 * `ensureAccount`, in controller-runtime's CreateOrUpdate shape: find the account by its
 * identity (the `cloudlink-tenancy` tag, else the exact name among untagged accounts); if
 * found, tag it; else create it and settle a race with other runs. Convergent after any crash.
 */
import type { CloudLinkApi, WriteResult } from '../../api/client-types.js';
import type { Account, AccountFields } from '../../model/live.js';
import { collect, customerAccounts } from '../snapshot.js';

/** How far apart two accounts of one race can be created (their `createdOn`). */
const RACE_WINDOW_MS = 10 * 60_000;

type Api = Pick<CloudLinkApi, 'accounts' | 'users' | 'principal'>;

/** Oldest first (by `createdOn`, then id); accounts without a creation time last. */
export function createdOrder(a: Account, b: Account): number {
  const t = (x: Account): number => {
    const v = x.createdOn ? Date.parse(x.createdOn) : Number.NaN;
    return Number.isNaN(v) ? Number.POSITIVE_INFINITY : v;
  };
  return t(a) - t(b) || (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0);
}

/**
 * The partner's customer accounts that are this account: with its name, and tagged with its
 * key or untagged. (One filtered list, not the whole partner: an account tagged with the key
 * under another name was bound by the plan already and is never created again.)
 */
async function twinsOf(api: Api, partnerId: string, name: string, key: string): Promise<Account[]> {
  const own = (await api.principal.whoami()).accountId;
  const named = customerAccounts(await collect(api.accounts.named(partnerId, name)), own);
  return named.filter((a) => a.identityKey === key || a.identityKey === undefined);
}

/** True when the account has no users; false when it has, or is gone already (another run removed it). */
async function isEmpty(api: Api, accountId: string): Promise<boolean> {
  try {
    for await (const _u of api.users.list(accountId)) return false;
    return true;
  } catch (e) {
    if ((e as { code?: unknown }).code === 'not_found') return false;
    throw e;
  }
}

/**
 * Two runs creating the same account at once both succeed (CloudLink does not make names
 * unique). Each lists the accounts carrying the key (or the name and no tag yet); the oldest
 * wins everywhere. A run deletes its own account when it lost, and any other younger twin
 * created within minutes of the winner that is still empty (a run whose create failed
 * ambiguously may have adopted another run's twin and never learnt of its own).
 */
export async function settleAccountRace(api: Api, partnerId: string, name: string, key: string, mine: Account, protect = false): Promise<WriteResult<Account>> {
  const twins = await twinsOf(api, partnerId, name, key);
  if (!twins.some((a) => a.accountId === mine.accountId)) twins.push(mine);
  twins.sort(createdOrder);
  const winner = twins[0] ?? mine;
  const born = (a: Account): number => (a.createdOn ? Date.parse(a.createdOn) : Number.NaN);
  for (const loser of twins.slice(1)) {
    const gap = born(loser) - born(winner);
    // A twin whose tag says protected is never deleted, not even as a race's loser.
    const mayGo = loser.protected !== true && (loser.accountId === mine.accountId || (gap >= 0 && gap <= RACE_WINDOW_MS && (await isEmpty(api, loser.accountId))));
    if (mayGo) await api.accounts.delete(loser.accountId);
  }
  if (winner.accountId === mine.accountId) return { outcome: 'created', value: mine };
  if (winner.identityKey !== key || (winner.protected === true) !== protect) await api.accounts.setIdentity(winner.accountId, key, protect);
  return { outcome: 'unchanged', value: { ...winner, identityKey: key } };
}

/** Finds or creates the account for `key` and returns it, tagged (with `protect` in the tag when protected). */
export async function ensureAccount(api: Api, partnerId: string, fields: AccountFields & { name: string }, key: string, protect = false): Promise<WriteResult<Account>> {
  const twins = (await twinsOf(api, partnerId, fields.name, key)).sort(createdOrder);
  const existing = twins.find((a) => a.identityKey === key) ?? twins[0];
  if (existing) {
    if (existing.identityKey === key && (existing.protected === true) === protect) return { outcome: 'unchanged', value: existing };
    await api.accounts.setIdentity(existing.accountId, key, protect);
    return { outcome: 'updated', value: { ...existing, identityKey: key } };
  }
  const created = await api.accounts.create(partnerId, fields, key, protect);
  if (created.outcome !== 'created' || !created.value) return created;
  return settleAccountRace(api, partnerId, fields.name, key, created.value, protect);
}
