/** Apply progress on stderr: a redrawn bar on a terminal, counted lines otherwise. */
import type { CliIo } from './io.js';
import type { ApplyHooks } from '../engine/apply.js';

/** Hooks that report each finished change; `finish()` ends the bar line. */
export function progressHooks(io: CliIo, total: number): ApplyHooks & { finish(): void } {
  let done = 0;
  let failed = 0;
  const step = total <= 200 ? 1 : Math.ceil(total / 20);
  return {
    onChangeDone(change, result) {
      done += 1;
      if (result.status !== 'done') failed += 1;
      if (io.isTTY) {
        const width = 30;
        const filled = Math.round((done / Math.max(1, total)) * width);
        io.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}${failed ? ` (${failed} failed)` : ''}`);
      } else if (result.status !== 'done' || done % step === 0 || done === total) {
        const what = result.status === 'done' ? result.outcome ?? 'done' : `${result.status}: ${result.error ?? ''}`;
        io.stderr.write(`[${done}/${total}] ${change.address} ${what}\n`);
      }
    },
    finish() {
      if (io.isTTY) io.stderr.write('\n');
    },
  };
}
