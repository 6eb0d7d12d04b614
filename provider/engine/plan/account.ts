/** Planner of the account itself: create (by the API or in the console), update, rename, delete. Pure. */
import type { AccountAttributes } from '../types.js';
import { bindingReason, nearReason } from './bind.js';
import { declaredAccountFields, differing, liveAccountFields } from './attributes.js';
import type { AccountPlan } from './account-plan.js';

const CREATE_REASON = 'no live account has this adopt id, cloudlink-tenancy tag, previous key or name';

/** Plans a missing account. Returns false when the rest of the account must wait (console creation). */
function planCreate(p: AccountPlan): boolean {
  const d = p.d;
  const after: AccountAttributes = { ...declaredAccountFields(d), identityKey: d.key, ...(d.protect ? { protect: true } : {}), ...(Object.keys(d.tags).length ? { tags: { ...d.tags } } : {}) };
  const base = { address: p.address, kind: 'account' as const, action: 'create' as const, id: {}, before: null, after, dependsOn: [], stamp: null, protect: d.protect };
  const near = nearReason(p.binding.kind === 'missing' ? p.binding.near : undefined);
  if (d.accountCreation === 'console') {
    p.add({ ...base, manual: 'console', reason: `${CREATE_REASON}${near}: create it in the Accounts Console with these fields; the next plan finds it by name (ignoring case and spaces), tags it and plans the rest of this account` });
    return false;
  }
  p.add({ ...base, reason: `${CREATE_REASON}${near}` });
  return true;
}

/**
 * The account: create when missing, else the declared attributes, the identity tag (written
 * on a name match, rewritten on a rename) and the declared tags that differ. Returns false when
 * the account's other changes must wait for a person (`accountCreation: console`).
 */
export function planAccount(p: AccountPlan, partnerId: string): boolean {
  const b = p.binding;
  if (!p.live || b.kind !== 'matched') return planCreate(p);
  const d = p.d;
  const live = p.live.account;
  const delta = differing(declaredAccountFields(d), liveAccountFields(live)) ?? { before: {}, after: {} };
  if (d.adopt === undefined && live.identityKey !== d.key) {
    delta.before.identityKey = live.identityKey ?? null;
    delta.after.identityKey = d.key;
  }
  // Protection lives on the live account: the identity tag says it, and follows the declaration.
  const liveProtect = live.protected === true;
  if (liveProtect !== d.protect) {
    delta.before.protect = liveProtect;
    delta.after.protect = d.protect;
  }
  const writesIdentity = delta.after.identityKey !== undefined || delta.after.protect !== undefined;
  const tags = differing(d.tags, live.tags);
  if (tags) {
    delta.before.tags = tags.before as Record<string, string | null>;
    delta.after.tags = tags.after as Record<string, string | null>;
  }
  const action = Object.keys(delta.after).length > 0 ? 'update' : 'noop';
  p.add({
    address: p.address,
    kind: 'account',
    action,
    id: { accountId: live.accountId },
    before: action === 'update' ? delta.before : null,
    after: action === 'update' ? delta.after : null,
    reason: bindingReason(b, d, partnerId),
    dependsOn: [],
    stamp: live.modifiedOn ?? null,
    ...(b.previousKey !== undefined ? { previousKey: b.previousKey } : {}),
    ...(writesIdentity ? { protect: d.protect } : {}),
  });
  return true;
}

/**
 * The live account deleted by `--destroy-account`. Refused when the declaration says protect,
 * and (in `checkProtected`, for every delete) when the live identity tag does.
 */
export function planDestroy(p: AccountPlan): void {
  if (p.d.protect) {
    p.problem({ severity: 'error', code: 'protected_account', guard: true, message: `account "${p.key}" (${p.d.name}) is protected and is never deleted; set protect: false and apply that first if you really mean to delete it` });
    return;
  }
  if (!p.live) return;
  const a = p.live.account;
  p.add({ address: p.address, kind: 'account', action: 'delete', id: { accountId: a.accountId }, before: { name: a.name, users: p.live.users.length }, after: null, reason: `--destroy-account ${p.key}`, dependsOn: [], stamp: a.modifiedOn ?? null });
}
