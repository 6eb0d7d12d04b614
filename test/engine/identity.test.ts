import { describe, expect, it } from 'vitest';
import { diffTenancy, summarize } from '../../provider/engine/plan/diff.js';
import { bindAccounts, keysOf } from '../../provider/engine/plan/bind.js';
import { buildDriftReport } from '../../provider/engine/drift/report.js';
import { renderPlanText } from '../../provider/report/plan-text.js';
import type { Plan } from '../../provider/engine/types.js';
import { desiredAccount, desiredUser, integration, liveAccount, liveUser, NOW, order, snapshot, tenancy } from '../helpers/build.js';

const alice = desiredUser('alice.l@acme.example');
const acme = desiredAccount('acme', { name: 'Acme Corp', users: { policy: 'additive', items: [alice] } });
const todo = (p: Plan) => p.changes.filter((c) => c.action !== 'noop');

/** The live Acme account, tagged with `key`. */
function live(key: string | undefined, id = 'A1', name = 'Acme Corp') {
  return { account: liveAccount({ ...acme, name }, id, { identityKey: key }), integrations: [integration()], users: [liveUser(id, alice)] };
}

describe('identity: a changed key is a rename, never a second account', () => {
  it('declared with previousKeys: matched by the old tag, planned as a rename that retags', () => {
    const renamed = { ...acme, key: 'acme-corp', previousKeys: ['acme'] };
    const p = diffTenancy(tenancy(renamed), snapshot([live('acme')]), { now: NOW });
    expect(todo(p).map((c) => [c.action, c.address, c.before, c.after])).toEqual([['update', 'account.acme-corp', { identityKey: 'acme' }, { identityKey: 'acme-corp' }]]);
    const c = todo(p)[0];
    expect(c?.kind === 'account' && c.previousKey).toBe('acme');
    expect(c?.reason).toContain('renamed from key acme');
    expect(renderPlanText(p)).toContain('renamed from key acme');
  });

  it('without previousKeys: an account tagged with a key no file declares is never taken over by name (a partial run, a rename left undeclared)', () => {
    const renamed = { ...acme, key: 'acme-corp' };
    const p = diffTenancy(tenancy(renamed), snapshot([live('acme')]), { now: NOW });
    expect(todo(p)).toEqual([]);
    expect(p.problems.map((x) => [x.code, x.guard])).toEqual([['account_name_taken', false]]);
    expect(p.problems[0]?.message).toContain('add previousKeys: [acme] (a rename) or adopt: { accountNumber: "91" }');
  });

  it('never takes over an account whose key is still declared elsewhere (even in another shard)', () => {
    const renamed = { ...acme, key: 'acme-corp' };
    const bindings = bindAccounts([renamed], [live('acme').account], 'p-1', new Set(['acme-corp', 'acme']));
    expect(bindings).toEqual([{ key: 'acme-corp', kind: 'missing' }]);
  });

  it('two untagged candidates are an error naming both', () => {
    const renamed = { ...acme, key: 'acme-corp' };
    const p = diffTenancy(tenancy(renamed), snapshot([live(undefined, 'A1'), live(undefined, 'A2', 'acme  CORP')]), { now: NOW });
    expect(p.problems.map((x) => x.code)).toEqual(['account_ambiguous']);
    expect(p.problems[0]?.message).toContain('A1');
    expect(p.problems[0]?.message).toContain('A2');
    expect(todo(p)).toEqual([]);
  });

  it('drift lists live accounts tagged with keys nobody declares, and with --all-accounts every undeclared one', () => {
    const globex = desiredAccount('globex', { name: 'Globex' });
    const snap = snapshot([live('globex', 'G1', 'Globex')]);
    const withAll = { ...snap, allAccounts: [live('globex', 'G1', 'Globex').account, live('old-acme', 'A9', 'Acme Old').account, live(undefined, 'U1', 'Untagged').account] };
    const t = tenancy(globex);
    const bound = { ...withAll, bindings: bindAccounts(t.accounts, withAll.allAccounts, 'p-1', keysOf(t.accounts)) };
    const report = buildDriftReport(t, bound, { now: NOW });
    expect(report.orphanedAccounts).toEqual([{ accountId: 'A9', name: 'Acme Old', taggedKey: 'old-acme' }]);
    expect(report.undeclaredAccounts).toBeUndefined();
    const all = buildDriftReport(t, bound, { now: NOW, allAccounts: true });
    expect(all.undeclaredAccounts?.map((a) => a.accountId)).toEqual(['A9', 'U1']);
  });
});

describe('guards say what they count', () => {
  it('turning MiTeam off for 45 users is 45 updates, and does not trip --max-deletes', () => {
    const users = Array.from({ length: 45 }, (_, i) => desiredUser(`u${i}.x@acme.example`));
    const d = { ...acme, users: { policy: 'additive' as const, items: users } };
    const snap = snapshot([{ account: liveAccount(d, 'A1'), integrations: [integration()], users: users.map((u) => liveUser('A1', u, { miteam: true })) }], [order('TN-1', 50, { assignedAccountId: 'A1' })]);
    const p = diffTenancy(tenancy(d), snap, { now: NOW, maxDeletes: 0 });
    expect(summarize(p)).toMatchObject({ create: 0, update: 45, delete: 0 });
    expect(p.problems).toEqual([]);
    expect(renderPlanText(p)).toContain('Plan: 0 to create, 45 to update, 0 to delete.');
  });

  it('deleting an account counts its users, and the refusal lists what would be deleted', () => {
    const users = Array.from({ length: 300 }, (_, i) => liveUser('A1', desiredUser(`u${i}.x@acme.example`)));
    const snap = snapshot([{ account: liveAccount(acme, 'A1'), integrations: [integration()], users }]);
    const p = diffTenancy(tenancy(acme), snap, { now: NOW, destroyAccounts: ['acme'], maxDeletes: 300 });
    expect(p.problems.map((x) => x.code)).toEqual(['max_deletes']);
    expect(p.problems[0]?.message).toContain('the plan deletes 301 objects');
    expect(p.problems[0]?.message).toContain('account.acme (with its 300 users)');
    expect(todo(p)[0]?.reason).toBe('--destroy-account acme');
    expect(diffTenancy(tenancy(acme), snap, { now: NOW, destroyAccounts: ['acme'], maxDeletes: 301 }).problems).toEqual([]);
  });

  it('prints deletions without "null -> null" lines and plurals right', () => {
    const d = { ...acme, users: { policy: 'authoritative' as const, items: [alice] } };
    const stray = liveUser('A1', desiredUser('stray.s@acme.example'));
    const p = diffTenancy(tenancy(d), snapshot([{ ...live('acme'), users: [liveUser('A1', alice), stray] }]), { now: NOW });
    const text = renderPlanText(p);
    expect(text).toContain('CloudLink tenancy plan for partner p-1 (1 account)');
    expect(text).toContain('- account.acme.user["stray.s@acme.example"]');
    expect(text).not.toContain('-> null');
    expect(text).not.toContain('null');
  });

  it('unassigns undeclared orders under orders policy authoritative, refused while their licenses are in use', () => {
    const d = { ...acme, orders: [{ trackingNumber: 'TN-1' }], ordersPolicy: 'authoritative' as const, users: { policy: 'additive' as const, items: [{ ...alice, miteam: true }] } };
    const orders = [order('TN-1', 1, { assignedAccountId: 'A1' }), order('TN-2', 5, { assignedAccountId: 'A1' })];
    const free = diffTenancy(tenancy(d), snapshot([{ ...live('acme'), users: [liveUser('A1', { ...alice, miteam: true })] }], orders), { now: NOW });
    expect(todo(free).map((c) => `${c.action} ${c.address}`)).toEqual(['delete account.acme.order.TN-2']);
    expect(free.problems).toEqual([]);
    const busyUsers = [liveUser('A1', { ...alice, miteam: true }), liveUser('A1', desiredUser('bob.b@acme.example'), { miteam: true })];
    const busy = diffTenancy(tenancy(d), snapshot([{ ...live('acme'), users: busyUsers }], orders), { now: NOW });
    expect(busy.problems.map((x) => [x.code, x.guard])).toEqual([['order_in_use', true]]);
    expect(busy.problems[0]?.message).toContain('unassigning TN-2 (5) would leave 2 MiTeam users with 1 licenses; 1 of its licenses are in use');
    const additive = diffTenancy(tenancy({ ...d, ordersPolicy: 'additive' }), snapshot([{ ...live('acme'), users: busyUsers }], orders), { now: NOW });
    expect(todo(additive)).toEqual([]);
  });
});

describe('license impact of expiring orders', () => {
  it('says how many MiTeam users an expiring order leaves without a license, and when', async () => {
    const { renderDriftText } = await import('../../provider/report/drift-text.js');
    const users = Array.from({ length: 4 }, (_, i) => desiredUser(`u${i}.x@acme.example`, { miteam: true }));
    const d = { ...acme, orders: [{ trackingNumber: 'TN-A' }, { trackingNumber: 'TN-B' }], users: { policy: 'additive' as const, items: users } };
    const orders = [order('TN-A', 5, { assignedAccountId: 'A1', expiresOn: '2026-12-05T00:00:00.000Z' }), order('TN-B', 2, { assignedAccountId: 'A1', expiresOn: '2027-06-01T00:00:00.000Z' })];
    const snap = snapshot([{ account: liveAccount(d, 'A1'), integrations: [integration()], users: users.map((u) => liveUser('A1', u)) }], orders);
    const report = buildDriftReport(tenancy(d), snap, { now: NOW, expiringDays: 30 });
    expect(report.accounts[0]?.orders).toEqual([{ trackingNumber: 'TN-A', quantity: 5, expiresOn: '2026-12-05T00:00:00.000Z', status: 'expiring', daysLeft: 10, licensesLeft: 2, usersWithoutLicense: 2 }]);
    expect(renderDriftText(report)).toContain('expiring order: TN-A (5 licenses) expires 2026-12-05 (in 10 days); 2 MiTeam users would be left without a license (2 left from other orders)');
  });
});

describe('welcome e-mails recorded unconfirmed (the old claim scheme)', () => {
  it('count as not sent: the plan sends them (at least once), and drift still lists them', async () => {
    const { renderDriftText } = await import('../../provider/report/drift-text.js');
    const d = { ...acme, welcomeEmail: 'onCreate' as const };
    const lost = liveUser('A1', alice, { verified: false, welcomeSentOn: '2026-11-20T10:00:00.000Z', welcomeUnconfirmed: true, welcomeClaim: 'run-1' });
    const snap = snapshot([{ account: liveAccount(d, 'A1'), integrations: [integration()], users: [lost] }]);
    expect(todo(diffTenancy(tenancy(d), snap, { now: NOW })).map((c) => c.address)).toEqual(['account.acme.user["alice.l@acme.example"].welcome']);
    const report = buildDriftReport(tenancy(d), snap, { now: NOW });
    expect(report.accounts[0]?.unconfirmedWelcomes).toEqual([{ email: 'alice.l@acme.example', since: '2026-11-20T10:00:00.000Z' }]);
    expect(renderDriftText(report)).toContain('unconfirmed welcome e-mail: alice.l@acme.example (recorded 2026-11-20 by an older version) may not have gone out; the next apply sends it again (or now: "cloudlink-tenancy users send-welcome --force --email alice.l@acme.example")');
  });
});
