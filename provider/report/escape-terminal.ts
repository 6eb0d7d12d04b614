/**
 * Terminal rendering of values that come from a declaration or from live CloudLink (a
 * customer's admin can type anything into the console). Every renderer for a terminal or a
 * plain-text file routes its data values through here; the other media (Markdown, HTML/XML,
 * CSV, YAML) start from the same notion of "invisible or controlling character".
 */
import stringWidth from 'string-width';

/**
 * Characters a value must never carry raw to a reader: C0 controls (incl. TAB, CR, LF), DEL,
 * C1 controls (0x80–0x9f, e.g. the one-byte CSI 0x9b), bidi embeddings/overrides/isolates and
 * marks (U+202A–202E, U+2066–2069, U+200E/200F, U+061C), zero-width and invisible characters
 * (U+200B–200D, U+2060–2064, U+FEFF, soft hyphen, Hangul fillers, Mongolian vowel separator),
 * line/paragraph separators (U+2028/2029), interlinear annotation controls (U+FFF9–FFFB),
 * the noncharacters U+FFFE/FFFF (XML forbids them),
 * Unicode tag characters (U+E0000–E007F, "ASCII smuggling") and lone surrogates.
 */
export const INVISIBLE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb\ufffe\uffff\u{e0000}-\u{e007f}\ud800-\udfff]/gu;

/** `\u{1b}` for ESC: the visible escape of one character. */
export function visibleEscape(ch: string): string {
  return `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`;
}

/** True when `value` holds a character of {@link INVISIBLE_CHARACTERS}. */
export function hasInvisible(value: string): boolean {
  INVISIBLE_CHARACTERS.lastIndex = 0;
  const found = INVISIBLE_CHARACTERS.test(value);
  INVISIBLE_CHARACTERS.lastIndex = 0;
  return found;
}

/**
 * One data value for a terminal line. Guarantee: the result holds no character of
 * {@link INVISIBLE_CHARACTERS} (so no newline, no escape sequence, no bidi reordering, nothing
 * invisible); each such character is shown as `\u{hex}`, everything else is kept as it is.
 * Idempotent on its own output.
 */
export function escapeTerminalValue(value: string): string {
  return value.replace(INVISIBLE_CHARACTERS, visibleEscape);
}

/**
 * A whole text of lines for a terminal: like {@link escapeTerminalValue} but keeps LF, the line
 * separator of our own output. A safety net over renderers that already escape each value.
 */
export function escapeTerminalText(text: string): string {
  return escapeInvisible(text, '\n');
}

/** Shows every character of {@link INVISIBLE_CHARACTERS} as `\u{hex}` except those listed in `keep`. */
export function escapeInvisible(text: string, keep: string): string {
  // Most texts hold no invisible character but the kept ones (every line end of a 30,000-user
  // plan): one test then, instead of a callback per line end and a copy of the whole text.
  if (!otherThan(keep).test(text)) return text;
  return text.replace(INVISIBLE_CHARACTERS, (ch) => (keep.includes(ch) ? ch : visibleEscape(ch)));
}

const OTHER_THAN = new Map<string, RegExp>();
/** A test for any character of {@link INVISIBLE_CHARACTERS} but those in `keep` (not global: `test` keeps no state). */
function otherThan(keep: string): RegExp {
  let re = OTHER_THAN.get(keep);
  if (!re) {
    const kept = [...keep].map((ch) => `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`).join('');
    re = new RegExp(kept ? `(?![${kept}])${INVISIBLE_CHARACTERS.source}` : INVISIBLE_CHARACTERS.source, 'u');
    OTHER_THAN.set(keep, re);
  }
  return re;
}

/**
 * A value as one argument of a shell command we suggest (`--email …`). Guarantee: pasted into
 * a POSIX shell it is one word with no expansion (`$( )`, backticks, `;`, globs): plain when made
 * of safe characters only, else single-quoted; and it is shown with {@link escapeTerminalValue}.
 */
export function shellArgument(value: string): string {
  return escapeTerminalValue(shellWord(value));
}

/** One argument for a POSIX shell: as it is when made of safe characters only, else single-quoted (no expansion). */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The columns `text` takes on a terminal (after {@link escapeTerminalValue}), measured by
 * string-width: East Asian wide and full-width characters and emoji count 2, combining marks 0.
 */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/** `text` padded with spaces to `width` terminal columns (see {@link displayWidth}). */
export function padColumns(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
