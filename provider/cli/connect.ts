/** How commands get a CloudLink client: from the environment, with an optional HTTP trace. */
import type { CliIo } from './io.js';
import type { Diagnostic } from '../model/types.js';
import { clientOptionsFromEnv, createCloudLinkClient, DEFAULT_MAX_CONCURRENCY, fileTraceSink, type CloudLinkClient } from '../api/index.js';
import { escapeTerminalValue as tv } from '../report/escape-terminal.js';

/** A client configured from `CLOUDLINK_*`, or diagnostics naming the variable to set. */
export function connectFromEnv(io: CliIo, opts: { traceFile?: string | undefined; parallelism?: number } = {}): CloudLinkClient | Diagnostic[] {
  const options = clientOptionsFromEnv(io.env);
  if (Array.isArray(options)) return options;
  const traceFile = opts.traceFile ?? io.env.CLOUDLINK_TRACE_FILE;
  return createCloudLinkClient({
    ...options,
    ...(traceFile ? { trace: fileTraceSink(traceFile) } : {}),
    // Accounts applied at once each get two requests in flight at least; never fewer than the client's default.
    ...(opts.parallelism ? { maxConcurrency: Math.max(DEFAULT_MAX_CONCURRENCY, opts.parallelism * 2) } : {}),
    // Retries are visible (a 429 is the rate budget at work, not worth a line).
    onRetry: (r) => {
      if (!r.cause.startsWith('HTTP 429')) io.stderr.write(`retrying ${r.route} (attempt ${r.attempt + 1} of ${r.attempts}) in ${Math.round(r.delayMs)} ms: ${tv(r.cause)}\n`);
    },
  });
}
