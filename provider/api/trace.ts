/** The HTTP trace: one JSON line per request attempt, secrets redacted. */
import { createWriteStream, type WriteStream } from 'node:fs';

/** One traced attempt. Bodies are already redacted. */
export interface TraceEvent {
  ts: string;
  method: string;
  route: string;
  path: string;
  status: number | 'network-error';
  ms: number;
  attempt: number;
  requestBody?: unknown;
  responseBody?: unknown;
  error?: string;
}

/** Receives trace events. */
export interface TraceSink {
  write(event: TraceEvent): void;
  close?(): Promise<void>;
}

/** A sink appending JSON lines to a file (`--trace-http FILE`). */
export function fileTraceSink(file: string): TraceSink {
  const stream: WriteStream = createWriteStream(file, { flags: 'a' });
  return {
    write: (event) => {
      stream.write(`${JSON.stringify(event)}\n`);
    },
    close: () => new Promise<void>((resolve) => stream.end(() => resolve())),
  };
}
