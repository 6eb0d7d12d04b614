import { describe, expect, it } from 'vitest';
import { runCli } from '../../provider/cli/run.js';
import { commands } from '../../provider/cli/registry.js';
import { captureIo } from '../helpers/io.js';

/**
 * `Command.flags` is what the workflow lint trusts; this checks, for the commands the CI
 * examples run, that every listed flag really parses (and that an unlisted one does not).
 * A missing input folder makes each run stop with exit 1 before any network use.
 */
const LINTED = ['validate', 'plan', 'apply', 'drift'];

async function run(argv: string[]) {
  const io = captureIo({ env: {} });
  const code = await runCli(argv, io);
  return { code, err: io.err() };
}

describe('Command.flags matches what each command parses', () => {
  it.each(LINTED)('%s accepts every flag it lists', async (name) => {
    const command = commands.find((c) => c.name === name);
    expect(command?.flags?.length ?? 0).toBeGreaterThan(0);
    for (const flag of command?.flags ?? []) {
      const r = await run([name, 'no-such-folder/', flag, '1']);
      expect(r.err, `${name} ${flag}`).not.toMatch(/unknown option|unexpected argument|internal error/i);
      expect(r.code, `${name} ${flag}: ${r.err}`).not.toBe(0);
    }
  });

  it('rejects a flag that is not listed', async () => {
    const r = await run(['drift', 'no-such-folder/', '--no-such-flag']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown option "--no-such-flag".*It accepts: .*--expiring-days/);
    expect(r.err).not.toMatch(/internal error|at parseArgs/);
  });
});
