/**
 * Network failures (no HTTP answer): which kind they are (timeout or network, sent or not,
 * worth retrying), how to say them in words a person can act on, and the error a call
 * throws when it gives up on one.
 */
import { errors as undiciErrors } from 'undici';
import { CloudLinkError } from '../errors.js';
import { correlationNote } from './answer.js';

/** Failures before the request left: safe to repeat any call. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
/** Failures after the request may have left (the connection was cut). */
const CUT_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ETIMEDOUT']);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** What kind of network failure a call met. */
export interface Failure {
  kind: 'timeout' | 'network';
  /** The request may have reached the service. */
  sent: boolean;
  /** Worth another attempt (not a TLS or programming error). */
  retryable: boolean;
}

/** The transport's own timer ran out: the request was sent, and another attempt may do better. */
export const TIMED_OUT: Failure = { kind: 'timeout', sent: true, retryable: true };

/** The error code of a network failure (undici wraps the system error in `cause`). */
function errorCode(e: unknown): string {
  const own = (e as { code?: unknown } | null)?.code;
  const cause = (e as { cause?: { code?: unknown } } | null)?.cause?.code;
  for (const c of [cause, own]) if (typeof c === 'string' && !c.startsWith('UND_ERR_')) return c;
  return typeof own === 'string' ? own : typeof cause === 'string' ? cause : '';
}

/**
 * A network failure in words a person can act on: what happened to the host, with the system
 * code (ECONNREFUSED, ENOTFOUND, a TLS certificate code) and what to check.
 */
export function describeNetworkFailure(e: unknown, host: string): string {
  const code = errorCode(e);
  if (code === 'ECONNREFUSED') return `connection to ${host} refused (ECONNREFUSED): nothing listens there; check the CLOUDLINK_*_URL and that the service is up`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `DNS lookup of ${host.replace(/:\d+$/, '')} failed (${code}): check the host name in the CLOUDLINK_*_URL and this machine's DNS`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${host} is unreachable from this machine (${code}): check the network, proxy or firewall`;
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return `connecting to ${host} timed out (${code}): check the network, proxy or firewall`;
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)) return `TLS with ${host} failed (${code}): the certificate is not trusted; behind a TLS-inspecting proxy set CLOUDLINK_CA_FILE to its CA (PEM)`;
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return `${host} cut the connection (${code})`;
  const message = e instanceof Error ? e.message : String(e);
  return `${host}: ${message}${code ? ` (${code})` : ''}`;
}

/**
 * Classifies a failed request: timeouts and cut connections count as sent, connect failures
 * as not sent; TLS failures are not retried (nor sent), anything unknown is not retried and
 * counts as possibly sent.
 */
export function classifyNetworkFailure(e: unknown): Failure {
  const code = (e as { code?: string }).code ?? '';
  if (TIMEOUT_CODES.has(code) || e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.BodyTimeoutError) return TIMED_OUT;
  if (CONNECT_CODES.has(code) || e instanceof undiciErrors.ConnectTimeoutError) return { kind: 'network', sent: false, retryable: true };
  if (CUT_CODES.has(code) || e instanceof undiciErrors.SocketError) return { kind: 'network', sent: true, retryable: true };
  // TLS (untrusted certificate) and anything unknown: not retried; unknown counts as possibly sent.
  const tls = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code);
  return { kind: 'network', sent: !tls, retryable: false };
}

/** The call a network failure ended, as the error will name it. */
export interface FailedCall {
  /** `METHOD /template`. */
  label: string;
  method: string;
  host: string;
  /** The call writes (not a GET): a failure after sending may have written. */
  write: boolean;
  /** The attempt that failed last (1-based). */
  attempt: number;
  timeoutMs: number;
}

/**
 * The error a call throws when it gives up after a network failure: what happened (timed
 * out, connection cut, host unreachable, with `cause` already scrubbed), how many attempts
 * it took, and whether the write may have happened.
 */
export function networkFailureError(f: Failure, call: FailedCall, cause: string): CloudLinkError {
  const { label, host, write, attempt, timeoutMs } = call;
  const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';
  const what = f.kind === 'timeout' ? `timed out after ${timeoutMs} ms waiting for the answer from ${host}${tries}` : f.sent ? `the connection was cut before an answer arrived (${cause})${tries}` : `could not reach ${host}: ${cause}${tries}`;
  return new CloudLinkError(f.kind, `${label}: ${what}${write && f.sent ? '; the write may have happened' : ''}${correlationNote(undefined)}`, f.retryable, { route: label, method: call.method, sent: f.sent });
}
