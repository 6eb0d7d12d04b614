/**
 * The HTTP trace (`--trace-http FILE`): one JSON line per request attempt with what Mitel
 * support asks for: method, route template, status, duration, attempt, the
 * `x-mitel-correlation-id`, and on 4xx/5xx the response body and headers. Every body,
 * header and message in it is redacted before it gets here (passwords, `sipPassword`,
 * tokens, client secrets, authorization headers).
 */
import type { WriteStream } from 'node:fs';
import { openPrivateAppendStream } from '../fs/write-private-file.js';

/** One traced attempt. Bodies and headers are already redacted. */
export interface TraceEvent {
  ts: string;
  method: string;
  /** The service: `auth`, `admin` or `billing`. */
  service: string;
  /** The route template, e.g. `/accounts/{accountId}/users`. */
  route: string;
  /** The path and query actually requested. */
  path: string;
  status: number | 'network-error' | 'timeout';
  ms: number;
  attempt: number;
  correlationId?: string;
  requestBody?: unknown;
  /** On 4xx/5xx only. */
  responseBody?: unknown;
  /** On 4xx/5xx only. */
  responseHeaders?: Record<string, unknown>;
  error?: string;
}

/** Receives trace events. */
export interface TraceSink {
  write(event: TraceEvent): void;
  close?(): Promise<void>;
}

/** A sink appending JSON lines to a file (`--trace-http FILE`), mode 0600 (it holds request data). */
export function fileTraceSink(file: string): TraceSink {
  const stream: WriteStream = openPrivateAppendStream(file);
  return {
    write: (event) => {
      stream.write(`${JSON.stringify(event)}\n`);
    },
    close: () => new Promise<void>((resolve) => stream.end(() => resolve())),
  };
}
