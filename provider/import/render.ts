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
  doc.commentBefore = ` Imported from CloudLink account ${a.accountId} ("${a.name}") on ${options.importedAt.toISOString().slice(0, 10)}.\n welcomeEmail is "never" so adopting these users sends no mail; change it when you want the policy to apply.`;
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
  quoteAmbiguousScalars(doc);
  return `# yaml-language-server: $schema=${options.schemaPath}\n${doc.toString({ lineWidth: 0, flowCollectionPadding: true })}`;
}
