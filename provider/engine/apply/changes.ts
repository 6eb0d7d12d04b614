/**
 * Applies one change: a switch on its kind, reading only `id`, `action`, `after` and the
 * account context (ids learnt earlier in the same apply). Never reads `reason`.
 */
import type { CloudLinkApi } from '../../api/client-types.js';
import { ACCOUNT_FIELDS, type AccountFields, type JsonValue, type UserFields } from '../../model/live.js';
import type { AccountChange, AccountAttributes, Change, UserAttributes } from '../types.js';
import { ensureAccount } from './ensure-account.js';
import { sendAndRecordWelcome } from './welcome.js';
import { recordRemoval } from './integration-removal.js';

/** What applying a change did, in the plan's words. */
export type ApplyVerb = 'created' | 'updated' | 'deleted' | 'assigned' | 'unassigned' | 'enabled' | 'disabled' | 'sent' | 'renamed' | 'unchanged';

/** Per-account ids learnt while applying (a created account, created users). */
export interface AccountContext {
  partnerId: string;
  accountId?: string;
  /** User ids by lower-cased e-mail. */
  users: Map<string, string>;
  now: () => Date;
}

/** The writable account fields of planned attributes (nulls are never written: those attributes are not declared). */
export function accountFields(a: AccountAttributes): AccountFields {
  const out: AccountFields = {};
  for (const f of ACCOUNT_FIELDS) {
    const v = a[f];
    if (typeof v === 'string') out[f] = v;
  }
  return out;
}

/** The writable user fields of planned attributes. */
export function userFieldsOf(email: string, a: UserAttributes): UserFields {
  const out: UserFields = { email };
  for (const f of ['name', 'firstName', 'lastName', 'role'] as const) if (a[f] !== undefined) Object.assign(out, { [f]: a[f] });
  if (typeof a.country === 'string') out.country = a.country;
  return out;
}

async function writeTags(api: CloudLinkApi, accountId: string, tags: Record<string, string | null> | undefined): Promise<void> {
  for (const [tagId, value] of Object.entries(tags ?? {})) await api.accounts.setTag(accountId, tagId, value === null ? undefined : (value as JsonValue));
}

/**
 * Deletes an account unless its live identity tag says protected, read just before the
 * delete (so a saved plan, a hand-made plan or a tag set since the plan cannot get past it).
 */
async function deleteAccount(api: CloudLinkApi, c: AccountChange, id: string): Promise<ApplyVerb> {
  const live = await api.accounts.get(id);
  if (live?.protected === true) throw new Error(`${c.address}: refused: live account ${id} is protected (its cloudlink-tenancy tag says protect: true); set protect: false on its declaration and apply that first`);
  return (await api.accounts.delete(id)).outcome === 'deleted' ? 'deleted' : 'unchanged';
}

async function applyAccount(api: CloudLinkApi, c: AccountChange, ctx: AccountContext, accountId: () => string): Promise<ApplyVerb> {
  const after = c.after ?? {};
  if (c.action === 'create') {
    const fields = accountFields(after);
    const r = await ensureAccount(api, ctx.partnerId, { ...fields, name: fields.name ?? '' }, after.identityKey ?? c.accountKey, c.protect === true);
    ctx.accountId = r.value?.accountId;
    if (ctx.accountId) await writeTags(api, ctx.accountId, after.tags);
    return r.outcome === 'created' ? 'created' : 'unchanged';
  }
  if (c.action === 'delete') return deleteAccount(api, c, accountId());
  const id = accountId();
  const fields = accountFields(after);
  if (Object.keys(fields).length > 0) await api.accounts.update(id, fields);
  if (typeof after.identityKey === 'string' || typeof after.protect === 'boolean') await api.accounts.setIdentity(id, after.identityKey ?? c.accountKey, c.protect ?? after.protect === true);
  await writeTags(api, id, after.tags);
  return c.previousKey !== undefined ? 'renamed' : 'updated';
}

/** Removes an integration and records the request (removal is asynchronous, 2.1). */
async function removeIntegration(api: CloudLinkApi, accountId: string, c: Extract<Change, { kind: 'integration' }>, now: Date): Promise<string> {
  const r = await api.integrations.remove(accountId, c.id.integrationId ?? '');
  await recordRemoval(api, accountId, c.id.integrationId ?? '', c.before?.type ?? '', now);
  return r.outcome;
}

/** Applies one change and says what it did. Throws on failure (the caller records it). */
export async function applyChange(api: CloudLinkApi, c: Change, ctx: AccountContext): Promise<ApplyVerb> {
  const accountId = (): string => {
    const id = c.id.accountId ?? ctx.accountId;
    if (!id) throw new Error(`${c.address}: the account does not exist (its create failed or was skipped)`);
    return id;
  };
  const userId = (email: string, known: string | undefined): string => {
    const id = known ?? ctx.users.get(email);
    if (!id) throw new Error(`${c.address}: the user does not exist (its create failed or was skipped)`);
    return id;
  };
  switch (c.kind) {
    case 'account':
      return applyAccount(api, c, ctx, accountId);
    case 'contact':
      if (c.action === 'create' && c.after) return (await api.contacts.add(accountId(), { email: c.after.email, type: c.after.type, ...(c.after.name ? { name: c.after.name } : {}) })).outcome === 'created' ? 'created' : 'unchanged';
      return (await api.contacts.remove(accountId(), c.id.contactId ?? '')).outcome === 'deleted' ? 'deleted' : 'unchanged';
    case 'integration':
      if (c.action === 'create') return (await api.integrations.add(accountId(), c.after?.type ?? '')).outcome === 'created' ? 'created' : 'unchanged';
      return (await removeIntegration(api, accountId(), c, ctx.now())) === 'deleted' ? 'deleted' : 'unchanged';
    case 'order':
      if (c.action === 'create') return (await api.orders.assign(ctx.partnerId, c.id.orderId, accountId())).outcome === 'unchanged' ? 'unchanged' : 'assigned';
      return (await api.orders.unassign(ctx.partnerId, c.id.orderId)).outcome === 'unchanged' ? 'unchanged' : 'unassigned';
    case 'user': {
      const email = c.id.email ?? '';
      if (c.action === 'create') {
        // The batch route, never the single POST: that one sends a welcome e-mail by itself ([A], CREATE_SENDS_WELCOME in routes.ts).
        const [row] = await api.users.createMany(accountId(), [userFieldsOf(email, c.after ?? {})]);
        if (!row?.ok) throw new Error(row ? `${row.status}: ${row.message}${row.correlationId ? ` (correlation id ${row.correlationId})` : ''}` : 'no result for this row');
        ctx.users.set(row.user.email.toLowerCase(), row.user.userId);
        return row.outcome === 'created' ? 'created' : 'unchanged';
      }
      if (c.action === 'update') {
        const { email: _e, ...patch } = userFieldsOf(email, c.after ?? {});
        await api.users.update(accountId(), userId(email, c.id.userId), patch);
        return 'updated';
      }
      return (await api.users.delete(accountId(), userId(email, c.id.userId))).outcome === 'deleted' ? 'deleted' : 'unchanged';
    }
    case 'license':
      if (c.after?.miteam) return (await api.billing.enable(accountId(), userId(c.id.email, c.id.userId), c.id.product)).outcome === 'unchanged' ? 'unchanged' : 'enabled';
      return (await api.billing.disable(c.id.licenseId ?? '')).outcome === 'unchanged' ? 'unchanged' : 'disabled';
    case 'welcome':
      await sendAndRecordWelcome(api, accountId(), userId(c.id.email, c.id.userId), { now: ctx.now });
      return 'sent';
  }
}
