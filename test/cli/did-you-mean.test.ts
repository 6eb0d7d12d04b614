import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../provider/cli/run.js';
import { didYouMean, editDistance } from '../../provider/model/did-you-mean.js';
import { captureIo } from '../helpers/io.js';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo({ env: {} });
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('edit distance and the nearest word', () => {
  it.each([
    ['plna', 'plan', 1],
    ['contry', 'country', 1],
    ['out', 'out', 0],
    ['drfit', 'drift', 1],
    ['abc', 'xyz', 3],
    ['', 'abc', 3],
  ])('%s → %s is %i', (a, b, d) => expect(editDistance(a, b)).toBe(d));

  it('suggests a close word, and nothing for a far one', () => {
    expect(didYouMean('plna', ['validate', 'plan', 'apply'])).toBe('plan');
    expect(didYouMean('Contry', ['name', 'country', 'city'])).toBe('country');
    expect(didYouMean('zzzz', ['plan', 'apply'])).toBeUndefined();
    // Short words allow one edit only: "ab" is not "apply".
    expect(didYouMean('ab', ['apply'])).toBeUndefined();
  });
});

describe('the CLI says what was meant', () => {
  it('a mistyped command', async () => {
    const r = await run('plna', 'x');
    expect(r.code).toBe(1);
    expect(r.err).toContain('unknown command "plna"; did you mean "plan"?');
  });

  it('a long option written with one dash, and a mistyped one', async () => {
    const one = await run('plan', 'x', '-out', 'plan.json');
    expect(one.code).toBe(1);
    expect(one.err).toContain('unknown option "-out"; did you mean "--out"?');
    expect(one.err).not.toContain("'-o'");
    expect((await run('plan', 'x', '--no-colour')).err).toContain('did you mean "--no-color"?');
    const typo = await run('drift', 'x', '--expring-days', '3');
    expect(typo.err).toContain('unknown option "--expring-days"; did you mean "--expiring-days"?');
  });

  it('a negative --max-deletes gets the range, not the parser text', async () => {
    const r = await run('plan', 'x', '--max-deletes', '-1');
    expect(r.code).toBe(1);
    expect(r.err).toContain('--max-deletes "-1" is not a whole number ≥ 0');
    expect(r.err).not.toContain('ambiguous');
    const missing = await run('plan', 'x', '--max-deletes', '--out', 'p.json');
    expect(missing.err).toContain('--max-deletes needs a value (N) after it, and "--out" looks like an option');
  });

  it('a mistyped field in a file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dym-'));
    await writeFile(
      path.join(dir, 't.yaml'),
      'apiVersion: tenancy.cloudlink/v1\nkind: Tenancy\npartner: { id: p-1234 }\naccounts:\n  - key: a\n    name: A\n    contry: GB\n    language: en-GB\n    users:\n      items:\n        - { email: a@b.example, firstNam: A, lastName: B }\n',
    );
    const r = await run('validate', dir);
    expect(r.code).toBe(1);
    expect(r.out + r.err).toContain('t.yaml:7:5: accounts[0].contry: unknown field "contry"; did you mean "country"?');
    expect(r.out + r.err).toContain('unknown field "firstNam"; did you mean "firstName"?');
  });
});
