/**
 * When the transport tries again and how long it waits: retry tuning with its defaults,
 * full-jitter exponential backoff, the Retry-After header, and telling the `onRetry` listener.
 */
import { DEFAULT_RETRY_ATTEMPTS, type RetryEvent, type RetryOptions, type TransportOptions } from './types.js';

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The retry tuning in force: the options given over the defaults (8 attempts, 250 ms first ceiling, 15 s largest); a value given as `undefined` keeps its default. */
export function retryOptions(given: Partial<RetryOptions> | undefined): RetryOptions {
  return {
    attempts: given?.attempts ?? DEFAULT_RETRY_ATTEMPTS,
    baseDelayMs: given?.baseDelayMs ?? 250,
    maxDelayMs: given?.maxDelayMs ?? 15_000,
  };
}

/** Full-jitter backoff before attempt `attempt + 1`: random up to `baseDelayMs * 2^(attempt-1)`, capped at `maxDelayMs`. */
export function backoffDelay(retry: RetryOptions, attempt: number): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  return Math.random() * ceiling;
}

/** A Retry-After header in ms (seconds or an HTTP date, never negative); `undefined` when absent or unreadable. */
export function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Tells the options' `onRetry` (a failing listener never breaks the call). */
export function notifyRetry(options: Pick<TransportOptions, 'onRetry'>, event: RetryEvent): void {
  try {
    options.onRetry?.(event);
  } catch {
    // A listener's own failure is not the call's.
  }
}
