import { describe, expect, it } from 'vitest';
import { diffTenancy, summarize } from '../../provider/engine/plan/diff.js';
import type { Plan } from '../../provider/engine/types.js';
import { desiredAccount, desiredUser, integration, liveAccount, liveUser, NOW, order, snapshot, tenancy } from '../helpers/build.js';

const alice = desiredUser('alice.l@acme.example', { miteam: true });
const bob = desiredUser('bob.b@acme.example');
const acme = desiredAccount('acme', { orders: [{ trackingNumber: 'TN-1' }], users: { policy: 'additive', items: [alice, bob] } });

/** A live account that matches `acme` exactly. */
function inSync(over: { users?: ReturnType<typeof liveUser>[] } = {}) {
  return { account: liveAccount(acme, 'A1'), integrations: [integration()], users: over.users ?? [liveUser('A1', alice), liveUser('A1', bob)] };
}
const assigned = order('TN-1', 10, { assignedAccountId: 'A1' });

const actions = (plan: Plan) => plan.changes.filter((c) => c.action !== 'noop').map((c) => `${c.action} ${c.address}`);

describe('diffTenancy', () => {
  const cases: { name: string; declared: ReturnType<typeof tenancy>; live: ReturnType<typeof snapshot>; expected: string[]; problems?: string[] }[] = [
    {
      name: 'creates everything, in apply order, for a new account',
      declared: tenancy(acme),
      live: snapshot([], [order('TN-1', 10)]),
      expected: [
        'create account.acme',
        'create account.acme.integration.miteam-meetings',
        'create account.acme.order.TN-1',
        'create account.acme.user["alice.l@acme.example"]',
        'create account.acme.user["bob.b@acme.example"]',
        'update account.acme.user["alice.l@acme.example"].license.miteam-meetings',
      ],
    },
    { name: 'plans nothing when live matches', declared: tenancy(acme), live: snapshot([inSync()], [assigned]), expected: [] },
    {
      name: 'updates a changed user attribute',
      declared: tenancy(acme),
      live: snapshot([inSync({ users: [liveUser('A1', alice, { lastName: 'Old' }), liveUser('A1', bob)] })], [assigned]),
      expected: ['update account.acme.user["alice.l@acme.example"]'],
    },
    {
      name: 'disables a license toggled off',
      declared: tenancy(acme),
      live: snapshot([inSync({ users: [liveUser('A1', alice), liveUser('A1', bob, { miteam: true })] })], [assigned]),
      expected: ['update account.acme.user["bob.b@acme.example"].license.miteam-meetings'],
    },
    {
      name: 'leaves undeclared users alone under additive',
      declared: tenancy(acme),
      live: snapshot([inSync({ users: [liveUser('A1', alice), liveUser('A1', bob), liveUser('A1', desiredUser('x.y@acme.example'))] })], [assigned]),
      expected: [],
    },
    {
      name: 'deletes undeclared users under authoritative, before creates',
      declared: tenancy({ ...acme, users: { policy: 'authoritative', items: [alice, bob, desiredUser('new.one@acme.example')] } }),
      live: snapshot([inSync({ users: [liveUser('A1', alice), liveUser('A1', bob), liveUser('A1', desiredUser('x.y@acme.example'))] })], [assigned]),
      expected: ['delete account.acme.user["x.y@acme.example"]', 'create account.acme.user["new.one@acme.example"]'],
    },
    {
      name: 'updates the account and says it matched by name',
      declared: tenancy(acme),
      live: snapshot([{ ...inSync(), account: liveAccount(acme, 'A1', { identityKey: undefined, country: 'US' }) }], [assigned]),
      expected: ['update account.acme'],
    },
    {
      name: 'refuses to enable more licenses than the orders provide',
      declared: tenancy({ ...acme, users: { policy: 'additive', items: [alice, { ...bob, miteam: true }] } }),
      live: snapshot([inSync()], [order('TN-1', 1, { assignedAccountId: 'A1' })]),
      expected: ['update account.acme.user["bob.b@acme.example"].license.miteam-meetings'],
      problems: ['license_shortfall'],
    },
    {
      name: 'does not count expired orders as capacity',
      declared: tenancy({ ...acme, users: { policy: 'additive', items: [alice, { ...bob, miteam: true }] } }),
      live: snapshot([inSync()], [order('TN-1', 10, { assignedAccountId: 'A1', expiresOn: '2026-01-01T00:00:00.000Z' })]),
      expected: ['update account.acme.user["bob.b@acme.example"].license.miteam-meetings'],
      problems: ['license_shortfall'],
    },
    {
      name: 'reports an order assigned to another account as an error',
      declared: tenancy(acme),
      live: snapshot([inSync()], [order('TN-1', 10, { assignedAccountId: 'OTHER' })]),
      expected: [],
      problems: ['order_conflict'],
    },
    { name: 'reports an order that does not exist', declared: tenancy(acme), live: snapshot([inSync()], []), expected: [], problems: ['order_not_found'] },
    {
      name: 'reports an adopt id that does not exist',
      declared: tenancy({ ...acme, adopt: { accountId: 'NOPE' } }),
      live: snapshot([inSync()], [assigned]),
      expected: [],
      problems: ['adopt_not_found'],
    },
    {
      name: 'refuses to guess between two accounts with the same name',
      declared: tenancy(acme),
      live: snapshot([{ ...inSync(), account: liveAccount(acme, 'A1', { identityKey: undefined }) }, { ...inSync(), account: liveAccount(acme, 'A2', { identityKey: undefined }) }], [assigned]),
      expected: [],
      problems: ['account_ambiguous'],
    },
    {
      name: 'sends a welcome e-mail to a pending user with MiTeam under onEnable',
      declared: tenancy({ ...acme, welcomeEmail: 'onEnable' }),
      live: snapshot([inSync({ users: [liveUser('A1', alice, { verified: false }), liveUser('A1', bob, { verified: false })] })], [assigned]),
      expected: ['create account.acme.user["alice.l@acme.example"].welcome'],
    },
    {
      name: 'never re-sends a welcome e-mail',
      declared: tenancy({ ...acme, welcomeEmail: 'onCreate' }),
      live: snapshot([inSync({ users: [liveUser('A1', alice, { verified: false, welcomeSentOn: '2026-02-01T00:00:00.000Z' }), liveUser('A1', bob, { verified: true })] })], [assigned]),
      expected: [],
    },
  ];
  it.each(cases)('$name', ({ declared, live, expected, problems }) => {
    const plan = diffTenancy(declared, live, { now: NOW });
    expect(actions(plan)).toEqual(expected);
    expect(plan.problems.map((p) => p.code)).toEqual(problems ?? []);
  });

  it('gives attribute-level before/after for updates', () => {
    const plan = diffTenancy(tenancy(acme), snapshot([inSync({ users: [liveUser('A1', alice, { lastName: 'Old', role: 'Account Admin' }), liveUser('A1', bob)] })], [assigned]), { now: NOW });
    const update = plan.changes.find((c) => c.action === 'update');
    expect(update?.before).toEqual({ lastName: 'Old', role: 'Account Admin' });
    expect(update?.after).toEqual({ lastName: 'l', role: 'User' });
    expect(update?.id).toEqual({ accountId: 'A1', userId: 'u-alice.l@acme.example', email: 'alice.l@acme.example' });
  });

  it('refuses more deletes than --max-deletes', () => {
    const extra = Array.from({ length: 4 }, (_, i) => liveUser('A1', desiredUser(`x${i}.y@acme.example`)));
    const declared = tenancy({ ...acme, users: { policy: 'authoritative', items: [alice, bob] } });
    const live = snapshot([inSync({ users: [liveUser('A1', alice), liveUser('A1', bob), ...extra] })], [assigned]);
    expect(diffTenancy(declared, live, { now: NOW, maxDeletes: 3 }).problems.map((p) => [p.code, p.guard])).toEqual([['max_deletes', true]]);
    expect(diffTenancy(declared, live, { now: NOW, maxDeletes: 4 }).problems).toEqual([]);
  });

  it('never deletes a protected account', () => {
    const plan = diffTenancy(tenancy({ ...acme, protect: true }), snapshot([inSync()], [assigned]), { now: NOW, destroyAccounts: ['acme'] });
    expect(plan.problems.map((p) => p.code)).toEqual(['protected_account']);
    expect(plan.changes.filter((c) => c.action === 'delete')).toEqual([]);
  });

  it('makes license creates depend on the user, integration and order they need', () => {
    const plan = diffTenancy(tenancy(acme), snapshot([], [order('TN-1', 10)]), { now: NOW });
    const license = plan.changes.find((c) => c.kind === 'license');
    expect(license?.dependsOn).toEqual(['account.acme.user["alice.l@acme.example"]', 'account.acme.integration.miteam-meetings', 'account.acme.order.TN-1']);
  });

  it('is deterministic and serialisable', () => {
    const a = diffTenancy(tenancy(acme), snapshot([], [order('TN-1', 10)]), { now: NOW });
    const b = diffTenancy(tenancy(acme), snapshot([], [order('TN-1', 10)]), { now: NOW });
    expect(JSON.parse(JSON.stringify(a))).toEqual(b);
    expect(summarize(a)).toEqual({ create: 5, update: 1, delete: 0, noop: 0 });
  });

  it('stamps each change with the state of the object it touches', () => {
    const stale = { users: [liveUser('A1', alice, { lastName: 'Old', modifiedOn: '2026-05-05T00:00:00.000Z' }), liveUser('A1', bob, { miteam: true })] };
    const plan = diffTenancy(tenancy(acme), snapshot([inSync(stale)], [assigned]), { now: NOW });
    expect(plan.changes.filter((c) => c.action !== 'noop').map((c) => [c.address, c.stamp])).toEqual([
      ['account.acme.user["bob.b@acme.example"].license.miteam-meetings', 'l-u-bob.b@acme.example'],
      ['account.acme.user["alice.l@acme.example"]', '2026-05-05T00:00:00.000Z'],
    ]);
    expect(diffTenancy(tenancy(acme), snapshot([], [order('TN-1', 10)]), { now: NOW }).changes.every((c) => c.stamp === null || c.kind === 'order')).toBe(true);
  });

  it('holds a console-created account\'s other changes as data under the account change, in apply order, and reports their problems', () => {
    const consoleAcme = { ...acme, accountCreation: 'console' as const };
    const plan = diffTenancy(tenancy(consoleAcme), snapshot([], [order('TN-1', 10)]), { now: NOW });
    expect(actions(plan)).toEqual(['create account.acme']);
    const account = plan.changes[0];
    expect(account?.kind === 'account' && account.manual).toBe('console');
    expect(account?.kind === 'account' ? account.waiting?.map((c) => `${c.action} ${c.address}`) : undefined).toEqual([
      'create account.acme.integration.miteam-meetings',
      'create account.acme.order.TN-1',
      'create account.acme.user["alice.l@acme.example"]',
      'create account.acme.user["bob.b@acme.example"]',
      'update account.acme.user["alice.l@acme.example"].license.miteam-meetings',
    ]);
    // An order nobody has is a plan error now, not after a person created the account.
    const missing = diffTenancy(tenancy(consoleAcme), snapshot([], []), { now: NOW });
    expect(missing.problems.map((p) => p.code)).toContain('order_not_found');
  });
});
