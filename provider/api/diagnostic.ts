/** Client errors in the one `Diagnostic` shape the loader and the planner use too. */
import type { Diagnostic } from '../model/types.js';
import { CloudLinkError } from './errors.js';

/**
 * A failure of a CloudLink call (or any error) as a diagnostic: the client's stable code, the
 * message (which already names the route), and the correlation id Mitel support asks for.
 */
export function clientDiagnostic(e: unknown, context?: string): Diagnostic {
  const message = `${context ? `${context}: ` : ''}${e instanceof Error ? e.message : String(e)}`;
  if (!(e instanceof CloudLinkError)) return { severity: 'error', code: 'internal', message };
  return { severity: 'error', code: e.code, message, ...(e.correlationId ? { detail: `correlation id ${e.correlationId}` } : {}) };
}
