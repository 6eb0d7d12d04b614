import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../provider/cli/run.js';
import { startSandbox, DEMO_CREDENTIALS, type RunningSandbox } from '../../provider/sandbox/index.js';
import { captureIo } from '../helpers/io.js';
import { prng } from '../helpers/generate.js';
import { profile } from './profile.js';

/** Mutations of text files: the kinds of damage hands and merges do. */
function mutate(text: string, rand: () => number): string {
  const lines = text.split('\n');
  const pick = () => Math.floor(rand() * lines.length);
  const chars = ['\t', ':', '-', ' ', '"', "'", '{', '}', '[', ']', '&', '*', '#', ',', ';', '\u0000', 'é', '@', '\r', '\\'];
  const kinds = rand() < 0.5 ? 1 : 1 + Math.floor(rand() * 3);
  for (let k = 0; k < kinds; k += 1) {
    const i = pick();
    const line = lines[i] ?? '';
    switch (Math.floor(rand() * 8)) {
      case 0:
        lines.splice(i, 1);
        break;
      case 1:
        lines.splice(i, 0, line);
        break;
      case 2: {
        const at = Math.floor(rand() * (line.length + 1));
        lines[i] = line.slice(0, at) + (chars[Math.floor(rand() * chars.length)] ?? '') + line.slice(at);
        break;
      }
      case 3:
        lines[i] = rand() < 0.5 ? `  ${line}` : line.replace(/^ {1,2}/, '');
        break;
      case 4: {
        const j = pick();
        [lines[i], lines[j]] = [lines[j] ?? '', line];
        break;
      }
      case 5:
        lines[i] = line.replace(/: .*$/, `: ${['true', '', '~', '42', 'Admin', 'XX', 'a@b', '[]', '{}'][Math.floor(rand() * 9)]}`);
        break;
      case 6:
        lines.length = Math.max(1, i);
        break;
      default: {
        const at = Math.floor(rand() * (line.length + 1));
        lines[i] = line.slice(0, at) + line.slice(at + 1 + Math.floor(rand() * 3));
      }
    }
  }
  return lines.join('\n');
}

describe(`fuzzing YAML and CSV inputs (${profile.fuzzCases} cases, fixed seed)`, () => {
  let sandbox: RunningSandbox;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'demo' });
    env = { CLOUDLINK_AUTH_URL: sandbox.authUrl, CLOUDLINK_ADMIN_URL: sandbox.adminUrl, CLOUDLINK_BILLING_URL: sandbox.billingUrl, CLOUDLINK_USERNAME: DEMO_CREDENTIALS.username, CLOUDLINK_PASSWORD: DEMO_CREDENTIALS.password, CLOUDLINK_RATE: '5000' };
  });
  afterAll(async () => sandbox.close());

  it('ends every case in diagnostics or success, and no case with diagnostics sends a request', async () => {
    const rand = prng(1234);
    const base = await mkdtemp(path.join(os.tmpdir(), 'fuzz-'));
    await cp('examples/yaml', base, { recursive: true });
    const targets = ['tenancy.yaml', 'accounts/acme.yaml', 'accounts/globex.yaml', 'accounts/initech.yaml', 'users/acme.csv'];
    const originals = new Map<string, string>();
    for (const t of targets) originals.set(t, await readFile(path.join(base, t), 'utf8'));
    const tally: { diagnostics: number; success: number; guard: number; refused?: number } = { diagnostics: 0, success: 0, guard: 0 };
    for (let n = 0; n < profile.fuzzCases; n += 1) {
      const target = targets[Math.floor(rand() * targets.length)] ?? 'tenancy.yaml';
      const mutated = mutate(originals.get(target) ?? '', rand);
      await writeFile(path.join(base, target), mutated);
      const before = JSON.stringify(sandbox.requestCounts());
      const io = captureIo({ env });
      const code = await runCli(['plan', base], io);
      const err = io.err();
      expect(err, `case ${n} (${target}) crashed:\n${mutated}`).not.toContain('internal error');
      expect([0, 1, 2, 3], `case ${n}`).toContain(code);
      if (err.includes('The declaration has errors')) {
        tally.diagnostics += 1;
        expect(err.split('\n').filter(Boolean).length).toBeGreaterThan(1);
        expect(JSON.stringify(sandbox.requestCounts()), `case ${n} sent requests despite diagnostics`).toBe(before);
      } else if (code === 3) tally.guard += 1;
      else if (code === 1 && (/^plan failed: .*(not_found|validation_failed)/m.test(err) || /^Refused: the credentials belong to partner /m.test(err) || /^Error: /m.test(io.out()))) {
        // A mutation that is valid YAML but names a partner (refused against the token's claims before any other call), order or field CloudLink refuses: a clear error, not a crash.
        tally.refused = (tally.refused ?? 0) + 1;
      } else {
        expect(code, `case ${n}: ${err}`).not.toBe(1);
        tally.success += 1;
      }
      await writeFile(path.join(base, target), originals.get(target) ?? '');
    }
    expect(tally.diagnostics).toBeGreaterThan(profile.fuzzCases / 4);
    expect(tally.success).toBeGreaterThan(0);
    console.log(`fuzz: ${JSON.stringify(tally)}`);
  });
});
