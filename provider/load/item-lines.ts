/**
 * Finds, in the text of a YAML file, the `items:` sequences written one `key: value` per line
 * (as `users.items` usually is), so read-yaml.ts can parse them apart, in slices, with the
 * same `yaml` parser. This is no YAML parser: it only says where such a sequence begins and
 * ends, and only for lines whose reading does not depend on anything around them:
 *
 *   <K spaces>items:
 *   <M spaces>- key: value          (M >= K; one such line starts each item)
 *   <M+2 spaces>key: value          (the item's other fields)
 *
 * where every value is on its line and cannot open anything that spans lines or reaches
 * outside its item: a plain scalar not starting with an indicator (no flow collection, block
 * scalar, anchor, alias or tag), a quoted scalar closed on the line, or nothing. Blank lines
 * and comment lines (indented at least M) may come between. The sequence must end where the
 * document goes on at indentation K or less (or at the end of the text); anything else, and
 * the lines are simply left to the whole-document parse.
 */

/** One such sequence: `[start, end)` holds its lines (without blank or comment lines after the last item). */
export interface ItemLines {
  /** Offset of the `items` key. */
  keyAt: number;
  /** Offset of the sequence's first line (the line after `items:`). */
  start: number;
  /** Offset just after the last line of its last item. */
  end: number;
  /** Offset of each line that starts an item (`- `), in order. */
  itemStarts: number[];
}

/** An `items:` key alone on its line (nothing after the colon but spaces). */
const ITEMS_KEY = /^( *)items:[ ]*\r?\n/gm;
/** A quoted scalar closed on its line, then at most a comment. */
const QUOTED = String.raw`(?:"(?:[^"\\\r\n]|\\[^\r\n])*"|'(?:[^'\r\n]|'')*')[ ]*(?:#[^\r\n]*)?`;
/** A plain scalar: not starting with a space or an indicator (a `-`, `?` or `:` only when a character that is no flow indicator follows). */
const PLAIN = String.raw`(?:[^\s\-?:,\[\]{}#&*!|>'"%@\x60]|[-?:][^\s,\[\]{}])[^\r\n]*`;
/** `key: value` (or `key:` with nothing, or only a comment) to the end of the line. */
const PAIR = new RegExp(String.raw`[A-Za-z_][\w-]*:(?:[ ]+(?:${QUOTED}|${PLAIN})|(?:[ ]+(?:#[^\r\n]*)?)?)(?:\r?\n|$)`, 'y');
/** A line of spaces only, or a comment line; captures the indentation. */
const BLANK_OR_COMMENT = /( *)(#[^\r\n]*)?(?:\r?\n|$)/y;

function indentAt(text: string, at: number): number {
  let i = at;
  while (text.charCodeAt(i) === 32) i += 1;
  return i - at;
}

/** Where the line starting at `at` ends (just after its line break), when it is `key: value` from `from`; else -1. */
function pairEnd(text: string, from: number): number {
  PAIR.lastIndex = from;
  return PAIR.test(text) ? PAIR.lastIndex : -1;
}

/** Where the blank or comment line at `at` ends, when it is one (a comment indented at least `minIndent`); else -1. */
function blankEnd(text: string, at: number, minIndent: number): number {
  if (at >= text.length) return -1;
  BLANK_OR_COMMENT.lastIndex = at;
  const m = BLANK_OR_COMMENT.exec(text);
  if (!m || m[0].length === 0) return -1;
  if (m[2] !== undefined && (m[1]?.length ?? 0) < minIndent) return -1;
  return BLANK_OR_COMMENT.lastIndex;
}

/** The sequence written under the `items:` line matched at `key`, or undefined when its lines are not all of the simple form. */
function itemLinesAt(text: string, key: RegExpExecArray): ItemLines | undefined {
  const k = key[1]?.length ?? 0;
  const start = key.index + key[0].length;
  const m = indentAt(text, start);
  if (m < k || !text.startsWith('- ', start + m)) return undefined;
  const itemStarts: number[] = [];
  let end = start;
  let at = start;
  for (;;) {
    const indent = indentAt(text, at);
    let next = -1;
    if (indent === m && text.startsWith('- ', at + m)) {
      next = pairEnd(text, at + m + 2);
      if (next >= 0) itemStarts.push(at);
    } else if (indent === m + 2) {
      next = pairEnd(text, at + indent);
    }
    if (next >= 0) {
      end = next;
      at = next;
      continue;
    }
    const skip = blankEnd(text, at, m);
    if (skip < 0) break;
    at = skip;
  }
  if (itemStarts.length === 0) return undefined;
  // What follows (past blank and comment lines of any indentation) must leave the sequence: indented K or less, and no further "- " of it.
  let after = end;
  for (let skip = blankEnd(text, after, 0); skip >= 0; skip = blankEnd(text, after, 0)) after = skip;
  if (after < text.length) {
    const indent = indentAt(text, after);
    if (indent > k || (indent === m && text[after + indent] === '-')) return undefined;
  }
  return { keyAt: key.index + k, start, end, itemStarts };
}

/** Every `items:` sequence of the simple form in `text`, in order (none inside another). */
export function findItemLines(text: string): ItemLines[] {
  const out: ItemLines[] = [];
  let from = 0;
  for (const key of text.matchAll(ITEMS_KEY)) {
    if (key.index < from) continue;
    const found = itemLinesAt(text, key);
    if (!found) continue;
    out.push(found);
    from = found.end;
  }
  return out;
}
