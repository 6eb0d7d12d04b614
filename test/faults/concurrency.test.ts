/**
 * Overlapping runs under the apply lock: two and four applies of the same tenancy (each with its
 * own client, plan and lease holder, like CI jobs that overlap), started together and staggered.
 * Asserted: exactly one run writes an account at a time (the write intervals of different runs
 * on one account never overlap; the others wait, or refuse naming the holder), 0 duplicate
 * accounts, users, licenses or welcome e-mails, and every MiTeam user welcomed. Two shards of one
 * tenancy applied at once both finish: their accounts are disjoint, so neither waits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxSeed } from '../../provider/sandbox/index.js';
import { readSnapshot } from '../../provider/engine/snapshot.js';
import { diffTenancy } from '../../provider/engine/plan/diff.js';
import { applyPlan, type ApplyLockOptions, type ApplyReport } from '../../provider/engine/apply/apply.js';
import { selectAccounts } from '../../provider/engine/select.js';
import type { Change } from '../../provider/engine/types.js';
import type { Tenancy } from '../../provider/model/types.js';
import type { CloudLinkClient } from '../../provider/api/index.js';
import { assignedOrders, generateTenancy } from '../helpers/generate.js';
import { auditState, mustBeZero, ZERO } from './audit.js';
import { converge, faultClient, planIsEmpty } from './harness.js';
import { profile } from './profile.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

/** When one run wrote one account: from its first change start to its last change end. */
interface Interval {
  run: number;
  accountKey: string;
  from: number;
  to: number;
}

/** Plans and applies one run under the lock, recording its write intervals per account. */
async function oneRun(run: number, c: CloudLinkClient, tenancy: Tenancy, lock: Omit<ApplyLockOptions, 'holder'>, intervals: Interval[], delayMs = 0): Promise<ApplyReport> {
  if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  const plan = diffTenancy(tenancy, await readSnapshot(c, tenancy), { now: new Date() });
  const mine = new Map<string, Interval>();
  const touch = (ch: Change): void => {
    // Creating an account comes before its lease (it does not exist yet); every other write is under it.
    if (ch.kind === 'account' && ch.action === 'create') return;
    const now = performance.now();
    const i = mine.get(ch.accountKey) ?? { run, accountKey: ch.accountKey, from: now, to: now };
    i.to = now;
    mine.set(ch.accountKey, i);
  };
  const report = await applyPlan(c, plan, { parallelism: 4, lock: { ...lock, holder: `run ${run}` }, hooks: { onChangeStart: touch, onChangeDone: (ch, r) => (r.status === 'done' || r.status === 'failed' ? touch(ch) : undefined) } });
  intervals.push(...mine.values());
  return report;
}

/** Pairs of intervals of different runs on one account that overlap (must be none). */
function overlaps(intervals: Interval[]): string[] {
  const out: string[] = [];
  for (const a of intervals) for (const b of intervals) if (a.run < b.run && a.accountKey === b.accountKey && a.from < b.to && b.from < a.to) out.push(`${a.accountKey}: run ${a.run} and run ${b.run}`);
  return out;
}

function setUp(scenario: 'fresh' | 'welcome-only') {
  const g = generateTenancy({ accounts: 3, usersPerAccount: profile.concurrencyUsersPerAccount, welcomeEmail: 'onEnable', seed: 5 });
  const seed: SandboxSeed =
    scenario === 'fresh' ? g.seed : { ...g.seed, orders: assignedOrders(g), accounts: g.liveAccounts.map((a) => ({ ...a, users: (a.users ?? []).map((u) => ({ ...u, verified: false })) })) };
  return { g, seed };
}

describe('overlapping applies of the same tenancy, under the apply lock', () => {
  for (const scenario of ['fresh', 'welcome-only'] as const) {
    for (const [runs, staggerMs] of [
      [2, 0],
      [4, 0],
      [4, 1500],
    ] as const) {
      it(`${runs} applies ${staggerMs ? `started ${staggerMs / 1000} s apart` : 'at once'} (${scenario}), waiting for the lock: one writer per account at a time, 0 duplicates, 0 second welcome e-mails`, async () => {
        const { g, seed } = setUp(scenario);
        // Staggered runs get a slower service, so each apply outlasts the stagger and the later runs really wait.
        const s = await startSandbox({ seed, faults: staggerMs ? { latencyMs: 40, jitterMs: 20 } : { latencyMs: 2, jitterMs: 5 } });
        closers.push(() => s.close());
        const clients = Array.from({ length: runs }, () => faultClient(s));
        for (const c of clients) closers.push(() => c.close());
        const intervals: Interval[] = [];
        const reports = await Promise.all(clients.map((c, i) => oneRun(i, c, g.tenancy, { ttlMs: 10_000, timeoutMs: 120_000 }, intervals, i * staggerMs)));
        expect(overlaps(intervals)).toEqual([]);
        expect(reports.flatMap((r) => r.locked)).toEqual([]);
        const first = clients[0];
        if (!first) throw new Error('no client');
        const { rounds } = await converge(first, g.tenancy);
        expect(await planIsEmpty(first, g.tenancy)).toBe(true);
        const a = auditState(s.state(), g.tenancy);
        const welcomed = g.tenancy.accounts.reduce((n, acc) => n + acc.users.items.filter((u) => u.miteam).length, 0);
        expect(mustBeZero(a)).toEqual(ZERO);
        expect(a.extraWelcomes).toBe(0);
        expect(a.welcomes).toBe(welcomed);
        expect(s.state().accounts.filter((x) => x.name.startsWith('Customer'))).toHaveLength(3);
        expect(s.state().accounts.some((x) => 'cloudlink-tenancy-lock' in x.tags)).toBe(false);
        const writers = new Map<string, number>();
        for (const i of intervals) writers.set(i.accountKey, (writers.get(i.accountKey) ?? 0) + 1);
        console.log(
          `${runs} applies ${staggerMs ? `${staggerMs} ms apart` : 'at once'} (${scenario}): ${welcomed} MiTeam users, ${a.welcomes} welcomed, ${a.extraWelcomes} second e-mails; ` +
            `runs that wrote each account (one after the other) ${JSON.stringify(Object.fromEntries(writers))}; failed changes per run ${reports.map((r) => r.failed).join('/')}; converged after ${rounds} more round(s)`,
        );
      });
    }
  }

  it('2 applies at once with --lock-timeout 0: each account is written by one run, the other refuses it naming the holder', async () => {
    const { g, seed } = setUp('welcome-only');
    const s = await startSandbox({ seed, faults: { latencyMs: 2, jitterMs: 5 } });
    closers.push(() => s.close());
    const clients = [faultClient(s), faultClient(s)];
    for (const c of clients) closers.push(() => c.close());
    const intervals: Interval[] = [];
    const reports = await Promise.all(clients.map((c, i) => oneRun(i, c, g.tenancy, { ttlMs: 10_000, timeoutMs: 0 }, intervals)));
    expect(overlaps(intervals)).toEqual([]);
    const refused = reports.flatMap((r, run) => r.locked.map((l) => ({ run, ...l })));
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.reason).toBe('held');
      expect(r.holder).toBe(`run ${1 - r.run}`);
      expect(r.message).toContain(`locked by another apply: run ${1 - r.run}, since `);
    }
    // Every account was written by exactly one of the two runs.
    expect(new Set(intervals.map((i) => i.accountKey)).size).toBe(3);
    expect(intervals).toHaveLength(3);
    const a = auditState(s.state(), g.tenancy);
    expect(mustBeZero(a)).toEqual(ZERO);
    expect(a.extraWelcomes).toBe(0);
    console.log(`2 applies, --lock-timeout 0: ${refused.length} account refusals (${refused.map((r) => `${r.accountKey} by run ${r.run}`).join(', ')}), 0 second e-mails`);
  });

  it('two shards of one tenancy applied at once both finish: disjoint accounts, no waiting', async () => {
    const g = generateTenancy({ accounts: 6, usersPerAccount: 100, welcomeEmail: 'onEnable', seed: 8 });
    const s = await startSandbox({ seed: { ...g.seed, orders: assignedOrders(g), accounts: g.liveAccounts.map((a) => ({ ...a, users: [] })) }, faults: { latencyMs: 2, jitterMs: 5 } });
    closers.push(() => s.close());
    const shards = [1, 2].map((index) => selectAccounts(g.tenancy, { shard: { index, count: 2 } }).tenancy);
    const clients = shards.map(() => faultClient(s));
    for (const c of clients) closers.push(() => c.close());
    const intervals: Interval[] = [];
    const times: number[] = [];
    const reports = await Promise.all(
      shards.map(async (t, i) => {
        const t0 = performance.now();
        const r = await oneRun(i, clients[i] as CloudLinkClient, t, { ttlMs: 10_000, timeoutMs: 0 }, intervals);
        times.push(Math.round(performance.now() - t0));
        return r;
      }),
    );
    expect(reports.map((r) => r.locked.length)).toEqual([0, 0]);
    expect(reports.map((r) => r.failed)).toEqual([0, 0]);
    const a = auditState(s.state(), g.tenancy);
    expect(mustBeZero(a)).toEqual(ZERO);
    expect(a.extraWelcomes).toBe(0);
    console.log(`two shards at once (${shards.map((t) => t.accounts.length).join(' + ')} accounts): both finished, in ${times.join(' ms and ')} ms`);
  });
});
