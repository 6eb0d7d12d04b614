/**
 * Reads the YAML documents of one file with the `yaml` package: their errors, data and node
 * positions.
 *
 * A file declaring thousands of users costs the parser far more as one document (all its nodes
 * and syntax tokens alive at once: 330 MB for 30,000 users) than in parts. So when every
 * `accounts[n].users.items` sequence is written one `key: value` per line (item-lines.ts says
 * which are), the file is parsed as: the file without those lines (each `items:` then has an
 * empty value), and each sequence in slices of ITEMS_PER_SLICE items, each slice its own
 * document. The slices' items replace the empty values in the data; of their nodes only the
 * offsets are kept (SequencePositions), so positions are where the whole document has them.
 *
 * The parts are read exactly as the whole: item-lines.ts only takes lines that mean the same
 * alone as in their document; anything else (any error or alias in any part, a %YAML
 * directive, an `items:` that is not `accounts[n].users.items`, a slice that is not a sequence
 * of block maps of scalars) and the file is parsed whole, as before, so every error is reported
 * by the whole document's parse.
 */
import { isMap, isNode, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, visit, type Document, type Node, type YAMLError } from 'yaml';
import { findItemLines, type ItemLines } from './item-lines.js';
import { documentPositions, SequencePositions, type Positions } from './positions.js';

/** One YAML document of a file. */
export interface YamlDocument {
  errors: readonly YAMLError[];
  /** True when the document holds nothing (no node at all). */
  empty: boolean;
  at: Positions;
  /** The document's data; throws when it expands more than `maxAliasCount` aliases. */
  toJS(maxAliasCount: number): unknown;
}

/** A file's documents, and its line starts (positions of errors and nodes are offsets into the file). */
export interface YamlFile {
  lines: LineCounter;
  docs: YamlDocument[];
}

const OPTIONS = { prettyErrors: false, uniqueKeys: true } as const;

/** Items parsed together: a few dozen keep every slice's nodes short-lived, and the fixed cost per slice small. */
export const ITEMS_PER_SLICE = 64;

/** The file's documents: in parts when its user lists allow (see above), else whole. */
export function readYaml(text: string): YamlFile {
  return withPlainEnv(() => readInParts(text) ?? readWhole(text));
}

/**
 * Runs `parse` (synchronous) with `process.env` replaced by a plain copy of itself. The `yaml`
 * parser reads `process.env.LOG_TOKENS` once per token, 1.3 million times for 30,000 users, and
 * every read of the real `process.env` is a call into the runtime's environment lookup: about
 * 0.7 s of CPU. The copy holds the same variables, so the parser behaves the same, and no other
 * code runs before the real one is put back.
 */
function withPlainEnv<T>(parse: () => T): T {
  const real = process.env;
  try {
    process.env = { ...real };
  } catch {
    // An embedder that froze process.env: parse with it as it is.
    return parse();
  }
  try {
    return parse();
  } finally {
    process.env = real;
  }
}

/** The file parsed as it is. */
export function readWhole(text: string): YamlFile {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { ...OPTIONS, lineCounter: lines });
  const list = Array.isArray(docs) ? docs : [];
  return { lines, docs: list.map((doc) => ({ errors: doc.errors, empty: doc.contents === null, at: documentPositions(doc, lines), toJS: (n) => doc.toJS({ maxAliasCount: n }) })) };
}

/** The first pair of a block map whose key reads `key` (as positions.ts compares keys). */
function valueOf(node: unknown, key: string): { keyNode: Node; value: unknown } | undefined {
  if (!isMap(node) || node.flow) return undefined;
  const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  return pair && isNode(pair.key) ? { keyNode: pair.key, value: pair.value } : undefined;
}

function hasAlias(doc: Document): boolean {
  let found = false;
  visit(doc, {
    Alias() {
      found = true;
      return visit.BREAK;
    },
  });
  return found;
}

/** One sequence parsed in slices: its items' data and positions. */
interface Sequence {
  items: unknown[];
  positions: SequencePositions;
}

/** Parses the lines of one sequence in slices; undefined when a slice is not what item-lines.ts promised. */
function readSequence(text: string, found: ItemLines): Sequence | undefined {
  let positions: SequencePositions | undefined;
  const items: unknown[] = [];
  for (let first = 0; first < found.itemStarts.length; first += ITEMS_PER_SLICE) {
    const base = found.itemStarts[first] ?? found.start;
    const doc = parseDocument(text.slice(base, found.itemStarts[first + ITEMS_PER_SLICE] ?? found.end), OPTIONS);
    const seq = doc.contents;
    const count = Math.min(ITEMS_PER_SLICE, found.itemStarts.length - first);
    if (doc.errors.length > 0 || !isSeq(seq) || seq.flow || seq.items.length !== count) return undefined;
    positions ??= new SequencePositions(base + (seq.range?.[0] ?? 0));
    for (const item of seq.items) {
      if (!isMap(item) || item.flow) return undefined;
      const pairs = [];
      for (const p of item.items) {
        if (!isScalar(p.key) || !isScalar(p.value)) return undefined;
        pairs.push({ key: String(p.key.value), keyAt: base + (p.key.range?.[0] ?? 0), valueAt: base + (p.value.range?.[0] ?? 0) });
      }
      positions.addItem(base + (item.range?.[0] ?? 0), pairs);
    }
    const data = doc.toJS() as unknown[];
    for (const value of data) items.push(value);
  }
  return positions ? { items, positions } : undefined;
}

/** The file's line starts, from those of the file without the sequences and the sequences' own. */
function fileLines(text: string, restLines: LineCounter, found: readonly ItemLines[], shift: (offset: number) => number): LineCounter {
  const lines = new LineCounter();
  const addSequence = (f: ItemLines): void => {
    lines.addNewLine(f.start);
    for (let i = text.indexOf('\n', f.start); i >= 0 && i + 1 < f.end; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  };
  let next = 0;
  for (const start of restLines.lineStarts) {
    const at = shift(start);
    for (let f = found[next]; f && at >= f.end; f = found[next]) {
      addSequence(f);
      next += 1;
    }
    lines.addNewLine(at);
  }
  for (const f of found.slice(next)) addSequence(f);
  // The file without the sequences ends with a line break where a file ending on an item's line has none.
  if (!text.endsWith('\n') && lines.lineStarts[lines.lineStarts.length - 1] === text.length) lines.lineStarts.pop();
  return lines;
}

/** The file read in parts, or undefined when it must be parsed whole. */
export function readInParts(text: string): YamlFile | undefined {
  const found = findItemLines(text);
  if (found.length === 0) return undefined;
  let rest = '';
  let from = 0;
  /** Where each cut is in `rest`, and how many characters of the file the cuts up to it (itself included) took. */
  const cutAt: number[] = [];
  const cutUpTo: number[] = [];
  for (const f of found) {
    rest += text.slice(from, f.start);
    cutAt.push(rest.length);
    cutUpTo.push((cutUpTo[cutUpTo.length - 1] ?? 0) + f.end - f.start);
    from = f.end;
  }
  rest += text.slice(from);
  /** A file offset from one in `rest`: plus every cut at or before it (binary search: a file may have thousands of accounts). */
  const shift = (offset: number): number => {
    let low = 0;
    let high = cutAt.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((cutAt[mid] ?? 0) <= offset) low = mid + 1;
      else high = mid;
    }
    return offset + (low > 0 ? (cutUpTo[low - 1] ?? 0) : 0);
  };

  const restLines = new LineCounter();
  const docs = parseAllDocuments(rest, { ...OPTIONS, lineCounter: restLines });
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0 || d.directives?.yaml.explicit === true || hasAlias(d))) return undefined;

  // Each cut must have left `accounts[n].users.items` empty: the `items` key found is that one.
  const keyAtInRest = new Map(found.map((f, i) => [f.keyAt - (i > 0 ? (cutUpTo[i - 1] ?? 0) : 0), i]));
  /** For each document, the stand-ins it holds: the account's index, the empty value, the sequence's index in `found`. */
  const standIns = docs.map((): { account: number; node: unknown; index: number }[] => []);
  docs.forEach((doc, d) => {
    const accounts = valueOf(doc.contents, 'accounts')?.value;
    if (!isSeq(accounts) || accounts.flow) return;
    accounts.items.forEach((account, a) => {
      const items = valueOf(valueOf(account, 'users')?.value, 'items');
      const index = items ? keyAtInRest.get(items.keyNode.range?.[0] ?? -1) : undefined;
      if (!items || index === undefined || !isScalar(items.value) || items.value.value !== null) return;
      standIns[d]?.push({ account: a, node: items.value, index });
    });
  });
  const indexes = new Set(standIns.flat().map((s) => s.index));
  if (standIns.flat().length !== found.length || indexes.size !== found.length) return undefined;

  const sequences: Sequence[] = [];
  for (const f of found) {
    const sequence = readSequence(text, f);
    if (!sequence) return undefined;
    sequences.push(sequence);
  }
  const lines = fileLines(text, restLines, found, shift);
  return {
    lines,
    docs: docs.map((doc, d) => {
      const mine = standIns[d] ?? [];
      const apart = new Map(mine.map((s) => [s.node, sequences[s.index]?.positions as SequencePositions]));
      return {
        errors: doc.errors,
        empty: doc.contents === null,
        at: documentPositions(doc, lines, shift, apart),
        toJS: (n) => {
          const data = doc.toJS({ maxAliasCount: n }) as { accounts: { users: { items: unknown } }[] };
          for (const s of mine) {
            const users = data.accounts[s.account]?.users;
            if (users) users.items = sequences[s.index]?.items;
          }
          return data;
        },
      };
    }),
  };
}
