/**
 * Finds and reads tenancy files safely: folders expand to their `*.yaml`/`*.yml` files
 * (sorted, recursively), files over 10 MB and non-UTF-8 bytes are refused with diagnostics.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../model/types.js';

/** Largest tenancy file read (10 MB). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

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

/** Reads every tenancy file under `paths`. Problems become diagnostics; readable files are returned. */
export async function readSourceFiles(paths: readonly string[], cwd: string): Promise<{ files: SourceFile[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const files: SourceFile[] = [];
  const seen = new Set<string>();
  if (paths.length === 0) {
    diagnostics.push({ severity: 'error', message: 'no tenancy files given; pass YAML files or folders, e.g. "examples/yaml", or --from-cdktf DIR' });
  }
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let list: string[];
    try {
      list = await expand(absolute);
    } catch {
      diagnostics.push({ severity: 'error', file: given, message: 'this path does not exist; check the spelling or the working directory' });
      continue;
    }
    if (list.length === 0) {
      diagnostics.push({ severity: 'error', file: given, message: 'this folder holds no .yaml or .yml files' });
    }
    for (const file of list) {
      if (seen.has(file)) continue;
      seen.add(file);
      const display = displayPath(file, cwd);
      const size = (await stat(file)).size;
      if (size > MAX_FILE_BYTES) {
        diagnostics.push({ severity: 'error', file: display, line: 1, column: 1, message: `the file is ${size} bytes, over the 10 MB limit; split the tenancy into several files` });
        continue;
      }
      const bytes = await readFile(file);
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        diagnostics.push({ severity: 'error', file: display, line: 1, column: 1, message: 'the file is not UTF-8 text; save it as UTF-8' });
        continue;
      }
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      files.push({ absolute: file, display, text });
    }
  }
  return { files, diagnostics };
}
