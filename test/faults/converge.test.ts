import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCloudLinkClient } from '../../provider/api/index.js';
import { DEMO_CREDENTIALS, startSandbox, type StateDump } from '../../provider/sandbox/index.js';
import { readSnapshot } from '../../provider/engine/snapshot.js';
import { diffTenancy, hasChanges } from '../../provider/engine/plan/diff.js';
import { applyPlan } from '../../provider/engine/apply/apply.js';
import { generateTenancy } from '../helpers/generate.js';
import { auditState, mustBeZero, ZERO } from './audit.js';
import { converge, faultClient } from './harness.js';
import { AmbiguityTally, observingProxy } from './proxy.js';
import { profile } from './profile.js';

const A = '/admin/2017-09-01';
const B = '/billing/2019-03-01';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

function clientFor(s: { authUrl: string; adminUrl: string; billingUrl: string }, rate = 2000) {
  const c = faultClient(s, rate);
  closers.push(() => c.close());
  return c;
}

describe(`reliability (${profile.name})`, () => {
  it(`converges a ${profile.convergeUsers}-user apply under 5xx before and after commit, cut connections after commit and 429 storms`, async () => {
    const g = generateTenancy({ accounts: 4, usersPerAccount: profile.convergeUsers / 4, welcomeEmail: 'onEnable', seed: 1 });
    const faults = { errorRate: 0.1, errorAfterCommitRate: 0.05, dropAfterCommitRate: 0.05, rateLimitPerSec: 400, burst: 20 };
    const s = await startSandbox({ seed: g.seed, faults });
    closers.push(() => s.close());
    // Through a proxy that tallies, per route, the write answers that were 5xx or cut (ambiguous).
    const tally = new AmbiguityTally();
    const { proxy, urls } = await observingProxy(s.url, tally.observe);
    closers.push(() => proxy.close());
    const c = clientFor(urls, 1000);
    const planned = diffTenancy(g.tenancy, await readSnapshot(c, g.tenancy), { now: new Date() }).changes.filter((ch) => ch.action !== 'noop').length;
    const { rounds } = await converge(c, g.tenancy);
    const injected = s.faultCounts();
    s.setFaults({ errorRate: 0, errorAfterCommitRate: 0, dropAfterCommitRate: 0, rateLimitPerSec: 0 });
    const final = diffTenancy(g.tenancy, await readSnapshot(c, g.tenancy), { now: new Date() });
    expect(hasChanges(final)).toBe(false);
    const a = auditState(s.state(), g.tenancy);
    const welcomed = g.tenancy.accounts.reduce((n, acc) => n + acc.users.items.filter((u) => u.miteam).length, 0);
    expect(mustBeZero(a)).toEqual(ZERO);
    // At least once: every MiTeam user got a welcome e-mail.
    expect(a.welcomes).toBe(welcomed);
    // The faults really hit: writes committed and then answered 5xx or cut, and the client re-read after them.
    expect(injected.errorBeforeWrite).toBeGreaterThan(0);
    expect(injected.errorAfterCommit).toBeGreaterThan(0);
    expect(injected.dropAfterCommit).toBeGreaterThan(0);
    expect(injected.rateLimited).toBeGreaterThan(0);
    expect(c.stats().ambiguous).toBeGreaterThan(0);
    expect(c.stats().rereads).toBeGreaterThan(0);
    const creates = { accounts: tally.of(`POST ${A}/accounts`), userBatches: tally.of(`PATCH ${A}/accounts/{accountId}/users`), licenses: tally.of(`POST ${B}/licenses`), welcomeSends: tally.of(`POST ${A}/accounts/{accountId}/users/{userId}/welcome-email`) };
    expect(creates.userBatches + creates.licenses + creates.accounts).toBeGreaterThan(0);
    expect(creates.welcomeSends).toBeGreaterThan(0);
    // A second e-mail only where a send's answer was ambiguous (5xx or cut) and the send was retried.
    expect(a.extraWelcomes).toBeLessThanOrEqual(creates.welcomeSends);
    const st = c.stats();
    console.log(
      `converge: ${planned} changes, converged in ${rounds} rounds; ${st.requests} requests, ${st.retries} retries, ${st.rateLimited} 429s; ` +
        `sandbox injected ${JSON.stringify(injected)}; ambiguous answers to creates (5xx or cut) ${JSON.stringify(creates)}; client saw ${st.ambiguous} ambiguous write failures and re-read ${st.rereads} times; ` +
        `welcomes: ${a.welcomes} of ${welcomed} MiTeam users welcomed (0 without), ${a.extraWelcomes} second e-mails against ${creates.welcomeSends} ambiguous send answers`,
    );
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
    const url = { authUrl: `http://127.0.0.1:${port}/auth/2017-09-01`, adminUrl: `http://127.0.0.1:${port}/admin/2017-09-01`, billingUrl: `http://127.0.0.1:${port}/billing/2019-03-01` };
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
    const { rounds } = await converge(c, g.tenancy);
    const live = (await (await fetch(`http://127.0.0.1:${port}/sandbox/state`)).json()) as StateDump;
    const a = auditState(live, g.tenancy);
    expect(mustBeZero(a)).toEqual(ZERO);
    expect(live.accounts.filter((x) => x.name.startsWith('Customer'))).toHaveLength(3);
    console.log(`restart mid-apply: first apply ${first.failed} failed / ${first.skipped} skipped, converged after ${rounds} more rounds`);
  });
});
