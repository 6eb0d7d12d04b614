/**
 * Applies a plan: accounts in parallel (bounded), inside an account the plan's order,
 * independent changes of one phase concurrently. A failed change skips only what depends
 * on it; other accounts carry on. Apply reads only `kind`, `action`, `after`, `target` and
 * `dependsOn` of each change, never `reason`. It never prints: progress goes to hooks.
 */
import { MITEAM_PRODUCT, type AccountFields, type JsonValue, type LiveRole, type UserFields } from '../model/live.js';
import type { CloudLinkApi, WriteOutcome } from '../api/client-types.js';
import { ensureWelcome } from './welcome.js';
import type { Change, Plan } from './types.js';
import { phaseOf } from './diff.js';
import { mapLimit } from './snapshot.js';

/** What happened to one change: `manual` changes wait for a person (the Accounts Console). */
export interface ChangeResult {
  address: string;
  accountKey: string;
  status: 'done' | 'failed' | 'skipped' | 'manual';
  outcome?: WriteOutcome;
  error?: string;
}

/** Progress callbacks (the CLI draws a bar or lines from them). */
export interface ApplyHooks {
  onChangeStart?(change: Change): void;
  onChangeDone?(change: Change, result: ChangeResult): void;
}

export interface ApplyOptions {
  /** Accounts applied at once (default 4). */
  parallelism?: number;
  /** Changes of one phase of one account in flight at once (default 8). */
  perAccountConcurrency?: number;
  hooks?: ApplyHooks;
  /** The clock written into welcome records (default: now). */
  now?: () => Date;
}

/** The result of an apply. */
export interface ApplyReport {
  results: ChangeResult[];
  succeeded: number;
  failed: number;
  skipped: number;
  /** Changes a person must make (accounts to create in the Accounts Console). */
  manual: number;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

const ACCOUNT_FIELDS = ['name', 'country', 'address', 'city', 'postalCode', 'stateOrProvince', 'language'] as const;

/** The account attributes of a change's `after`. */
function accountFields(after: Record<string, unknown>): AccountFields {
  const out: AccountFields = {};
  for (const f of ACCOUNT_FIELDS) {
    const v = str(after[f]);
    if (v !== undefined) out[f] = v;
  }
  return out;
}

/** The user attributes of a change's `after` (e-mail always; others when present). */
function userFieldsOf(after: Record<string, unknown>): UserFields {
  const out: UserFields = { email: str(after.email) ?? '' };
  for (const f of ['name', 'firstName', 'lastName', 'country'] as const) {
    const v = str(after[f]);
    if (v !== undefined) out[f] = v;
  }
  const role = str(after.role);
  if (role !== undefined) out.role = role as LiveRole;
  return out;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Per-account ids learnt while applying (created account, created users). */
interface AccountContext {
  partnerId: string;
  accountId?: string;
  users: Map<string, string>;
  now: () => Date;
}

/** Writes the account's declared tags that differ. */
async function writeTags(api: CloudLinkApi, accountId: string, tags: unknown): Promise<void> {
  if (!tags || typeof tags !== 'object') return;
  for (const [tagId, value] of Object.entries(tags as Record<string, JsonValue>)) await api.accounts.setTag(accountId, tagId, value);
}

async function applyAccountChange(api: CloudLinkApi, change: Change, ctx: AccountContext, after: Record<string, unknown>, accountId: () => string): Promise<WriteOutcome> {
  if (change.action === 'create') {
    const fields = accountFields(after);
    const r = await api.accounts.create(ctx.partnerId, { ...fields, name: fields.name ?? '' }, str(after.identityKey) ?? change.accountKey);
    ctx.accountId = r.value?.accountId;
    if (ctx.accountId) await writeTags(api, ctx.accountId, after.tags);
    return r.outcome;
  }
  if (change.action === 'delete') return (await api.accounts.delete(accountId())).outcome;
  const id = accountId();
  const fields = accountFields(after);
  if (Object.keys(fields).length > 0) await api.accounts.update(id, fields);
  const key = str(after.identityKey);
  if (key !== undefined) await api.accounts.setIdentity(id, key);
  await writeTags(api, id, after.tags);
  return 'updated';
}

async function applyOne(api: CloudLinkApi, change: Change, ctx: AccountContext): Promise<WriteOutcome> {
  const after = (change.after ?? {}) as Record<string, unknown>;
  const t = change.target ?? {};
  const accountId = (): string => {
    const id = t.accountId ?? ctx.accountId;
    if (!id) throw new Error(`${change.address}: the account does not exist (its create failed or was skipped)`);
    return id;
  };
  const email = str(after.email) ?? str((change.before as Record<string, unknown> | null)?.email) ?? '';
  const userId = (): string => {
    const id = t.userId ?? ctx.users.get(email);
    if (!id) throw new Error(`${change.address}: the user does not exist (its create failed or was skipped)`);
    return id;
  };
  switch (change.kind) {
    case 'account':
      return applyAccountChange(api, change, ctx, after, accountId);
    case 'contact':
      if (change.action === 'create') return (await api.contacts.add(accountId(), { email, type: str(after.type) ?? 'SUPPORT' })).outcome;
      return (await api.contacts.remove(accountId(), t.contactId ?? '')).outcome;
    case 'integration':
      if (change.action === 'create') return (await api.integrations.add(accountId(), str(after.type) ?? '')).outcome;
      return (await api.integrations.remove(accountId(), t.integrationId ?? '')).outcome;
    case 'order': {
      const orderId = t.orderId ?? '';
      if (change.action === 'create') return (await api.orders.assign(ctx.partnerId, orderId, accountId())).outcome;
      return (await api.orders.unassign(ctx.partnerId, orderId)).outcome;
    }
    case 'user': {
      if (change.action === 'create') {
        const r = await api.users.create(accountId(), userFieldsOf(after));
        if (r.value) ctx.users.set(r.value.email.toLowerCase(), r.value.userId);
        return r.outcome;
      }
      if (change.action === 'update') {
        const { email: _e, ...patch } = userFieldsOf(after);
        return (await api.users.update(accountId(), userId(), patch)).outcome;
      }
      return (await api.users.delete(accountId(), userId())).outcome;
    }
    case 'license':
      if (change.action === 'create') return (await api.billing.enable(accountId(), userId(), str(after.product) ?? MITEAM_PRODUCT)).outcome;
      return (await api.billing.disable(t.licenseId ?? '')).outcome;
    case 'welcome':
      return ensureWelcome(api, accountId(), userId(), { now: ctx.now });
  }
}

/** User creates of one phase, in batches of up to 100 through the batch endpoint. */
async function bulkCreateUsers(api: CloudLinkApi, creates: Change[], ctx: AccountContext): Promise<Map<Change, ChangeResult>> {
  const out = new Map<Change, ChangeResult>();
  const accountId = ctx.accountId;
  for (let i = 0; i < creates.length; i += 100) {
    const batch = creates.slice(i, i + 100);
    const inputs = batch.map((c) => userFieldsOf((c.after ?? {}) as Record<string, unknown>));
    try {
      if (!accountId) throw new Error('the account does not exist (its create failed or was skipped)');
      const rows = await api.users.createMany(accountId, inputs);
      batch.forEach((c, j) => {
        const row = rows[j];
        if (row?.ok) {
          ctx.users.set(row.user.email.toLowerCase(), row.user.userId);
          out.set(c, { address: c.address, accountKey: c.accountKey, status: 'done', outcome: row.outcome });
        } else {
          out.set(c, { address: c.address, accountKey: c.accountKey, status: 'failed', error: row ? `${row.status}: ${row.message}${row.correlationId ? ` (correlation id ${row.correlationId})` : ''}` : 'no result for this row' });
        }
      });
    } catch (e) {
      for (const c of batch) out.set(c, { address: c.address, accountKey: c.accountKey, status: 'failed', error: errorText(e) });
    }
  }
  return out;
}

async function applyAccount(api: CloudLinkApi, partnerId: string, changes: Change[], options: ApplyOptions): Promise<ChangeResult[]> {
  const ctx: AccountContext = { partnerId, users: new Map(), now: options.now ?? (() => new Date()) };
  const first = changes.find((c) => c.target?.accountId);
  if (first?.target?.accountId) ctx.accountId = first.target.accountId;
  const results = new Map<string, ChangeResult>();
  const hooks = options.hooks;
  const phases = new Map<number, Change[]>();
  for (const c of changes) {
    if (c.action === 'noop') continue;
    const p = phaseOf(c.kind, c.action);
    phases.set(p, [...(phases.get(p) ?? []), c]);
  }
  const blocked = (c: Change): string | undefined => c.dependsOn.find((d) => results.has(d) && results.get(d)?.status !== 'done');
  for (const phase of [...phases.keys()].sort((a, b) => a - b)) {
    const list = phases.get(phase) ?? [];
    const runnable: Change[] = [];
    for (const c of list) {
      const dep = blocked(c);
      if (c.manual) {
        const r: ChangeResult = { address: c.address, accountKey: c.accountKey, status: 'manual', error: 'create this account in the Accounts Console with the planned fields; the next plan adopts it by exact name' };
        results.set(c.address, r);
        hooks?.onChangeDone?.(c, r);
      } else if (dep) {
        const r: ChangeResult = { address: c.address, accountKey: c.accountKey, status: 'skipped', error: `skipped because ${dep} did not succeed` };
        results.set(c.address, r);
        hooks?.onChangeDone?.(c, r);
      } else runnable.push(c);
    }
    const creates = runnable.filter((c) => c.kind === 'user' && c.action === 'create');
    if (creates.length >= 2 && ctx.accountId) {
      creates.forEach((c) => hooks?.onChangeStart?.(c));
      const bulk = await bulkCreateUsers(api, creates, ctx);
      for (const [c, r] of bulk) {
        results.set(c.address, r);
        hooks?.onChangeDone?.(c, r);
      }
    }
    const singles = creates.length >= 2 && ctx.accountId ? runnable.filter((c) => !creates.includes(c)) : runnable;
    await mapLimit(singles, options.perAccountConcurrency ?? 8, async (c) => {
      hooks?.onChangeStart?.(c);
      let r: ChangeResult;
      try {
        const outcome = await applyOne(api, c, ctx);
        r = { address: c.address, accountKey: c.accountKey, status: 'done', outcome };
      } catch (e) {
        r = { address: c.address, accountKey: c.accountKey, status: 'failed', error: errorText(e) };
      }
      results.set(c.address, r);
      hooks?.onChangeDone?.(c, r);
    });
  }
  return [...results.values()];
}

/** Applies every change of the plan. Never throws for API failures: they are in the report. */
export async function applyPlan(api: CloudLinkApi, plan: Plan, options: ApplyOptions = {}): Promise<ApplyReport> {
  const byAccount = new Map<string, Change[]>();
  for (const c of plan.changes) byAccount.set(c.accountKey, [...(byAccount.get(c.accountKey) ?? []), c]);
  const perAccount = await mapLimit([...byAccount.values()], options.parallelism ?? 4, (changes) => applyAccount(api, plan.partnerId, changes, options));
  const results = perAccount.flat();
  return {
    results,
    succeeded: results.filter((r) => r.status === 'done').length,
    failed: results.filter((r) => r.status === 'failed').length,
    skipped: results.filter((r) => r.status === 'skipped').length,
    manual: results.filter((r) => r.status === 'manual').length,
  };
}
