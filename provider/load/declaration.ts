/** Where a declaration comes from: YAML paths, or `--from-cdktf DIR` (the `tenancy.json` files cdktf synthesis wrote). */
import { loadTenancy, type LoadResult } from './index.js';
import { readCdktfOutput } from './cdktf-output.js';

/** The source of a declaration: YAML paths or a cdktf output folder, never both. */
export interface DeclarationSource {
  paths: readonly string[];
  fromCdktf?: string | undefined;
  cwd: string;
}

/** Reads the declaration the way every command does. */
export async function loadDeclaration(source: DeclarationSource): Promise<LoadResult> {
  if (source.fromCdktf === undefined) return loadTenancy(source.paths, { cwd: source.cwd });
  if (source.paths.length > 0) return { diagnostics: [{ severity: 'error', message: 'give either YAML paths or --from-cdktf DIR, not both' }] };
  return readCdktfOutput(source.fromCdktf, source.cwd);
}
