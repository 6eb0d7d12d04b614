/**
 * How commands read the desired state: YAML paths, or `--from-cdktf DIR` (the
 * `tenancy.json` files cdktf synthesis wrote), and how they print diagnostics.
 */
import type { CliIo } from './io.js';
import type { Diagnostic } from '../model/types.js';
import type { LoadResult } from '../load/index.js';
import { loadDeclaration } from '../load/declaration.js';
import { escapeTerminalValue as tv } from '../report/escape-terminal.js';

/** Reads the desired state the way every command does: `--from-cdktf DIR` or YAML paths. */
export function readDesiredState(io: CliIo, opts: { paths: string[]; fromCdktf?: string | undefined }): Promise<LoadResult> {
  return loadDeclaration({ ...opts, cwd: io.cwd });
}

/** One line per diagnostic: `file:line:col: message` (warnings say so). */
export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const where = d.file ? `${tv(d.file)}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}: ` : '';
      return `${where}${d.severity === 'warning' ? 'warning: ' : ''}${tv(d.message)}\n`;
    })
    .join('');
}

/** Writes diagnostics to stderr and says whether any of them is an error. */
export function reportDiagnostics(io: CliIo, diagnostics: readonly Diagnostic[]): boolean {
  io.stderr.write(formatDiagnostics(diagnostics));
  return diagnostics.some((d) => d.severity === 'error');
}
