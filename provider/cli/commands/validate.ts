import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../io.js';
import { ExitCode } from '../io.js';
import { readDesiredState, reportDiagnostics } from '../inputs.js';

/** `cloudlink-tenancy validate PATHS… [--from-cdktf DIR]`: load and check, no network. */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'Load and check tenancy files; no network',
  flags: ['--from-cdktf'],
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'from-cdktf': { type: 'string' } } });
    const result = await readDesiredState(io, { paths: positionals, fromCdktf: values['from-cdktf'] });
    const failed = reportDiagnostics(io, result.diagnostics);
    if (failed || !result.tenancy) {
      const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
      io.stderr.write(`Invalid: ${errors} error${errors === 1 ? '' : 's'}. Nothing was sent to CloudLink.\n`);
      return ExitCode.error;
    }
    const users = result.tenancy.accounts.reduce((n, a) => n + a.users.items.length, 0);
    io.stdout.write(`Valid: ${result.tenancy.accounts.length} accounts, ${users} users (partner ${result.tenancy.partner.id}).\n`);
    return ExitCode.ok;
  },
};
