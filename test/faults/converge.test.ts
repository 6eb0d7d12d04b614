import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCloudLinkClient } from '../../provider/api/index.js';
import type { CloudLinkClient } from '../../provider/api/index.js';
import { DEMO_CREDENTIALS, startSandbox, type RunningSandbox } from '../../provider/sandbox/index.js';
import { readSnapshot } from '../../provider/engine/snapshot.js';
import { diffTenancy, hasChanges } from '../../provider/engine/diff.js';
import { applyPlan } from '../../provider/engine/apply.js';
import type { Tenancy } from '../../provider/model/types.js';
import { runCli } from '../../provider/cli/run.js';
import { captureIo } from '../helpers/io.js';
import { generateTenancy, prng, tenancyYaml } from '../helpers/generate.js';
import { profile } from './profile.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

function clientFor(s: { authUrl: string; adminUrl: string }, rate = 2000): CloudLinkClient {
  const c = createCloudLinkClient({ authUrl: s.authUrl, adminUrl: s.adminUrl, credentials: { username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password }, requestsPerSecond: rate, maxConcurrency: 16, retry: { attempts: 10, baseDelayMs: 20, maxDelayMs: 500 } });
  closers.push(() => c.close());
  return c;
}

async function converge(c: CloudLinkClient, tenancy: Tenancy, maxRounds = 8): Promise<number> {
  for (let round = 1; round <= maxRounds; round += 1) {
    let plan;
    try {
      plan = diffTenancy(tenancy, await readSnapshot(c, tenancy), { now: new Date() });
    } catch {
      continue;
    }
    if (!hasChanges(plan)) return round;
    await applyPlan(c, plan, { parallelism: 4 });
  }
  throw new Error(`did not converge in ${maxRounds} rounds`);
}

/** Checks the end state: every declared user exactly once, MiTeam as declared, one welcome mail per welcomed user. */
function audit(s: RunningSandbox, tenancy: Tenancy) {
  const state = s.state();
  const declared = tenancy.accounts.flatMap((a) => a.users.items.map((u) => `${a.name}|${u.email}`));
  const live = state.accounts.flatMap((a) => a.users.map((u) => `${a.name}|${u.email.toLowerCase()}`));
  const accountsByName = new Map<string, number>();
  for (const a of state.accounts) accountsByName.set(a.name, (accountsByName.get(a.name) ?? 0) + 1);
  const welcome = new Map<string, number>();
  for (const m of state.outbox.filter((o) => o.type === 'welcome')) welcome.set(m.to, (welcome.get(m.to) ?? 0) + 1);
  return {
    duplicateUsers: live.length - new Set(live).size,
    duplicateAccounts: [...accountsByName.values()].filter((n) => n > 1).length,
    lostUsers: declared.filter((d) => !live.includes(d)).length,
    extraWelcomes: [...welcome.values()].reduce((n, v) => n + v - 1, 0),
    welcomes: welcome.size,
  };
}

describe(`reliability (${profile.name})`, () => {
  it('converges a 2,000-user apply under 20 % 5xx, 429 storms and 5 % drop-after-commit', async () => {
    const g = generateTenancy({ accounts: 4, usersPerAccount: profile.convergeUsers / 4, welcomeEmail: 'onEnable', seed: 1 });
    const s = await startSandbox({ seed: g.seed, faults: { errorRate: 0.2, rateLimitPerSec: 400, burst: 20, dropAfterCommitRate: 0.05 } });
    closers.push(() => s.close());
    const c = clientFor(s, 1000);
    const rounds = await converge(c, g.tenancy);
    s.setFaults({ errorRate: 0, rateLimitPerSec: 0, dropAfterCommitRate: 0 });
    const final = diffTenancy(g.tenancy, await readSnapshot(c, g.tenancy), { now: new Date() });
    expect(hasChanges(final)).toBe(false);
    const a = audit(s, g.tenancy);
    const miteamUsers = g.tenancy.accounts.reduce((n, acc) => n + acc.users.items.filter((u) => u.miteam).length, 0);
    expect(a).toEqual({ duplicateUsers: 0, duplicateAccounts: 0, lostUsers: 0, extraWelcomes: 0, welcomes: miteamUsers });
    expect(c.stats().rateLimited).toBeGreaterThan(0);
    expect(s.requestCounts()['5xx']).toBeGreaterThan(0);
    expect(s.requestCounts().dropped).toBeGreaterThan(0);
    console.log(`converged in ${rounds} rounds; ${c.stats().requests} requests, ${c.stats().retries} retries, ${c.stats().rateLimited} 429s`);
  });

  it(`survives kill -9 of the apply process at random moments (${profile.killTrials} trials)`, async () => {
    const rand = prng(2026);
    const g = generateTenancy({ accounts: 2, usersPerAccount: 300, welcomeEmail: 'onEnable', seed: 3 });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kill-'));
    await writeFile(path.join(dir, 'tenancy.yaml'), tenancyYaml(g.tenancy));
    const killedAt: number[] = [];
    for (let trial = 0; trial < profile.killTrials; trial += 1) {
      const s = await startSandbox({ seed: g.seed });
      const env = { ...process.env, CLOUDLINK_AUTH_URL: s.authUrl, CLOUDLINK_ADMIN_URL: s.adminUrl, CLOUDLINK_USERNAME: DEMO_CREDENTIALS.username, CLOUDLINK_PASSWORD: DEMO_CREDENTIALS.password, CLOUDLINK_RATE: '600' };
      const child = spawn(process.execPath, ['dist/provider/cli/main.js', 'apply', dir, '--auto-approve'], { env, stdio: 'ignore' });
      const delay = 150 + Math.floor(rand() * 900);
      killedAt.push(delay);
      await new Promise((r) => setTimeout(r, delay));
      const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      let code = 1;
      for (let i = 0; i < 3 && code !== 0; i += 1) code = await runCli(['apply', dir, '--auto-approve'], captureIo({ env }));
      expect(code).toBe(0);
      expect(await runCli(['plan', dir], captureIo({ env }))).toBe(0);
      const a = audit(s, g.tenancy);
      expect({ trial, ...a }).toEqual({ trial, duplicateUsers: 0, duplicateAccounts: 0, lostUsers: 0, extraWelcomes: 0, welcomes: a.welcomes });
      await s.close();
    }
    console.log(`kill -9 after ${killedAt.join(', ')} ms`);
  });

  it('reaches one consistent state when two applies run at once', async () => {
    const g = generateTenancy({ accounts: 3, usersPerAccount: 200, welcomeEmail: 'onEnable', seed: 5 });
    const s = await startSandbox({ seed: g.seed, faults: { latencyMs: 2, jitterMs: 5 } });
    closers.push(() => s.close());
    const c1 = clientFor(s);
    const c2 = clientFor(s);
    const [p1, p2] = await Promise.all([readSnapshot(c1, g.tenancy), readSnapshot(c2, g.tenancy)]).then((snaps) => snaps.map((snap) => diffTenancy(g.tenancy, snap, { now: new Date() })));
    await Promise.all([applyPlan(c1, p1 ?? (undefined as never)), applyPlan(c2, p2 ?? (undefined as never))]);
    await converge(c1, g.tenancy);
    const a = audit(s, g.tenancy);
    expect({ duplicateUsers: a.duplicateUsers, duplicateAccounts: a.duplicateAccounts, lostUsers: a.lostUsers }).toEqual({ duplicateUsers: 0, duplicateAccounts: 0, lostUsers: 0 });
    expect(s.state().accounts.filter((x) => x.name.startsWith('Customer'))).toHaveLength(3);
    console.log(`two concurrent applies: ${a.extraWelcomes} welcome e-mails sent twice (a race the API cannot prevent)`);
  });

  it('retries and converges when the sandbox is killed and restarted mid-apply (--data)', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'restart-'));
    const dataFile = path.join(dir, 'state.json');
    const g = generateTenancy({ accounts: 3, usersPerAccount: 300, welcomeEmail: 'never', seed: 9 });
    await writeFile(path.join(dir, 'seed.json'), JSON.stringify(g.seed));
    const start = () => spawn(process.execPath, ['dist/provider/cli/main.js', 'sandbox', '--port', String(port), '--data', dataFile, '--seed', path.join(dir, 'seed.json')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const ready = (child: ReturnType<typeof start>) => new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('listening') && resolve()));
    let child = start();
    await ready(child);
    closers.push(async () => {
      child.kill('SIGKILL');
    });
    const url = { authUrl: `http://127.0.0.1:${port}/auth/2017-09-01`, adminUrl: `http://127.0.0.1:${port}/admin/2017-09-01` };
    const c = createCloudLinkClient({ ...url, credentials: { username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password }, requestsPerSecond: 300, retry: { attempts: 12, baseDelayMs: 100, maxDelayMs: 1000 } });
    closers.push(() => c.close());
    const plan = diffTenancy(g.tenancy, await readSnapshot(c, g.tenancy), { now: new Date() });
    const applying = applyPlan(c, plan, { parallelism: 3 });
    await new Promise((r) => setTimeout(r, 700));
    child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    child = start();
    await ready(child);
    const first = await applying;
    const rounds = await converge(c, g.tenancy);
    const live = (await (await fetch(`http://127.0.0.1:${port}/sandbox/state`)).json()) as { accounts: { name: string; users: { email: string }[] }[] };
    const users = live.accounts.filter((a) => a.name.startsWith('Customer')).flatMap((a) => a.users.map((u) => `${a.name}|${u.email}`));
    expect(new Set(users).size).toBe(users.length);
    expect(users.length).toBe(900);
    expect(live.accounts.filter((a) => a.name.startsWith('Customer'))).toHaveLength(3);
    console.log(`restart mid-apply: first apply ${first.failed} failed / ${first.skipped} skipped, converged after ${rounds} more rounds`);
  });
});
