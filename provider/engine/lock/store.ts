/** The lease store over the client: the account's lock tag, read with the account, written and removed as a tag. */
import type { CloudLinkApi } from '../../api/client-types.js';
import { leaseToWire } from '../../api/wire.js';
import { LOCK_TAG } from '../../model/live.js';
import type { Account } from '../../model/live.js';
import type { LeaseStore } from './lease.js';

/** Reads `GET /accounts/{id}` (its tags), writes and deletes `PUT/DELETE …/tags/cloudlink-tenancy-lock`: one request each. */
export function leaseStoreOf(api: Pick<CloudLinkApi, 'accounts'>): LeaseStore {
  return {
    read: async (accountId) => (await api.accounts.get(accountId))?.lock,
    write: async (accountId, lease) => void (await api.accounts.setTag(accountId, LOCK_TAG, leaseToWire(lease))),
    remove: async (accountId) => void (await api.accounts.setTag(accountId, LOCK_TAG, undefined)),
  };
}

/** The partner's accounts whose lock tag carries lease `leaseId` (one list of the partner's accounts, with tags). */
export async function accountsHoldingLease(api: Pick<CloudLinkApi, 'accounts'>, partnerId: string, leaseId: string): Promise<Account[]> {
  const out: Account[] = [];
  for await (const a of api.accounts.list(partnerId)) if (a.lock?.id === leaseId) out.push(a);
  return out;
}
