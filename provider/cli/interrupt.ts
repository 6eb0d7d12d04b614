/**
 * Ctrl-C during apply: the first SIGINT aborts (no new call starts, calls in flight finish,
 * the summary is printed); a second one exits at once (130, the shell's code for SIGINT).
 */
import type { CliIo } from './io.js';

/** An abort signal driven by SIGINT while `dispose()` has not been called. */
export function interruptOnSigint(io: CliIo): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) {
      io.stderr.write('\nSecond Ctrl-C: exiting now; some calls may not have finished. Re-run apply to converge.\n');
      process.exit(130);
    }
    io.stderr.write('\nInterrupted: no new call starts; waiting for the calls in flight to finish (Ctrl-C again to exit at once).\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}
