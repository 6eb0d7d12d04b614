import { App } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { Tenancy } from '../../provider/cdktf/index.js';

describe('cdktf validation in one pass', () => {
  it('reports cross-account problems of an account that also has field errors', () => {
    const app = new App({ outdir: '/tmp/cdktf-one-pass' });
    const tenancy = new Tenancy(app, 'northwind', { partnerId: 'p-1' });
    const acme = tenancy.addAccount('acme', { name: 'Acme', country: 'Canada', language: 'en-US', integrations: ['MS Teams!'] });
    acme.addUser({ email: 'a@acme.example', firstName: 'Ann', miteam: true });
    expect(acme.node.validate().join('\n')).toMatch(/country: "Canada" is not an ISO 3166/);
    const cross = tenancy.node.validate().join('\n');
    expect(cross).toContain('integration "MS Teams!" is not a well-formed type');
    expect(cross).toContain('enables MiTeam for users but does not declare the miteam-meetings integration');
  });
});

describe('the same e-mail twice in the TypeScript form', () => {
  it('fails validation with the YAML diagnostic, not a constructs id clash', () => {
    const app = new App({ outdir: '/tmp/cdktf-dup-email' });
    const tenancy = new Tenancy(app, 'northwind', { partnerId: 'p-1' });
    const acme = tenancy.addAccount('acme', { name: 'Acme', country: 'CA', language: 'en-US' });
    acme.addUser({ email: 'ann@acme.example', firstName: 'Ann' });
    expect(() => acme.addUser({ email: 'Ann@Acme.example', firstName: 'Ann' })).not.toThrow();
    expect(() => app.synth()).toThrow(/\[northwind\] e-mail ann@acme\.example appears twice in account "acme"/);
  });
});

describe('warnings do not fail synthesis', () => {
  it('the same e-mail in two accounts synthesizes (validate shows the warning)', () => {
    const app = new App({ outdir: '/tmp/cdktf-two-accounts' });
    const tenancy = new Tenancy(app, 'northwind', { partnerId: 'p-1' });
    for (const key of ['acme', 'globex']) tenancy.addAccount(key, { name: key, country: 'CA', language: 'en-US' }).addUser({ email: 'pat@shared.example', firstName: 'Pat' });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('templates in the TypeScript form are read like every input', () => {
  it('a FIFO or /dev/zero given to addUsersFromCsv/addUsersFromXlsx fails validation at once (no hang, no unbounded read)', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtemp } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cdktf-fifo-'));
    execFileSync('mkfifo', [path.join(dir, 'users.csv')]);
    const app = new App({ outdir: path.join(dir, 'out') });
    const tenancy = new Tenancy(app, 'northwind', { partnerId: 'p-1' });
    const acme = tenancy.addAccount('acme', { name: 'Acme', country: 'CA', language: 'en-US' });
    acme.addUsersFromCsv(path.join(dir, 'users.csv'));
    await acme.addUsersFromXlsx('/dev/zero');
    const problems = acme.node.validate().join('\n');
    expect(problems).toMatch(/users\.csv:1: the CSV file is a FIFO \(named pipe\), not a regular file/);
    expect(problems).toMatch(/\/dev\/zero:1: the Excel file is a device, not a regular file/);
  });
});
