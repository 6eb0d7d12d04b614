/**
 * The loader reads `users.items` written one `key: value` per line in parts (read-yaml.ts,
 * item-lines.ts). These tests hold it to the whole-document parse: the same data, line starts,
 * node positions for every path (and for paths that do not exist), and the same loader result
 * (tenancy, diagnostics with file:line:col) on a table of documents, including ones that must
 * not be read in parts, and on generated item blocks (seeded) mixing ordinary lines with
 * every YAML construct a line can start. The work stays linear: each character goes to the parser once, and no
 * parsed document grows with the number of users.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as yaml from 'yaml';
import { findItemLines } from '../../provider/load/item-lines.js';
import { ITEMS_PER_SLICE, readInParts, readWhole, readYaml, type YamlFile } from '../../provider/load/read-yaml.js';
import { prng } from '../helpers/generate.js';

const HEADER = 'apiVersion: tenancy.cloudlink/v1\nkind: Tenancy\npartner:\n  id: p-1\n';

/** `n` users in block form, `indent` spaces before each "- ". */
function userLines(n: number, indent = 8, extra: (i: number) => string = () => ''): string {
  const pad = ' '.repeat(indent);
  let out = '';
  for (let i = 0; i < n; i += 1) out += `${pad}- email: user.${String(i).padStart(5, '0')}@acme.example\n${pad}  firstName: User\n${pad}  lastName: N${String(i).padStart(5, '0')}\n${pad}  role: User\n${pad}  miteam: ${i % 2 === 0}\n${extra(i)}`;
  return out;
}

function account(key: string, users: string, after = ''): string {
  return `  - key: ${key}\n    name: ${key}\n    country: CA\n    language: en-US\n    integrations:\n      - miteam-meetings\n    users:\n      policy: additive\n      items:\n${users}${after}`;
}

const doc = (...accounts: string[]): string => `${HEADER}accounts:\n${accounts.join('')}`;

/** Documents read in parts: their users are in the simple form. */
const IN_PARTS: Record<string, string> = {
  'one account': doc(account('acme', userLines(3))),
  'more users than one slice': doc(account('acme', userLines(ITEMS_PER_SLICE * 2 + 5))),
  'exactly one slice': doc(account('acme', userLines(ITEMS_PER_SLICE))),
  'three accounts': doc(account('a', userLines(2)), account('b', userLines(70)), account('c', userLines(1))),
  'many accounts': doc(...Array.from({ length: 150 }, (_, i) => account(`c${i}`, userLines(1 + (i % 3)), i % 2 ? '      fromCsv: more.csv\n' : ''))),
  'a field after items': doc(account('acme', userLines(4), '      fromCsv: more.csv\n    welcomeEmail: never\n')),
  'items at the end without a line break': doc(account('acme', userLines(3))).replace(/\n$/, ''),
  'CRLF line breaks': doc(account('acme', userLines(3))).replaceAll('\n', '\r\n'),
  'compact sequence (same indentation as items)': doc(account('acme', userLines(3, 6))),
  'deeper sequence indentation': doc(account('acme', userLines(3, 12))),
  'comments and blank lines between users': doc(account('acme', userLines(5, 8, (i) => (i % 2 ? '\n        # the next one\n\n' : '          # inside\n')))),
  'blank and comment lines after the users': doc(account('acme', userLines(3), '\n# trailing\n\n')),
  'quoted values and trailing comments': doc(
    account('acme', `        - email: "o'brien@acme.example" # quoted\n          name: 'Ann O''Brien'\n          firstName: "Tab\\tbed"\n        - email: b@acme.example\n          name: x # comment\n          lastName:\n          role: # nothing\n`),
  ),
  'values YAML resolves (numbers, null, booleans)': doc(account('acme', `        - email: a@acme.example\n          name: 123\n          miteam: yes\n          role: ~\n        - email: b@acme.example\n          miteam: TRUE\n          name: 1e3\n          lastName: -5\n          firstName: :x\n`)),
  'users with errors': doc(
    account('acme', `        - email: not-an-email\n          firstNme: Al\n          miteam: maybe\n        - email: b@acme.example\n          role: boss\n        - email: B@acme.example\n          name: dup\n        - emial: c@acme.example\n`),
  ),
  'a key named items inside a user': doc(account('acme', `        - email: a@acme.example\n          items: 3\n        - email: b@acme.example\n`)),
  'two documents': `${doc(account('a', userLines(3)))}---\n${doc(account('b', userLines(2)))}`,
  'a bad field in another account': doc(account('acme', userLines(2)), '  - key: BAD KEY\n    name: x\n'),
};

/** Documents that must be parsed whole (their users' lines could mean something else alone), or that have no simple users at all. */
const WHOLE: Record<string, string> = {
  'flow users': doc(account('acme', '        - { email: a@acme.example }\n')),
  'an anchor and an alias': doc(account('acme', `        - email: a@acme.example\n          name: &n Ann\n        - email: b@acme.example\n          name: *n\n`)),
  'an alias elsewhere': `${doc(account('acme', userLines(2)))}extra: &x 1\nmore: *x\n`,
  'a tag': doc(account('acme', '        - email: !!str a@acme.example\n')),
  'a %YAML 1.1 directive': `%YAML 1.1\n---\n${doc(account('acme', `        - email: a@acme.example\n          miteam: yes\n`))}`,
  'a value over two lines': doc(account('acme', `        - email: a@acme.example\n          name: Ann\n            Smith\n`)),
  'a quoted value over two lines': doc(account('acme', `        - email: a@acme.example\n          name: "Ann\n          role: x"\n`)),
  'a nested value': doc(account('acme', `        - email: a@acme.example\n          tags:\n            a: b\n`)),
  'a block scalar': doc(account('acme', `        - email: a@acme.example\n          name: |\n            Ann\n`)),
  'an error outside the users': doc(account('acme', userLines(3), '    country: DE\n')),
  'a duplicate key in a user': doc(account('acme', `        - email: a@acme.example\n          name: a\n          name: b\n`)),
  'a mis-indented user line': doc(account('acme', `        - email: a@acme.example\n         name: a\n        - email: b@acme.example\n`)),
  'a user line indented under the last value': doc(account('acme', `        - email: a@acme.example\n          name: a\n              role: x\n`)),
  'items in a block scalar': `${HEADER}notes: |\n  items:\n    - email: a@b.example\naccounts: []\n`,
  'items not under users': `${HEADER}accounts: []\nother:\n  items:\n    - a: 1\n`,
  'a comment less indented, then more users': doc(account('acme', `        - email: a@acme.example\n  # note\n        - email: b@acme.example\n`)),
  'a nested mapping on one line': doc(account('acme', `        - email: a@acme.example\n          name: a: b\n`)),
  'a flow value': doc(account('acme', `        - email: a@acme.example\n          name: [a,\n          role: b]\n`)),
  'sequence less indented than items': `${HEADER}accounts:\n  - key: a\n    users:\n      items:\n    - email: a@b.example\n`,
};

/** Every path of `data`, plus paths one step past each (a missing key or index, a step into a scalar). */
function paths(data: unknown, prefix: PropertyKey[] = []): PropertyKey[][] {
  const out: PropertyKey[][] = [prefix, [...prefix, 'nope'], [...prefix, 999], [...prefix, '0']];
  if (Array.isArray(data)) data.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (typeof data === 'object' && data !== null) for (const [k, v] of Object.entries(data)) out.push(...paths(v, [...prefix, k]));
  return out;
}

/** What a read says about a file, for every path: data, errors, line starts, offsets (of nodes, and of keys). */
function facts(file: YamlFile): unknown {
  return {
    lineStarts: file.lines.lineStarts,
    docs: file.docs.map((d) => {
      const data = d.errors.length > 0 ? undefined : d.toJS(100);
      const keys = ['email', 'miteam', 'items', 'nope', 'users'];
      return {
        errors: d.errors.map((e) => [e.code, e.pos, e.message]),
        empty: d.empty,
        data,
        offsets: paths(data).map((p) => [p, d.at.offsetOf(p), keys.map((k) => d.at.offsetOf(p, k))]),
      };
    }),
  };
}

describe('reading users.items in parts', () => {
  it.each(Object.entries(IN_PARTS))('%s: read in parts, as the whole document reads', (_, text) => {
    const parts = readInParts(text);
    expect(parts).toBeDefined();
    expect(facts(parts as YamlFile)).toEqual(facts(readWhole(text)));
  });

  it.each(Object.entries(IN_PARTS))('%s: a sequence read in parts answers for its items as the walk from the root does', (_, text) => {
    for (const d of (readInParts(text) as YamlFile).docs) {
      const data = d.toJS(100) as { accounts?: { users?: { items?: unknown[] } }[] };
      (data.accounts ?? []).forEach((account, n) => {
        if (!account.users?.items) return;
        const prefix = ['accounts', n, 'users', 'items'];
        const sequence = d.at.sequenceAt?.(prefix);
        expect(sequence).toBeDefined();
        for (const rest of paths(account.users?.items)) for (const key of [undefined, 'email', 'miteam', 'nope']) expect(sequence?.offsetOf(rest, key)).toBe(d.at.offsetOf([...prefix, ...rest], key));
      });
      expect(d.at.sequenceAt?.(['accounts', 0, 'users'])).toBeUndefined();
      expect(d.at.sequenceAt?.(['accounts', 0, 'users', 'items', 0])).toBeUndefined();
    }
  });

  it.each(Object.entries(WHOLE))('%s: parsed whole', (_, text) => {
    expect(readInParts(text)).toBeUndefined();
  });

  it('reads generated item blocks as the whole document reads', () => {
    const rand = prng(7);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
    // Values and keys a line may hold: ordinary ones, and every indicator, quote, comment and escape that could make a line mean something else alone.
    const odd = ['', ' ', '#c', 'x #c', 'x#c', 'a: b', 'a:b', '&x a', '*x', '!!str a', '|', '>', '{a: 1}', '[1]', '"open', "'open", "'it''s'", '"a\\"b"', '"\\t"', '- a', '-a', '? a', '?a', ':a', ': a', 'yes', 'null', '~', '0x1F', '-.inf', 'a,b', 'a]', 'a}', '%x', '@x', '`x', 'a\tb', 'é ✓', '"x" y', "'x' #c", '"x"#c', '"x\\', '""', 'a\rb', '<<', 'a  #  b'];
    const value = () => (rand() < 0.6 ? pick(['a', 'x@y.example', '"q"', "'s'", '', 'true', '1', 'x #c']) : pick(odd));
    const key = () => (rand() < 0.7 ? pick(['email', 'name', 'miteam', 'role']) : pick(['items', 'true', 'null', 'a-b', '_x', 'Email', '<<', '"q"', 'x y', '1']));
    let inParts = 0;
    for (let n = 0; n < 1500; n += 1) {
      const m = pick([6, 8, 10]);
      let lines = `${' '.repeat(m)}- email: first\n`;
      for (let i = Math.floor(rand() * 8); i >= 0; i -= 1) {
        const r = rand();
        if (r < 0.03) lines += `${' '.repeat(pick([0, 2, 4, 6, 8, 10, 12]))}# c\n`;
        else if (r < 0.05) lines += `${pick(['', '  ', ' '.repeat(m + 2)])}\n`;
        else if (r < 0.06) lines += `${' '.repeat(pick([m - 2, m + 1, m + 3, m + 4]))}${key()}: ${value()}\n`;
        else lines += `${' '.repeat(r < 0.4 ? m : m + 2)}${r < 0.4 ? '- ' : ''}${key()}:${rand() < 0.95 ? ' ' : ''}${value()}\n`;
      }
      let text = `${HEADER}accounts:\n  - key: acme\n    users:\n      items:\n${lines}${pick(['', '    name: n\n', '  - key: b\n', '---\na: 1\n', '      policy: additive\n', '        x: 1\n', '# end\n', '  # end\n        - email: z\n'])}`;
      if (rand() < 0.1) text = text.replace(/\n$/, '');
      if (rand() < 0.1) text = text.replaceAll('\n', '\r\n');
      const parts = readInParts(text);
      if (!parts) continue;
      inParts += 1;
      expect(facts(parts), JSON.stringify(text)).toEqual(facts(readWhole(text)));
    }
    // Enough of them are read in parts for the comparison to mean something.
    expect(inParts).toBeGreaterThan(150);
  });

  it('puts the real process.env back after parsing with a copy of it', () => {
    const real = process.env;
    expect(readYaml(IN_PARTS['one account'] ?? '').docs).toHaveLength(1);
    expect(readYaml('a: [').docs[0]?.errors.length).toBeGreaterThan(0);
    expect(process.env).toBe(real);
  });

  it('finds the sequence lines exactly', () => {
    const text = doc(account('acme', userLines(2)), account('b', userLines(1, 6)));
    const found = findItemLines(text);
    expect(found.map((f) => [text.slice(f.keyAt, f.start), f.itemStarts.map((s) => text.slice(s, text.indexOf('\n', s)))])).toEqual([
      ['items:\n', ['        - email: user.00000@acme.example', '        - email: user.00001@acme.example']],
      ['items:\n', ['      - email: user.00000@acme.example']],
    ]);
    expect(found.map((f) => text.slice(f.end - 11, f.end))).toEqual(['eam: false\n', 'team: true\n']);
  });
});

describe('the loader on documents read in parts', () => {
  afterEach(() => {
    vi.doUnmock('../../provider/load/read-yaml.js');
    vi.resetModules();
  });

  /** loadTenancy with read-yaml as it is, and with every file parsed whole. */
  async function bothWays(text: string) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'read-yaml-'));
    await writeFile(path.join(dir, 'more.csv'), 'First Name,Last Name,Name,Email,Role\nZed,Z,Zed Z,zed@acme.example,User\n');
    await writeFile(path.join(dir, 't.yaml'), text);
    vi.resetModules();
    const inParts = await (await import('../../provider/load/index.js')).loadTenancy(['t.yaml'], { cwd: dir });
    vi.resetModules();
    vi.doMock('../../provider/load/read-yaml.js', async (original) => {
      const real = await original<typeof import('../../provider/load/read-yaml.js')>();
      return { ...real, readYaml: real.readWhole };
    });
    const whole = await (await import('../../provider/load/index.js')).loadTenancy(['t.yaml'], { cwd: dir });
    return { inParts, whole };
  }

  it.each(Object.entries({ ...IN_PARTS, ...WHOLE }))('%s: the same tenancy and diagnostics', async (_, text) => {
    const { inParts, whole } = await bothWays(text);
    expect(inParts).toEqual(whole);
  });

  it('points at a user the same way in a small and a large document', async () => {
    const bad = (i: number) => (i === 5 ? '          firstNme: typo\n' : '');
    const small = (await bothWays(doc(account('acme', userLines(8, 8, bad))))).inParts.diagnostics;
    const large = (await bothWays(doc(account('acme', userLines(1000, 8, bad))))).inParts.diagnostics;
    // The first user on line 15, five lines a user: user 5's sixth line.
    const line = 15 + 5 * 5 + 5;
    expect(small).toEqual([{ severity: 'error', file: 't.yaml', line, column: 11, message: 'accounts[0].users.items[5].firstNme: unknown field "firstNme"; did you mean "firstName"?' }]);
    expect(large).toEqual(small);
  });
});

describe('linear work', () => {
  afterEach(() => {
    vi.doUnmock('yaml');
    vi.resetModules();
  });

  /** The lengths of the texts handed to the YAML parser while loading `users` users. */
  async function parsedTexts(users: number): Promise<{ fileLength: number; texts: number[] }> {
    const texts: number[] = [];
    vi.resetModules();
    vi.doMock('yaml', async (original) => {
      const real = await original<typeof yaml>();
      return {
        ...real,
        parseDocument: (text: string, ...rest: unknown[]) => (texts.push(text.length), (real.parseDocument as (...a: unknown[]) => unknown)(text, ...rest)),
        parseAllDocuments: (text: string, ...rest: unknown[]) => (texts.push(text.length), (real.parseAllDocuments as (...a: unknown[]) => unknown)(text, ...rest)),
      };
    });
    const text = doc(account('acme', userLines(users)));
    const { readYaml } = await import('../../provider/load/read-yaml.js');
    const file = readYaml(text);
    expect(file.docs[0]?.errors).toEqual([]);
    return { fileLength: text.length, texts };
  }

  it('hands each character to the parser once, in documents that do not grow with the users', async () => {
    const small = await parsedTexts(4 * ITEMS_PER_SLICE);
    const large = await parsedTexts(64 * ITEMS_PER_SLICE);
    for (const run of [small, large]) expect(run.texts.reduce((a, b) => a + b, 0)).toBe(run.fileLength);
    // The file without its users first, then the slices: 16 times the users, 16 times the slices, none larger.
    expect(small.texts.length - 1).toBe(4);
    expect(large.texts.length - 1).toBe(64);
    expect(Math.max(...large.texts.slice(1))).toBe(Math.max(...small.texts.slice(1)));
    expect(large.texts[0]).toBe(small.texts[0]);
  });
});
