import pc from 'picocolors';
import type { CommandDocs } from './options/define.js';

/**
 * The I/O a command may use. Commands never touch `process` directly, so tests run them
 * in-process with captured streams and a fake environment.
 */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** True when stdin and stderr are terminals (prompts and progress bars allowed). */
  isTTY: boolean;
  /**
   * Colour escapes allowed: the output is a terminal and neither `NO_COLOR` nor `--no-color`
   * says otherwise. Absent means no colour.
   */
  color?: boolean;
}

/** Exit codes of every command (tenancy-spec.md). */
export const ExitCode = {
  ok: 0,
  error: 1,
  changes: 2,
  guard: 3,
  /** Waiting for a person: apply left an account to create in the Accounts Console. */
  waiting: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A CLI command: parses its own arguments and returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  /** Every `--flag` the command accepts (used by `--help` and by the workflow lint test). */
  flags?: readonly string[];
  /** Usage, option definitions and examples: the source of `--help` and the README reference. */
  docs?: CommandDocs;
  run(args: string[], io: CliIo): Promise<number>;
}

/** True when the environment asks for no colour (`NO_COLOR` set and not empty, see no-color.org). */
export function noColorRequested(env: NodeJS.ProcessEnv): boolean {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}

/** The colour functions for this I/O: real escapes only when `io.color` is on and `NO_COLOR` is not set. */
export function paint(io: CliIo): ReturnType<typeof pc.createColors> {
  return pc.createColors(io.color === true && !noColorRequested(io.env));
}

/** The real process's I/O. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    color: Boolean(process.stdout.isTTY && process.stderr.isTTY) && !noColorRequested(process.env),
  };
}
