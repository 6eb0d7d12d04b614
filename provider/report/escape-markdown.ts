/**
 * Markdown rendering of data values (GitHub-flavoured Markdown: PR and issue comments). Every
 * Markdown renderer puts a value from a declaration or from live CloudLink through one of these
 * functions; none interpolates a value raw.
 *
 * The approach: a value is shown either inside code (an inline code span or a fenced block whose
 * fence is longer than any backtick run in it, where Markdown, HTML, mentions and links are inert)
 * or, in prose, with every Markdown-significant character escaped. In all forms the value is one
 * line first (newlines and other controls, bidi and zero-width characters become visible
 * `\u{hex}` escapes, see escape-terminal.ts), so it can never start a line of its own: no
 * heading, list item, fence, table row, HTML block or `<!--` comment from data.
 */
import { escapeTerminalValue } from './escape-terminal.js';
import { escapeXml } from './escape.js';

/** Longest inline value shown in full; longer ones are cut with `…` (the full value is in the JSON). */
export const MARKDOWN_VALUE_LIMIT = 300;

function cut(value: string, max: number): string {
  const chars = [...value];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : value;
}

/** The longest run of backticks in `text` (0 when none). */
export function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/**
 * A value as an inline code span. Guarantee: the span cannot be closed early (its fence is one
 * backtick longer than any run in the value), holds no line break, and shows the value exactly
 * (padding spaces are the ones CommonMark strips). `table: true` also escapes `|` as GFM tables
 * require, so the value stays in its cell.
 */
export function markdownCode(value: string, options: { table?: boolean; max?: number } = {}): string {
  let text = cut(escapeTerminalValue(value), options.max ?? MARKDOWN_VALUE_LIMIT);
  if (options.table) text = text.replace(/\|/g, '\\|');
  if (text === '') return '` `';
  const fence = '`'.repeat(longestBacktickRun(text) + 1);
  return `${fence} ${text} ${fence}`;
}

/**
 * Lines as a fenced code block. Guarantee: the fence (at least three backticks) is longer than
 * any backtick run in the lines, and each line is one line (controls shown escaped), so nothing
 * in the lines can close the block or be read as Markdown or HTML.
 */
export function markdownFence(lines: readonly string[], info = ''): string {
  const safe = lines.map(escapeTerminalValue);
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(safe.join('\n')) + 1));
  return [`${fence}${info}`, ...safe, fence].join('\n');
}

/** ASCII punctuation CommonMark lets a backslash escape, minus the ones written as entities below. */
const BACKSLASHED = /[\\`*_{}[\]()#+\-.!|~"'=$%^,?/]/g;

/**
 * A value in Markdown prose (outside code). Guarantee: it renders as the literal text of the
 * value on one line: every Markdown-significant character is backslash-escaped, `<` `>` `&`
 * are entities (no raw HTML, no comment), `:` is an entity (no autolink, no `javascript:` link,
 * no emoji shortcode) and `@` is followed by a zero-width space (no @mention, no e-mail autolink).
 */
export function markdownText(value: string, options: { max?: number } = {}): string {
  return cut(escapeTerminalValue(value), options.max ?? Number.MAX_SAFE_INTEGER)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(BACKSLASHED, (c) => `\\${c}`)
    .replace(/:/g, '&#58;')
    .replace(/@/g, '@\u200b');
}

/**
 * A value inside our own HTML in a comment (`<summary><code>…</code></summary>`). Guarantee:
 * entity-escaped and on one line, so it can neither add markup nor end the HTML block.
 */
export function markdownHtml(value: string, options: { max?: number } = {}): string {
  return escapeXml(cut(escapeTerminalValue(value), options.max ?? MARKDOWN_VALUE_LIMIT));
}
