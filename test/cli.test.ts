import { describe, expect, it } from 'vitest';
import { runCli } from '../provider/cli/run.js';
import { captureIo } from './helpers/io.js';

describe('cli dispatcher', () => {
  it('lists every command in --help', async () => {
    const io = captureIo();
    expect(await runCli(['--help'], io)).toBe(0);
    for (const name of ['validate', 'plan', 'apply', 'drift', 'import', 'users', 'sandbox', 'schema']) {
      expect(io.out()).toContain(`  ${name}`);
    }
  });

  it('rejects an unknown command with exit 1 and says how to list commands', async () => {
    const io = captureIo();
    expect(await runCli(['plna'], io)).toBe(1);
    expect(io.err()).toContain('unknown command "plna"');
    expect(io.err()).toContain('--help');
  });

  it('prints each command\'s options with --help, and explains a mistyped flag', async () => {
    const help = captureIo();
    expect(await runCli(['plan', '--help'], help)).toBe(0);
    expect(help.out()).toContain('--max-deletes');
    const bad = captureIo();
    expect(await runCli(['plan', '--max-delete', '3'], bad)).toBe(1);
    expect(bad.err()).toContain('unknown option "--max-delete"; did you mean "--max-deletes"?');
    expect(bad.err()).not.toContain('internal error');
  });
});
