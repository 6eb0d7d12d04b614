/** Counts read as English: "1 account", "1 finding", "1 change"; and a missing CSV is called missing. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../provider/cli/run.js';
import { captureIo } from '../helpers/io.js';
import { sandboxPerTest } from '../helpers/sandbox.js';

const EXAMPLES = path.resolve('examples/yaml');
const setup = sandboxPerTest();

const ONE = `apiVersion: tenancy.cloudlink/v1
kind: Tenancy
partner: { id: p-1234 }
defaults: { accountCreation: api }
accounts:
  - key: solo
    name: Solo Ltd
    country: GB
    language: en-GB
    users:
      items:
        - { email: one@solo.example, firstName: One, lastName: Only }
`;

describe('words', () => {
  it('validate says "1 account, 1 user"', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'words-'));
    await writeFile(path.join(dir, 'tenancy.yaml'), ONE);
    const io = captureIo();
    expect(await runCli(['validate', dir], io)).toBe(0);
    expect(io.out()).toBe('Valid: 1 account, 1 user (partner p-1234).\n');
  });

  it('a drifted account with one difference has "1 finding" in Markdown and HTML', async () => {
    const { cli, sandbox } = await setup();
    expect((await cli('apply', EXAMPLES, '--auto-approve')).code).toBe(0);
    const acme = sandbox.state().accounts.find((a) => a.name === 'Acme Corp');
    sandbox.store.updateAccount(acme?.accountId ?? '', { languageCode: 'fr-CA' });
    const md = await cli('drift', EXAMPLES, '--account', 'acme', '--format', 'markdown');
    expect(md.code).toBe(2);
    expect(md.out).toContain('<code>acme</code>: 1 finding</summary>');
    const html = await cli('drift', EXAMPLES, '--account', 'acme', '--format', 'html');
    expect(html.out).toContain('<summary>1 finding</summary>');
    const plan = await cli('plan', EXAMPLES, '--account', 'acme', '--format', 'markdown');
    expect(plan.out).toContain('<code>acme</code>: 1 change</summary>');
  });

  it('csv-to-yaml of a missing file says it is missing, relative to the current folder', async () => {
    const io = captureIo({ cwd: os.tmpdir() });
    expect(await runCli(['csv-to-yaml', 'missing.csv'], io)).toBe(1);
    expect(io.err()).toContain('missing.csv: the file does not exist');
    expect(io.err()).toContain('relative to the current folder');
    expect(io.err()).not.toContain('relative to the YAML file');
  });
});
