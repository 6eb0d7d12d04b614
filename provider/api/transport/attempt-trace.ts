/**
 * One request attempt as a trace line (`--trace-http`): what was asked and answered, with
 * every request body, response body, header and message redacted or scrubbed before the
 * sink sees it.
 */
import { redact, scrub } from '../errors.js';
import type { TraceSink } from '../trace.js';
import type { ResponseHeaders } from './answer.js';

/** What the transport knows about one attempt when it traces it. */
export interface Attempt {
  method: string;
  service: string;
  /** The route template. */
  route: string;
  url: URL;
  status: number | 'network-error' | 'timeout';
  /** `performance.now()` when the attempt started. */
  started: number;
  attempt: number;
  /** The request body (a form body is the encoded string). */
  spec: { body?: unknown; form?: boolean };
  correlationId?: string | undefined;
  /** The response body (parsed JSON, else text), on 4xx/5xx only. */
  response?: unknown;
  /** The response headers, on 4xx/5xx only. */
  headers?: ResponseHeaders;
  error?: string;
}

/** Writes the attempt to the sink (nothing without one); no secret in `secrets`, no secret-looking field, reaches it. */
export function traceAttempt(sink: TraceSink | undefined, secrets: readonly string[], e: Attempt): void {
  if (!sink) return;
  let requestBody: unknown;
  if (e.spec.body !== undefined) requestBody = e.spec.form ? redact(Object.fromEntries(new URLSearchParams(String(e.spec.body)))) : redact(e.spec.body);
  const response = e.response === undefined ? undefined : typeof e.response === 'string' ? scrub(e.response, secrets) : redact(e.response);
  sink.write({
    ts: new Date().toISOString(),
    method: e.method,
    service: e.service,
    route: e.route,
    path: scrub(e.url.pathname + e.url.search, secrets),
    status: e.status,
    ms: Math.round(performance.now() - e.started),
    attempt: e.attempt,
    ...(e.correlationId ? { correlationId: e.correlationId } : {}),
    ...(requestBody !== undefined ? { requestBody } : {}),
    ...(response !== undefined && response !== '' ? { responseBody: response } : {}),
    ...(e.headers ? { responseHeaders: redact(e.headers) as Record<string, unknown> } : {}),
    ...(e.error ? { error: scrub(e.error, secrets) } : {}),
  });
}
