/**
 * Finds and reads tenancy files safely: folders expand to their `*.yaml`/`*.yml` files
 * (sorted, recursively). Every file is read through `input-file.ts`: regular files only (a FIFO
 * or a device is refused, never opened for blocking reads), all files of the run within one byte
 * budget, non-UTF-8 bytes refused. A file found by expanding a folder must have its real path
 * (symlinks followed) inside that folder's real path; a file named on the command line is read
 * where its real path is, since the operator named it.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../model/types.js';
import { InputBudget, INPUT_BUDGET_BYTES, readInputFile, realPathOf } from './input-file.js';

/** The diagnostic code of a refusal for the run's byte budget: nothing more is parsed after it. */
export const INPUT_BUDGET_CODE = 'input_budget';

/** Largest tenancy file read: the whole input budget of a run (`INPUT_BUDGET_BYTES`). */
export const MAX_FILE_BYTES = INPUT_BUDGET_BYTES;

/** One input file: its display path (relative to cwd) and text, or nothing when it could not be read. */
export interface SourceFile {
  /** Absolute path. */
  absolute: string;
  /** Path shown in diagnostics (relative to cwd when inside it). */
  display: string;
  text: string;
}

/** A path as shown to the user. */
export function displayPath(absolute: string, cwd: string): string {
  const relative = path.relative(cwd, absolute);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolute;
}

async function expand(absolute: string): Promise<string[]> {
  const info = await stat(absolute);
  if (!info.isDirectory()) return [absolute];
  const entries = await readdir(absolute, { withFileTypes: true });
  const names = entries.map((e) => e.name).sort();
  const out: string[] = [];
  for (const name of names) {
    const child = path.join(absolute, name);
    const entry = entries.find((e) => e.name === name);
    if (entry?.isDirectory()) out.push(...(await expand(child)));
    else if (/\.ya?ml$/i.test(name)) out.push(child);
  }
  return out;
}

/** Decodes UTF-8 strictly (BOM dropped), or undefined when the bytes are not UTF-8. */
export function decodeUtf8(bytes: Buffer): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Reads every tenancy file under `paths`, charging `budget` (a fresh one of `INPUT_BUDGET_BYTES`
 * when absent). Problems become diagnostics; readable files are returned.
 */
export async function readSourceFiles(
  paths: readonly string[],
  cwd: string,
  budget: InputBudget = new InputBudget(),
): Promise<{ files: SourceFile[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const files: SourceFile[] = [];
  const seen = new Set<string>();
  if (paths.length === 0) {
    diagnostics.push({ severity: 'error', message: 'no tenancy files given; pass YAML files or folders, e.g. "examples/yaml", or --from-cdktf DIR' });
  }
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let list: string[];
    let folder = false;
    try {
      folder = (await stat(absolute)).isDirectory();
      list = await expand(absolute);
    } catch {
      diagnostics.push({ severity: 'error', file: given, message: 'this path does not exist; check the spelling or the working directory' });
      continue;
    }
    if (list.length === 0) {
      diagnostics.push({ severity: 'error', file: given, message: 'this folder holds no .yaml or .yml files' });
    }
    const roots = folder ? [await realPathOf(absolute)] : undefined;
    for (const file of list) {
      const real = await realPathOf(file);
      if (seen.has(real)) continue;
      seen.add(real);
      const display = displayPath(file, cwd);
      const read = await readInputFile(file, budget, roots ? { roots } : {});
      if (!read.ok) {
        const hint = read.reason === 'outside' ? `; a YAML file found in folder ${given} must be inside it (name the file itself on the command line to read it)` : '';
        diagnostics.push({ severity: 'error', ...(read.reason === 'budget' ? { code: INPUT_BUDGET_CODE } : {}), file: display, line: 1, column: 1, message: `the file ${read.message}${hint}` });
        continue;
      }
      const text = decodeUtf8(read.bytes);
      if (text === undefined) {
        diagnostics.push({ severity: 'error', file: display, line: 1, column: 1, message: 'the file is not UTF-8 text; save it as UTF-8' });
        continue;
      }
      files.push({ absolute: file, display, text });
    }
  }
  return { files, diagnostics };
}
