/** Reads the desired state cdktf synthesis wrote: every `tenancy.json` under a folder, merged. */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic, Tenancy } from '../model/types.js';
import { checkAccounts } from '../model/checks.js';
import { parseCanonicalTenancy, type LoadResult } from './index.js';
import { displayPath } from './files.js';

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

/** Reads every `tenancy.json` under a cdktf output folder and merges their accounts. */
export async function readCdktfOutput(dir: string, cwd: string): Promise<LoadResult> {
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
  let merged: Tenancy | undefined;
  for (const file of files) {
    const shown = displayPath(file, cwd);
    const result = parseCanonicalTenancy(await readFile(file, 'utf8'), shown);
    diagnostics.push(...result.diagnostics);
    if (!result.tenancy) continue;
    if (!merged) merged = { ...result.tenancy, accounts: [...result.tenancy.accounts] };
    else if (merged.partner.id !== result.tenancy.partner.id) {
      diagnostics.push({ severity: 'error', file: shown, message: `partner "${result.tenancy.partner.id}" differs from "${merged.partner.id}"; synthesize one partner per run` });
    } else merged.accounts.push(...result.tenancy.accounts);
  }
  if (merged) diagnostics.push(...checkAccounts(merged.accounts));
  if (!merged || diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { tenancy: merged, diagnostics };
}

