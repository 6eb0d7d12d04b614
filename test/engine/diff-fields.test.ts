import { describe, expect, it } from 'vitest';
import { diffTenancy } from '../../provider/engine/plan/diff.js';
import type { Change, JsonValue, Plan } from '../../provider/engine/types.js';
import type { DesiredAccount, DesiredUser } from '../../provider/model/types.js';
import type { Account, Contact, User } from '../../provider/model/live.js';
import { contact, desiredAccount, desiredUser, integration, liveAccount, liveUser, NOW, order, snapshot, tenancy } from '../helpers/build.js';

const alice = desiredUser('alice.l@acme.example', { country: 'CA' });
const base = desiredAccount('acme', {
  name: 'Acme Corp',
  address: '1 Main St',
  city: 'Ottawa',
  postalCode: 'K1A',
  supportContacts: ['help@acme.example'],
  tags: { tier: 'gold' },
  orders: [{ trackingNumber: 'TN-1' }],
  users: { policy: 'additive', items: [alice] },
});
const assigned = order('TN-1', 10, { assignedAccountId: 'A1' });

function plan(d: DesiredAccount, over: { account?: Partial<Account>; user?: Partial<User>; users?: User[]; integrations?: ReturnType<typeof integration>[]; contacts?: Contact[] } = {}): Plan {
  const live = {
    account: liveAccount(base, 'A1', over.account),
    contacts: over.contacts ?? [contact('A1', 'help@acme.example')],
    integrations: over.integrations ?? [integration()],
    users: over.users ?? [liveUser('A1', alice, over.user)],
  };
  return diffTenancy(tenancy(d), snapshot([live], [assigned]), { now: NOW });
}
const todo = (p: Plan): Change[] => p.changes.filter((c) => c.action !== 'noop');

describe('attribute-level updates, one field at a time', () => {
  const accountCases: [keyof DesiredAccount & keyof Account, JsonValue, JsonValue][] = [
    ['name', 'Acme Corp', 'Acme Corporation'],
    ['country', 'CA', 'US'],
    ['address', '1 Main St', '2 Side St'],
    ['city', 'Ottawa', 'Toronto'],
    ['postalCode', 'K1A', 'M5V'],
    ['language', 'en-US', 'fr-CA'],
  ];
  it.each(accountCases)('account %s: %j -> %j', (field, before, after) => {
    const p = plan({ ...base, [field]: after });
    expect(todo(p)).toHaveLength(1);
    const c = todo(p)[0];
    expect(c).toMatchObject({ address: 'account.acme', action: 'update', before: { [field]: before }, after: { [field]: after }, id: { accountId: 'A1' } });
    expect(Object.keys(c?.after ?? {})).toEqual([field]);
    // A rename keeps the account: it is matched by the cloudlink-tenancy tag, not by name.
    expect(c?.reason).toBe('matched by its cloudlink-tenancy tag');
  });

  it.each(['address', 'city', 'postalCode', 'stateOrProvince'] as const)('account %s left out of the declaration is not managed', (field) => {
    const { [field]: _dropped, ...rest } = base;
    expect(todo(plan(rest as DesiredAccount, { account: { [field]: 'Tromsø' } }))).toEqual([]);
  });

  it('account stateOrProvince, when declared, is compared and written', () => {
    const p = plan({ ...base, stateOrProvince: 'ON' });
    expect(todo(p).map((c) => [c.address, c.before, c.after])).toEqual([['account.acme', { stateOrProvince: null }, { stateOrProvince: 'ON' }]]);
  });

  it('account tags: only declared tag ids are compared; others and the identity tag stay', () => {
    const p = plan({ ...base, tags: { tier: 'silver' } }, { account: { tags: { tier: 'gold', owner: 'sales' } } });
    expect(todo(p).map((c) => [c.address, c.before, c.after])).toEqual([['account.acme', { tags: { tier: 'gold' } }, { tags: { tier: 'silver' } }]]);
  });

  it('support contacts: adds declared e-mails, removes undeclared support contacts, leaves other contact types', () => {
    const p = plan({ ...base, supportContacts: ['help@acme.example', 'OPS@acme.example'] }, { contacts: [contact('A1', 'help@acme.example'), contact('A1', 'old@acme.example'), contact('A1', 'billing@acme.example', 'BILLING')] });
    expect(todo(p).map((c) => [c.action, c.address, c.kind, c.id])).toEqual([
      ['create', 'account.acme.contact["ops@acme.example"]', 'contact', { accountId: 'A1' }],
      ['delete', 'account.acme.contact["old@acme.example"]', 'contact', { accountId: 'A1', contactId: 'c-old@acme.example' }],
    ]);
  });

  it('support contacts left out of the declaration are not managed', () => {
    const { supportContacts: _s, ...rest } = base;
    expect(todo(plan(rest, { contacts: [contact('A1', 'someone@acme.example')] }))).toEqual([]);
  });

  it("support contacts that are not e-mails stop the plan with the console's message", () => {
    const p = plan({ ...base, supportContacts: ['help@acme.example', 'Nobody Known'] });
    expect(p.problems.map((x) => [x.code, x.message])).toEqual([
      ['contact_unresolved', `account "acme": support contact "Nobody Known": Last entered text doesn't match with partner user nor is it a valid email address; write an e-mail address or the exact name of a user of the partner's account`],
    ]);
  });

  const userCases: [keyof DesiredUser, JsonValue, JsonValue, string, JsonValue, JsonValue][] = [
    ['firstName', 'alice', 'Alicia', 'firstName', 'alice', 'Alicia'],
    ['lastName', 'l', 'Liddell', 'lastName', 'l', 'Liddell'],
    ['name', 'alice l', 'Alice Liddell', 'name', 'alice l', 'Alice Liddell'],
    ['role', 'User', 'Account Admin', 'role', 'User', 'Account Admin'],
    ['country', 'CA', 'US', 'country', 'CA', 'US'],
  ];
  it.each(userCases)('user %s: %j -> %j', (field, _from, to, wire, before, after) => {
    const changed = { ...alice, [field]: to };
    const p = plan({ ...base, users: { policy: 'additive', items: [changed] } });
    expect(todo(p).map((c) => [c.action, c.address, c.before, c.after])).toEqual([
      ['update', 'account.acme.user["alice.l@acme.example"]', { [wire]: before }, { [wire]: after }],
    ]);
  });

  it('matches users by e-mail case-insensitively', () => {
    expect(todo(plan(base, { user: { email: 'Alice.L@ACME.example' } }))).toEqual([]);
  });

  it('leaves the live country alone when the declaration does not set one', () => {
    const noCountry = desiredUser('alice.l@acme.example');
    expect(todo(plan({ ...base, users: { policy: 'additive', items: [noCountry] } }, { users: [liveUser('A1', { ...noCountry, country: 'DE' })] }))).toEqual([]);
  });
});

describe('matching and policies', () => {
  it.each([{ accountId: 'A1' }, { accountNumber: '91' }])('adopts an account by %j and says so; adoption needs no identity tag', (adopt) => {
    const adopted = { ...base, key: 'legacy', adopt };
    const live = { account: liveAccount(base, 'A1', { identityKey: undefined }), contacts: [contact('A1', 'help@acme.example')], integrations: [integration()], users: [liveUser('A1', alice)] };
    const p = diffTenancy(tenancy(adopted), snapshot([live], [assigned]), { now: NOW });
    expect(todo(p)).toEqual([]);
    expect(p.changes.find((c) => c.address === 'account.legacy')?.reason).toBe('adopted account A1');
  });

  it('matches by exact name when no tag exists, and adds the tag', () => {
    const live = { account: liveAccount(base, 'A1', { identityKey: undefined }), contacts: [contact('A1', 'help@acme.example')], integrations: [integration()], users: [liveUser('A1', alice)] };
    const p = diffTenancy(tenancy(base), snapshot([live], [assigned]), { now: NOW });
    expect(todo(p).map((c) => [c.address, c.before, c.after])).toEqual([['account.acme', { identityKey: null }, { identityKey: 'acme' }]]);
    expect(todo(p)[0]?.reason).toContain('matched by exact name "Acme Corp"');
  });

  it.each([
    ['additive', []],
    ['authoritative', ['delete account.acme.integration.cloudlink-chat']],
  ] as const)('undeclared integrations under %s users policy', (policy, expected) => {
    const p = plan({ ...base, users: { policy, items: [alice] } }, { integrations: [integration(), integration('cloudlink-chat')] });
    expect(todo(p).map((c) => `${c.action} ${c.address}`)).toEqual(expected);
  });

  it('adds a declared integration that is missing, and refuses one not in the catalogue', () => {
    expect(todo(plan({ ...base, integrations: ['miteam-meetings', 'cloudlink-chat'] })).map((c) => `${c.action} ${c.address}`)).toEqual(['create account.acme.integration.cloudlink-chat']);
    expect(plan({ ...base, integrations: ['fax-machine'] }).problems.map((p) => p.code)).toEqual(['unknown_integration']);
  });

  it.each([
    ['onCreate', false, ['create account.acme.user["new.n@acme.example"]', 'create account.acme.user["new.n@acme.example"].welcome']],
    ['onEnable', false, ['create account.acme.user["new.n@acme.example"]']],
    ['onEnable', true, ['create account.acme.user["new.n@acme.example"]', 'update account.acme.user["new.n@acme.example"].license.miteam-meetings', 'create account.acme.user["new.n@acme.example"].welcome']],
    ['never', true, ['create account.acme.user["new.n@acme.example"]', 'update account.acme.user["new.n@acme.example"].license.miteam-meetings']],
  ] as const)('welcome e-mail policy %s for a new user with MiTeam %s', (welcomeEmail, miteam, expected) => {
    const p = plan({ ...base, welcomeEmail, users: { policy: 'additive', items: [alice, desiredUser('new.n@acme.example', { miteam })] } });
    expect(todo(p).map((c) => `${c.action} ${c.address}`)).toEqual(expected);
  });

  it('sends the onEnable welcome when MiTeam is switched on for a pending user, after the license', () => {
    const p = plan({ ...base, welcomeEmail: 'onEnable', users: { policy: 'additive', items: [{ ...alice, miteam: true }] } }, { user: { verified: false } });
    expect(todo(p).map((c) => [`${c.action} ${c.address}`, c.dependsOn])).toEqual([
      ['update account.acme.user["alice.l@acme.example"].license.miteam-meetings', []],
      ['create account.acme.user["alice.l@acme.example"].welcome', ['account.acme.user["alice.l@acme.example"].license.miteam-meetings']],
    ]);
  });

  it('allows exactly --max-deletes deletes and refuses one more', () => {
    const strays = [0, 1, 2].map((i) => liveUser('A1', desiredUser(`stray.${i}@acme.example`)));
    const declared = tenancy({ ...base, users: { policy: 'authoritative', items: [alice] } });
    const live = snapshot([{ account: liveAccount(base, 'A1'), contacts: [contact('A1', 'help@acme.example')], integrations: [integration()], users: [liveUser('A1', alice), ...strays] }], [assigned]);
    expect(diffTenancy(declared, live, { now: NOW, maxDeletes: 3 }).problems).toEqual([]);
    const refused = diffTenancy(declared, live, { now: NOW, maxDeletes: 2 }).problems;
    expect(refused.map((p) => [p.code, p.guard])).toEqual([['max_deletes', true]]);
    expect(refused[0]?.message).toContain('re-run with --max-deletes 3');
  });

  it('counts licenses freed by authoritative deletes when checking capacity', () => {
    const holders = [0, 1].map((i) => liveUser('A1', desiredUser(`old.${i}@acme.example`), { miteam: true }));
    const newcomers = [0, 1].map((i) => desiredUser(`new.${i}@acme.example`, { miteam: true }));
    const live = snapshot([{ account: liveAccount(base, 'A1'), integrations: [integration()], users: holders }], [order('TN-1', 2, { assignedAccountId: 'A1' })]);
    const items = newcomers;
    expect(diffTenancy(tenancy({ ...base, users: { policy: 'authoritative', items } }), live, { now: NOW }).problems).toEqual([]);
    const additive = diffTenancy(tenancy({ ...base, users: { policy: 'additive', items } }), live, { now: NOW }).problems;
    expect(additive.map((p) => p.message)).toEqual([
      'account "acme" would have 4 MiTeam users but its assigned, unexpired orders provide 2 licenses (short by 2); assign another order or turn MiTeam off for 2 users',
    ]);
  });
});
