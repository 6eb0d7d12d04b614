/**
 * The identity attacks of issue 19 (items 1-4), replayed with the CLI against the sandbox on the
 * example tenancy: a copy of an account, a previous key still declared, a partial run, a rename
 * plus the cdktf destroy command, and protection that holds on the live account.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_INITECH_ID } from '../../provider/sandbox/index.js';
import { applyPlan } from '../../provider/engine/apply/apply.js';
import { loadSelection, planTenancy } from '../../provider/engine/reconcile.js';
import type { Tenancy } from '../../provider/model/types.js';
import { sandboxPerTest } from '../helpers/sandbox.js';

const EXAMPLES = path.resolve('examples/yaml');
const setup = sandboxPerTest();

/** A copy of examples/yaml to edit. */
async function examples(): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'identity-')), 'yaml');
  await cp(EXAMPLES, dir, { recursive: true });
  return dir;
}

const account = (body: string) => `apiVersion: tenancy.cloudlink/v1\nkind: Tenancy\naccounts:\n${body}`;

describe('two declared accounts never bind one live account', () => {
  it('validate refuses a copy of Initech by name, naming both file:line', async () => {
    const { cli } = await setup();
    const dir = await examples();
    await writeFile(path.join(dir, 'accounts/zz-copy.yaml'), account('  - key: initech-copy\n    name: Initech\n    country: US\n    language: en-US\n'));
    const r = await cli('validate', dir);
    expect(r.code).toBe(1);
    expect(r.out + r.err).toMatch(/accounts "initech" \(.*accounts\/initech\.yaml:6:\d+\) and "initech-copy" \(.*accounts\/zz-copy\.yaml:4:\d+\) are both named "Initech"/);
    const destroy = await cli('plan', dir, '--destroy-account', 'initech-copy');
    expect(destroy.code).toBe(1);
    expect(destroy.out).not.toContain('- account.initech');
  });

  it('validate refuses previousKeys: [acme] while acme is still declared', async () => {
    const { cli } = await setup();
    const dir = await examples();
    await writeFile(path.join(dir, 'accounts/zz-copy.yaml'), account('  - key: acme-copy\n    name: Acme Copy\n    previousKeys: [acme]\n    country: CA\n    language: en-US\n'));
    const r = await cli('validate', dir);
    expect(r.code).toBe(1);
    expect(r.out + r.err).toContain('lists "acme" in previousKeys, but account "acme"');
  });

  it('plan finds what validate cannot (adopt by number of an account adopted by id): exit 1, and --destroy-account of the copy is refused (exit 3)', async () => {
    const { cli, sandbox } = await setup();
    const dir = await examples();
    const number = sandbox.store.account(DEMO_INITECH_ID)?.accountNumber ?? '';
    await writeFile(path.join(dir, 'accounts/zz-copy.yaml'), account(`  - key: initech-copy\n    name: Initech Copy\n    adopt: { accountNumber: "${number}" }\n    country: US\n    language: en-US\n`));
    expect((await cli('validate', dir)).code).toBe(0);
    const plan = await cli('plan', dir);
    expect(plan.code).toBe(1);
    expect(plan.out).toContain(`live account ${DEMO_INITECH_ID} is bound by 2 declared accounts: "initech"`);
    const destroy = await cli('plan', dir, '--destroy-account', 'initech-copy', '--max-deletes', '100');
    expect(destroy.code).toBe(3);
    expect(destroy.out).not.toMatch(/^\s+- account\.initech-copy/m);
    expect(destroy.out).toContain('an account another declaration manages is not deleted');
  });
});

describe('protection lives on the live account', () => {
  it('after an apply, deleting Initech is refused although the file or the flag no longer says protect', async () => {
    const { cli, sandbox } = await setup();
    expect((await cli('apply', EXAMPLES, '--auto-approve')).code).toBe(0);
    expect(sandbox.store.account(DEMO_INITECH_ID)?.tags['cloudlink-tenancy']).toEqual({ key: 'initech', protect: true });
    const dir = await examples();
    const file = path.join(dir, 'accounts/initech.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('protect: true', 'protect: false'));
    const unapplied = await cli('apply', dir, '--destroy-account', 'initech', '--max-deletes', '100', '--auto-approve');
    expect(unapplied.code).toBe(3);
    expect(unapplied.out).toContain('is protected (its cloudlink-tenancy tag says protect: true)');
    // An orphan: no file declares initech any more; the tag still protects it.
    await rm(file);
    const orphan = await cli('apply', dir, '--destroy-account', 'initech', '--max-deletes', '100', '--auto-approve');
    expect(orphan.code).toBe(3);
    expect(sandbox.store.account(DEMO_INITECH_ID)).toBeDefined();
  });

  it('the delete itself re-reads the live tag: a hand-made plan deleting protected Initech fails and deletes nothing', async () => {
    const { cli, client, sandbox } = await setup();
    expect((await cli('apply', EXAMPLES, '--auto-approve')).code).toBe(0);
    const del = { address: 'account.initech', accountKey: 'initech', kind: 'account' as const, action: 'delete' as const, id: { accountId: DEMO_INITECH_ID }, before: { name: 'Initech', users: 6 }, after: null, reason: '', dependsOn: [], stamp: null };
    const report = await applyPlan(client, { partnerId: 'p-1234', changes: [del] });
    expect(report.failed).toBe(1);
    expect(report.results[0]?.error).toContain('refused: live account');
    expect(sandbox.store.account(DEMO_INITECH_ID)).toBeDefined();
  });

  it('a saved plan deleting Initech, its refusal stripped, is refused at apply time (exit 3) against the live tag', async () => {
    const { cli, client, sandbox } = await setup();
    expect((await cli('apply', EXAMPLES, '--auto-approve')).code).toBe(0);
    const dir = await examples();
    const file = path.join(dir, 'accounts/initech.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('protect: true', 'protect: false'));
    const loaded = await loadSelection({ paths: [dir], cwd: dir, destroyAccounts: ['initech'] });
    const planned = await planTenancy(client, loaded.tenancy as Tenancy, { declaredKeys: loaded.declaredKeys, destroyAccounts: ['initech'], maxDeletes: 100 });
    if (planned.kind !== 'planned') throw new Error(planned.message);
    expect(planned.plan.changes.some((c) => c.kind === 'account' && c.action === 'delete')).toBe(true);
    const planFile = path.join(path.dirname(dir), 'plan.json');
    await writeFile(planFile, JSON.stringify({ ...planned.plan, problems: [] }));
    const r = await cli('apply', dir, '--plan', planFile, '--destroy-account', 'initech', '--max-deletes', '100');
    expect(r.code).toBe(3);
    expect(r.out).toContain('is protected (its cloudlink-tenancy tag says protect: true)');
    expect(sandbox.store.account(DEMO_INITECH_ID)).toBeDefined();
  });

  it('an account created with protect: true carries it in its identity tag from the start', async () => {
    const { cli, sandbox } = await setup();
    const dir = await examples();
    await writeFile(path.join(dir, 'accounts/zz-new.yaml'), account('  - key: umbrella\n    name: Umbrella Health\n    protect: true\n    country: GB\n    language: en-GB\n'));
    expect((await cli('apply', dir, '--auto-approve')).code).toBe(0);
    const umbrella = [...sandbox.store.accounts.values()].find((s) => s.account.name === 'Umbrella Health');
    expect(umbrella?.account.tags['cloudlink-tenancy']).toEqual({ key: 'umbrella', protect: true });
    expect((await cli('plan', dir)).out).toContain('No changes.');
  });

  it('protect: false, applied first, lifts it', async () => {
    const { cli, sandbox } = await setup();
    expect((await cli('apply', EXAMPLES, '--auto-approve')).code).toBe(0);
    const dir = await examples();
    const file = path.join(dir, 'accounts/initech.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('protect: true', 'protect: false'));
    expect((await cli('apply', dir, '--auto-approve')).code).toBe(0);
    expect(sandbox.store.account(DEMO_INITECH_ID)?.tags['cloudlink-tenancy']).toEqual({ key: 'initech' });
    expect((await cli('apply', dir, '--destroy-account', 'initech', '--max-deletes', '100', '--auto-approve')).code).toBe(0);
    expect(sandbox.store.account(DEMO_INITECH_ID)).toBeUndefined();
  });
});

describe('partial runs and renames never take over or delete by name', () => {
  it('plan tenancy.yaml part/new.yaml does not take over Globex by name', async () => {
    const { cli } = await setup();
    expect((await cli('apply', EXAMPLES, '--auto-approve')).code).toBe(0);
    const dir = await examples();
    await writeFile(path.join(dir, 'new.yaml'), account('  - key: globex-new\n    name: Globex Corporation\n    country: DE\n    language: de-DE\n    users: { policy: authoritative, items: [] }\n    integrations: []\n'));
    const r = await cli('plan', path.join(dir, 'tenancy.yaml'), path.join(dir, 'new.yaml'));
    expect(r.code).toBe(1);
    expect(r.out).toContain('is tagged with another key, so it is not taken over by name; if it is this account, add previousKeys: [globex]');
    expect(r.out).not.toContain('- account.globex');
  });

  it('after a rename, the old key\'s destroy command (--destroy-account globex) is refused and Globex keeps its 7 users', async () => {
    const { cli, sandbox } = await setup();
    expect((await cli('apply', EXAMPLES, '--auto-approve')).code).toBe(0);
    const dir = await examples();
    const file = path.join(dir, 'accounts/globex.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('  - key: globex\n', '  - key: globex-corp\n    previousKeys: [globex]\n'));
    const globexId = () => [...sandbox.store.accounts.values()].find((s) => s.account.name === 'Globex Corporation')?.account.accountId;
    const id = globexId();
    for (const args of [['--auto-approve'], ['--auto-approve', '--max-deletes', '100']]) {
      const r = await cli('apply', dir, '--destroy-account', 'globex', ...args);
      expect(r.code).toBe(3);
      expect(r.out).toContain('lists "globex" in previousKeys, so it is the same live account under its new key and is not deleted');
    }
    expect(globexId()).toBe(id);
    expect(sandbox.store.users(id ?? '')).toHaveLength(7);
  });
});
