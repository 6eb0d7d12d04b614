import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderAccountYaml } from '../../provider/import/render.js';
import { DEMO_INITECH_ID } from '../../provider/sandbox/index.js';
import { sandboxPerTest } from '../helpers/sandbox.js';


const setup = sandboxPerTest();

describe('import', () => {
  it('round-trips the demo tenant: a plan of the imported YAML is empty', async () => {
    const { cli } = await setup();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'import-'));
    const r = await cli('import', '--account', DEMO_INITECH_ID, '--out', dir);
    expect(r.code).toBe(0);
    expect(await readdir(dir)).toEqual(['initech.yaml']);
    const text = await readFile(path.join(dir, 'initech.yaml'), 'utf8');
    expect(text).toContain(`# Imported from CloudLink account ${DEMO_INITECH_ID} ("Initech")`);
    expect(text).toContain(`adopt: { accountId: ${DEMO_INITECH_ID} }`);
    expect(text).toContain('- { trackingNumber: TN-1003 }');
    expect(text).toContain('{ email: peter.gibbons@initech.example, firstName: Peter, lastName: Gibbons, role: Account Admin, miteam: true }');
    expect((await cli('validate', dir)).code).toBe(0);
    const plan = await cli('plan', dir);
    expect(plan.out).toContain('No changes.');
    expect(plan.code).toBe(0);
  });

  it('round-trips a protected account: the identity tag\'s protect: true is imported', async () => {
    const { cli, sandbox } = await setup();
    sandbox.store.setAccountTag(DEMO_INITECH_ID, 'cloudlink-tenancy', { key: 'initech', protect: true });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'import-'));
    expect((await cli('import', '--account', DEMO_INITECH_ID, '--out', dir)).code).toBe(0);
    expect(await readFile(path.join(dir, 'initech.yaml'), 'utf8')).toContain('protect: true');
    const plan = await cli('plan', dir);
    expect(plan.out).toContain('No changes.');
    expect(plan.code).toBe(0);
  });

  it('takes the account number the Accounts Console shows as well as the accountId, and says "1 account"', async () => {
    const { cli } = await setup();
    const byNumber = await cli('import', '--account', '100002');
    expect(byNumber.code).toBe(0);
    expect(byNumber.out).toContain(`adopt: { accountId: ${DEMO_INITECH_ID} }`);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'import-number-'));
    const both = await cli('import', '--account', '100002', '--account', DEMO_INITECH_ID, '--out', dir);
    expect(both.out).toContain('Imported 1 account (3 users) into');
    const unknown = await cli('import', '--account', '999999');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('account 999999 was not found: no account visible to these credentials has this accountId or account number');
  });

  it('round-trips a generated tenant of 2,000 users', async () => {
    const { cli, sandbox } = await setup();
    const id = 'd'.repeat(32);
    sandbox.seed({
      accounts: [
        {
          accountId: id,
          partnerId: 'p-1234',
          name: 'Großhandel Müller & Söhne',
          languageCode: 'de-DE',
          location: { address: { street: 'Hauptstraße 1', city: 'München', stateOrProvince: 'BY', zipCode: '80331', country: 'DE' } },
          supportContacts: ['support@northwind.example'],
          tags: { tier: 'silver', region: 'emea' },
          integrations: ['miteam-meetings', 'cloudlink-chat'],
          users: Array.from({ length: 2000 }, (_, i) => ({
            email: `User${i}@Mueller.example`,
            firstName: `Vorname${i}`,
            lastName: i % 7 === 0 ? "O'Brien: Jr." : `Nachname${i}`,
            ...(i % 5 === 0 ? { name: `Display #${i}` } : {}),
            ...(i % 3 === 0 ? { country: 'AT' } : {}),
            role: i % 50 === 0 ? ('ACCOUNT_ADMIN' as const) : ('USER' as const),
            verified: i % 2 === 0,
            miteam: i % 4 === 0,
          })),
        },
      ],
      orders: [{ partnerId: 'p-1234', trackingNumber: 'TN-9000', quantity: 600, accountId: id, expiresInDays: 100 }],
    });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'import-big-'));
    expect((await cli('import', '--all', '--out', dir)).code).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(['grosshandel-muller-sohne.yaml', 'initech.yaml']);
    const plan = await cli('plan', dir);
    expect(plan.err).toBe('');
    expect(plan.out).toContain('No changes.');
    expect(plan.code).toBe(0);
  });

  it('renders stable YAML (golden)', () => {
    const t = '2026-01-01T00:00:00.000Z';
    const text = renderAccountYaml(
      {
        key: 'acme',
        account: { accountId: 'a1', name: 'Acme', partnerId: 'p-1', country: 'CA', address: '1 Main', city: 'Ottawa', postalCode: 'K1A', language: 'en-US', identityKey: 'acme', tags: { tier: 'gold' }, createdOn: t, modifiedOn: t },
        contacts: [{ contactId: 'c1', accountId: 'a1', email: 'Help@acme.example', type: 'SUPPORT' }, { contactId: 'c2', accountId: 'a1', email: 'billing@acme.example', type: 'BILLING' }],
        integrations: [{ integrationId: 'i', type: 'miteam-meetings' }],
        users: [
          { userId: 'u2', accountId: 'a1', name: 'Zed Z', firstName: 'Zed', lastName: 'Z', email: 'zed@acme.example', role: 'User', verified: true, createdOn: t, modifiedOn: t },
          { userId: 'u1', accountId: 'a1', name: 'Al', firstName: 'Al', lastName: 'A', email: 'Al@acme.example', country: 'CA', role: 'Account Admin', verified: true, createdOn: t, modifiedOn: t },
        ],
        licenses: [{ licenseId: 'l1', accountId: 'a1', userId: 'u1', product: 'miteam-meetings', assignedOn: t }],
        orders: [],
      },
      { partnerId: 'p-1', importedAt: new Date(t), schemaPath: '../schemas/tenancy.schema.json' },
    );
    expect(text).toBe(`# yaml-language-server: $schema=../schemas/tenancy.schema.json
# Imported from CloudLink account a1 ("Acme") on 2026-01-01.
# welcomeEmail is "never" so adopting these users sends no mail; change it when you want the policy to apply.

apiVersion: tenancy.cloudlink/v1
kind: Tenancy
partner:
  id: p-1
accounts:
  - key: acme
    name: Acme
    adopt: { accountId: a1 }
    country: CA
    address: 1 Main
    city: Ottawa
    postalCode: K1A
    language: en-US
    supportContacts:
      - help@acme.example
    tags: { tier: gold }
    integrations:
      - miteam-meetings
    orders: []
    welcomeEmail: never
    users:
      policy: additive
      items:
        - { email: al@acme.example, firstName: Al, lastName: A, name: Al, country: CA, role: Account Admin, miteam: true }
        - { email: zed@acme.example, firstName: Zed, lastName: Z, role: User, miteam: false }
`);
  });
});

describe('users one-off operations', () => {
  it('sends welcome e-mails once, re-sends only with --force, and resets passwords', async () => {
    const { cli, sandbox } = await setup();
    const examples = path.resolve('examples/yaml');
    const r = await cli('users', 'send-welcome', examples, '--account', 'initech', '--email', 'Michael.Bolton@initech.example', '--email', 'peter.gibbons@initech.example');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^sent welcome e-mail to michael\.bolton@initech\.example \(\w+\)\nskipped peter\.gibbons@initech\.example .*--force sends .*\n$/);
    expect(sandbox.state().outbox.map((m) => `${m.type} ${m.to}`)).toEqual(['welcome michael.bolton@initech.example']);
    expect((await cli('users', 'send-welcome', '--account-id', DEMO_INITECH_ID, '--email', 'peter.gibbons@initech.example', '--force')).code).toBe(0);
    expect((await cli('users', 'reset-password', '--account-id', DEMO_INITECH_ID, '--all-pending')).out).toMatch(/^sent password-reset e-mail to michael\.bolton@initech\.example/);
    expect(sandbox.state().outbox.map((m) => `${m.type} ${m.to}`)).toEqual(['welcome michael.bolton@initech.example', 'welcome peter.gibbons@initech.example', 'password-reset michael.bolton@initech.example']);
    const unknown = await cli('users', 'reset-password', '--account-id', DEMO_INITECH_ID, '--email', 'nobody@initech.example');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no user nobody@initech.example');
  });
});
