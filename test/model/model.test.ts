import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { tenancyDocumentSchema } from '../../provider/model/schema.js';
import { normalizeAccount, BUILTIN_DEFAULTS } from '../../provider/model/normalize.js';
import { isValidEmail } from '../../provider/model/email.js';
import { tenancyJsonSchemaText } from '../../provider/model/json-schema.js';
import { loadTenancy } from '../../provider/load/index.js';
import { runCli } from '../../provider/cli/run.js';
import { captureIo } from '../helpers/io.js';

const base = { apiVersion: 'tenancy.cloudlink/v1', kind: 'Tenancy', partner: { id: 'p-1' } };
const account = { key: 'acme', name: 'Acme', country: 'CA', language: 'en-US' };

describe('tenancy schema', () => {
  it.each([
    ['minimal account', { ...base, accounts: [account] }, true],
    ['account with every field', { ...base, accounts: [{ ...account, address: 'a', city: 'c', postalCode: 'p', supportContacts: ['s@x.example'], tags: { t: 'v' }, adopt: { accountId: 'x' }, protect: true, integrations: ['miteam-meetings'], orders: [{ sapOrderId: 'S' }], users: { policy: 'authoritative', items: [{ email: 'a@x.example', firstName: 'A', lastName: 'B', role: 'Account Admin', miteam: true, country: 'CA', name: 'AB' }], fromCsv: 'u.csv' }, welcomeEmail: 'never' }] }, true],
    ['language with script', { ...base, accounts: [{ ...account, language: 'zh-Hant-TW' }] }, true],
    ['language only', { ...base, accounts: [{ ...account, language: 'fr' }] }, true],
    ['lower-case country', { ...base, accounts: [{ ...account, country: 'ca' }] }, false],
    ['unknown country', { ...base, accounts: [{ ...account, country: 'XX' }] }, false],
    ['key with capitals', { ...base, accounts: [{ ...account, key: 'Acme' }] }, false],
    ['order with two selectors', { ...base, accounts: [{ ...account, orders: [{ trackingNumber: 'a', customerPo: 'b' }] }] }, false],
    ['role spelled differently', { ...base, accounts: [{ ...account, users: { items: [{ email: 'a@x.example', firstName: 'A', lastName: 'B', role: 'admin' }] } }] }, false],
  ])('%s', (_name, doc, ok) => {
    expect(tenancyDocumentSchema.safeParse(doc).success).toBe(ok);
  });
});

describe('normalisation', () => {
  it.each([
    ['lower-cases and trims e-mails', { email: '  Alice@ACME.example ' }, { email: 'alice@acme.example' }],
    ['defaults name to first last', {}, { name: 'Alice Liddell' }],
    ['keeps an explicit name', { name: 'Ali L.' }, { name: 'Ali L.' }],
    ['defaults role and MiTeam', {}, { role: 'User', miteam: false }],
  ])('%s', (_name, over, expected) => {
    const doc = tenancyDocumentSchema.parse({ ...base, accounts: [{ ...account, users: { items: [{ email: 'alice@acme.example', firstName: 'Alice', lastName: 'Liddell', ...over }] } }] });
    const a = normalizeAccount(doc.accounts?.[0] ?? (account as never), BUILTIN_DEFAULTS);
    expect(a.users.items[0]).toMatchObject(expected);
  });

  it('applies the tenancy defaults unless the account overrides them', () => {
    const doc = tenancyDocumentSchema.parse({ ...base, accounts: [account, { ...account, key: 'b', welcomeEmail: 'never', users: { policy: 'authoritative' } }] });
    const defaults = { usersPolicy: 'additive' as const, welcomeEmail: 'onCreate' as const, accountCreation: 'console' as const };
    const [a, b] = (doc.accounts ?? []).map((x) => normalizeAccount(x, defaults));
    expect([a?.users.policy, a?.welcomeEmail, b?.users.policy, b?.welcomeEmail]).toEqual(['additive', 'onCreate', 'authoritative', 'never']);
  });

  it.each([
    ['a@b.example', true],
    ['first.last+tag@sub.domain.example', true],
    ['no-at.example', false],
    ['a@b', false],
    ['a b@c.example', false],
    ['a@@b.example', false],
    ['.a@b.example', false],
    ['a..b@c.example', false],
  ])('e-mail %s valid: %s', (email, ok) => {
    expect(isValidEmail(email)).toBe(ok);
  });
});

describe('examples and schema', () => {
  it('loads examples/yaml: 3 accounts and 20 users, CSV users included', async () => {
    const r = await loadTenancy(['examples/yaml']);
    expect(r.diagnostics).toEqual([]);
    expect(r.tenancy?.accounts.map((a) => [a.key, a.users.items.length])).toEqual([
      ['acme', 7],
      ['globex', 7],
      ['initech', 6],
    ]);
    expect(r.tenancy?.accounts[0]?.users.items.find((u) => u.email === 'grace.hopper@acme.example')).toMatchObject({ name: 'Hopper, Grace', role: 'Account Admin' });
  });

  it('validate passes on the examples', async () => {
    const io = captureIo();
    expect(await runCli(['validate', 'examples/yaml'], io)).toBe(0);
    expect(io.out()).toBe('Valid: 3 accounts, 20 users (partner p-1234).\n');
  });

  it('validate fails with file:line:col and exit 1', async () => {
    const io = captureIo({ cwd: 'test/load' });
    expect(await runCli(['validate', 'bad/06-country-name.yaml'], io)).toBe(1);
    expect(io.err()).toContain('bad/06-country-name.yaml:7:14: accounts[0].country');
  });

  it('the checked-in JSON Schema is up to date (run "npm run build && npm run schema" when this fails)', async () => {
    expect(await readFile('schemas/tenancy.schema.json', 'utf8')).toBe(tenancyJsonSchemaText());
  });

  it('every example file points editors at the schema', async () => {
    for (const f of ['examples/yaml/tenancy.yaml', 'examples/yaml/accounts/acme.yaml', 'examples/yaml/accounts/globex.yaml', 'examples/yaml/accounts/initech.yaml']) {
      expect((await readFile(f, 'utf8')).split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=(\.\.\/)+schemas\/tenancy\.schema\.json$/);
    }
  });
});
