import { mkdtemp, readFile, writeFile, cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../provider/cli/run.js';
import { loadTenancy } from '../../provider/load/index.js';
import { readSnapshot } from '../../provider/engine/snapshot.js';
import { diffTenancy } from '../../provider/engine/plan/diff.js';
import { applyPlan } from '../../provider/engine/apply/apply.js';
import { shardOf } from '../../provider/engine/select.js';
import { DEMO_INITECH_ID } from '../../provider/sandbox/index.js';
import type { CloudLinkApi } from '../../provider/api/client-types.js';
import { captureIo } from '../helpers/io.js';
import { sandboxPerTest } from '../helpers/sandbox.js';

const EXAMPLES = path.resolve('examples/yaml');

const setup = sandboxPerTest();

describe('plan and apply against the sandbox', () => {
  it('plans, applies, converges, and plans nothing the second time', async () => {
    const { cli, sandbox } = await setup();
    const first = await cli('plan', EXAMPLES);
    expect(first.code).toBe(2);
    expect(first.out).toMatch(/Plan: 38 to create, 11 to update, 0 to delete\./);
    const applied = await cli('apply', EXAMPLES, '--auto-approve');
    expect(applied.code).toBe(0);
    expect(applied.out).toMatch(/Apply complete: \d+ succeeded, 0 failed, 0 skipped/);
    // Each change is reported with the plan's verb.
    for (const line of ['account.acme created', 'account.acme.order.TN-1001 assigned', 'account.acme.user["alice.liddell@acme.example"].license.miteam-meetings enabled', 'account.acme.user["alice.liddell@acme.example"].welcome sent', 'account.acme.contact["support@northwind.example"] created']) {
      expect(applied.err).toContain(line);
    }
    // The only update: adopted, protected Initech gets its protection written into its identity tag.
    expect(applied.err.split('\n').filter((l) => l.endsWith(' updated')).map((l) => l.replace(/^\[\d+\/\d+\] /, ''))).toEqual(['account.initech updated']);
    expect(sandbox.store.account(DEMO_INITECH_ID)?.tags['cloudlink-tenancy']).toEqual({ key: 'initech', protect: true });
    const second = await cli('plan', EXAMPLES);
    expect(second.code).toBe(0);
    expect(second.out).toContain('No changes. Live state matches the declaration.');
    const mails = sandbox.state().outbox.length;
    expect(mails).toBe(12);
    expect((await cli('apply', EXAMPLES, '--auto-approve')).code).toBe(0);
    expect(sandbox.state().outbox.length).toBe(mails);
  });

  it('reads live state without one request per user', async () => {
    const { cli, sandbox } = await setup();
    await cli('apply', EXAMPLES, '--auto-approve');
    sandbox.resetRequestCounts();
    await cli('plan', EXAMPLES);
    const counts = sandbox.requestCounts();
    // One list of each kind per declared account (3), one each of accounts, orders and the catalogue, plus the login and its claims.
    for (const route of ['GET /admin/2017-09-01/accounts/{accountId}/users', 'GET /admin/2017-09-01/accounts/{accountId}/contacts', 'GET /admin/2017-09-01/accounts/{accountId}/integrations', 'GET /billing/2019-03-01/licenses']) {
      expect([route, counts[route]]).toEqual([route, 3]);
    }
    expect(counts['GET /admin/2017-09-01/accounts/{accountId}/users/{userId}']).toBeUndefined();
    expect(counts['GET /admin/2017-09-01/accounts']).toBe(1);
    expect(counts['GET /billing/2019-03-01/partner-subscriptions']).toBe(1);
    expect(counts['GET /auth/2017-09-01/token']).toBe(1);
    expect(Object.values(counts).reduce((n, v) => n + v, 0)).toBe(17);
  });

  it('refuses to apply without confirmation when not on a terminal', async () => {
    const { cli, sandbox } = await setup();
    const r = await cli('apply', EXAMPLES);
    expect(r.code).toBe(1);
    expect(r.err).toContain('--auto-approve');
    expect(sandbox.state().accounts.map((a) => a.name)).not.toContain('Acme Corp');
  });

  it('asks for "yes" on a terminal and applies only after it', async () => {
    const { env, sandbox } = await setup();
    const no = captureIo({ env, isTTY: true, stdin: 'y\n' });
    expect(await runCli(['apply', EXAMPLES], no)).toBe(1);
    expect(no.err()).toContain('Only "yes" is accepted');
    expect(no.err()).toContain('Apply cancelled.');
    expect(sandbox.state().accounts.map((a) => a.name)).not.toContain('Acme Corp');
    const yes = captureIo({ env, isTTY: true, stdin: 'yes\n' });
    expect(await runCli(['apply', EXAMPLES], yes)).toBe(0);
    expect(yes.out()).toContain('Plan: 38 to create, 11 to update');
    expect(yes.out()).toMatch(/Apply complete: \d+ succeeded, 0 failed, 0 skipped/);
    expect(sandbox.state().accounts.map((a) => a.name)).toContain('Acme Corp');
  });

  it('applies a saved plan exactly; a console edit of an object the plan does not touch is left for the next plan', async () => {
    const { cli, sandbox } = await setup();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'plan-'));
    const planFile = path.join(dir, 'plan.json');
    expect((await cli('plan', EXAMPLES, '--out', planFile)).code).toBe(2);
    const saved = JSON.parse(await readFile(planFile, 'utf8')) as { formatVersion: number; changes: unknown[] };
    expect(saved.formatVersion).toBe(2);
    // Someone renames a user the plan does not touch in the console after the plan was reviewed.
    const peter = sandbox.store.userByEmail(DEMO_INITECH_ID, 'peter.gibbons@initech.example');
    sandbox.store.updateUser(DEMO_INITECH_ID, peter?.userId ?? '', { name: 'Pete' });
    const ok = await cli('apply', EXAMPLES, '--plan', planFile);
    expect(ok.code).toBe(0);
    expect(ok.err).toContain('Note: 1 change not in');
    const next = await cli('plan', EXAMPLES);
    expect(next.code).toBe(2);
    expect(next.out).toContain('~ account.initech.user["peter.gibbons@initech.example"]');
    expect(next.out).toContain('name: "Pete" -> "Peter Gibbons"');
    expect(next.out).toContain('Plan: 0 to create, 1 to update, 0 to delete.');
  });

  it('refuses a plan that needs more MiTeam licenses than assigned (exit 3)', async () => {
    const { cli } = await setup();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'short-'));
    await cp(EXAMPLES, dir, { recursive: true });
    const file = path.join(dir, 'accounts', 'initech.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('Michael, lastName: Bolton, miteam: false', 'Michael, lastName: Bolton, miteam: true').replace('Milton, lastName: Waddams, miteam: false', 'Milton, lastName: Waddams, miteam: true'));
    const r = await cli('plan', dir);
    expect(r.code).toBe(3);
    expect(r.out).toContain('account "initech" would have 6 MiTeam users but its assigned, unexpired orders provide 5 licenses (short by 1)');
  });

  it('refuses to delete a protected account and more than --max-deletes users', async () => {
    const { cli, sandbox } = await setup();
    await cli('apply', EXAMPLES, '--auto-approve');
    const destroy = await cli('plan', EXAMPLES, '--destroy-account', 'initech');
    expect(destroy.code).toBe(3);
    expect(destroy.out).toContain('Refused: ');
    expect(destroy.out).toContain('is protected and is never deleted');
    expect(destroy.out).toContain('Nothing will be changed: the plan is refused');
    expect(destroy.out).not.toContain('No changes. Live state matches the declaration.');
    // A shard that does not hold initech must not turn it into an unprotected stub.
    const otherShard = shardOf('initech', 2) === 1 ? '2/2' : '1/2';
    expect((await cli('plan', EXAMPLES, '--destroy-account', 'initech', '--shard', otherShard)).code).toBe(3);
    const acme = sandbox.state().accounts.find((a) => a.name === 'Acme Corp');
    sandbox.seed({ accounts: [] });
    for (let i = 0; i < 3; i += 1) sandbox.store.createUser(acme?.accountId ?? '', { email: `stray${i}@acme.example`, firstName: 'S', lastName: String(i) });
    const refused = await cli('plan', EXAMPLES, '--max-deletes', '2');
    expect(refused.code).toBe(3);
    expect(refused.out).toContain('more than --max-deletes 2');
    expect((await cli('apply', EXAMPLES, '--auto-approve', '--max-deletes', '3')).code).toBe(0);
    expect(sandbox.state().users.filter((u) => u.accountId === acme?.accountId).some((u) => u.email.startsWith('stray'))).toBe(false);
  });

  it('keeps going when one account fails, and a re-run converges', async () => {
    const { client } = await setup();
    const { tenancy } = await loadTenancy([EXAMPLES]);
    if (!tenancy) throw new Error('examples do not load');
    let broken = true;
    const flaky: CloudLinkApi = {
      ...client,
      accounts: {
        ...client.accounts,
        create: (partnerId, fields, key) => (broken && fields.name === 'Globex Corporation' ? Promise.reject(new Error('simulated outage')) : client.accounts.create(partnerId, fields, key)),
      },
    };
    const plan = diffTenancy(tenancy, await readSnapshot(client, tenancy), { now: new Date() });
    const report = await applyPlan(flaky, plan);
    expect(report.failed).toBe(1);
    expect(report.results.filter((r) => r.accountKey === 'globex' && r.status === 'skipped').length).toBeGreaterThan(5);
    expect(report.results.filter((r) => r.accountKey !== 'globex').every((r) => r.status === 'done')).toBe(true);
    broken = false;
    const again = diffTenancy(tenancy, await readSnapshot(client, tenancy), { now: new Date() });
    expect(new Set(again.changes.filter((c) => c.action !== 'noop').map((c) => c.accountKey))).toEqual(new Set(['globex']));
    expect((await applyPlan(flaky, again)).failed).toBe(0);
    const final = diffTenancy(tenancy, await readSnapshot(client, tenancy), { now: new Date() });
    expect(final.changes.filter((c) => c.action !== 'noop')).toEqual([]);
  });
});
