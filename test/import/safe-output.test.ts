import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { isAmbiguousScalar } from '../../provider/import/render.js';
import { schemaReference, SCHEMA_URL } from '../../provider/cli/commands/import.js';
import { sandboxWithClient } from '../helpers/sandbox.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

const NORSK = 'e'.repeat(32);

describe('import writes YAML every parser reads the same, and never overwrites by accident', () => {
  it('quotes scalars a YAML 1.1 parser would misread (country NO, postal code 0012, yes, dates)', async () => {
    for (const risky of ['NO', 'no', 'Yes', 'on', 'OFF', 'y', '0012', '1_000', '12:30', '2026-01-02', 'null', '~', '1e3', '0x1F', '.inf', '']) expect(isAmbiguousScalar(risky), risky).toBe(true);
    for (const safe of ['CA', 'Oslo', 'Acme Corp', 'alice@acme.example', 'TN-1001', 'en-US']) expect(isAmbiguousScalar(safe), safe).toBe(false);

    const s = await sandboxWithClient();
    closers.push(s.close);
    s.sandbox.seed({
      accounts: [
        {
          accountId: NORSK,
          partnerId: 'p-1234',
          name: 'Norsk Fisk',
          languageCode: 'nb-NO',
          location: { address: { street: '1 Bryggen', city: 'Bergen', zipCode: '0012', country: 'NO', stateOrProvince: 'ON' } },
          tags: { pilot: 'yes', wave: '2026-01-02' },
          users: [{ email: 'ola@fisk.example', firstName: 'Ola', lastName: 'No', country: 'NO' }],
        },
      ],
    });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'import-quote-'));
    const r = await s.cli('import', '--account', NORSK, '--out', dir);
    expect(r.code, r.err).toBe(0);
    const text = await readFile(path.join(dir, 'norsk-fisk.yaml'), 'utf8');
    for (const quoted of ['country: "NO"', 'postalCode: "0012"', 'stateOrProvince: "ON"', 'pilot: "yes"', 'wave: "2026-01-02"', 'lastName: "No"']) expect(text).toContain(quoted);
    // A YAML 1.1 parser reads the same values.
    const old = parse(text, { version: '1.1' }) as { accounts: { country: unknown; postalCode: unknown; tags: Record<string, unknown> }[] };
    expect(old.accounts[0]).toMatchObject({ country: 'NO', postalCode: '0012', tags: { pilot: 'yes', wave: '2026-01-02' } });
    const plan = await s.cli('plan', dir);
    expect(plan.out).toContain('No changes.');
  });

  it('refuses to overwrite files in --out without --force, and writes nothing then', async () => {
    const s = await sandboxWithClient();
    closers.push(s.close);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'import-force-'));
    await writeFile(path.join(dir, 'initech.yaml'), '# mine\n');
    const r = await s.cli('import', '--all', '--out', dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Refusing to overwrite .*initech\.yaml; nothing was written\. Pass --force to overwrite/);
    expect(await readFile(path.join(dir, 'initech.yaml'), 'utf8')).toBe('# mine\n');
    const forced = await s.cli('import', '--all', '--out', dir, '--force');
    expect(forced.code, forced.err).toBe(0);
    expect(await readFile(path.join(dir, 'initech.yaml'), 'utf8')).toContain('# Imported from CloudLink account');
  });

  it('points $schema at the schema inside the same repository, never outside it', async () => {
    const repo = await mkdtemp(path.join(os.tmpdir(), 'partner-repo-'));
    await mkdir(path.join(repo, '.git'));
    await mkdir(path.join(repo, 'node_modules', 'cloudlink-tenancy', 'schemas'), { recursive: true });
    await writeFile(path.join(repo, 'node_modules', 'cloudlink-tenancy', 'schemas', 'tenancy.schema.json'), '{}');
    await mkdir(path.join(repo, 'tenancy', 'imported'), { recursive: true });
    expect(schemaReference(path.join(repo, 'tenancy', 'imported'))).toBe('../../node_modules/cloudlink-tenancy/schemas/tenancy.schema.json');
    expect(schemaReference(path.resolve('examples/yaml/accounts'))).toBe('../../../schemas/tenancy.schema.json');
    const loose = await mkdtemp(path.join(os.tmpdir(), 'no-repo-'));
    expect(schemaReference(loose)).toBe(SCHEMA_URL);
  });
});
