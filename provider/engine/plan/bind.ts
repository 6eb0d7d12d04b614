/**
 * Identity, decided once: which live account each declared account is (tenancy-spec.md,
 * "Identity", "Binding is one-to-one"). The snapshot calls `bindAccounts` and every consumer
 * (plan, drift, import, the users command) reads the bindings instead of matching again. Pure.
 *
 * Order of rules: `adopt` (account id or the console's account number) → the
 * `cloudlink-tenancy` tag holding the key → the tag holding one of its `previousKeys` (a
 * declared rename) → the name, among **untagged** accounts only, compared without regard to
 * case and spaces (`names.ts`). An account tagged with another key is never taken by name:
 * only `previousKeys` or `adopt` move it to another key. Two candidates are an error naming
 * both, never a guess; so is a live account bound by two declarations.
 */
import type { Account } from '../../model/live.js';
import { where } from '../../model/checks.js';
import type { DesiredAccount } from '../../model/types.js';
import type { AccountBinding, NearMatch, PlanProblem } from '../types.js';
import { accountNameKey, areNearKeys } from '../../model/account-names.js';
import { pushTo } from '../multimap.js';

type Matched = Extract<AccountBinding, { kind: 'matched' }>;

/** How a live account is shown in a problem: id, console number, name and tag. */
function label(a: Pick<Account, 'accountId' | 'accountNumber' | 'name' | 'identityKey'>): string {
  return `${a.accountId}${a.accountNumber ? ` (account number ${a.accountNumber})` : ''} ${JSON.stringify(a.name)}${a.identityKey ? ` tagged "${a.identityKey}"` : ''}`;
}

function adoptHint(a: Pick<Account, 'accountId' | 'accountNumber'>): string {
  return a.accountNumber ? `adopt: { accountNumber: "${a.accountNumber}" }` : `adopt: { accountId: ${a.accountId} }`;
}

function problem(d: DesiredAccount, code: PlanProblem['code'], message: string): AccountBinding {
  return { key: d.key, kind: 'problem', problem: { severity: 'error', code, guard: false, accountKey: d.key, message, ...(d.source ? { source: d.source } : {}) } };
}

function ambiguous(d: DesiredAccount, what: string, hits: readonly Account[]): AccountBinding {
  return problem(d, 'account_ambiguous', `account "${d.key}": ${hits.length} live accounts ${what}: ${hits.map(label).join(', ')}; add ${adoptHint(hits[0] as Account)} (or the other's) to choose one`);
}

/** The live accounts, indexed once for every declared account. */
class LiveIndex {
  readonly byId = new Map<string, Account>();
  readonly byNumber = new Map<string, Account>();
  readonly byTag = new Map<string, Account[]>();
  readonly byName = new Map<string, Account[]>();
  /** The partner's accounts with their comparable names, for near matches. */
  readonly named: { account: Account; name: string }[] = [];
  constructor(
    readonly live: readonly Account[],
    readonly partnerId: string,
  ) {
    for (const a of live) {
      this.byId.set(a.accountId, a);
      if (a.accountNumber) this.byNumber.set(a.accountNumber, a);
      if (a.identityKey !== undefined) pushTo(this.byTag, a.identityKey, a);
      if (a.partnerId !== partnerId) continue;
      const name = accountNameKey(a.name);
      pushTo(this.byName, name, a);
      this.named.push({ account: a, name });
    }
  }
}

function byAdopt(d: DesiredAccount, ix: LiveIndex): AccountBinding | undefined {
  const adopt = d.adopt;
  if (!adopt) return undefined;
  const byId = 'accountId' in adopt;
  const hit = byId ? ix.byId.get(adopt.accountId) : ix.byNumber.get(adopt.accountNumber);
  if (hit) return { key: d.key, kind: 'matched', accountId: hit.accountId, rule: 'adopt' };
  const what = byId ? `account id ${adopt.accountId}` : `account number ${adopt.accountNumber}`;
  return problem(d, 'adopt_not_found', `account "${d.key}" adopts ${what}, which does not exist or is not visible to partner ${ix.partnerId}; check it (import lists them) or remove adopt to create a new account`);
}

function byTag(d: DesiredAccount, ix: LiveIndex): AccountBinding | undefined {
  const tagged = ix.byTag.get(d.key) ?? [];
  if (tagged.length > 1) return ambiguous(d, `carry the cloudlink-tenancy tag "${d.key}"`, tagged);
  const hit = tagged[0];
  if (hit) return { key: d.key, kind: 'matched', accountId: hit.accountId, rule: 'tag' };
  const previous = d.previousKeys ?? [];
  const renamed = previous.flatMap((k) => ix.byTag.get(k) ?? []);
  if (renamed.length > 1) return ambiguous(d, `carry one of its previous keys (${previous.join(', ')})`, renamed);
  const old = renamed[0];
  if (old?.identityKey) return { key: d.key, kind: 'matched', accountId: old.accountId, rule: 'previous-key', previousKey: old.identityKey };
  return undefined;
}

/** Live accounts with a name close to the declared one, for the plan to list (at most five). */
function nearMatches(wanted: string, ix: LiveIndex): NearMatch[] {
  const out: NearMatch[] = [];
  for (const { account: a, name } of ix.named) {
    if (out.length >= 5) break;
    if (!areNearKeys(wanted, name)) continue;
    out.push({ accountId: a.accountId, ...(a.accountNumber ? { accountNumber: a.accountNumber } : {}), name: a.name, ...(a.identityKey !== undefined ? { identityKey: a.identityKey } : {}) });
  }
  return out;
}

function byName(d: DesiredAccount, ix: LiveIndex, declaredKeys: ReadonlySet<string>, withNear: boolean): AccountBinding {
  const wanted = accountNameKey(d.name);
  // A `--destroy-account` stub (an undeclared key) has no name: it binds by tag only.
  if (!wanted) return { key: d.key, kind: 'missing' };
  const named = ix.byName.get(wanted) ?? [];
  const untagged = named.filter((a) => a.identityKey === undefined);
  if (untagged.length > 1) return ambiguous(d, `are named like "${d.name}" (ignoring case and spaces) and carry no cloudlink-tenancy tag`, untagged);
  const hit = untagged[0];
  if (hit) return { key: d.key, kind: 'matched', accountId: hit.accountId, rule: 'name', ...(hit.name !== d.name ? { liveName: hit.name } : {}) };
  const taken = named.filter((a) => a.identityKey !== undefined && !declaredKeys.has(a.identityKey));
  if (taken.length > 0) {
    const a = taken[0] as Account;
    return problem(
      d,
      'account_name_taken',
      `account "${d.key}": live account ${label(a)} has this name but is tagged with another key, so it is not taken over by name; if it is this account, add previousKeys: [${a.identityKey ?? ''}] (a rename) or ${adoptHint(a)}; if it is another customer, give this account another name`,
    );
  }
  const near = withNear ? nearMatches(wanted, ix) : [];
  return { key: d.key, kind: 'missing', ...(near.length > 0 ? { near } : {}) };
}

function bindOne(d: DesiredAccount, ix: LiveIndex, declaredKeys: ReadonlySet<string>, withNear: boolean): AccountBinding {
  return byAdopt(d, ix) ?? byTag(d, ix) ?? byName(d, ix, declaredKeys, withNear);
}

const RULE_WORDS: Record<Matched['rule'], string> = { adopt: 'by adopt', tag: 'by its tag', 'previous-key': 'by a previous key', name: 'by name' };

/**
 * Bindings that share a live account become problems naming every declaration involved
 * (one-to-one). `all` holds the selected bindings first, then those of the unselected accounts.
 */
function oneToOne(bindings: AccountBinding[], declared: readonly DesiredAccount[]): AccountBinding[] {
  const holders = new Map<string, number[]>();
  bindings.forEach((b, i) => {
    if (b.kind !== 'matched') return;
    pushTo(holders, b.accountId, i);
  });
  return bindings.map((b, i) => {
    if (b.kind !== 'matched') return b;
    const list = holders.get(b.accountId) ?? [];
    if (list.length < 2) return b;
    const d = declared[i] as DesiredAccount;
    const who = list.map((j) => `"${declared[j]?.key}" (${where(declared[j]?.source)}, ${RULE_WORDS[(bindings[j] as Matched).rule]})`).join(' and ');
    return problem(d, 'account_bound_twice', `live account ${b.accountId} is bound by ${list.length} declared accounts: ${who}; a live account is one declared account: remove the copy, or give one of them its own name or adopt`);
  });
}

/**
 * Binds each declared account to at most one live customer account, one-to-one. `declaredKeys`
 * are every key and previous key the whole declaration uses (not only the selected shard), so
 * a rename is never mistaken for an orphan. `unselected` are the declared accounts this run
 * leaves out: bound too, only so that a live account two declarations claim is an error even
 * when one of them is not selected. Returns the bindings of `declared`, in its order.
 */
export function bindAccounts(declared: readonly DesiredAccount[], live: readonly Account[], partnerId: string, declaredKeys: ReadonlySet<string>, unselected: readonly DesiredAccount[] = []): AccountBinding[] {
  const ix = new LiveIndex(live, partnerId);
  const selectedKeys = new Set(declared.map((d) => d.key));
  const all = [...declared, ...unselected.filter((d) => !selectedKeys.has(d.key))];
  // Near matches only for the selected accounts: the others are bound for the one-to-one check alone.
  return oneToOne(
    all.map((d, i) => bindOne(d, ix, declaredKeys, i < declared.length)),
    all,
  ).slice(0, declared.length);
}

/** Every key and previous key of the declared accounts. */
export function keysOf(accounts: readonly DesiredAccount[]): Set<string> {
  const out = new Set<string>();
  for (const a of accounts) {
    out.add(a.key);
    for (const k of a.previousKeys ?? []) out.add(k);
  }
  return out;
}

/** Words for how an account was bound, for the plan's reason. */
export function bindingReason(b: Matched, d: DesiredAccount, partnerId: string): string {
  switch (b.rule) {
    case 'adopt':
      return `adopted account ${b.accountId}`;
    case 'tag':
      return 'matched by its cloudlink-tenancy tag';
    case 'previous-key':
      return `renamed from key ${b.previousKey ?? '?'} (declared in previousKeys); the tag is rewritten to "${d.key}"`;
    case 'name':
      return `${b.liveName !== undefined ? `matched by name: live ${JSON.stringify(b.liveName)} is "${d.name}" ignoring case and spaces` : `matched by exact name "${d.name}"`} under partner ${partnerId}, untagged; the cloudlink-tenancy tag is added so later runs match by tag`;
  }
}

/** Words for the near matches of a missing account (empty when there are none). */
export function nearReason(near: readonly NearMatch[] | undefined): string {
  if (!near?.length) return '';
  const list = near.map((n) => `${n.accountNumber ? `account number ${n.accountNumber}` : n.accountId} ${JSON.stringify(n.name)}${n.identityKey ? ` (tagged "${n.identityKey}")` : ''}`).join(', ');
  const first = near[0] as NearMatch;
  const which = near.length === 1 ? `if it is this account, add ${adoptHint(first)}` : `if one of them is this account, add adopt with its account number, e.g. ${adoptHint(first)}`;
  return `; live accounts with a similar name: ${list}; ${which}`;
}
