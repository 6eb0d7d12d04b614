import { PassThrough, Readable } from 'node:stream';
import type { CliIo } from '../../provider/cli/io.js';

/** A CliIo whose stdout/stderr are captured as strings, for in-process CLI tests. */
export interface CapturedIo extends CliIo {
  out(): string;
  err(): string;
}

export function captureIo(options: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: string; isTTY?: boolean } = {}): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => out.push(c.toString('utf8')));
  stderr.on('data', (c: Buffer) => err.push(c.toString('utf8')));
  return {
    stdout,
    stderr,
    stdin: Readable.from([options.stdin ?? '']),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    isTTY: options.isTTY ?? false,
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
