import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox } from '../../provider/sandbox/index.js';
import { runCli } from '../../provider/cli/run.js';
import { captureIo } from '../helpers/io.js';

const EXAMPLES = path.resolve('examples/yaml');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

describe('Ctrl-C during apply', () => {
  it('stops starting calls, lets those in flight finish, prints the summary and exits 1; a re-run converges', async () => {
    const sandbox = await startSandbox({ seed: 'demo', faults: { latencyMs: 40 } });
    closers.push(() => sandbox.close());
    const env = { ...process.env, CLOUDLINK_AUTH_URL: sandbox.authUrl, CLOUDLINK_ADMIN_URL: sandbox.adminUrl, CLOUDLINK_BILLING_URL: sandbox.billingUrl, CLOUDLINK_USERNAME: DEMO_CREDENTIALS.username, CLOUDLINK_PASSWORD: DEMO_CREDENTIALS.password, NO_COLOR: '1' };
    const child = spawn(process.execPath, ['--import', 'tsx', 'provider/cli/main.ts', 'apply', EXAMPLES, '--auto-approve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Wait until the apply has written something (the first account create), never a wall-clock guess.
    const writes = (): number => Object.entries(sandbox.requestCounts()).filter(([k]) => !k.startsWith('GET')).reduce((n, [, v]) => n + v, 0);
    for (let i = 0; i < 600 && writes() < 3; i += 1) await new Promise((r) => setTimeout(r, 25));
    expect(writes()).toBeGreaterThanOrEqual(3);
    child.kill('SIGINT');
    const code = await exited;
    expect(err).toContain('Interrupted: no new call starts');
    expect(out).toMatch(/Apply interrupted: \d+ succeeded, 0 failed, \d+ skipped, [1-9]\d* not started \(re-run apply to converge\)\./);
    expect(code).toBe(1);
    // The apply lease of every account it was writing was released on the way out (README "Locking").
    expect(sandbox.state().accounts.filter((a) => 'cloudlink-tenancy-lock' in a.tags).map((a) => a.name)).toEqual([]);
    const io = captureIo({ env });
    expect(await runCli(['apply', EXAMPLES, '--auto-approve'], io)).toBe(0);
    const after = captureIo({ env });
    await runCli(['plan', EXAMPLES], after);
    expect(after.out()).toContain('No changes.');
  });
});
