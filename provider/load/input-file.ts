/**
 * Reads one input file (tenancy YAML, bulk-import CSV or workbook, cdktf `tenancy.json`) the safe
 * way, for every loader:
 * - the path is resolved to its real path (symlinks followed) before any confinement check, so a
 *   symlink cannot lead out of the folders given on the command line;
 * - only regular files are read: a FIFO, a device (`/dev/zero`), a socket or a folder is refused
 *   (opened with `O_NONBLOCK` so a FIFO cannot hang the run, then checked with `fstat`);
 * - all files of one run share one byte budget (`InputBudget`); a file is never read past what is
 *   left of it, whatever size it claims.
 * Problems are returned as messages naming the file and the limit; nothing throws on bad input.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';

/** Bytes all inputs of one run may hold together (YAML, CSV, XLSX and its unpacked XML, tenancy.json): 32 MiB. */
export const INPUT_BUDGET_BYTES = 32 * 1024 * 1024;

/** `n` bytes as people read them ("32 MB"). */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return `${n} bytes`;
}

/**
 * The byte budget shared by every file one run reads. `take` charges bytes; once the budget is
 * spent every later charge fails, so many files just under a per-file limit cannot add up.
 */
export class InputBudget {
  private used = 0;

  constructor(readonly limit: number = INPUT_BUDGET_BYTES) {}

  /** Bytes still allowed. */
  get remaining(): number {
    return Math.max(0, this.limit - this.used);
  }

  /** Bytes charged so far. */
  get spent(): number {
    return this.used;
  }

  /** Charges `n` bytes; false (and nothing charged) when that would exceed the budget. */
  take(n: number): boolean {
    if (n > this.remaining) return false;
    this.used += n;
    return true;
  }

  /** The sentence that names the limit, for refusals. */
  describe(): string {
    return `the input budget of ${formatBytes(this.limit)} for all files of one run (YAML, CSV and Excel together; ${formatBytes(this.spent)} already read)`;
  }
}

/** What `readInputFile` gives: the bytes and the real path, or a refusal. */
export type InputFileResult =
  | { ok: true; bytes: Buffer; realPath: string }
  | { ok: false; reason: 'missing' | 'outside' | 'not-regular' | 'budget' | 'unreadable'; message: string };

/** The real path of a folder or file, or the path itself when it does not exist (so checks still run). */
export async function realPathOf(file: string): Promise<string> {
  try {
    return await realpath(file);
  } catch {
    return path.resolve(file);
  }
}

/** True when `file` is strictly inside one of `roots` (all real paths). */
export function isInside(file: string, roots: readonly string[]): boolean {
  return roots.some((root) => {
    const rel = path.relative(root, file);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  });
}

function kindOf(info: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Reads `file` within `budget`. With `roots` (real paths of the folders given on the command line)
 * the file's real path must lie inside one of them. The budget is charged with the bytes read.
 * Synchronous (a local file of at most the budget), so cdktf synthesis can use it too.
 */
export function readInputFileSync(file: string, budget: InputBudget, options: { roots?: readonly string[] } = {}): InputFileResult {
  let real: string;
  try {
    real = realpathSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing', message: 'does not exist' };
    return { ok: false, reason: 'unreadable', message: `cannot be read (${code ?? 'error'})` };
  }
  if (options.roots && !isInside(real, options.roots)) {
    return { ok: false, reason: 'outside', message: `resolves to ${real}, outside the folders given on the command line (symlinks are followed before this check)` };
  }
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO without a writer cannot hang the open. O_NOFOLLOW: a symlink swapped in since realpath is refused, not followed.
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, reason: 'unreadable', message: `cannot be read (${code ?? 'error'})` };
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return { ok: false, reason: 'not-regular', message: `is ${kindOf(info)}, not a regular file; only regular files are read` };
    if (info.size > budget.remaining) return { ok: false, reason: 'budget', message: `is ${info.size} bytes, over ${budget.describe()}; split the input or declare fewer users per file` };
    // Read at most what the budget allows, plus one byte to notice a file that grew past its size.
    const cap = budget.remaining;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, cap + 1 - total));
      const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > cap) return { ok: false, reason: 'budget', message: `grew past ${budget.describe()} while being read` };
    }
    budget.take(total);
    return { ok: true, bytes: Buffer.concat(chunks, total), realPath: real };
  } finally {
    closeSync(fd);
  }
}

/** `readInputFileSync` for async callers (the same checks; local reads of at most the budget). */
export async function readInputFile(file: string, budget: InputBudget, options: { roots?: readonly string[] } = {}): Promise<InputFileResult> {
  return readInputFileSync(file, budget, options);
}
