/**
 * (2.1) The record of integration removals apply requested (see `plan/integrations.ts`):
 * CloudLink removes integrations asynchronously, so after a DELETE answered 2xx the removal is
 * written to the account's `cloudlink-tenancy-removals` tag while the integration is still
 * listed, and the next plan shows it as "removal pending" instead of deleting it again.
 * Entries of integrations no longer listed are dropped (the tag goes when none is left).
 */
import type { CloudLinkApi } from '../../api/client-types.js';
import { REMOVALS_TAG, type JsonValue } from '../../model/live.js';
import { pendingRemovals } from '../plan/integrations.js';
import { collect } from '../snapshot.js';

/**
 * Records that the removal of `integrationId` was requested at `now`. Best effort: a failure
 * here leaves the removal done but unrecorded (the next plan then asks for it again, which the
 * client treats as already gone when the service answers 404).
 */
export async function recordRemoval(api: Pick<CloudLinkApi, 'accounts' | 'integrations'>, accountId: string, integrationId: string, type: string, now: Date): Promise<void> {
  try {
    const [account, listed] = await Promise.all([api.accounts.get(accountId), collect(api.integrations.list(accountId))]);
    const known = pendingRemovals(account);
    const old = account?.tags[REMOVALS_TAG];
    const record: Record<string, JsonValue> = {};
    for (const i of listed) {
      if (i.integrationId === integrationId) record[i.integrationId] = { type, requestedOn: now.toISOString() };
      else if (known.has(i.integrationId) && old && typeof old === 'object' && !Array.isArray(old)) record[i.integrationId] = old[i.integrationId] ?? null;
    }
    if (Object.keys(record).length > 0) await api.accounts.setTag(accountId, REMOVALS_TAG, record);
    else if (old !== undefined) await api.accounts.setTag(accountId, REMOVALS_TAG, undefined);
  } catch {
    // See above: the removal itself succeeded.
  }
}
