/** Zod issues as `file:line:col` diagnostics, located in the parsed YAML (or JSON) document. */
import type { z } from 'zod';
import type { Diagnostic } from '../model/types.js';
import { locate, pathLabel, type Positions } from './positions.js';
import { knownFieldsAt } from './known-fields.js';
import { didYouMean } from '../model/did-you-mean.js';

/**
 * One diagnostic per zod issue (one per unknown key), at the position of the offending value.
 * `prefix` is the path of the validated value inside the document `at` locates in; `mapPath` turns a path of the
 * validated value into a path of the document where the two differ. An unknown field names the
 * nearest allowed one ("did you mean"), looked up at `schemaPrefix` + the issue's path in the
 * tenancy schema (the validated value's place in a YAML tenancy document).
 */
export function zodDiagnostics(
  error: z.ZodError,
  at: Positions,
  file: string,
  prefix: PropertyKey[] = [],
  mapPath: (path: readonly PropertyKey[]) => PropertyKey[] = (p) => [...p],
  schemaPrefix: readonly PropertyKey[] = prefix,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of error.issues) {
    const fullPath = [...prefix, ...mapPath(issue.path)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const where = locate(at, file, fullPath, key);
        const near = didYouMean(key, knownFieldsAt([...schemaPrefix, ...issue.path]));
        out.push({ severity: 'error', ...where, message: `${pathLabel([...fullPath, key])}: unknown field "${key}"; ${near ? `did you mean "${near}"?` : 'remove it or check its spelling against the schema'}` });
      }
      continue;
    }
    const where = locate(at, file, fullPath);
    const label = pathLabel(fullPath);
    out.push({ severity: 'error', ...where, message: label ? `${label}: ${issue.message}` : issue.message });
  }
  return out;
}

