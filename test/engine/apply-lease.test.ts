/** applyPlan with the apply lock, against the in-memory fake: leases around each account, a refresh after taking one, a lost lease stops the account. */
import { describe, expect, it } from 'vitest';
import { readSnapshot } from '../../provider/engine/snapshot.js';
import { diffTenancy } from '../../provider/engine/plan/diff.js';
import { applyPlan } from '../../provider/engine/apply/apply.js';
import type { Plan } from '../../provider/engine/types.js';
import type { Tenancy } from '../../provider/model/types.js';
import { LOCK_TAG } from '../../provider/model/live.js';
import { createFakeApi, type FakeApi } from '../helpers/fake-api.js';
import { desiredAccount, desiredUser, NOW, order, tenancy } from '../helpers/build.js';

const users = Array.from({ length: 6 }, (_, i) => desiredUser(`u${i}@acme.example`, { miteam: true }));
const acme = desiredAccount('acme', { orders: [{ trackingNumber: 'TN-1' }], welcomeEmail: 'onEnable', users: { policy: 'additive', items: users } });

async function plan(api: FakeApi, t: Tenancy): Promise<Plan> {
  return diffTenancy(t, await readSnapshot(api, t), { now: NOW });
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('applyPlan with the apply lock', () => {
  it('leases a new account right after creating it, releases it when done, and sends each welcome once', async () => {
    const api = createFakeApi({ orders: [order('TN-1', 10)] });
    const writes: string[] = [];
    const setTag = api.accounts.setTag.bind(api.accounts);
    api.accounts.setTag = async (id, tag, value) => (tag === LOCK_TAG && writes.push(value === undefined ? 'release' : 'take'), setTag(id, tag, value));
    const report = await applyPlan(api, await plan(api, tenancy(acme)), { lock: { holder: 'test', settleMs: 0 } });
    expect(report.failed + report.skipped + report.locked.length).toBe(0);
    expect(writes).toEqual(['take', 'release']);
    expect(api.state.accounts[0]?.account.lock).toBeUndefined();
    expect(api.state.outbox.sort()).toEqual(users.map((u) => u.email).sort());
  });

  it('after waiting for the lock, skips the welcome e-mails the previous holder sent since the plan', async () => {
    const api = createFakeApi({ orders: [order('TN-1', 10)] });
    await applyPlan(api, await plan(api, tenancy({ ...acme, welcomeEmail: 'never' })));
    const stale = await plan(api, tenancy(acme));
    expect(stale.changes.filter((c) => c.kind === 'welcome')).toHaveLength(6);
    await applyPlan(api, stale, { lock: { holder: 'first', settleMs: 0 } });
    expect(api.state.outbox).toHaveLength(6);
    // A second run with the same (now old) plan sends nothing: the re-read under its lease shows the records.
    const again = await applyPlan(api, stale, { lock: { holder: 'second', settleMs: 0 } });
    expect(api.state.outbox).toHaveLength(6);
    expect(again.results.filter((r) => r.kind === 'welcome').map((r) => r.verb)).toEqual(Array(6).fill('unchanged'));
  });

  it('stops starting calls on an account whose lease another run took', async () => {
    const api = createFakeApi({ orders: [order('TN-1', 10)] });
    await applyPlan(api, await plan(api, tenancy({ ...acme, welcomeEmail: 'never' })));
    const accountId = api.state.accounts[0]?.account.accountId ?? '';
    const send = api.users.sendWelcome.bind(api.users);
    let first = true;
    api.users.sendWelcome = async (a, u) => {
      if (first) {
        first = false;
        // Another run takes the lease over; this run's next renewal notices.
        await api.accounts.setTag(accountId, LOCK_TAG, { id: 'other', holder: 'other run', startedOn: NOW.toISOString(), expiresOn: new Date(Date.now() + 60_000).toISOString() });
      }
      await sleep(40);
      return send(a, u);
    };
    const report = await applyPlan(api, await plan(api, tenancy(acme)), { perAccountConcurrency: 1, lock: { holder: 'me', settleMs: 0, ttlMs: 400, renewEveryMs: 20 } });
    const welcomes = report.results.filter((r) => r.kind === 'welcome');
    expect(welcomes.filter((r) => r.status === 'done').length).toBeLessThan(6);
    expect(welcomes.filter((r) => r.status === 'interrupted')[0]?.error).toContain('the apply lease of account acme was lost: another run took');
    // The other run's lease is left alone.
    expect(api.state.accounts[0]?.account.lock?.id).toBe('other');
  });
  it("reads the account's users while its lease settles: after the lease is written, before it is read back", async () => {
    const api = createFakeApi({ orders: [order('TN-1', 10)] });
    await applyPlan(api, await plan(api, tenancy({ ...acme, welcomeEmail: 'never' })));
    const planned = await plan(api, tenancy(acme));
    const log: string[] = [];
    const setTag = api.accounts.setTag.bind(api.accounts);
    api.accounts.setTag = async (id, tag, value) => {
      const written = await setTag(id, tag, value);
      if (tag === LOCK_TAG) log.push(value === undefined ? 'release' : 'write lease');
      return written;
    };
    const get = api.accounts.get.bind(api.accounts);
    api.accounts.get = async (id) => (log.push('read lease'), get(id));
    const list = api.users.list.bind(api.users);
    api.users.list = (id) => (log.push('list users'), list(id));
    const report = await applyPlan(api, planned, { lock: { holder: 'test', settleMs: 30 } });
    expect(report.failed + report.skipped).toBe(0);
    // The list leaves with the write's answer, and its rows are used once the read back shows the lease is this run's.
    expect(log.slice(0, 4)).toEqual(['read lease', 'write lease', 'list users', 'read lease']);
  });

  it('drops the users it read while losing a lease race, and reads them again once it holds the lease', async () => {
    const api = createFakeApi({ orders: [order('TN-1', 10)] });
    await applyPlan(api, await plan(api, tenancy({ ...acme, welcomeEmail: 'never' })));
    const stale = await plan(api, tenancy(acme));
    const accountId = api.state.accounts[0]?.account.accountId ?? '';
    const setTag = api.accounts.setTag.bind(api.accounts);
    let lists = 0;
    const list = api.users.list.bind(api.users);
    api.users.list = (id) => ((lists += 1), list(id));
    let raced = false;
    let other: Promise<unknown> | undefined;
    api.accounts.setTag = async (id, tag, value) => {
      const written = await setTag(id, tag, value);
      if (tag !== LOCK_TAG || value === undefined || raced) return written;
      // Another run's write lands on top of this run's first one: it holds the account, sends the
      // welcome e-mails (after this run's list has left), then releases the lease.
      raced = true;
      await setTag(id, tag, { id: 'other', holder: 'other run', startedOn: NOW.toISOString(), expiresOn: new Date(Date.now() + 60_000).toISOString() });
      other = sleep(20).then(async () => {
        await applyPlan(api, stale);
        await setTag(accountId, LOCK_TAG, undefined);
      });
      return written;
    };
    const report = await applyPlan(api, stale, { lock: { holder: 'me', settleMs: 10, timeoutMs: 5_000, pollMs: 10 } });
    await other;
    expect(lists).toBeGreaterThanOrEqual(2);
    // Sent by the other run only: this run's rows from the lost attempt (no records yet) were dropped.
    expect(api.state.outbox).toHaveLength(6);
    expect(report.results.filter((r) => r.kind === 'welcome').map((r) => r.verb)).toEqual(Array(6).fill('unchanged'));
  });
});
