/**
 * The final check of an apply (see `kept.ts`): the accounts it touched are re-read (only the
 * lists its applied changes need, one of each per account) and every applied change is
 * compared with what is live, as the next plan would compare it.
 */
import type { CloudLinkApi } from '../../api/client-types.js';
import { ACCOUNT_FIELDS, type Account, type AccountFields, type Contact, type JsonValue, type User, type UserFields } from '../../model/live.js';
import { collect } from '../snapshot.js';
import type { AccountChange, Change, UserChange } from '../types.js';
import { accountMismatches, contactMismatches, notKeptMessage, USER_FIELDS, userMismatches, type Mismatch } from './kept-gate.js';
import type { KeptNotes } from './kept-api.js';
import type { ChangeResult } from './result.js';
import { pushTo } from '../multimap.js';
import { sameAttribute } from '../plan/attributes.js';

/** What one account holds now. */
interface LiveNow {
  account?: Account | undefined;
  users: Map<string, User>;
  /** `userId|product` of every licence held. */
  licenses: Set<string>;
  contacts: Contact[];
}

type Found = { what: string; mismatches: Mismatch[] } | undefined;

async function readLive(api: CloudLinkApi, accountId: string, changes: readonly Change[]): Promise<LiveNow> {
  const needs = (k: Change['kind']): boolean => changes.some((c) => c.kind === k);
  const [account, users, licenses, contacts] = await Promise.all([
    needs('account') ? api.accounts.get(accountId) : Promise.resolve(undefined),
    needs('user') || needs('license') ? collect(api.users.list(accountId)) : Promise.resolve([]),
    needs('license') ? collect(api.billing.licenses(accountId)) : Promise.resolve([]),
    needs('contact') ? collect(api.contacts.list(accountId)) : Promise.resolve([]),
  ]);
  return { account, users: new Map(users.map((u) => [u.email.toLowerCase(), u])), licenses: new Set(licenses.map((l) => `${l.userId}|${l.product}`)), contacts };
}

const found = (what: string, mismatches: Mismatch[]): Found => (mismatches.length ? { what, mismatches } : undefined);

function accountFound(c: AccountChange, live: LiveNow, key: string): Found {
  if (c.manual) return undefined;
  const after = c.after ?? {};
  const sent: AccountFields = {};
  for (const f of ACCOUNT_FIELDS) {
    const v = after[f];
    if (typeof v === 'string') sent[f] = v;
  }
  const out = accountMismatches(sent, live.account);
  for (const [tagId, value] of Object.entries(after.tags ?? {})) {
    const have = live.account?.tags[tagId];
    if (!sameAttribute(have as JsonValue | undefined, value)) out.push({ field: `tag ${tagId}`, sent: value, live: have as JsonValue | undefined });
  }
  if (typeof after.identityKey === 'string' && live.account?.identityKey !== after.identityKey) out.push({ field: 'tag cloudlink-tenancy key', sent: after.identityKey, live: live.account?.identityKey });
  return found(`account ${key}`, out);
}

function userFound(c: UserChange, live: LiveNow, key: string): Found {
  const email = (c.id.email ?? '').toLowerCase();
  const after = c.after ?? {};
  const sent: Partial<UserFields> = {};
  for (const f of USER_FIELDS) if (typeof after[f] === 'string') Object.assign(sent, { [f]: after[f] });
  return found(`user ${email} in account ${key}`, userMismatches(sent, live.users.get(email)));
}

/** What of one applied change is not live, or undefined when all of it is. */
function compare(c: Change, live: LiveNow, key: string): Found {
  switch (c.kind) {
    case 'account':
      return accountFound(c, live, key);
    case 'user':
      return userFound(c, live, key);
    case 'license': {
      const user = live.users.get(c.id.email.toLowerCase());
      const held = user !== undefined && live.licenses.has(`${user.userId}|${c.id.product}`);
      const want = c.after?.miteam === true;
      return held === want ? undefined : { what: `user ${c.id.email} in account ${key}`, mismatches: [{ field: `licence ${c.id.product}`, sent: want ? 'enabled' : 'disabled', live: held ? 'enabled' : 'disabled' }] };
    }
    case 'contact': {
      const after = c.after;
      if (!after) return undefined;
      return found(`contact ${after.email} of account ${key}`, contactMismatches(after, live.contacts.find((x) => x.email.toLowerCase() === after.email.toLowerCase())));
    }
    default:
      return undefined;
  }
}

/** True for an applied change whose result the live state can show (not deletes, welcome e-mails, orders or integrations). */
const checkable = (c: Change): boolean => c.action !== 'delete' && c.action !== 'noop' && (c.kind === 'account' || c.kind === 'user' || c.kind === 'license' || c.kind === 'contact');

/** The results with each `done` change the service did not keep turned `failed`, naming the fields. */
export async function verifyKept(api: CloudLinkApi, notes: KeptNotes, changes: readonly Change[], results: readonly ChangeResult[]): Promise<ChangeResult[]> {
  const byAddress = new Map(results.map((r) => [r.address, r]));
  const byAccount = new Map<string, Change[]>();
  for (const c of changes) {
    if (byAddress.get(c.address)?.status === 'done' && checkable(c)) pushTo(byAccount, c.accountKey, c);
  }
  const failed = new Map<string, ChangeResult>();
  for (const [key, list] of byAccount) {
    const accountId = list.find((c) => c.id.accountId)?.id.accountId ?? notes.touched.get(key);
    if (!accountId) continue;
    let live: LiveNow;
    try {
      live = await readLive(api, accountId, list);
    } catch {
      continue; // the re-read failed: nothing can be said about this account's changes
    }
    for (const c of list) {
      const problem = compare(c, live, key);
      if (!problem) continue;
      const object = c.kind === 'user' ? `${accountId}|user|${(c.id.email ?? '').toLowerCase()}` : c.kind === 'account' ? `${accountId}|account` : '';
      const correlationId = notes.lastWrite.get(object);
      const prior = byAddress.get(c.address) as ChangeResult;
      failed.set(c.address, { address: prior.address, accountKey: prior.accountKey, kind: prior.kind, status: 'failed', error: notKeptMessage(problem.what, problem.mismatches, correlationId), ...(correlationId ? { correlationId } : {}) });
    }
  }
  return results.map((r) => failed.get(r.address) ?? r);
}
