/**
 * Renders live accounts as tenancy YAML in our format: stable ordering, a comment naming the
 * source account and date, `adopt.accountId`, orders by tracking number, users sorted by
 * e-mail with role and MiTeam toggle. Pure.
 */
import { Document, isMap, isSeq, parse, Scalar, visit, type YAMLMap } from 'yaml';
import { OPTIONAL_ACCOUNT_FIELDS, type Account, type Order, type User } from '../model/live.js';
import { API_VERSION, tagIdProblem } from '../model/schema.js';
import type { LiveAccount } from '../engine/types.js';
import { licensesByUser } from '../engine/plan/users.js';
import { escapeTerminalValue, hasInvisible, INVISIBLE_CHARACTERS } from '../report/escape-terminal.js';

/**
 * True when a string written plain could be read as something else by another YAML parser:
 * YAML 1.1 reads `NO`, `yes`, `on` as booleans, `0012` as octal, `1_000` as a number, `12:30` as
 * sexagesimal, `2026-01-02` as a timestamp; YAML 1.2 reads `0012`, `1e3`, `null`, `~` as non-strings.
 */
export function isAmbiguousScalar(value: string): boolean {
  if (value === '' || value.trim() !== value) return true;
  for (const version of ['1.1', '1.2'] as const) {
    try {
      if (parse(value, { version }) !== value) return true;
    } catch {
      return true;
    }
  }
  return /^[0-9+\-.:_]+$/.test(value);
}

/** Double-quotes every string scalar (keys and values) another YAML parser could misread. */
export function quoteAmbiguousScalars(doc: Document): void {
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && isAmbiguousScalar(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
}

/**
 * Double-quotes every string scalar holding a control, bidi, zero-width or other invisible
 * character (escape-terminal.ts), newlines included: such a value is then one line in the file,
 * and {@link escapeInvisibleInQuoted} shows each of those characters as a YAML escape.
 */
export function quoteInvisibleScalars(doc: Document): void {
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && hasInvisible(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
}

/**
 * Replaces each raw invisible character left in YAML text (the yaml library writes e.g. DEL, C1,
 * bidi and zero-width characters raw inside double quotes) by its YAML escape (`\x7f`, `\u202e`,
 * `\U000e0041`). Only valid after {@link quoteInvisibleScalars}: those characters then occur only
 * inside double-quoted scalars, where the escape means the same character. LF is structure and kept.
 */
export function escapeInvisibleInQuoted(text: string): string {
  return text.replace(INVISIBLE_CHARACTERS, (ch) => {
    if (ch === '\n') return ch;
    const cp = ch.codePointAt(0) ?? 0;
    const hex = cp.toString(16);
    return cp <= 0xff ? `\\x${hex.padStart(2, '0')}` : cp <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\U${hex.padStart(8, '0')}`;
  });
}

/**
 * The YAML text of a document whose strings are hostile (from CloudLink or a user's file).
 * Guarantee: parsed back (YAML 1.2 or 1.1) every string is exactly the value; none is misread
 * ({@link quoteAmbiguousScalars}), none injects a key, item or comment, and no control, bidi or
 * invisible character appears raw ({@link quoteInvisibleScalars}, {@link escapeInvisibleInQuoted}).
 */
export function safeYamlText(doc: Document, options: { lineWidth: number; flowCollectionPadding?: boolean }): string {
  quoteAmbiguousScalars(doc);
  quoteInvisibleScalars(doc);
  return escapeInvisibleInQuoted(doc.toString(options));
}

/** One live account with what the import needs. */
export interface ImportedAccount extends LiveAccount {
  key: string;
  orders: Order[];
}

/** A lower-case key from an account name: `Acme Corp.` → `acme-corp`. */
export function slugify(name: string): string {
  const slug = name
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug || 'account';
}

/** Unique keys for accounts: the key of the cloudlink-tenancy tag when present, else the slug of the name (suffixed -2, -3 on clashes). */
export function assignKeys(accounts: readonly Account[]): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  const sorted = [...accounts].sort((a, b) => a.name.localeCompare(b.name) || a.accountId.localeCompare(b.accountId));
  for (const a of sorted) {
    const tagged = a.identityKey;
    let key = tagged && /^[a-z0-9][a-z0-9-]{0,62}$/.test(tagged) ? tagged : slugify(a.name);
    for (let n = 2; used.has(key); n += 1) key = `${slugify(a.name).slice(0, 56)}-${n}`;
    used.add(key);
    out.set(a.accountId, key);
  }
  return out;
}

function userEntry(u: User, miteam: boolean): Record<string, unknown> {
  const entry: Record<string, unknown> = { email: u.email.toLowerCase() };
  if (u.firstName) entry.firstName = u.firstName;
  if (u.lastName) entry.lastName = u.lastName;
  if (u.name !== [u.firstName, u.lastName].filter((p) => p).join(' ')) entry.name = u.name;
  if (u.country) entry.country = u.country;
  entry.role = u.role === 'Account Admin' ? 'Account Admin' : 'User';
  entry.miteam = miteam;
  return entry;
}

/** The account's optional attributes that are set live (left-out ones stay unmanaged, so the round trip is empty). */
function optionalFields(a: Account): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of OPTIONAL_ACCOUNT_FIELDS) {
    const v = a[f];
    if (v !== undefined) out[f] = v;
  }
  return out;
}

/** The YAML text of one imported account. `schemaPath` is written in the yaml-language-server comment. */
export function renderAccountYaml(imported: ImportedAccount, options: { partnerId: string; importedAt: Date; schemaPath: string }): string {
  const a = imported.account;
  const tags = Object.fromEntries(
    Object.entries(a.tags)
      // Text tags only, and never an id the YAML may not declare (the tool's own, `__proto__`).
      .filter((e): e is [string, string] => typeof e[1] === 'string' && tagIdProblem(e[0]) === undefined)
      .sort(([x], [y]) => x.localeCompare(y)),
  );
  const licensed = licensesByUser(imported);
  const contacts = imported.contacts.filter((c) => (c.type ?? 'SUPPORT') === 'SUPPORT').map((c) => c.email.toLowerCase()).sort();
  const account: Record<string, unknown> = {
    key: imported.key,
    name: a.name,
    adopt: { accountId: a.accountId },
    ...(a.protected ? { protect: true } : {}),
    country: a.country,
    ...optionalFields(a),
    language: a.language,
    supportContacts: contacts,
    ...(Object.keys(tags).length ? { tags } : {}),
    integrations: imported.integrations.map((i) => i.type).sort(),
    orders: imported.orders.map((o) => ({ trackingNumber: o.trackingNumber })).sort((x, y) => x.trackingNumber.localeCompare(y.trackingNumber)),
    welcomeEmail: 'never',
    users: { policy: 'additive', items: [...imported.users].sort((x, y) => x.email.toLowerCase().localeCompare(y.email.toLowerCase())).map((u) => userEntry(u, licensed.has(u.userId))) },
  };
  const doc = new Document({ apiVersion: API_VERSION, kind: 'Tenancy', partner: { id: options.partnerId }, accounts: [account] });
  // The name is one visible line in the comment: a newline in it cannot start a key or another comment.
  doc.commentBefore = ` Imported from CloudLink account ${escapeTerminalValue(a.accountId)} ("${escapeTerminalValue(a.name)}") on ${options.importedAt.toISOString().slice(0, 10)}.\n welcomeEmail is "never" so adopting these users sends no mail; change it when you want the policy to apply.`;
  const accounts = doc.get('accounts', true);
  if (isSeq(accounts)) {
    const entry = accounts.items[0];
    if (isMap(entry)) {
      for (const key of ['adopt', 'tags']) {
        const node = (entry as YAMLMap).get(key, true);
        if (isMap(node)) node.flow = true;
      }
      const orders = (entry as YAMLMap).get('orders', true);
      if (isSeq(orders)) for (const o of orders.items) if (isMap(o)) o.flow = true;
      const users = (entry as YAMLMap).getIn(['users', 'items'], true);
      if (isSeq(users)) for (const u of users.items) if (isMap(u)) u.flow = true;
    }
  }
  return `# yaml-language-server: $schema=${escapeTerminalValue(options.schemaPath)}\n${safeYamlText(doc, { lineWidth: 0, flowCollectionPadding: true })}`;
}
