/** Apply progress on stderr: a redrawn bar on a terminal, counted lines otherwise. */
import type { CliIo } from './io.js';
import type { ApplyHooks } from '../engine/apply/apply.js';
import { escapeTerminalValue as tv } from '../report/escape-terminal.js';

/** Hooks that report each finished change; `finish()` ends the bar line. `total` may come later from `onApplyStart`. */
export function progressHooks(io: CliIo, initialTotal = 0): ApplyHooks & { finish(): void } {
  let total = initialTotal;
  let done = 0;
  let failed = 0;
  let drawn = false;
  const step = (): number => (total <= 200 ? 1 : Math.ceil(total / 20));
  return {
    onApplyStart(n) {
      total = n;
    },
    onChangeDone(change, result) {
      done += 1;
      if (result.status === 'failed' || result.status === 'skipped') failed += 1;
      if (io.isTTY) {
        const width = 30;
        const filled = Math.round((done / Math.max(1, total)) * width);
        io.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}${failed ? ` (${failed} failed)` : ''}`);
        drawn = true;
      } else if (result.status !== 'done' || done % step() === 0 || done === total) {
        const what = result.status === 'done' ? result.verb ?? 'done' : `${result.status}: ${tv(result.error ?? '')}`;
        io.stderr.write(`[${done}/${total}] ${tv(change.address)} ${what}\n`);
      }
    },
    finish() {
      if (drawn) io.stderr.write('\n');
      drawn = false;
    },
  };
}
