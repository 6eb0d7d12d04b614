import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_INITECH_ID } from '../../provider/sandbox/index.js';
import { sandboxWithClient } from '../helpers/sandbox.js';

const EXAMPLES = path.resolve('examples/yaml');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else out.push(full);
  }
  return out;
}

describe('sipPassword (a secret every CloudLink user object carries)', () => {
  it('appears in no output of validate, plan, apply, drift, import, users or whoami, nor in the HTTP trace, except as a redaction', async () => {
    const { cli, sandbox } = await setup();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sip-'));
    const trace = path.join(dir, 'trace.jsonl');
    const runs = [
      await cli('validate', EXAMPLES),
      await cli('plan', EXAMPLES, '--format', 'json', '--out', path.join(dir, 'plan.json'), '--trace-http', trace),
      await cli('apply', EXAMPLES, '--auto-approve', '--trace-http', trace),
      await cli('plan', EXAMPLES, '--format', 'markdown', '--trace-http', trace),
      await cli('drift', EXAMPLES, '--format', 'json,junit,html,markdown', '--out', path.join(dir, 'drift'), '--trace-http', trace),
      await cli('import', '--all', '--out', path.join(dir, 'import'), '--trace-http', trace),
      await cli('users', 'send-welcome', '--account-id', DEMO_INITECH_ID, '--all-pending', '--trace-http', trace),
      await cli('users', 'reset-password', '--account-id', DEMO_INITECH_ID, '--email', 'samir.nagheenanajar@initech.example', '--trace-http', trace),
      await cli('whoami', '--format', 'json', '--trace-http', trace),
    ];
    const secrets = sandbox.state().users.map((u) => u.sipPassword).filter((s): s is string => typeof s === 'string' && s.length >= 6);
    expect(secrets.length).toBeGreaterThan(20);
    const texts = [...runs.flatMap((r) => [r.out, r.err])];
    for (const file of await filesUnder(dir)) texts.push(await readFile(file, 'utf8'));
    const traceText = await readFile(trace, 'utf8');
    // The trace did see user objects (so the check below is not vacuous).
    expect(traceText).toMatch(/listUsers|accounts\/\{accountId\}\/users/);
    for (const text of texts) {
      for (const secret of secrets) expect(text.includes(secret), `a sipPassword leaked into: ${text.slice(0, 200)}`).toBe(false);
      for (const m of text.matchAll(/sipPassword"?\s*[:=]\s*"?([^",}\s]*)/g)) expect(m[1]).toBe('[redacted]');
    }
  });
});

async function setup() {
  const s = await sandboxWithClient();
  closers.push(s.close);
  return s;
}
