/**
 * Runs the built CLI (`dist/provider/cli/main.js`) as a child process under `/usr/bin/time -v`
 * and returns its exit code, wall time, peak RSS (the child's own, from time's report) and
 * output. Benchmarks use it so a figure is what a partner's CI job would see.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** What one CLI run cost. */
export interface CliRun {
  code: number | null;
  /** Wall-clock seconds from spawn to exit. */
  seconds: number;
  /** Peak resident set size of the CLI process, in MB (0 when /usr/bin/time is missing). */
  maxRssMB: number;
  /** CPU seconds (user + system) of the CLI process (0 when /usr/bin/time is missing). */
  cpuSeconds: number;
  stdout: string;
  stderr: string;
}

const TIME = '/usr/bin/time';

/** Runs `node dist/provider/cli/main.js …args` with `env` added to this process's environment. */
export async function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const timed = existsSync(TIME);
  const argv = [process.execPath, 'dist/provider/cli/main.js', ...args];
  const started = performance.now();
  const child = spawn(timed ? TIME : argv[0] as string, timed ? ['-v', ...argv] : argv.slice(1), { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const seconds = (performance.now() - started) / 1000;
  const num = (re: RegExp): number => Number(re.exec(stderr)?.[1] ?? 0);
  const maxRssMB = num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024;
  const cpuSeconds = num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/);
  if (timed) stderr = stderr.replace(/\n?\s*Command being timed:[\s\S]*$/, '');
  return { code, seconds, maxRssMB, cpuSeconds, stdout, stderr };
}
