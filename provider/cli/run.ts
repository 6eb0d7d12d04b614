import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CliIo } from './io.js';
import { ExitCode, paint } from './io.js';
import { commands } from './registry.js';
import { commandHelp } from './options/help.js';
import { packageRoot } from './package-root.js';
import { joinNegativeValues, parseErrorSentence } from './arg-hints.js';
import { didYouMean } from '../model/did-you-mean.js';

/** The version in this package's package.json. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** Usage text listing every command. */
export function usage(colors: { bold(t: string): string } = { bold: (t) => t }): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: cloudlink-tenancy <command> [options]',
    '',
    colors.bold('Commands:'),
    ...lines,
    '',
    'Run "cloudlink-tenancy <command> --help" for its options, defaults and an example.',
    'Every command also takes --no-color (as does the NO_COLOR variable); --version prints the version.',
    '',
    'Exit codes: 0 ok/no changes, 1 error, 2 changes or drift present, 3 refused by a guard, 4 waiting for a person (an account to create in the Accounts Console).',
    'Credentials: CLOUDLINK_USERNAME/CLOUDLINK_PASSWORD or CLOUDLINK_CLIENT_ID/CLOUDLINK_CLIENT_SECRET (+ CLOUDLINK_ACCOUNT_ID);',
    'endpoints: CLOUDLINK_AUTH_URL, CLOUDLINK_ADMIN_URL, CLOUDLINK_BILLING_URL.',
    '',
  ].join('\n');
}

/**
 * Runs the CLI with the given arguments (without `node` and the script) and returns the
 * exit code. Never calls `process.exit`; unexpected errors (bugs) are reported, exit 1.
 * `--no-color` is taken out of the arguments wherever it stands and turns colour off.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--no-color')) {
    io = { ...io, color: false };
    argv = argv.filter((a) => a !== '--no-color');
  }
  const colors = paint(io);
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    if (topic) {
      io.stdout.write(commandHelp(topic, colors));
      return ExitCode.ok;
    }
    (name ? io.stdout : io.stderr).write(usage(colors));
    return name ? ExitCode.ok : ExitCode.error;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout.write(`cloudlink-tenancy ${packageVersion()}\n`);
    return ExitCode.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const near = didYouMean(name, commands.map((c) => c.name));
    io.stderr.write(`cloudlink-tenancy: unknown command "${name}"${near ? `; did you mean "${near}"?` : '.'} Run "cloudlink-tenancy --help" for the list.\n`);
    return ExitCode.error;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(commandHelp(command, colors));
    return ExitCode.ok;
  }
  const args = joinNegativeValues(rest, command.docs?.options);
  try {
    return await command.run(args, io);
  } catch (error) {
    // A mistyped flag or a missing flag value is the user's mistake, not a bug: say so, without a stack.
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      const sentence = parseErrorSentence(command, args, error as Error & { code: string });
      io.stderr.write(`cloudlink-tenancy ${name}: ${sentence}${/[.?]$/.test(sentence) ? '' : '.'} See "cloudlink-tenancy ${name} --help".\n`);
      return ExitCode.error;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`cloudlink-tenancy ${name}: internal error (please report it):\n${message}\n`);
    return ExitCode.error;
  }
}
