import type { CliIo, Command } from './io.js';
import { ExitCode } from './io.js';

/** A placeholder for a command whose issue has not landed yet. */
export function notYetAvailable(name: string, summary: string): Command {
  return {
    name,
    summary,
    async run(_args: string[], io: CliIo): Promise<number> {
      io.stderr.write(`cloudlink-tenancy ${name}: not yet available in this version.\n`);
      return ExitCode.error;
    },
  };
}
