import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../provider/cli/run.js';
import { DEMO_CREDENTIALS } from '../../provider/sandbox/index.js';
import { captureIo } from '../helpers/io.js';
import { sandboxPerTest } from '../helpers/sandbox.js';

const EXAMPLES = path.resolve('examples/yaml');

const setup = sandboxPerTest();

const NEW_ACCOUNT = `apiVersion: tenancy.cloudlink/v1
kind: Tenancy
partner: { id: p-1234 }
accounts:
  - key: umbrella
    name: Umbrella Health
    country: GB
    address: 1 Raccoon Rd
    city: Leeds
    postalCode: LS1 1AA
    language: en-GB
    supportContacts: [support@northwind.example]
    integrations: [miteam-meetings]
    orders: [ { trackingNumber: TN-1005 } ]
    users:
      items:
        - { email: alice@umbrella.example, firstName: Alice, lastName: Abernathy, miteam: true }
`;

describe('who the credentials belong to', () => {
  it("refuses a declaration of another partner before any other call, naming both partner ids", async () => {
    const { sandbox, env } = await setup();
    sandbox.resetRequestCounts();
    const other = { ...env, CLOUDLINK_USERNAME: DEMO_CREDENTIALS.otherPartner.username, CLOUDLINK_PASSWORD: DEMO_CREDENTIALS.otherPartner.password };
    for (const command of ['plan', 'apply', 'drift']) {
      const io = captureIo({ env: other });
      const args = command === 'apply' ? [command, EXAMPLES, '--auto-approve'] : [command, EXAMPLES];
      expect([command, await runCli(args, io)]).toEqual([command, 1]);
      expect(io.err()).toContain('the credentials belong to partner p-9999');
      expect(io.err()).toContain('partner.id "p-1234"');
    }
    // Per command: the login and the claims, nothing else.
    expect(sandbox.requestCounts()).toEqual({ 'POST /auth/2017-09-01/token': 3, 'GET /auth/2017-09-01/token': 3 });
  });

  it('whoami prints the claims without any secret', async () => {
    const { cli } = await setup();
    const r = await cli('whoami');
    expect(r.code).toBe(0);
    expect(r.out).toContain('partner id    p-1234');
    expect(r.out).toContain('partner: { id: p-1234 }');
    expect(r.out).not.toContain(DEMO_CREDENTIALS.password);
    const json = JSON.parse((await cli('whoami', '--format', 'json')).out) as { partnerId: string; accountId: string };
    expect(json.partnerId).toBe('p-1234');
  });
});

describe('accountCreation: console (the default, as Mitel recommends)', () => {
  it('plans the account for the console, holds its other changes, then adopts it by exact name and tags it', async () => {
    const { cli, sandbox } = await setup();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'console-'));
    await writeFile(path.join(dir, 'tenancy.yaml'), NEW_ACCOUNT);
    const plan = await cli('plan', dir);
    expect(plan.code).toBe(2);
    expect(plan.out).toContain('+ account.umbrella  # create in the Accounts Console');
    for (const line of ['Customer Name: Umbrella Health', 'Country: GB', 'Address: 1 Raccoon Rd', 'City/Town: Leeds', 'Postal/Zip Code: LS1 1AA', 'Default Language: en-GB']) expect(plan.out).toContain(line);
    // The waiting changes are shown under the account, not counted as planned changes.
    expect(plan.out).toContain('once the account exists: 1 support contact, 1 integration, 1 user, 1 licence, 1 welcome e-mail, order "TN-1005"');
    expect(plan.out).toContain('Plan: 1 to create, 0 to update, 0 to delete.');

    sandbox.resetRequestCounts();
    const apply = await cli('apply', dir, '--auto-approve');
    expect(apply.code).toBe(4);
    expect(apply.out).toContain('waiting for the Accounts Console: account.umbrella');
    expect(apply.out).toContain('1 waiting for the Accounts Console');
    expect(sandbox.requestCounts()['POST /admin/2017-09-01/accounts']).toBeUndefined();
    expect(sandbox.store.accountByName('Umbrella Health')).toBeUndefined();

    // A person creates it in the console (no tag, only the fields).
    sandbox.store.createAccount('p-1234', { name: 'Umbrella Health', languageCode: 'en-GB', location: { address: { street: '1 Raccoon Rd', city: 'Leeds', zipCode: 'LS1 1AA', country: 'GB' } } });
    const next = await cli('plan', dir);
    expect(next.code).toBe(2);
    expect(next.out).toContain('matched by exact name "Umbrella Health"');
    expect(next.out).toMatch(/identityKey: null -> "umbrella"/);
    expect(next.out).toContain('+ account.umbrella.user["alice@umbrella.example"]');
    expect((await cli('apply', dir, '--auto-approve')).code).toBe(0);
    const after = await cli('plan', dir);
    expect(after.out).toContain('No changes.');
    expect(sandbox.store.accountByName('Umbrella Health')?.tags?.['cloudlink-tenancy']).toEqual({ key: 'umbrella' });
  });

  it('with accountCreation: api, creates the account through POST /accounts', async () => {
    const { cli, sandbox } = await setup();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'api-'));
    await writeFile(path.join(dir, 'tenancy.yaml'), NEW_ACCOUNT.replace('partner: { id: p-1234 }', 'partner: { id: p-1234 }\ndefaults: { accountCreation: api }'));
    sandbox.resetRequestCounts();
    expect((await cli('apply', dir, '--auto-approve')).code).toBe(0);
    expect(sandbox.requestCounts()['POST /admin/2017-09-01/accounts']).toBe(1);
    expect((await cli('plan', dir)).out).toContain('No changes.');
  });
});

describe('support contacts as the console takes them', () => {
  it('resolves a name through the partner account\'s users, and stops the plan on text that is neither', async () => {
    const { cli, sandbox } = await setup();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'contacts-'));
    const withContacts = (entries: string) => NEW_ACCOUNT.replace('partner: { id: p-1234 }', 'partner: { id: p-1234 }\ndefaults: { accountCreation: api }').replace('supportContacts: [support@northwind.example]', `supportContacts: [${entries}]`);
    await writeFile(path.join(dir, 'tenancy.yaml'), withContacts('Jane Partner, help@umbrella.example'));
    const plan = await cli('plan', dir);
    expect(plan.code).toBe(2);
    expect(plan.out).toContain('declared support contact "Jane Partner" (a partner user) missing');
    expect((await cli('apply', dir, '--auto-approve')).code).toBe(0);
    const account = sandbox.store.accountByName('Umbrella Health');
    const contacts = sandbox.store.contacts(account?.accountId ?? '').map((c) => [c.email, c.contactType]);
    expect(contacts.sort()).toEqual([['help@umbrella.example', 'SUPPORT'], ['jane.partner@northwind.example', 'SUPPORT']].sort());
    expect((await cli('plan', dir)).out).toContain('No changes.');

    await writeFile(path.join(dir, 'tenancy.yaml'), withContacts('Nobody Known'));
    const bad = await cli('plan', dir);
    expect(bad.code).toBe(1);
    // At the entry itself: line 13 (supportContacts), the column of "Nobody Known" in the flow list.
    expect(bad.out).toMatch(/Error: .*tenancy\.yaml:13:23: account "umbrella": support contact "Nobody Known": Last entered text doesn't match with partner user nor is it a valid email address/);
  });
});
