/**
 * Builds the drift report from a declaration and a snapshot. Pure: reuses the plan for (a) and
 * reads the snapshot for undeclared objects, license use, order expiry (with what it does to
 * the account's MiTeam users), pending users and live accounts nobody declares. Changes
 * nothing anywhere.
 */
import { MICOLLAB_INTEGRATION, MITEAM_PRODUCT, type Order } from '../../model/live.js';
import { capacityOf, expiryImpact } from '../../model/orders.js';
import type { DesiredAccount, Tenancy } from '../../model/types.js';
import { bindingsOf, diffTenancy } from '../plan/diff.js';
import { keysOf } from '../plan/bind.js';
import { pendingRemovals } from '../plan/integrations.js';
import { ordersFor } from '../plan/orders.js';
import { licensesByUser } from '../plan/users.js';
import type { AccountBinding, Change, LiveAccount, LiveSnapshot, Plan } from '../types.js';
import { DRIFT_FORMAT_VERSION, type AccountDrift, type DriftDifference, type DriftReport, type OrderNotice, type UndeclaredAccount, type UndeclaredObject } from './types.js';

const DAY = 86_400_000;

/** The clock and the notice windows of one report. */
type Windows = Required<Pick<DriftOptions, 'expiringDays' | 'pendingDays'>> & { now: Date };

export interface DriftOptions {
  now: Date;
  /** Orders expiring within this many days are listed (default 30). */
  expiringDays?: number;
  /** Users pending for longer than this many days are listed (default 14). */
  pendingDays?: number;
  /** List every customer account of the partner that no file declares (default: only those tagged with an undeclared key). */
  allAccounts?: boolean;
  /** Every key and previous key of the whole declaration, when `tenancy` is a selection. */
  declaredKeys?: ReadonlySet<string>;
  /**
   * A plan already made from the same `tenancy` and `snapshot` (e.g. by `plan`), reused for (a)
   * instead of diffing again. It must come from a diff with no delete limit, or deletes are missing.
   */
  plan?: Plan;
}

function message(c: Change): string {
  if (c.kind === 'license') return c.after?.miteam ? 'MiTeam is on in the declaration, off live' : 'MiTeam is off in the declaration, on live';
  if (c.action === 'create') return `declared ${c.kind} is missing live`;
  if (c.action === 'delete') return `live ${c.kind} is not declared`;
  return `${c.kind} differs from the declaration`;
}

/** (a) The plan's changes of one account, as findings (user deletes and welcomes are reported elsewhere). */
function differences(plan: Plan, key: string): DriftDifference[] {
  return plan.changes
    .filter((c) => c.accountKey === key && c.action !== 'noop' && c.kind !== 'welcome' && !(c.action === 'delete' && c.kind === 'user'))
    .map((c) => {
      const before = (c.before ?? {}) as Record<string, unknown>;
      const after = (c.after ?? {}) as Record<string, unknown>;
      const attributes = c.action === 'update' ? Object.keys(after).map((k) => ({ name: k, declared: after[k] ?? null, live: before[k] ?? null })) : [];
      return { address: c.address, kind: c.kind, action: c.action === 'update' ? 'update' : c.action === 'create' ? 'create' : 'delete', attributes, message: message(c) };
    });
}

/** (d) Orders of the account that expire soon or have expired, with what expiry does to its MiTeam users. */
function orderNotices(live: LiveAccount, orders: readonly Order[], held: number, now: number, expiringDays: number): OrderNotice[] {
  const out: OrderNotice[] = [];
  for (const o of orders) {
    if (o.assignedAccountId !== live.account.accountId || !o.expiresOn) continue;
    const expires = new Date(o.expiresOn).getTime();
    const impact = expiryImpact(o, orders, held);
    const base = { trackingNumber: o.trackingNumber, quantity: o.quantity, expiresOn: o.expiresOn, licensesLeft: impact?.licensesLeft ?? 0, usersWithoutLicense: impact?.usersWithoutLicense ?? 0 };
    if (expires <= now) out.push({ ...base, status: 'expired', daysLeft: Math.floor((expires - now) / DAY) });
    else if (expires - now <= expiringDays * DAY) out.push({ ...base, status: 'expiring', daysLeft: Math.ceil((expires - now) / DAY) });
  }
  return out;
}

/** (b), (c), (d), (e) of one bound account. */
function liveFindings(d: DesiredAccount, live: LiveAccount, snapshot: LiveSnapshot, options: Windows) {
  const now = options.now.getTime();
  const undeclared: UndeclaredObject[] = [];
  const declaredEmails = new Set(d.users.items.map((u) => u.email));
  const licensed = licensesByUser(live);
  const pendingUsers: AccountDrift['pendingUsers'] = [];
  const unconfirmedWelcomes: AccountDrift['unconfirmedWelcomes'] = [];
  for (const u of live.users) {
    if (!declaredEmails.has(u.email.toLowerCase())) undeclared.push({ kind: 'user', id: u.userId, label: u.email });
    if (u.welcomeUnconfirmed && u.welcomeSentOn) unconfirmedWelcomes.push({ email: u.email, since: u.welcomeSentOn });
    if (u.verified || u.createdOn === undefined) continue;
    const age = Math.floor((now - new Date(u.createdOn).getTime()) / DAY);
    if (age > options.pendingDays) pendingUsers.push({ email: u.email, createdOn: u.createdOn, days: age });
  }
  const removing = pendingRemovals(live.account);
  for (const i of live.integrations) if (!d.integrations.includes(i.type) && !removing.has(i.integrationId)) undeclared.push({ kind: 'integration', id: i.integrationId, label: i.type });
  const declaredOrders = new Set<Order>(d.orders.flatMap((s) => ordersFor(s, snapshot.orders)));
  for (const o of snapshot.orders) if (o.assignedAccountId === live.account.accountId && !declaredOrders.has(o)) undeclared.push({ kind: 'order', id: o.orderId, label: o.trackingNumber });
  const assigned = capacityOf(snapshot.orders, live.account.accountId, options.now, MITEAM_PRODUCT);
  const enabled = licensed.size;
  // (2.1) Under MiCollab the licenses are MiCollab's to assign: never over quota, never drift.
  const micollab = live.integrations.some((i) => i.type === MICOLLAB_INTEGRATION);
  const licenses = { assigned, enabled, free: Math.max(0, assigned - enabled), overQuota: micollab ? 0 : Math.max(0, enabled - assigned) };
  return { undeclared, licenses, pendingUsers, unconfirmedWelcomes, orders: orderNotices(live, snapshot.orders, enabled, now, options.expiringDays) };
}

/** Live customer accounts nobody declares: tagged with an undeclared key, or (all) any unbound one. */
function undeclaredAccounts(snapshot: LiveSnapshot, declaredKeys: ReadonlySet<string>, all: boolean): { orphaned: UndeclaredAccount[]; undeclared: UndeclaredAccount[] } {
  const bound = new Set((snapshot.bindings ?? []).flatMap((b) => (b.kind === 'matched' ? [b.accountId] : [])));
  const orphaned: UndeclaredAccount[] = [];
  const undeclared: UndeclaredAccount[] = [];
  for (const a of snapshot.allAccounts ?? []) {
    if (bound.has(a.accountId)) continue;
    const entry = { accountId: a.accountId, name: a.name, ...(a.identityKey !== undefined ? { taggedKey: a.identityKey } : {}) };
    if (a.identityKey !== undefined && !declaredKeys.has(a.identityKey)) orphaned.push(entry);
    if (all) undeclared.push(entry);
  }
  return { orphaned, undeclared };
}

function accountDrift(d: DesiredAccount, b: AccountBinding | undefined, plan: Plan, snapshot: LiveSnapshot, options: Windows): AccountDrift {
  const live = b?.kind === 'matched' ? snapshot.accounts.find((a) => a.account.accountId === b.accountId) : undefined;
  const found = live ? liveFindings(d, live, snapshot, options) : { undeclared: [], licenses: { assigned: 0, enabled: 0, free: 0, overQuota: 0 }, pendingUsers: [], unconfirmedWelcomes: [], orders: [] };
  const diffs = differences(plan, d.key);
  const problems = plan.problems.filter((p) => p.accountKey === d.key).map((p) => p.message);
  const drifted = diffs.length > 0 || found.undeclared.length > 0 || found.licenses.overQuota > 0 || problems.length > 0;
  return { key: d.key, name: d.name, accountId: live?.account.accountId ?? null, differences: diffs, ...found, problems, drifted };
}

/** The drift report of `tenancy` against `snapshot`. */
export function buildDriftReport(tenancy: Tenancy, snapshot: LiveSnapshot, options: DriftOptions): DriftReport {
  const windows = { expiringDays: options.expiringDays ?? 30, pendingDays: options.pendingDays ?? 14, now: options.now };
  const plan = options.plan ?? diffTenancy(tenancy, snapshot, { now: options.now, maxDeletes: Number.MAX_SAFE_INTEGER });
  const bindings = bindingsOf(tenancy, snapshot);
  const accounts = tenancy.accounts.map((d, i) => accountDrift(d, bindings[i], plan, snapshot, windows));
  const { orphaned, undeclared } = undeclaredAccounts({ ...snapshot, bindings }, options.declaredKeys ?? keysOf(tenancy.accounts), options.allAccounts === true);
  const sum = (f: (a: AccountDrift) => number): number => accounts.reduce((n, a) => n + f(a), 0);
  return {
    formatVersion: DRIFT_FORMAT_VERSION,
    generatedAt: options.now.toISOString(),
    partnerId: tenancy.partner.id,
    expiringDays: windows.expiringDays,
    pendingDays: windows.pendingDays,
    accounts,
    orphanedAccounts: orphaned,
    ...(options.allAccounts ? { undeclaredAccounts: undeclared } : {}),
    summary: {
      accounts: accounts.length,
      drifted: accounts.filter((a) => a.drifted).length,
      differences: sum((a) => a.differences.length),
      undeclared: sum((a) => a.undeclared.length),
      overQuota: sum((a) => a.licenses.overQuota),
      expiringOrders: sum((a) => a.orders.filter((o) => o.status === 'expiring').length),
      expiredOrders: sum((a) => a.orders.filter((o) => o.status === 'expired').length),
      pendingUsers: sum((a) => a.pendingUsers.length),
      licensesAssigned: sum((a) => a.licenses.assigned),
      licensesEnabled: sum((a) => a.licenses.enabled),
      orphanedAccounts: orphaned.length,
      unconfirmedWelcomes: sum((a) => a.unconfirmedWelcomes.length),
    },
  };
}
