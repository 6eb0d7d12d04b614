/**
 * Identity, decided once: which live account each declared account is (tenancy-spec.md,
 * "Identity"). The snapshot calls `bindAccounts` and every consumer (plan, drift, import, the
 * users command) reads the bindings instead of matching again. Pure.
 *
 * Order of rules: `adopt` (account id or the console's account number) → the
 * `cloudlink-tenancy` tag holding the key → the tag holding one of its `previousKeys` (a
 * declared rename) → the exact name, among untagged accounts and accounts tagged with a key no
 * file declares any more (a rename without `previousKeys` is taken over). Two candidates are
 * an error naming both, never a guess.
 */
import type { Account } from '../../model/live.js';
import type { DesiredAccount } from '../../model/types.js';
import type { AccountBinding, PlanProblem } from '../types.js';

function ambiguous(d: DesiredAccount, what: string, hits: readonly Account[]): AccountBinding {
  const list = hits.map((a) => `${a.accountId} "${a.name}"${a.identityKey ? ` (tagged "${a.identityKey}")` : ''}`).join(', ');
  const problem: PlanProblem = { severity: 'error', code: 'account_ambiguous', guard: false, accountKey: d.key, message: `account "${d.key}": ${hits.length} live accounts ${what}: ${list}; add adopt: { accountId: … } to choose one` };
  return { key: d.key, kind: 'problem', problem };
}

function byAdopt(d: DesiredAccount, live: readonly Account[], partnerId: string): AccountBinding | undefined {
  const adopt = d.adopt;
  if (!adopt) return undefined;
  const byId = 'accountId' in adopt;
  const hit = live.find((a) => (byId ? a.accountId === adopt.accountId : a.accountNumber === adopt.accountNumber));
  if (hit) return { key: d.key, kind: 'matched', accountId: hit.accountId, rule: 'adopt' };
  const label = byId ? `account id ${adopt.accountId}` : `account number ${adopt.accountNumber}`;
  const problem: PlanProblem = { severity: 'error', code: 'adopt_not_found', guard: false, accountKey: d.key, message: `account "${d.key}" adopts ${label}, which does not exist or is not visible to partner ${partnerId}; check it (import lists them) or remove adopt to create a new account` };
  return { key: d.key, kind: 'problem', problem };
}

function byTag(d: DesiredAccount, live: readonly Account[]): AccountBinding | undefined {
  const tagged = live.filter((a) => a.identityKey === d.key);
  if (tagged.length > 1) return ambiguous(d, `carry the cloudlink-tenancy tag "${d.key}"`, tagged);
  const hit = tagged[0];
  if (hit) return { key: d.key, kind: 'matched', accountId: hit.accountId, rule: 'tag' };
  const previous = d.previousKeys ?? [];
  const renamed = live.filter((a) => a.identityKey !== undefined && previous.includes(a.identityKey));
  if (renamed.length > 1) return ambiguous(d, `carry one of its previous keys (${previous.join(', ')})`, renamed);
  const old = renamed[0];
  if (old?.identityKey) return { key: d.key, kind: 'matched', accountId: old.accountId, rule: 'previous-key', previousKey: old.identityKey };
  return undefined;
}

function byName(d: DesiredAccount, live: readonly Account[], partnerId: string, declaredKeys: ReadonlySet<string>): AccountBinding {
  const candidates = live.filter((a) => a.partnerId === partnerId && a.name === d.name && (a.identityKey === undefined || !declaredKeys.has(a.identityKey)));
  if (candidates.length > 1) return ambiguous(d, `are named "${d.name}" and carry no tag of a declared account`, candidates);
  const hit = candidates[0];
  if (!hit) return { key: d.key, kind: 'missing' };
  if (hit.identityKey === undefined) return { key: d.key, kind: 'matched', accountId: hit.accountId, rule: 'name' };
  return { key: d.key, kind: 'matched', accountId: hit.accountId, rule: 'takeover', previousKey: hit.identityKey };
}

/**
 * Binds each declared account to at most one live customer account. `declaredKeys` are every
 * key and previous key the whole declaration uses (not only the selected shard), so a rename
 * is never mistaken for an orphan.
 */
export function bindAccounts(declared: readonly DesiredAccount[], live: readonly Account[], partnerId: string, declaredKeys: ReadonlySet<string>): AccountBinding[] {
  return declared.map((d) => byAdopt(d, live, partnerId) ?? byTag(d, live) ?? byName(d, live, partnerId, declaredKeys));
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
export function bindingReason(b: Extract<AccountBinding, { kind: 'matched' }>, d: DesiredAccount, partnerId: string): string {
  switch (b.rule) {
    case 'adopt':
      return `adopted account ${b.accountId}`;
    case 'tag':
      return 'matched by its cloudlink-tenancy tag';
    case 'previous-key':
      return `renamed from key ${b.previousKey ?? '?'} (declared in previousKeys); the tag is rewritten to "${d.key}"`;
    case 'takeover':
      return `renamed from key ${b.previousKey ?? '?'}: no file declares that key any more and the name "${d.name}" matches; the tag is rewritten to "${d.key}"`;
    case 'name':
      return `matched by exact name "${d.name}" under partner ${partnerId}; the cloudlink-tenancy tag is added so later runs match by tag`;
  }
}
