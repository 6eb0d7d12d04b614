/**
 * Maps a path inside a parsed YAML document (e.g. `accounts.0.users.items.2.email`) back to
 * the line and column where it was written, so every diagnostic can say `file:line:col`.
 */
import { isMap, isNode, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { SourceLocation } from '../model/types.js';

/** Where the nodes of one parsed document are. */
export interface Positions {
  lines: LineCounter;
  /** The offset of the node at `path`, or of its deepest existing ancestor; with `keyOf`, of that key when the walk ends on a map that has it. */
  offsetOf(path: readonly PropertyKey[], keyOf?: string): number;
  /** The sequence at `path` when it was parsed apart (its items' positions without a walk from the root each). */
  sequenceAt?(path: readonly PropertyKey[]): SequencePositions | undefined;
}

/**
 * The positions of a sequence of flat maps parsed apart from its document (read-yaml.ts): the
 * offsets `offsetOf` would find in the whole document's nodes, kept without those nodes.
 */
export class SequencePositions {
  /** Where each item (its map) starts. */
  private readonly itemAt: number[] = [];
  /** Item i's pairs are those from pairFrom[i] up to pairFrom[i + 1] in keys, keyAt and valueAt. */
  private readonly pairFrom: number[] = [0];
  /** Each pair's key as `locate` compares it (`String(key.value)`). */
  private readonly keys: string[] = [];
  private readonly keyAt: number[] = [];
  private readonly valueAt: number[] = [];

  /** `start`: the offset of the sequence itself (its first "- "). */
  constructor(readonly start: number) {}

  /** Adds the next item: where its map starts and, in order, its pairs' keys and key and value offsets. */
  addItem(at: number, pairs: readonly { key: string; keyAt: number; valueAt: number }[]): void {
    this.itemAt.push(at);
    for (const p of pairs) {
      this.keys.push(p.key);
      this.keyAt.push(p.keyAt);
      this.valueAt.push(p.valueAt);
    }
    this.pairFrom.push(this.keys.length);
  }

  /** `offsetOf` for a path inside the sequence (`rest` follows the sequence's own path), by the rules of the document walk below. */
  offsetOf(rest: readonly PropertyKey[], keyOf?: string): number {
    if (rest.length === 0) return this.start;
    const index = Number(rest[0]);
    if (!Number.isInteger(index) || index < 0 || index >= this.itemAt.length) return this.start;
    let best = this.itemAt[index] ?? this.start;
    const from = this.pairFrom[index] ?? 0;
    const to = this.pairFrom[index + 1] ?? from;
    const find = (key: string): number => {
      for (let j = from; j < to; j += 1) if (this.keys[j] === key) return j;
      return -1;
    };
    // The walk stays on the item's map until it enters a pair (whose value is a scalar: nothing to enter further).
    let onMap = true;
    for (const segment of rest.slice(1)) {
      if (!onMap) break;
      const j = find(String(segment));
      if (j < 0) break;
      best = this.valueAt[j] ?? best;
      onMap = false;
    }
    if (keyOf !== undefined && onMap) {
      const j = find(keyOf);
      if (j >= 0) best = this.keyAt[j] ?? best;
    }
    return best;
  }
}

/**
 * The positions of a parsed document. `shift` maps the document's offsets to the file's (when it
 * was parsed from a text with parts cut out); `apart` gives, for a node standing in for a
 * sequence parsed apart, that sequence's positions.
 */
export function documentPositions(doc: Document, lines: LineCounter, shift: (offset: number) => number = (o) => o, apart?: ReadonlyMap<unknown, SequencePositions>): Positions {
  /** Walks `path`: to where it ends or breaks off (`node`, and `best`, the deepest node found), or into a sequence parsed apart (`sequence`, `rest` the path left). */
  const walk = (path: readonly PropertyKey[]): { node: unknown; best: Node | undefined } | { sequence: SequencePositions; rest: readonly PropertyKey[] } => {
    let node: unknown = doc.contents;
    let best: Node | undefined = isNode(node) ? node : undefined;
    for (const [depth, segment] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        node = pair.value;
        const sequence = apart?.get(node);
        if (sequence) return { sequence, rest: path.slice(depth + 1) };
        if (isNode(node)) best = node;
        else if (isNode(pair.key)) best = pair.key;
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)];
        if (!item) break;
        node = item;
        if (isNode(node)) best = node;
      } else break;
    }
    return { node, best };
  };
  return {
    lines,
    offsetOf(path, keyOf) {
      const end = walk(path);
      if ('sequence' in end) return end.sequence.offsetOf(end.rest, keyOf);
      let best = end.best;
      if (keyOf !== undefined && isMap(end.node)) {
        const pair = end.node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === keyOf);
        if (pair && isNode(pair.key)) best = pair.key;
      }
      return shift(best?.range?.[0] ?? 0);
    },
    sequenceAt(path) {
      const end = walk(path);
      return 'sequence' in end && end.rest.length === 0 ? end.sequence : undefined;
    },
  };
}

function located(at: Positions, file: string, offset: number): SourceLocation {
  const pos = at.lines.linePos(offset);
  return { file, line: pos.line, column: pos.col };
}

/** Finds the node at `path`, or the deepest existing ancestor; `keyOf` returns the position of a map key instead. */
export function locate(at: Positions, file: string, path: readonly PropertyKey[], keyOf?: string): SourceLocation {
  return located(at, file, at.offsetOf(path, keyOf));
}

/** `locate` of `[...sequence, i, ...rest]` for each i below `count`; one walk in all when the sequence was parsed apart. */
export function locateEach(at: Positions, file: string, sequence: readonly PropertyKey[], count: number, rest: readonly PropertyKey[], keyOf?: string): SourceLocation[] {
  const apart = at.sequenceAt?.(sequence);
  const out: SourceLocation[] = [];
  for (let i = 0; i < count; i += 1) out.push(located(at, file, apart ? apart.offsetOf([i, ...rest], keyOf) : at.offsetOf([...sequence, i, ...rest], keyOf)));
  return out;
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
