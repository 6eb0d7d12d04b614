/** JSON outputs (`--format json` of plan, apply, drift and orders): exact data, safe to print. */
import { INVISIBLE_CHARACTERS } from './escape-terminal.js';

/**
 * `JSON.stringify(value, null, 2)` plus a newline, with every control, bidi or invisible
 * character (escape-terminal.ts) written as a `\uXXXX` escape. Guarantee: `JSON.parse` gives
 * back exactly the same values, and the text shows nothing raw that a terminal would act on
 * (JSON itself escapes only C0 controls; DEL, C1, bidi and zero-width characters it leaves raw).
 */
export function renderJson(value: unknown): string {
  // Outside strings JSON text is ASCII without those characters, so each one found is inside a string.
  const text = JSON.stringify(value, null, 2).replace(INVISIBLE_CHARACTERS, (ch) => (ch === '\n' ? ch : [...Array(ch.length).keys()].map((i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')));
  return `${text}\n`;
}
