/**
 * HTML and XML rendering of data values (the HTML drift report, JUnit XML, our own HTML inside
 * Markdown comments).
 */
import { escapeInvisible, escapeTerminalValue } from './escape-terminal.js';

/**
 * A text (may be several lines) for HTML or XML element content or a quoted attribute.
 * Guarantee: `& < > " '` are entities, so no markup, attribute end or comment comes from the
 * text; characters XML forbids and controlling/invisible ones are shown as `\u{hex}`, so the
 * document stays well-formed and shows what it holds. TAB and LF are kept.
 */
export function escapeXml(text: string): string {
  return escapeInvisible(text, '\t\n')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** One data value for HTML or XML: {@link escapeXml} of the value made one line first (LF and TAB shown as `\u{a}`, `\u{9}`). */
export function escapeXmlValue(value: string): string {
  return escapeXml(escapeTerminalValue(value));
}
