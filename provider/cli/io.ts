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
}

/** Exit codes of every command (tenancy-spec.md). */
export const ExitCode = {
  ok: 0,
  error: 1,
  changes: 2,
  guard: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A CLI command: parses its own arguments and returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  /** Every `--flag` the command accepts (used by `--help` and by the workflow lint test). */
  flags?: readonly string[];
  run(args: string[], io: CliIo): Promise<number>;
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
  };
}
