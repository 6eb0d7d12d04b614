/**
 * Maps a path inside a parsed YAML document (e.g. `accounts.0.users.items.2.email`) back to
 * the line and column where it was written, so every diagnostic can say `file:line:col`.
 */
import { isMap, isNode, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { SourceLocation } from '../model/types.js';

/** Finds the node at `path`, or the deepest existing ancestor; `keyOf` returns the position of a map key instead. */
export function locate(doc: Document, lines: LineCounter, file: string, path: readonly PropertyKey[], keyOf?: string): SourceLocation {
  let node: unknown = doc.contents;
  let best: Node | undefined = isNode(node) ? node : undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      node = pair.value;
      if (isNode(node)) best = node;
      else if (isNode(pair.key)) best = pair.key;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (!item) break;
      node = item;
      if (isNode(node)) best = node;
    } else break;
  }
  if (keyOf !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === keyOf);
    if (pair && isNode(pair.key)) best = pair.key;
  }
  const offset = best?.range?.[0] ?? 0;
  const pos = lines.linePos(offset);
  return { file, line: pos.line, column: pos.col };
}

/** Formats a zod path the way users read it: `accounts[0].users.items[2].email`. */
export function pathLabel(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}
