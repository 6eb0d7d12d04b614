import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MICOLLAB_LICENSING_RULE } from '../../provider/model/live.js';
import { DEMO_INITECH_ID } from '../../provider/sandbox/index.js';
import type { Plan } from '../../provider/engine/types.js';
import type { DriftReport } from '../../provider/engine/drift/types.js';
import { sandboxPerTest } from '../helpers/sandbox.js';

const EXAMPLES = path.resolve('examples/yaml');
const setup = sandboxPerTest();

/** A copy of the examples with `edit` applied to one file's text; returns the folder. */
async function examplesWith(file: string, edit: (text: string) => string): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'rules-')), 'yaml');
  await cp(EXAMPLES, dir, { recursive: true });
  const target = path.join(dir, file);
  await writeFile(target, edit(await readFile(target, 'utf8')));
  return dir;
}

async function planOf(cli: (...argv: string[]) => Promise<{ code: number }>, dir: string): Promise<Plan> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'rules-plan-')), 'plan.json');
  await cli('plan', dir, '--out', file);
  return JSON.parse(await readFile(file, 'utf8')) as Plan;
}

describe('the console rules of contract 2.1', () => {
  it('refuses a MiTeam toggle on an account that declares MiCollab, at the user, quoting the rule', async () => {
    const { cli } = await setup();
    const dir = await examplesWith('accounts/initech.yaml', (t) => t.replace('integrations: [miteam-meetings]', 'integrations: [miteam-meetings, micollab]'));
    expect((await cli('validate', dir)).code).toBe(0);
    const run = await cli('plan', dir);
    expect(run.code).toBe(1);
    const line = (await readFile(path.join(dir, 'accounts/initech.yaml'), 'utf8')).split('\n').findIndex((l) => l.includes('peter.gibbons')) + 1;
    expect(run.err + run.out).toContain(`accounts/initech.yaml:${line}`);
    expect(run.err + run.out).toContain(`user peter.gibbons@initech.example declares miteam: true, but the account has the MiCollab integration and "${MICOLLAB_LICENSING_RULE}"`);
    // Users without the toggle are not refused.
    expect(run.err + run.out).not.toContain('michael.bolton@initech.example declares');
  });

  it('points at the miteam line itself when the user is written over several lines', async () => {
    const { cli } = await setup();
    const dir = await examplesWith('accounts/acme.yaml', (t) => t.replace('integrations: [miteam-meetings]', 'integrations: [miteam-meetings, micollab]'));
    const lines = (await readFile(path.join(dir, 'accounts/acme.yaml'), 'utf8')).split('\n');
    const alice = lines.findIndex((l) => l.includes('alice.liddell'));
    const toggle = lines.findIndex((l, i) => i > alice && l.includes('miteam: true')) + 1;
    expect(toggle).toBeGreaterThan(alice + 1);
    const run = await cli('plan', dir);
    expect(run.code).toBe(1);
    expect(run.err + run.out).toMatch(new RegExp(`accounts/acme\\.yaml:${toggle}:\\d+.*user alice\\.liddell@acme\\.example declares miteam: true`));
  });

  it('with MiCollab live, plans no license either way and drift does not report the licenses', async () => {
    const { cli, sandbox } = await setup();
    expect((await cli('apply', EXAMPLES, '--auto-approve')).code).toBe(0);
    sandbox.store.addIntegration(DEMO_INITECH_ID, 'micollab');
    // The account's licences now belong to MiCollab: the sandbox refuses license writes there (409, the rule).
    expect(() => sandbox.store.disableLicense(DEMO_INITECH_ID, sandbox.store.users(DEMO_INITECH_ID)[0]?.userId ?? '')).toThrow(MICOLLAB_LICENSING_RULE);
    // Declared toggles off: nothing to refuse, and the licenses MiCollab holds are not planned away nor drift.
    const dir = await examplesWith('accounts/initech.yaml', (t) => t.replace(/miteam: true/g, 'miteam: false').replace('integrations: [miteam-meetings]', 'integrations: [miteam-meetings, micollab]'));
    const plan = await planOf(cli, dir);
    expect(plan.problems).toEqual([]);
    expect(plan.changes.filter((c) => c.kind === 'license' && c.accountKey === 'initech')).toEqual([]);
    const drift = JSON.parse((await cli('drift', dir, '--format', 'json')).out) as DriftReport;
    const initech = drift.accounts.find((a) => a.key === 'initech');
    expect(initech?.differences).toEqual([]);
    expect(initech?.licenses.overQuota).toBe(0);
    expect(initech?.drifted).toBe(false);
  });

  it('checks integration types against the service catalogue at plan time, naming what it offers; offline only the form', async () => {
    const { cli } = await setup();
    const dir = await examplesWith('accounts/acme.yaml', (t) => t.replace('integrations: [miteam-meetings]', 'integrations: [miteam-meetings, ms-teams]'));
    expect((await cli('validate', dir)).code).toBe(0);
    const run = await cli('plan', dir);
    expect(run.code).toBe(1);
    expect(run.err + run.out).toContain('integration "ms-teams" is not in the CloudLink catalogue; the service offers miteam-meetings, cloudlink-chat, micollab');
  });

  it('treats the privileges an added integration switches on as a consequence, not drift', async () => {
    const { cli, sandbox } = await setup();
    expect((await cli('apply', EXAMPLES, '--auto-approve')).code).toBe(0);
    const acme = sandbox.state().accounts.find((a) => a.name === 'Acme Corp');
    expect(acme?.privileges).toEqual({ delegatedAuthentication: true, allowGuestAccess: true });
    expect((await cli('plan', EXAMPLES)).out).toContain('No changes.');
    const drift = JSON.parse((await cli('drift', EXAMPLES, '--format', 'json')).out) as DriftReport;
    expect(drift.accounts.find((a) => a.key === 'acme')?.differences).toEqual([]);
  });

  it('shows a removed integration still listed as removal pending, neither a failure nor a new delete', async () => {
    const { cli, sandbox } = await setup();
    expect((await cli('apply', EXAMPLES, '--auto-approve')).code).toBe(0);
    const acmeId = sandbox.state().accounts.find((a) => a.name === 'Acme Corp')?.accountId ?? '';
    sandbox.store.addIntegration(acmeId, 'cloudlink-chat');
    sandbox.setFaults({ integrationRemovalMs: 600 });
    const applied = await cli('apply', EXAMPLES, '--auto-approve');
    expect(applied.code).toBe(0);
    expect(applied.err).toContain('account.acme.integration.cloudlink-chat deleted');
    // Still listed: the next plan neither deletes it again nor fails.
    expect(sandbox.store.integrations(acmeId).map((i) => i.type)).toContain('cloudlink-chat');
    const plan = await planOf(cli, EXAMPLES);
    const entry = plan.changes.find((c) => c.address === 'account.acme.integration.cloudlink-chat');
    expect(entry).toMatchObject({ action: 'noop', reason: expect.stringMatching(/^removal pending \(requested \d{4}-\d\d-\d\dT/) });
    expect((await cli('plan', EXAMPLES)).code).toBe(0);
    const drift = JSON.parse((await cli('drift', EXAMPLES, '--format', 'json')).out) as DriftReport;
    expect(drift.accounts.find((a) => a.key === 'acme')?.undeclared).toEqual([]);
    // Once CloudLink has removed it, it is simply gone.
    await new Promise((r) => setTimeout(r, 700));
    expect(sandbox.store.integrations(acmeId).map((i) => i.type)).not.toContain('cloudlink-chat');
    expect((await cli('plan', EXAMPLES)).code).toBe(0);
  });
});
