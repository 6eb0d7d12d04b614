/**
 * User creates in batches: independent batches of one account are in flight at once (up to the
 * per-account concurrency), results come back in the order of the changes whichever batch
 * answered first, and a stop starts no new batch. A hand-written fake of the one call used.
 */
import { describe, expect, it } from 'vitest';
import type { BatchCreateRow, CloudLinkApi } from '../../provider/api/client-types.js';
import type { UserFields } from '../../provider/model/live.js';
import { createUsersInBatches } from '../../provider/engine/apply/users-batch.js';
import type { AccountContext } from '../../provider/engine/apply/changes.js';
import type { UserChange } from '../../provider/engine/types.js';

function creates(n: number): UserChange[] {
  return Array.from({ length: n }, (_, i) => ({ kind: 'user', action: 'create', address: `acme/users/u${i}@acme.example`, accountKey: 'acme', id: { accountId: 'a1', email: `u${i}@acme.example` }, after: { firstName: 'U', lastName: String(i) }, dependsOn: [] }) as unknown as UserChange);
}

/** `users.createMany` that answers later batches first and records how many were in flight. */
function fakeApi() {
  const seen = { inFlight: 0, maxInFlight: 0, batches: 0 };
  const api = {
    users: {
      createMany: async (accountId: string, inputs: UserFields[]): Promise<BatchCreateRow[]> => {
        seen.batches += 1;
        seen.inFlight += 1;
        seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
        await new Promise((r) => setTimeout(r, 40 - seen.batches));
        seen.inFlight -= 1;
        return inputs.map((u) => ({ ok: true, outcome: 'created', user: { userId: `id-${u.email}`, accountId, email: u.email, name: '', firstName: '', lastName: '', role: 'User', verified: false } }) as BatchCreateRow);
      },
    },
  } as unknown as CloudLinkApi;
  return { api, seen };
}

const context = (): AccountContext => ({ partnerId: 'p-1', accountId: 'a1', users: new Map(), now: () => new Date() });

describe('createUsersInBatches', () => {
  it('keeps up to `concurrency` batches in flight and reports in the order of the changes', async () => {
    const { api, seen } = fakeApi();
    const changes = creates(1000);
    const ctx = context();
    const out = await createUsersInBatches(api, changes, ctx, () => false, 4);
    expect(seen.batches).toBe(10);
    expect(seen.maxInFlight).toBe(4);
    expect([...out.keys()]).toEqual(changes);
    expect([...out.values()].every((r) => r.status === 'done')).toBe(true);
    expect(ctx.users.size).toBe(1000);
  });

  it('starts no new batch once stopped', async () => {
    const { api, seen } = fakeApi();
    const changes = creates(1000);
    let stop = false;
    const out = await createUsersInBatches(
      api,
      changes,
      context(),
      () => {
        const now = stop;
        stop = true;
        return now;
      },
      1,
    );
    expect(seen.batches).toBe(1);
    expect([...out.values()].filter((r) => r.status === 'interrupted')).toHaveLength(900);
    expect([...out.keys()]).toEqual(changes);
  });
});
