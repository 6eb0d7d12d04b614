/** Zod issues as `file:line:col` diagnostics, located in the parsed YAML (or JSON) document. */
import type { z } from 'zod';
import type { Document, LineCounter } from 'yaml';
import type { Diagnostic } from '../model/types.js';
import { locate, pathLabel } from './positions.js';

/**
 * One diagnostic per zod issue (one per unknown key), at the position of the offending value.
 * `prefix` is the path of the validated value inside `doc`; `mapPath` turns a path of the
 * validated value into a path of the document where the two differ.
 */
export function zodDiagnostics(
  error: z.ZodError,
  doc: Document,
  lines: LineCounter,
  file: string,
  prefix: PropertyKey[] = [],
  mapPath: (path: readonly PropertyKey[]) => PropertyKey[] = (p) => [...p],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of error.issues) {
    const fullPath = [...prefix, ...mapPath(issue.path)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const at = locate(doc, lines, file, fullPath, key);
        out.push({ severity: 'error', ...at, message: `${pathLabel([...fullPath, key])}: unknown field "${key}"; remove it or check its spelling against the schema` });
      }
      continue;
    }
    const at = locate(doc, lines, file, fullPath);
    const label = pathLabel(fullPath);
    out.push({ severity: 'error', ...at, message: label ? `${label}: ${issue.message}` : issue.message });
  }
  return out;
}

