/** Binding is one-to-one, tagged accounts are never taken by name, and protection lives on the live account (pure). */
import { describe, expect, it } from 'vitest';
import { diffTenancy } from '../../provider/engine/plan/diff.js';
import { bindAccounts } from '../../provider/engine/plan/bind.js';
import { checkProtected } from '../../provider/engine/plan/guards.js';
import { destroyOnly } from '../../provider/engine/select.js';
import type { DesiredAccount, Tenancy } from '../../provider/model/types.js';
import type { Plan } from '../../provider/engine/types.js';
import { desiredAccount, integration, liveAccount, liveUser, desiredUser, NOW, snapshot, tenancy } from '../helpers/build.js';

const at = (file: string, line: number) => ({ file, line, column: 5 });
const initech = desiredAccount('initech', { name: 'Initech', adopt: { accountId: 'I1' }, protect: true, source: at('accounts/initech.yaml', 5) });
const copy = desiredAccount('initech-copy', { name: 'Initech', source: at('accounts/zz-copy.yaml', 3) });
const todo = (p: Plan) => p.changes.filter((c) => c.action !== 'noop');
const users = (id: string, n: number) => Array.from({ length: n }, (_, i) => liveUser(id, desiredUser(`u${i}.x@x.example`)));
/** The live Initech: untagged (adopted by id) unless `over` says otherwise. */
const liveInitech = (over = {}) => ({ account: liveAccount(initech, 'I1', { identityKey: undefined, ...over }), integrations: [integration()], users: users('I1', 6) });
const withUnselected = (t: Tenancy, unselected: DesiredAccount[]): Tenancy => ({ ...t, unselected });

describe('binding is one-to-one', () => {
  it('two declared accounts reaching one live account (adopt and name) are both errors naming both file:line', () => {
    const p = diffTenancy(tenancy(initech, copy), snapshot([liveInitech()]), { now: NOW });
    expect(p.problems.map((x) => [x.code, x.accountKey])).toEqual([
      ['account_bound_twice', 'initech'],
      ['account_bound_twice', 'initech-copy'],
    ]);
    expect(p.problems[1]?.message).toContain('live account I1 is bound by 2 declared accounts: "initech" (accounts/initech.yaml:5:5, by adopt) and "initech-copy" (accounts/zz-copy.yaml:3:5, by name)');
    expect(todo(p)).toEqual([]);
  });

  it('holds when only one of the two is selected (--destroy-account of the copy): no delete of the adopted, protected account', () => {
    const t = withUnselected(destroyOnly(tenancy(initech, copy), ['initech-copy']), [initech]);
    const p = diffTenancy(t, snapshot([liveInitech()]), { now: NOW, destroyAccounts: ['initech-copy'] });
    expect(todo(p)).toEqual([]);
    expect(p.problems.map((x) => [x.code, x.guard])).toEqual([['destroy_refused', true]]);
    expect(p.problems[0]?.message).toContain('an account another declaration manages is not deleted');
  });

  it('a previous key that another declared account still has as its key: both bind the same account, an error', () => {
    const acme = desiredAccount('acme', { name: 'Acme' });
    const twin = desiredAccount('acme-two', { name: 'Acme Two', previousKeys: ['acme'] });
    const live = { account: liveAccount(acme, 'A1'), integrations: [integration()], users: [] };
    const p = diffTenancy(tenancy(acme, twin), snapshot([live]), { now: NOW });
    expect(p.problems.map((x) => x.code)).toEqual(['account_bound_twice', 'account_bound_twice']);
    expect(p.problems[0]?.message).toContain('"acme" (code, by its tag) and "acme-two" (code, by a previous key)');
  });
});

describe('an account tagged with another key is never taken over by name', () => {
  const globex = desiredAccount('globex', { name: 'Globex' });
  const newcomer = desiredAccount('globex-new', { name: 'Globex' });
  const liveGlobex = liveAccount(globex, 'G1');

  it('a partial run (the tagged key is not among the files given) gets an error, not a takeover', () => {
    const bindings = bindAccounts([newcomer], [liveGlobex], 'p-1', new Set(['globex-new']));
    expect(bindings[0]?.kind).toBe('problem');
    expect(bindings[0]?.kind === 'problem' && bindings[0].problem.message).toContain('is tagged with another key, so it is not taken over by name; if it is this account, add previousKeys: [globex]');
  });

  it('previousKeys or adopt take it over explicitly', () => {
    expect(bindAccounts([{ ...newcomer, previousKeys: ['globex'] }], [liveGlobex], 'p-1', new Set(['globex-new', 'globex']))[0]).toMatchObject({ kind: 'matched', accountId: 'G1', rule: 'previous-key' });
    expect(bindAccounts([{ ...newcomer, adopt: { accountId: 'G1' } }], [liveGlobex], 'p-1', new Set(['globex-new']))[0]).toMatchObject({ kind: 'matched', accountId: 'G1', rule: 'adopt' });
  });
});

describe('binding by name ignores case and spaces, among untagged accounts only', () => {
  const hooli = desiredAccount('hooli', { name: 'Hooli Inc', accountCreation: 'console' });

  it.each(['Hooli Inc ', 'hooli inc', '  HOOLI   Inc'])('declared "Hooli Inc" binds the one untagged live %j, tags it and says how it matched', (name) => {
    const live = { account: liveAccount(hooli, 'H1', { name, identityKey: undefined }), integrations: [integration()], users: [] };
    const p = diffTenancy(tenancy(hooli), snapshot([live]), { now: NOW });
    expect(p.problems).toEqual([]);
    const account = p.changes.find((c) => c.address === 'account.hooli');
    expect(account?.action).toBe('update');
    expect(account?.after).toMatchObject({ name: 'Hooli Inc', identityKey: 'hooli' });
    expect(account?.reason).toContain(`matched by name: live ${JSON.stringify(name)} is "Hooli Inc" ignoring case and spaces`);
  });

  it('two loose matches are an error naming both with their account numbers', () => {
    const a = { account: liveAccount(hooli, 'H1', { name: 'hooli inc', identityKey: undefined }), integrations: [], users: [] };
    const b = { account: liveAccount(hooli, 'H2', { name: 'Hooli Inc ', identityKey: undefined }), integrations: [], users: [] };
    const p = diffTenancy(tenancy(hooli), snapshot([a, b]), { now: NOW });
    expect(p.problems.map((x) => x.code)).toEqual(['account_ambiguous']);
    expect(p.problems[0]?.message).toMatch(/H1 \(account number 91\) "hooli inc", H2 \(account number 92\) "Hooli Inc "; add adopt: \{ accountNumber: "91" \}/);
  });

  it('none matching: the console create lists the near matches with the account number to put in adopt', () => {
    const near = { account: liveAccount(hooli, 'H7', { name: 'Hooli, Inc.', identityKey: undefined }), integrations: [], users: [] };
    const far = { account: liveAccount(hooli, 'X9', { name: 'Globex', identityKey: undefined }), integrations: [], users: [] };
    const p = diffTenancy(tenancy(hooli), snapshot([near, far]), { now: NOW });
    const create = todo(p)[0];
    expect(create).toMatchObject({ action: 'create', manual: 'console' });
    expect(create?.reason).toContain('live accounts with a similar name: account number 97 "Hooli, Inc."; if it is this account, add adopt: { accountNumber: "97" }');
    expect(create?.reason).not.toContain('Globex');
  });
});

describe('protection lives on the live account', () => {
  it('protect: true is written into the identity tag (an adopted account too), and a rename keeps it', () => {
    const p = diffTenancy(tenancy(initech), snapshot([liveInitech()]), { now: NOW });
    const c = p.changes.find((x) => x.address === 'account.initech');
    expect(c).toMatchObject({ action: 'update', before: { protect: false }, after: { protect: true }, protect: true });
    const acme = desiredAccount('acme-corp', { name: 'Acme', protect: true, previousKeys: ['acme'] });
    const live = { account: liveAccount(acme, 'A1', { identityKey: 'acme', protected: true }), integrations: [integration()], users: [] };
    const renamed = diffTenancy(tenancy(acme), snapshot([live]), { now: NOW }).changes[0];
    expect(renamed).toMatchObject({ action: 'update', after: { identityKey: 'acme-corp' }, protect: true });
    expect(renamed?.after).not.toHaveProperty('protect');
  });

  it('an unprotected, adopted account gets no identity tag (import round trip stays empty)', () => {
    const plain = { ...initech, protect: false };
    expect(todo(diffTenancy(tenancy(plain), snapshot([liveInitech()]), { now: NOW }))).toEqual([]);
  });

  it('refuses deleting a live account whose tag says protected, whichever declaration or flag asks (exit 3)', () => {
    const orphan = destroyOnly(tenancy(), ['old-initech']);
    const tagged = liveInitech({ identityKey: 'old-initech', protected: true });
    const p = diffTenancy(orphan, snapshot([tagged]), { now: NOW, destroyAccounts: ['old-initech'], maxDeletes: 100 });
    expect(p.problems.map((x) => [x.code, x.guard])).toEqual([['protected_account', true]]);
    expect(p.problems[0]?.message).toContain('is protected (its cloudlink-tenancy tag says protect: true)');
    const unprotecting = { ...initech, protect: false };
    const stillTagged = diffTenancy(tenancy(unprotecting), snapshot([liveInitech({ identityKey: 'initech', protected: true })]), { now: NOW, destroyAccounts: ['initech'], maxDeletes: 100 });
    expect(stillTagged.problems.map((x) => x.code)).toEqual(['protected_account']);
    const applied = diffTenancy(tenancy(unprotecting), snapshot([liveInitech({ identityKey: 'initech' })]), { now: NOW, destroyAccounts: ['initech'], maxDeletes: 100 });
    expect(applied.problems).toEqual([]);
    expect(todo(applied).map((c) => `${c.action} ${c.address}`)).toEqual(['delete account.initech']);
  });

  it('checkProtected looks only at account deletes of protected live accounts (table)', () => {
    const del = { address: 'account.a', accountKey: 'a', kind: 'account' as const, action: 'delete' as const, id: { accountId: 'A1' }, before: null, after: null, reason: '', dependsOn: [], stamp: null };
    const live = [{ accountId: 'A1', name: 'A', protected: true }];
    expect(checkProtected([del], live)).toHaveLength(1);
    expect(checkProtected([{ ...del, action: 'update' }], live)).toEqual([]);
    expect(checkProtected([del], [{ accountId: 'A1', name: 'A' }])).toEqual([]);
    expect(checkProtected([{ ...del, id: { accountId: 'A2' } }], live)).toEqual([]);
  });
});

describe('--destroy-account of a renamed key', () => {
  it('is refused (exit 3) while a declared account lists the key in previousKeys', () => {
    const renamed = desiredAccount('globex-corp', { name: 'Globex', previousKeys: ['globex'], source: at('accounts/globex.yaml', 5) });
    const t = withUnselected(destroyOnly(tenancy(renamed), ['globex']), [renamed]);
    const live = { account: liveAccount(renamed, 'G1', { identityKey: 'globex' }), integrations: [integration()], users: users('G1', 7) };
    const p = diffTenancy(t, snapshot([live]), { now: NOW, destroyAccounts: ['globex'], maxDeletes: 100 });
    expect(todo(p)).toEqual([]);
    expect(p.problems.map((x) => [x.code, x.guard])).toEqual([['destroy_refused', true]]);
    expect(p.problems[0]?.message).toContain('account "globex-corp" (accounts/globex.yaml:5:5) lists "globex" in previousKeys');
  });
});
