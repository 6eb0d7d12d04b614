/** User creates of one phase of one account, in batches of up to 100 through the batch endpoint, several batches in flight. */
import type { CloudLinkApi } from '../../api/client-types.js';
import { mapLimit } from '../snapshot.js';
import type { UserChange } from '../types.js';
import { userFieldsOf, type AccountContext } from './changes.js';
import { failure, notStarted, type ChangeResult } from './result.js';

/**
 * Creates the users of `creates` (rows independent) and says what happened to each. Batches
 * are independent of each other, so up to `concurrency` are in flight at once (the client's
 * request budget caps the pace); once `stopped()`, no new batch starts.
 */
export async function createUsersInBatches(api: CloudLinkApi, creates: readonly UserChange[], ctx: AccountContext, stopped: () => boolean, concurrency = 1): Promise<Map<UserChange, ChangeResult>> {
  const out = new Map<UserChange, ChangeResult>();
  const batches: UserChange[][] = [];
  for (let i = 0; i < creates.length; i += 100) batches.push(creates.slice(i, i + 100));
  await mapLimit(batches, concurrency, async (batch) => {
    if (stopped()) {
      for (const c of batch) out.set(c, notStarted(c));
      return;
    }
    const inputs = batch.map((c) => userFieldsOf(c.id.email ?? '', c.after ?? {}));
    try {
      if (!ctx.accountId) throw new Error('the account does not exist (its create failed or was skipped)');
      const rows = await api.users.createMany(ctx.accountId, inputs);
      batch.forEach((c, j) => {
        const row = rows[j];
        if (row?.ok) {
          ctx.users.set(row.user.email.toLowerCase(), row.user.userId);
          out.set(c, { address: c.address, accountKey: c.accountKey, kind: c.kind, status: 'done', verb: row.outcome === 'created' ? 'created' : 'unchanged' });
        } else {
          const message = row ? `${row.status ? `${row.status}: ` : ''}${row.message}${row.correlationId ? ` (correlation id ${row.correlationId})` : ''}` : 'no result for this row';
          out.set(c, { address: c.address, accountKey: c.accountKey, kind: c.kind, status: 'failed', error: message, ...(row?.correlationId ? { correlationId: row.correlationId } : {}) });
        }
      });
    } catch (e) {
      for (const c of batch) out.set(c, failure(c, e));
    }
  });
  // In the order of `creates`, whichever batch answered first.
  const ordered = new Map<UserChange, ChangeResult>();
  for (const c of creates) {
    const r = out.get(c);
    if (r) ordered.set(c, r);
  }
  return ordered;
}
