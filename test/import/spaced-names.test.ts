/**
 * Import round trip of names with surrounding spaces (a console user can type them): the YAML
 * carries the exact value in quotes, the normaliser keeps it, so the next plan is empty.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxPerTest } from '../helpers/sandbox.js';

const setup = sandboxPerTest();

describe('import of names with surrounding spaces', () => {
  it('writes them quoted and exact; the next plan is empty', async () => {
    const { cli, sandbox } = await setup();
    const id = 'e'.repeat(32);
    sandbox.seed({
      accounts: [
        {
          accountId: id,
          partnerId: 'p-1234',
          name: '  Spaced Corp ',
          languageCode: 'en-US',
          location: { address: { street: ' 1 Main St ', city: 'Ottawa ', country: 'CA' } },
          users: [
            { email: 'ann@spaced.example', firstName: ' Ann', lastName: 'Able ', role: 'USER' as const, verified: true },
            { email: 'bob@spaced.example', firstName: 'Bob', lastName: 'Best', name: ' Bob B. ', role: 'USER' as const, verified: true },
          ],
        },
      ],
    });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'import-spaces-'));
    const r = await cli('import', '--account', id, '--out', dir);
    expect(r.code, r.err).toBe(0);
    const text = await readFile(path.join(dir, 'spaced-corp.yaml'), 'utf8');
    expect(text).toContain('name: "  Spaced Corp "');
    expect(text).toContain('firstName: " Ann", lastName: "Able "');
    expect(text).toContain('name: " Bob B. "');
    const plan = await cli('plan', path.join(dir, 'spaced-corp.yaml'));
    expect(plan.err).toBe('');
    expect(plan.out).toContain('No changes.');
    expect(plan.code).toBe(0);
  });
});
