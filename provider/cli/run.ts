import type { CliIo } from './io.js';
import { ExitCode } from './io.js';
import { commands } from './registry.js';

/** Usage text listing every command. */
export function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: cloudlink-tenancy <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Exit codes: 0 ok/no changes, 1 error, 2 changes or drift present, 3 refused by a guard.',
    'Credentials: CLOUDLINK_USERNAME/CLOUDLINK_PASSWORD or CLOUDLINK_CLIENT_ID/CLOUDLINK_CLIENT_SECRET;',
    'endpoints: CLOUDLINK_AUTH_URL, CLOUDLINK_ADMIN_URL.',
    '',
  ].join('\n');
}

/**
 * Runs the CLI with the given arguments (without `node` and the script) and returns the
 * exit code. Never calls `process.exit`; unexpected errors (bugs) are reported, exit 1.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.stdout : io.stderr).write(usage());
    return name ? ExitCode.ok : ExitCode.error;
  }
  if (name === '--version') {
    io.stdout.write('cloudlink-tenancy 0.1.0\n');
    return ExitCode.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`cloudlink-tenancy: unknown command "${name}". Run "cloudlink-tenancy --help" for the list.\n`);
    return ExitCode.error;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`cloudlink-tenancy ${command.name}: ${command.summary}\n${command.flags?.length ? `Options: ${command.flags.join(', ')}\n` : ''}See README.md for the details of each option.\n`);
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // A mistyped flag or a missing flag value is the user's mistake, not a bug: say so, without a stack.
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      const flags = command.flags?.length ? ` It accepts: ${command.flags.join(', ')}.` : '';
      io.stderr.write(`cloudlink-tenancy ${name}: ${(error as Error).message.split('. ')[0] ?? ''}.${flags}\n`);
      return ExitCode.error;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`cloudlink-tenancy ${name}: internal error (please report it):\n${message}\n`);
    return ExitCode.error;
  }
}
