/**
 * Reads a canonical `tenancy.json` (as cdktf synthesis writes it) through the same validation and
 * normalisation as YAML: each account is turned back into the YAML account form and checked by
 * the YAML schema (e-mails, countries, languages, names, tag ids …), then normalised by the
 * same normaliser (e-mails lower-cased, names trimmed) and the same cross-account checks. A
 * hand-edited or stale `tenancy.json` therefore cannot declare what a YAML file could not.
 * Diagnostics point at `tenancy.json:line:col` (JSON is read as YAML for the positions).
 */
import { LineCounter, parseDocument } from 'yaml';
import type { Diagnostic, DesiredAccount, Tenancy } from '../model/types.js';
import { accountDocumentSchema, API_VERSION } from '../model/schema.js';
import { BUILTIN_DEFAULTS, normalizeAccount, type TenancyDefaults } from '../model/normalize.js';
import { checkAccounts } from '../model/checks.js';
import type { LoadResult } from './index.js';
import { documentPositions, locate } from './positions.js';
import { zodDiagnostics } from './zod-diagnostics.js';
import { isRecord, type Json } from './salvage.js';


/** Fields only the canonical form has; the rest of an account is the YAML form. */
const CANONICAL_ONLY = new Set(['accountCreation', 'ordersPolicy', 'source', 'supportContactSources', 'orders', 'users']);

/** A canonical user as the YAML user form (empty first/last names are "not given"). */
function userDocument(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  const { source: _s, miteamSource: _m, firstName, lastName, name, ...rest } = raw;
  const out: Json = { ...rest };
  if (firstName !== '') out.firstName = firstName;
  if (lastName !== '') out.lastName = lastName;
  if (name !== '') out.name = name;
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** A canonical account as the YAML account form, so the YAML schema checks it. */
function accountDocument(raw: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(raw)) if (!CANONICAL_ONLY.has(k)) out[k] = v;
  if (raw.orders !== undefined || raw.ordersPolicy !== undefined) out.orders = { policy: raw.ordersPolicy, items: raw.orders };
  const users = raw.users;
  if (isRecord(users)) out.users = { ...users, ...(Array.isArray(users.items) ? { items: users.items.map(userDocument) } : {}) };
  else if (users !== undefined) out.users = users;
  return out;
}

/** A path of the YAML form back to the canonical form (where the two differ: orders). */
function canonicalPath(p: readonly PropertyKey[]): PropertyKey[] {
  if (p[0] === 'orders' && p[1] === 'items') return ['orders', ...p.slice(2)];
  if (p[0] === 'orders' && p[1] === 'policy') return ['ordersPolicy', ...p.slice(2)];
  return [...p];
}

/** Reads a canonical `tenancy.json`: valid only when every account passes the YAML checks. */
export function parseCanonicalTenancy(text: string, file: string): LoadResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { diagnostics: [{ severity: 'error', file, line: 1, column: 1, message: `not valid JSON (${(e as Error).message}); re-run "cdktf synth"` }] };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  const positions = documentPositions(doc, lines);
  const at = (p: readonly PropertyKey[]) => locate(positions, file, p);
  const fail = (p: readonly PropertyKey[], message: string): Diagnostic => ({ severity: 'error', ...at(p), message: `${message}; re-run "cdktf synth" with this version of cloudlink-tenancy` });
  if (!isRecord(data)) return { diagnostics: [fail([], 'tenancy.json must hold one JSON object')] };
  const diagnostics: Diagnostic[] = [];
  if (data.apiVersion !== API_VERSION) diagnostics.push(fail(['apiVersion'], `apiVersion must be "${API_VERSION}"`));
  if (data.kind !== 'Tenancy') diagnostics.push(fail(['kind'], 'kind must be "Tenancy"'));
  const partnerId = isRecord(data.partner) ? data.partner.id : undefined;
  if (typeof partnerId !== 'string' || partnerId.trim() === '') diagnostics.push(fail(['partner', 'id'], 'partner.id must be a non-empty text'));
  if (!Array.isArray(data.accounts)) diagnostics.push(fail(['accounts'], 'accounts must be a list'));
  const accounts: DesiredAccount[] = [];
  (Array.isArray(data.accounts) ? data.accounts : []).forEach((raw: unknown, index) => {
    const base = ['accounts', index];
    if (!isRecord(raw)) {
      diagnostics.push(fail(base, `accounts[${index}] must be an object`));
      return;
    }
    const creation = raw.accountCreation;
    if (creation !== 'console' && creation !== 'api') {
      diagnostics.push(fail([...base, 'accountCreation'], `accounts[${index}].accountCreation must be "console" or "api"`));
      return;
    }
    const parsed = accountDocumentSchema.safeParse(accountDocument(raw));
    if (!parsed.success) {
      diagnostics.push(...zodDiagnostics(parsed.error, positions, file, base, canonicalPath));
      return;
    }
    const defaults: TenancyDefaults = { ...BUILTIN_DEFAULTS, accountCreation: creation };
    const users = (parsed.data.users?.items ?? []).map((_, i) => at([...base, 'users', 'items', i, 'email']));
    accounts.push(normalizeAccount(parsed.data, defaults, { account: at([...base, 'key']), users }));
  });
  diagnostics.push(...checkAccounts(accounts));
  if (diagnostics.some((d) => d.severity === 'error') || typeof partnerId !== 'string') return { diagnostics };
  const tenancy: Tenancy = { apiVersion: API_VERSION, kind: 'Tenancy', partner: { id: partnerId }, accounts };
  return { tenancy, diagnostics };
}
