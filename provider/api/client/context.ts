/**
 * What the service clients of one `HttpCloudLinkClient` share: the transport, the retry
 * tuning their re-reads follow, and the `$filter`s the service refused so far.
 */
import { Transport, type TransportOptions } from '../transport.js';
import { retryOptions, sleep } from '../transport/retry.js';

/** The shared state of the service clients. */
export interface ClientContext {
  readonly t: Transport;
  /** Attempts of a create, an order assignment or a batch round (`retry.attempts`, default 8). */
  readonly attempts: number;
  /** First backoff ceiling between those attempts (`retry.baseDelayMs`, default 250 ms). */
  readonly backoffMs: number;
  /** Filters the service refused (route + filter shape): not sent again. */
  readonly refusedFilters: Set<string>;
}

/** A context over a new transport built from the options. */
export function clientContext(options: TransportOptions): ClientContext {
  const retry = retryOptions(options.retry);
  return { t: new Transport(options), attempts: retry.attempts, backoffMs: retry.baseDelayMs, refusedFilters: new Set<string>() };
}

/** Waits a full-jitter backoff before another try at a write (at most 5 s): random up to `backoffMs * 2^attempt`. */
export function pauseBeforeRetry(c: ClientContext, attempt: number): Promise<void> {
  return sleep(Math.random() * Math.min(5000, c.backoffMs * 2 ** attempt));
}

/** Lower case, with `undefined` and `null` as the empty string (for case-insensitive matches). */
export const lower = (s: string | undefined | null): string => (s ?? '').toLowerCase();
