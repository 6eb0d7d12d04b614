/**
 * Crash trials: the apply runs as its own process (the built CLI) behind a counting proxy and
 * is killed with SIGKILL at an exact request, drawn over the whole apply and forced into each
 * write phase (account create, order assignment, user batches, license enables, welcome
 * e-mails), either before the request reaches CloudLink or after CloudLink committed it and
 * before the process read the answer. The next apply must converge with no duplicate
 * account, user or license, and a following plan must be empty.
 *
 * Welcome e-mails: CloudLink keeps no record of them, and the engine records a send in the
 * user's tag right after the send. A process killed between a send and its tag write leaves
 * users who got the e-mail with nothing recorded, and the next apply sends to them again.
 * The trial measures that window (users with an e-mail in the outbox and no tag right after
 * the kill) and asserts the re-run sent exactly those again and nobody else.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSandbox, type StateDump } from '../../provider/sandbox/index.js';
import { runCli } from '../../provider/cli/run.js';
import { captureIo } from '../helpers/io.js';
import { generateTenancy, prng } from '../helpers/generate.js';
import { auditState, mustBeZero, ZERO } from './audit.js';
import { cliEnv, tenancyDocumentYaml } from './harness.js';
import { startCountingProxy, WRITE_PHASES, type Seen, type Verdict, type WritePhase } from './proxy.js';
import { profile } from './profile.js';

/** Users who got a welcome e-mail that their tag does not record (sent, then the process died before the tag write). */
function sentButUnrecorded(state: StateDump): number {
  const sent = new Set(state.outbox.filter((m) => m.type === 'welcome').map((m) => m.userId));
  return state.users.filter((u) => {
    const tag = u.tags['cloudlink-tenancy'];
    return sent.has(u.userId) && !(tag && typeof tag === 'object' && !Array.isArray(tag) && 'welcomeSentOn' in tag);
  }).length;
}

/** Welcome e-mails one account has in flight at most (the engine's default per-account concurrency). */
const WELCOME_CHAINS = 8;

interface Trial {
  trial: number;
  phase: WritePhase;
  mode: 'kill-before' | 'kill-after';
  nth: number;
  hit?: Seen;
  /** Sent-but-unrecorded welcome e-mails right after the kill. */
  window: number;
  extraWelcomes: number;
  reruns: number;
}

describe(`crash trials: SIGKILL of the apply process at an exact request (${profile.crashTrials} trials over every write phase)`, () => {
  it('converges after every crash with no duplicate account, user or license, and re-sends only the welcome e-mails in flight', async () => {
    const g = generateTenancy({ accounts: 2, usersPerAccount: 300, welcomeEmail: 'onEnable', seed: 3 });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'crash-'));
    await writeFile(path.join(dir, 'tenancy.yaml'), tenancyDocumentYaml(g.tenancy));

    /** One apply process through the proxy; resolves when it exits (by itself or killed). */
    const runApply = async (decide: (seen: Seen) => Verdict) => {
      const s = await startSandbox({ seed: g.seed });
      let child: ChildProcess | undefined;
      let hit: Seen | undefined;
      const proxy = await startCountingProxy(s.url, decide, (seen) => {
        hit = seen;
        child?.kill('SIGKILL');
      });
      const env = cliEnv({ authUrl: `${proxy.url}/auth/2017-09-01`, adminUrl: `${proxy.url}/admin/2017-09-01`, billingUrl: `${proxy.url}/billing/2019-03-01` }, 600);
      child = spawn(process.execPath, ['dist/provider/cli/main.js', 'apply', dir, '--auto-approve'], { env, stdio: 'ignore' });
      const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child?.once('exit', (code, signal) => resolve({ code, signal })));
      await proxy.idle();
      const counts = { ...proxy.counts };
      await proxy.close();
      return { s, exit, hit, counts };
    };

    // The reference apply, not killed: how many requests each phase sends.
    const ref = await runApply(() => 'forward');
    expect(ref.exit.code).toBe(0);
    expect(mustBeZero(auditState(ref.s.state(), g.tenancy))).toEqual(ZERO);
    await ref.s.close();
    for (const p of WRITE_PHASES) expect(ref.counts[p] ?? 0, `reference apply sent no ${p} request`).toBeGreaterThan(0);

    const rand = prng(2026);
    const trials: Trial[] = [];
    for (let trial = 0; trial < profile.crashTrials; trial += 1) {
      const phase = WRITE_PHASES[trial % WRITE_PHASES.length] ?? 'welcome';
      const mode = Math.floor(trial / WRITE_PHASES.length) % 2 === 0 ? 'kill-after' : 'kill-before';
      const nth = 1 + Math.floor(rand() * (ref.counts[phase] ?? 1));
      const run = await runApply((seen) => (seen.phase === phase && seen.nthOfPhase === nth ? mode : 'forward'));
      const { s } = run;
      try {
        expect(run.exit.signal, `trial ${trial}: the apply was not killed (${phase} #${nth} never came)`).toBe('SIGKILL');
        const window = sentButUnrecorded(s.state());
        const env = cliEnv(s, 2000);
        let code = 1;
        let log = '';
        let reruns = 0;
        for (; reruns < 3 && code !== 0; reruns += 1) {
          const io = captureIo({ env });
          code = await runCli(['apply', dir, '--auto-approve'], io);
          log += io.err();
        }
        expect(code, `trial ${trial}: the re-run did not converge:\n${log}`).toBe(0);
        const plan = captureIo({ env });
        expect(await runCli(['plan', dir], plan), `trial ${trial}: the plan after the re-run is not empty:\n${plan.out()}`).toBe(0);
        const a = auditState(s.state(), g.tenancy);
        trials.push({ trial, phase, mode, nth, ...(run.hit ? { hit: run.hit } : {}), window, extraWelcomes: a.extraWelcomes, reruns });
        expect({ trial, ...mustBeZero(a), extraWelcomes: 0 }).toEqual({ trial, ...ZERO });
        // The only second e-mails are those of the sends in flight when the process died.
        expect({ trial, extraWelcomes: a.extraWelcomes }).toEqual({ trial, extraWelcomes: window });
        if (run.hit?.phase !== 'welcome') expect({ trial, window }).toEqual({ trial, window: 0 });
        // At most one send in flight per welcome chain: 8 chains per account (the engine's per-account concurrency) × 2 accounts.
        expect(window, `trial ${trial}`).toBeLessThanOrEqual(WELCOME_CHAINS * g.tenancy.accounts.length);
      } finally {
        await s.close();
      }
    }
    const hits = new Map<string, number>();
    for (const t of trials) hits.set(t.hit?.phase ?? 'none', (hits.get(t.hit?.phase ?? 'none') ?? 0) + 1);
    for (const p of WRITE_PHASES) expect(hits.get(p) ?? 0, `no trial crashed in phase ${p}`).toBeGreaterThan(0);
    const welcomeTrials = trials.filter((t) => t.hit?.phase === 'welcome');
    console.log(`crash trials (reference apply: ${JSON.stringify(ref.counts)} requests by phase)`);
    for (const t of trials) console.log(`  #${t.trial} ${t.mode} at request ${t.hit?.index} (${t.hit?.route}, ${t.phase} #${t.nth}): re-runs ${t.reruns}, welcome e-mails in flight ${t.window}, sent twice ${t.extraWelcomes}`);
    console.log(
      `crash trials: ${trials.length} kills, by phase ${JSON.stringify(Object.fromEntries(hits))}; 0 duplicate accounts, users or licenses; ` +
        `welcome e-mails sent twice: ${trials.reduce((n, t) => n + t.extraWelcomes, 0)} in total (${welcomeTrials.filter((t) => t.extraWelcomes > 0).length} of ${welcomeTrials.length} welcome-phase kills), each one a send in flight at the kill`,
    );
  });
});
