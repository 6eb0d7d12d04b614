/** Reads the desired state cdktf synthesis wrote: every `tenancy.json` under a folder, merged. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic, Tenancy } from '../model/types.js';
import { checkAccounts } from '../model/checks.js';
import { parseCanonicalTenancy, type LoadResult } from './index.js';
import { decodeUtf8, displayPath } from './files.js';
import { InputBudget, readInputFile, realPathOf } from './input-file.js';

async function findTenancyJson(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await findTenancyJson(full)));
    else if (entry.name === 'tenancy.json') out.push(full);
  }
  return out;
}

/**
 * Reads every `tenancy.json` under a cdktf output folder and merges their accounts. Each file is
 * read like every input (`input-file.ts`: regular files only, real path inside the folder, one
 * byte budget for the run) and validated like YAML (`tenancy-json.ts`).
 */
export async function readCdktfOutput(dir: string, cwd: string, budget: InputBudget = new InputBudget()): Promise<LoadResult> {
  const absolute = path.resolve(cwd, dir);
  try {
    if (!(await stat(absolute)).isDirectory()) throw new Error('not a directory');
  } catch {
    return { diagnostics: [{ severity: 'error', file: dir, message: 'this --from-cdktf folder does not exist; run "npx cdktf synth" first (output goes to cdktf.out)' }] };
  }
  const files = await findTenancyJson(absolute);
  if (files.length === 0) {
    return { diagnostics: [{ severity: 'error', file: dir, message: 'no tenancy.json under this folder; run "npx cdktf synth" and pass its output folder (cdktf.out)' }] };
  }
  const diagnostics: Diagnostic[] = [];
  const roots = [await realPathOf(absolute)];
  let merged: Tenancy | undefined;
  for (const file of files) {
    const shown = displayPath(file, cwd);
    const read = await readInputFile(file, budget, { roots });
    const text = read.ok ? decodeUtf8(read.bytes) : undefined;
    if (text === undefined) {
      diagnostics.push({ severity: 'error', file: shown, line: 1, column: 1, message: read.ok ? 'the file is not UTF-8 text; re-run "cdktf synth"' : `the file ${read.message}` });
      continue;
    }
    const result = parseCanonicalTenancy(text, shown);
    diagnostics.push(...result.diagnostics);
    if (!result.tenancy) continue;
    if (!merged) merged = { ...result.tenancy, accounts: [...result.tenancy.accounts] };
    else if (merged.partner.id !== result.tenancy.partner.id) {
      diagnostics.push({ severity: 'error', file: shown, message: `partner "${result.tenancy.partner.id}" differs from "${merged.partner.id}"; synthesize one partner per run` });
    } else merged.accounts.push(...result.tenancy.accounts);
  }
  // Across files; what one file's own check reported already is not repeated.
  const known = new Set(diagnostics.map((d) => `${d.file}:${d.line}:${d.message}`));
  if (merged && files.length > 1) diagnostics.push(...checkAccounts(merged.accounts).filter((d) => !known.has(`${d.file}:${d.line}:${d.message}`)));
  if (!merged || diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { tenancy: merged, diagnostics };
}

