import { describe, expect, it } from 'vitest';
import { readSnapshot } from '../../provider/engine/snapshot.js';
import { diffTenancy } from '../../provider/engine/plan/diff.js';
import { applyPlan } from '../../provider/engine/apply/apply.js';
import type { Change, Plan } from '../../provider/engine/types.js';
import type { Tenancy } from '../../provider/model/types.js';
import { renderPlanMarkdown } from '../../provider/report/plan-markdown.js';
import { renderPlanText } from '../../provider/report/plan-text.js';
import { createFakeApi, type FakeApi } from '../helpers/fake-api.js';
import { desiredAccount, desiredUser, NOW, order, tenancy } from '../helpers/build.js';

const alice = desiredUser('alice.l@acme.example', { miteam: true });
const bob = desiredUser('bob.b@acme.example', { role: 'Account Admin' });
const carol = desiredUser('carol.c@acme.example', { miteam: true });
const acme = desiredAccount('acme', { orders: [{ trackingNumber: 'TN-1' }], welcomeEmail: 'onCreate', users: { policy: 'additive', items: [alice, bob, carol] } });
const globex = desiredAccount('globex', { orders: [{ trackingNumber: 'TN-2' }], users: { policy: 'additive', items: [desiredUser('g.one@globex.example', { miteam: true })] } });

async function plan(api: FakeApi, t: Tenancy): Promise<Plan> {
  return diffTenancy(t, await readSnapshot(api, t), { now: NOW });
}
const todo = (p: Plan): Change[] => p.changes.filter((c) => c.action !== 'noop');

describe('applyPlan against the in-memory fake', () => {
  it('creates a new account end to end with one bulk user call, and converges', async () => {
    const api = createFakeApi({ orders: [order('TN-1', 10), order('TN-2', 5)] });
    const t = tenancy(acme);
    const first = await plan(api, t);
    const started: string[] = [];
    const done: string[] = [];
    const report = await applyPlan(api, first, { hooks: { onChangeStart: (c) => started.push(c.address), onChangeDone: (c) => done.push(c.address) } });
    expect(report.failed + report.skipped).toBe(0);
    expect(report.succeeded).toBe(todo(first).length);
    expect(new Set(done)).toEqual(new Set(todo(first).map((c) => c.address)));
    expect(started.length).toBe(done.length);
    // The first row alone (read back: did CloudLink keep it?), then the rest in one batch.
    expect(api.calls['users.createMany']).toBe(2);
    expect(api.calls['users.create']).toBeUndefined();
    const live = api.state.accounts[0];
    expect(live?.account.identityKey).toBe('acme');
    expect(live?.users.filter((u) => live.licenses.some((l) => l.userId === u.userId)).map((u) => u.email).sort()).toEqual(['alice.l@acme.example', 'carol.c@acme.example']);
    expect(api.state.outbox.sort()).toEqual(['alice.l@acme.example', 'bob.b@acme.example', 'carol.c@acme.example']);
    const second = await plan(api, t);
    expect(todo(second)).toEqual([]);
    expect(renderPlanText(second)).toContain('No changes. Live state matches the declaration.');
    await applyPlan(api, second);
    expect(api.state.outbox.length).toBe(3);
  });

  it('keeps applying other accounts when one account create fails, and a re-run converges', async () => {
    const api = createFakeApi({ orders: [order('TN-1', 10), order('TN-2', 5)] });
    const t = tenancy(acme, globex);
    api.failWhen('accounts.create', (_p, input) => (input as { name: string }).name === 'GLOBEX', 'simulated outage');
    const report = await applyPlan(api, await plan(api, t), { parallelism: 2 });
    expect(report.results.filter((r) => r.status === 'failed').map((r) => [r.address, r.error])).toEqual([['account.globex', 'simulated outage']]);
    expect(report.results.filter((r) => r.accountKey === 'globex' && r.status === 'skipped').length).toBeGreaterThan(0);
    expect(report.results.filter((r) => r.accountKey === 'acme').every((r) => r.status === 'done')).toBe(true);
    const again = await plan(api, t);
    expect(new Set(todo(again).map((c) => c.accountKey))).toEqual(new Set(['globex']));
    expect((await applyPlan(api, again)).failed).toBe(0);
    expect(todo(await plan(api, t))).toEqual([]);
  });

  it('skips only what depends on a failed user create', async () => {
    const api = createFakeApi({ orders: [order('TN-1', 10)] });
    await applyPlan(api, await plan(api, tenancy({ ...acme, users: { policy: 'additive', items: [bob] } })));
    const t = tenancy({ ...acme, users: { policy: 'additive', items: [alice, { ...bob, miteam: true }] } });
    api.failWhen('users.createMany', () => true, '503 try later'); // one user too goes through the batch route (a single POST would send a welcome e-mail)
    const report = await applyPlan(api, await plan(api, t));
    const status = Object.fromEntries(report.results.map((r) => [r.address, r.status]));
    expect(status).toEqual({
      'account.acme.user["alice.l@acme.example"]': 'failed',
      'account.acme.user["alice.l@acme.example"].license.miteam-meetings': 'skipped',
      'account.acme.user["alice.l@acme.example"].welcome': 'skipped',
      'account.acme.user["bob.b@acme.example"].license.miteam-meetings': 'done',
    });
    expect((await applyPlan(api, await plan(api, t))).failed).toBe(0);
    expect(todo(await plan(api, t))).toEqual([]);
  });

  it('reports an order taken by another account after the plan as a failure, not a crash', async () => {
    const api = createFakeApi({ orders: [order('TN-1', 10)] });
    const p = await plan(api, tenancy(acme));
    const tn1 = api.state.orders[0];
    if (tn1) tn1.assignedAccountId = 'someone-else';
    const report = await applyPlan(api, p);
    const order1 = report.results.find((r) => r.address === 'account.acme.order.TN-1');
    expect(order1?.status).toBe('failed');
    expect(order1?.error).toContain('assigned to another account');
    expect(report.results.filter((r) => r.address.endsWith('.license.miteam-meetings')).every((r) => r.status === 'skipped')).toBe(true);
    expect(report.results.find((r) => r.address === 'account.acme.user["bob.b@acme.example"]')?.status).toBe('done');
  });

  it('removes undeclared users only under the authoritative policy, freeing their licenses', async () => {
    const api = createFakeApi({ orders: [order('TN-1', 10)] });
    await applyPlan(api, await plan(api, tenancy(acme)));
    const additive = await plan(api, tenancy({ ...acme, users: { policy: 'additive', items: [bob] } }));
    expect(todo(additive)).toEqual([]);
    const authoritative = await plan(api, tenancy({ ...acme, users: { policy: 'authoritative', items: [bob] } }));
    // Deleting a user frees its license: no separate license change (counted once by --max-deletes).
    expect(todo(authoritative).map((c) => `${c.action} ${c.address}`)).toEqual([
      'delete account.acme.user["alice.l@acme.example"]',
      'delete account.acme.user["carol.c@acme.example"]',
    ]);
    expect((await applyPlan(api, authoritative)).failed).toBe(0);
    expect(api.state.accounts[0]?.users.map((u) => u.email)).toEqual(['bob.b@acme.example']);
    // The freed licenses can be used again: two new MiTeam users fit the 10 of TN-1.
    const reuse = tenancy({ ...acme, users: { policy: 'authoritative', items: [bob, desiredUser('dan.d@acme.example', { miteam: true }), desiredUser('eve.e@acme.example', { miteam: true })] } });
    expect((await applyPlan(api, await plan(api, reuse))).failed).toBe(0);
    expect(todo(await plan(api, reuse))).toEqual([]);
  });
});

describe('plan Markdown', () => {
  it('stays under the limit and says honestly what it left out', async () => {
    const many = Array.from({ length: 40 }, (_, i) => desiredAccount(`acct-${String(i).padStart(2, '0')}`, { users: { policy: 'additive', items: Array.from({ length: 3 }, (_, j) => desiredUser(`user.n${j}@a${i}.example`)) } }));
    const api = createFakeApi();
    const p = await plan(api, tenancy(...many));
    const full = renderPlanMarkdown(p);
    expect(full).not.toContain('are not shown');
    expect(full.length).toBeLessThanOrEqual(65_536);
    const cut = renderPlanMarkdown(p, 8000);
    expect(cut.length).toBeLessThanOrEqual(8000);
    const shown = (cut.match(/<details>/g) ?? []).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(40);
    const hidden = todo(p).filter((c) => !cut.includes(`<code>${c.accountKey}</code>`)).length;
    expect(cut).toContain(`${hidden} changes in ${40 - shown} accounts are not shown`);
    expect(cut).toContain('| `acct-39` |');
  });
});

describe('plan Markdown for a very large partner', () => {
  it('stays under the limit even when the summary table and the problems alone would not fit', () => {
    const change = (i: number): Change => ({ address: `account.customer-${i}.user["u@c${i}.example"]`, kind: 'user', accountKey: `customer-${i}`, action: 'create', id: { email: `u@c${i}.example` }, before: null, after: { email: `u@c${i}.example` }, reason: 'declared but not in the account', dependsOn: [], stamp: null });
    const keys = Array.from({ length: 5000 }, (_, i) => `customer-${i}`);
    const big: Plan = {
      formatVersion: 2,
      createdAt: NOW.toISOString(),
      partnerId: 'p-1',
      inputsDigest: 'sha256:x',
      accountKeys: keys,
      changes: keys.map((_, i) => change(i)),
      problems: keys.map((k) => ({ severity: 'error' as const, code: 'order_not_found' as const, guard: false, accountKey: k, message: `account "${k}": no order of the partner has trackingNumber TN-X; check the value against the console's order list` })),
    };
    const md = renderPlanMarkdown(big);
    expect(md.length).toBeLessThanOrEqual(65_536);
    expect(md).toContain('**Plan: 5000 to create, 0 to update, 0 to delete. The plan is stopped by errors: none of it will be applied until the problems listed are fixed.**');
    expect(md).toMatch(/\| … \d+ more accounts with changes \| \| \| \|/);
    expect(md).toMatch(/> … and \d+ more problems \(run `plan --format text` to see them all\)\./);
    expect(md).toMatch(/> \d+ changes in \d+ accounts are not shown/);
  });
});
