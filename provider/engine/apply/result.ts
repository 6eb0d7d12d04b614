/** What happened to one change during an apply. */
import type { Change, ChangeKind } from '../types.js';
import type { ApplyVerb } from './changes.js';

/**
 * The outcome of one change: `done` (with the verb of what it did), `failed` (with the error
 * and, from CloudLink, its correlation id), `skipped` (something it depends on did not
 * succeed), `manual` (a person makes it in the Accounts Console) or `interrupted` (not
 * started because the apply was stopped).
 */
export interface ChangeResult {
  address: string;
  accountKey: string;
  kind: ChangeKind;
  status: 'done' | 'failed' | 'skipped' | 'manual' | 'interrupted';
  verb?: ApplyVerb;
  error?: string;
  correlationId?: string;
}

/** A change not started because the apply was stopped. */
export function notStarted(c: Change): ChangeResult {
  return { address: c.address, accountKey: c.accountKey, kind: c.kind, status: 'interrupted', error: 'not started: the apply was interrupted' };
}

/** A failed change, with the error's message and correlation id. */
export function failure(c: Change, e: unknown): ChangeResult {
  const message = e instanceof Error ? e.message : String(e);
  const correlationId = (e as { correlationId?: unknown }).correlationId;
  return { address: c.address, accountKey: c.accountKey, kind: c.kind, status: 'failed', error: message, ...(typeof correlationId === 'string' ? { correlationId } : {}) };
}
