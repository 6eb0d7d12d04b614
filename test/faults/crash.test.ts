/**
 * Crash trials: the apply runs as its own process (the built CLI) behind a counting proxy and
 * is killed with SIGKILL at an exact request, forced into each write phase (account create,
 * order assignment, user batches, license enables) and, most of all, into the welcome phase,
 * either before the request reaches CloudLink or after CloudLink committed it and before the
 * process read the answer. The killed run leaves its apply lease behind; the next apply waits
 * for it to expire (short TTL via CLOUDLINK_LOCK_TTL, `--lock-timeout`) and must converge with
 * no duplicate account, user or license, and a following plan must be empty.
 *
 * Welcome e-mails are promised at least once (send, then record): after the re-run every MiTeam
 * user has one, and second e-mails are at most the sends in flight at the kill, counted through
 * the proxy: sends that reached CloudLink for users whose record had not been written.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../provider/sandbox/index.js';
import { runCli } from '../../provider/cli/run.js';
import { captureIo } from '../helpers/io.js';
import { generateTenancy, prng } from '../helpers/generate.js';
import { auditState, mustBeZero, ZERO } from './audit.js';
import { cliEnv, tenancyDocumentYaml } from './harness.js';
import { startCountingProxy, WRITE_PHASES, type Seen, type Verdict, type WritePhase } from './proxy.js';
import { profile } from './profile.js';

/** The lease time-to-live of the trials' applies: short, so the re-run can take over the killed run's lease. */
const LOCK_TTL = '2s';
const SEND = /\/accounts\/([^/]+)\/users\/([^/]+)\/welcome-email$/;
const RECORD = /\/accounts\/([^/]+)\/users\/([^/]+)\/tags\/cloudlink-tenancy$/;

interface Trial {
  trial: number;
  phase: WritePhase;
  mode: 'kill-before' | 'kill-after';
  nth: number;
  hit?: Seen;
  /** Welcome sends that reached CloudLink for users whose record was not written when the process died. */
  inFlight: number;
  extraWelcomes: number;
  /** Whether the killed run's lease was still on an account after the kill (the re-run had to wait for it). */
  leaseLeft: boolean;
  reruns: number;
}

describe(`crash trials: SIGKILL of the apply process at an exact request (${profile.crashTrials} trials over the other write phases, ${profile.welcomeCrashTrials} in the welcome phase)`, () => {
  it('converges after every crash with no duplicate account, user or license, every MiTeam user welcomed, second e-mails ≤ sends in flight', async () => {
    const g = generateTenancy({ accounts: 2, usersPerAccount: 300, welcomeEmail: 'onEnable', seed: 3 });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'crash-'));
    await writeFile(path.join(dir, 'tenancy.yaml'), tenancyDocumentYaml(g.tenancy));

    /** One apply process through the proxy; resolves when it exits (by itself or killed). */
    const runApply = async (decide: (seen: Seen) => Verdict) => {
      const s = await startSandbox({ seed: g.seed });
      let child: ChildProcess | undefined;
      let hit: Seen | undefined;
      const sent = new Set<string>();
      const recorded = new Set<string>();
      const proxy = await startCountingProxy(
        s.url,
        (seen) => {
          const verdict = decide(seen);
          const send = SEND.exec(seen.path);
          if (send && verdict !== 'kill-before') sent.add(`${send[1]}/${send[2]}`);
          return verdict;
        },
        (seen) => {
          hit = seen;
          child?.kill('SIGKILL');
        },
        (seen, answer) => {
          const rec = RECORD.exec(seen.path);
          if (rec && seen.route.startsWith('PUT ') && typeof answer === 'number' && answer < 300) recorded.add(`${rec[1]}/${rec[2]}`);
        },
      );
      const env = { ...cliEnv({ authUrl: `${proxy.url}/auth/2017-09-01`, adminUrl: `${proxy.url}/admin/2017-09-01`, billingUrl: `${proxy.url}/billing/2019-03-01` }, 600), CLOUDLINK_LOCK_TTL: LOCK_TTL };
      child = spawn(process.execPath, ['dist/provider/cli/main.js', 'apply', dir, '--auto-approve'], { env, stdio: 'ignore' });
      const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child?.once('exit', (code, signal) => resolve({ code, signal })));
      await proxy.idle();
      const counts = { ...proxy.counts };
      await proxy.close();
      const inFlight = [...sent].filter((k) => !recorded.has(k)).length;
      return { s, exit, hit, counts, inFlight };
    };

    // The reference apply, not killed: how many requests each phase sends.
    const ref = await runApply(() => 'forward');
    expect(ref.exit.code).toBe(0);
    const refAudit = auditState(ref.s.state(), g.tenancy);
    expect(mustBeZero(refAudit)).toEqual(ZERO);
    expect(refAudit.extraWelcomes).toBe(0);
    expect(ref.s.state().accounts.some((a) => 'cloudlink-tenancy-lock' in a.tags), 'the reference apply left a lease').toBe(false);
    await ref.s.close();
    for (const p of WRITE_PHASES) expect(ref.counts[p] ?? 0, `reference apply sent no ${p} request`).toBeGreaterThan(0);
    expect(ref.counts.lock ?? 0, 'the reference apply took no lease').toBeGreaterThan(0);

    const others = WRITE_PHASES.filter((p) => p !== 'welcome');
    const plan: WritePhase[] = [...Array.from({ length: profile.crashTrials }, (_, i) => others[i % others.length] ?? 'account'), ...Array.from({ length: profile.welcomeCrashTrials }, () => 'welcome' as const)];
    const rand = prng(2026);
    const trials: Trial[] = [];
    for (const [trial, phase] of plan.entries()) {
      const mode = trial % 2 === 0 ? 'kill-after' : 'kill-before';
      const nth = 1 + Math.floor(rand() * (ref.counts[phase] ?? 1));
      const run = await runApply((seen) => (seen.phase === phase && seen.nthOfPhase === nth ? mode : 'forward'));
      const { s } = run;
      try {
        expect(run.exit.signal, `trial ${trial}: the apply was not killed (${phase} #${nth} never came)`).toBe('SIGKILL');
        const leaseLeft = s.state().accounts.some((a) => 'cloudlink-tenancy-lock' in a.tags);
        const env = { ...cliEnv(s, 2000), CLOUDLINK_LOCK_TTL: LOCK_TTL };
        let code = 1;
        let log = '';
        let reruns = 0;
        for (; reruns < 3 && code !== 0; reruns += 1) {
          const io = captureIo({ env });
          code = await runCli(['apply', dir, '--auto-approve', '--lock-timeout', '30s'], io);
          log += io.err();
        }
        expect(code, `trial ${trial}: the re-run did not converge:\n${log}`).toBe(0);
        const plan = captureIo({ env });
        expect(await runCli(['plan', dir], plan), `trial ${trial}: the plan after the re-run is not empty:\n${plan.out()}`).toBe(0);
        const a = auditState(s.state(), g.tenancy);
        trials.push({ trial, phase, mode, nth, ...(run.hit ? { hit: run.hit } : {}), inFlight: run.inFlight, extraWelcomes: a.extraWelcomes, leaseLeft, reruns });
        // 0 duplicate accounts, users and licenses; every MiTeam user has a welcome e-mail; no record without an e-mail.
        expect({ trial, ...mustBeZero(a) }).toEqual({ trial, ...ZERO });
        // Second e-mails only to users whose send was in flight at the kill.
        expect(a.extraWelcomes, `trial ${trial}: second welcome e-mails beyond the ${run.inFlight} sends in flight at the kill`).toBeLessThanOrEqual(run.inFlight);
        if (run.hit?.phase !== 'welcome') expect({ trial, extraWelcomes: a.extraWelcomes }).toEqual({ trial, extraWelcomes: 0 });
        expect(s.state().accounts.some((x) => 'cloudlink-tenancy-lock' in x.tags), `trial ${trial}: a lease was left after the re-run`).toBe(false);
      } finally {
        await s.close();
      }
    }
    const hits = new Map<string, number>();
    for (const t of trials) hits.set(t.hit?.phase ?? 'none', (hits.get(t.hit?.phase ?? 'none') ?? 0) + 1);
    for (const p of WRITE_PHASES) expect(hits.get(p) ?? 0, `no trial crashed in phase ${p}`).toBeGreaterThan(0);
    const welcomeTrials = trials.filter((t) => t.hit?.phase === 'welcome');
    expect(welcomeTrials.length).toBe(profile.welcomeCrashTrials);
    // The killed run's lease was there after the kill, and the re-run took it over once it expired.
    expect(trials.filter((t) => t.leaseLeft).length).toBeGreaterThan(0);
    console.log(`crash trials (reference apply: ${JSON.stringify(ref.counts)} requests by phase)`);
    for (const t of trials) console.log(`  #${t.trial} ${t.mode} at request ${t.hit?.index} (${t.hit?.route}, ${t.phase} #${t.nth}): re-runs ${t.reruns}, lease left ${t.leaseLeft}, sends in flight ${t.inFlight}, second e-mails ${t.extraWelcomes}`);
    console.log(
      `crash trials: ${trials.length} kills, by phase ${JSON.stringify(Object.fromEntries(hits))}; 0 duplicate accounts, users or licenses, 0 MiTeam users without a welcome e-mail; ` +
        `second welcome e-mails ${trials.reduce((n, t) => n + t.extraWelcomes, 0)} against ${trials.reduce((n, t) => n + t.inFlight, 0)} sends in flight at the kills; leases left by the kill and taken over after expiry: ${trials.filter((t) => t.leaseLeft).length}`,
    );
  });
});
