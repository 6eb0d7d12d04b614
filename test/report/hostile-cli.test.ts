/**
 * Hostile live values through the real CLI (sandbox over loopback): what a customer's admin types
 * into the console reaches plan, apply (before the "yes" prompt), drift and import escaped for
 * the terminal, and the imported YAML carries it exactly.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { sandboxWithClient } from '../helpers/sandbox.js';
import { formatDiagnostics } from '../../provider/cli/inputs.js';
import { progressHooks } from '../../provider/cli/progress.js';
import { captureIo } from '../helpers/io.js';
import { runCli } from '../../provider/cli/run.js';

const ERASE = 'Main St 1\u001b[8A\u001b[J';
const RLO = 'Mallory\u202etxt.exe\u0007';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

/** No control character but LF (and no bidi override) in what reached the terminal. */
function expectClean(text: string): void {
  expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
}

describe('hostile live values through the CLI', () => {
  it('plan, apply, drift and import print them escaped; import writes them exactly', async () => {
    const s = await sandboxWithClient();
    closers.push(s.close);
    expect((await s.cli('apply', 'examples/yaml', '--auto-approve')).code).toBe(0);
    const acme = s.sandbox.state().accounts.find((a) => a.name === 'Acme Corp');
    if (!acme) throw new Error('apply did not create Acme');
    s.sandbox.store.updateAccount(acme.accountId, { location: { address: { street: ERASE } } });
    s.sandbox.store.createUser(acme.accountId, { email: 'mallory@acme.example', firstName: RLO, lastName: '<img src=x onerror=alert(1)>' });
    const stray = s.sandbox.store.createAccount(acme.partnerId ?? 'p-1234', { name: `Stray\n\u001b]0;owned\u0007` });

    const plan = await s.cli('plan', 'examples/yaml');
    expect(plan.code).toBe(2);
    expectClean(plan.out + plan.err);
    // Attribute values are JSON literals (JSON escapes C0 controls), with the rest shown as \u{hex}.
    expect(plan.out).toContain('address: "Main St 1\\u001b[8A\\u001b[J" -> "100 Main St"');
    expect(plan.out).toContain('firstName: "Mallory\\u{202e}txt.exe\\u0007"');

    // apply prints the plan before asking; here it refuses (no terminal), after printing it escaped.
    const apply = await s.cli('apply', 'examples/yaml');
    expectClean(apply.out + apply.err);
    expect(apply.out).toContain('address: "Main St 1\\u001b[8A\\u001b[J" -> "100 Main St"');

    const drift = await s.cli('drift', 'examples/yaml', '--all-accounts');
    expectClean(drift.out + drift.err);
    expect(drift.out).toContain('Stray\\u{a}\\u{1b}]0;owned\\u{7}');

    const imported = await s.cli('import', '--account', stray.accountId);
    expect(imported.code, imported.err).toBe(0);
    expectClean(imported.out.replace(/\n/g, ''));
    expect((parseYaml(imported.out) as { accounts: { name: string }[] }).accounts[0]?.name).toBe(`Stray\n\u001b]0;owned\u0007`);
  });

  it('diagnostics and apply progress show file names, messages and addresses escaped', () => {
    const text = formatDiagnostics([{ severity: 'error', message: `no account named "${ERASE}"`, file: `a\u001b[2Jb.yaml`, line: 1, column: 2 }]);
    expectClean(text.slice(0, -1));
    expect(text).toBe('a\\u{1b}[2Jb.yaml:1:2: no account named "Main St 1\\u{1b}[8A\\u{1b}[J"\n');
    const io = captureIo({});
    const hooks = progressHooks(io, 1);
    hooks.onChangeDone?.({ address: `account.x.user["${RLO}"]` } as never, { status: 'failed', error: `CloudLink said: ${ERASE}` } as never);
    expectClean(io.err());
    expect(io.err()).toContain('\\u{202e}');
  });

  it('csv-to-yaml writes hostile names from a template file exactly, nothing raw', async () => {
    const names = [RLO, 'x\nkey: injected', '# not a comment', 'zero\u200bwidth', 'del\u007f c1\u009b', '&a *a !!str'];
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'hostile-')), 'users.csv');
    await writeFile(file, stringify([['First Name', 'Last Name', 'Name', 'Email', 'Role'], ...names.map((n, i) => [n, `${n} last`, `${n} name`, `u${i}@acme.example`, 'User'])]));
    const io = captureIo();
    expect(await runCli(['csv-to-yaml', file], io), io.err()).toBe(0);
    expectClean(io.out().replace(/\n/g, ''));
    for (const version of ['1.2', '1.1'] as const) {
      const doc = parseYaml(io.out(), { version }) as { items: { firstName: string; lastName: string; name: string }[] };
      expect(Object.keys(doc)).toEqual(['items']);
      expect(doc.items.map((u) => [u.firstName, u.lastName, u.name])).toEqual(names.map((n) => [n, `${n} last`, `${n} name`]));
    }
  });
});
