/**
 * Builds the drift report from a declaration and a snapshot. Pure: reuses the diff for
 * (a) and reads the snapshot for undeclared objects, license use, order expiry and
 * pending users. Changes nothing anywhere.
 */
import { MITEAM_PRODUCT, type Order } from '../model/live.js';
import type { Tenancy } from '../model/types.js';
import { diffTenancy, licensesByUser, orderCounts } from './diff.js';
import { matchAccount, ordersFor } from './match.js';
import type { LiveSnapshot, Plan } from './types.js';
import { DRIFT_FORMAT_VERSION, type AccountDrift, type DriftDifference, type DriftReport, type OrderNotice, type UndeclaredObject } from './drift-types.js';

const DAY = 86_400_000;

export interface DriftOptions {
  now: Date;
  /** Orders expiring within this many days are listed (default 30). */
  expiringDays?: number;
  /** Users pending for longer than this many days are listed (default 14). */
  pendingDays?: number;
  /**
   * A plan already made from the same `tenancy` and `snapshot` (e.g. by `plan`), reused for (a)
   * instead of diffing again. It must come from a diff with no delete limit, or deletes are missing.
   */
  plan?: Plan;
}

/** The drift report of `tenancy` against `snapshot`. */
export function buildDriftReport(tenancy: Tenancy, snapshot: LiveSnapshot, options: DriftOptions): DriftReport {
  const expiringDays = options.expiringDays ?? 30;
  const pendingDays = options.pendingDays ?? 14;
  const now = options.now.getTime();
  const plan = options.plan ?? diffTenancy(tenancy, snapshot, { now: options.now, maxDeletes: Number.MAX_SAFE_INTEGER });
  const accounts: AccountDrift[] = tenancy.accounts.map((d) => {
    const match = matchAccount(d, snapshot.accounts.map((a) => a.account), snapshot.partnerId);
    const live = match.kind === 'matched' ? snapshot.accounts.find((a) => a.account.accountId === match.account.accountId) : undefined;
    const differences: DriftDifference[] = plan.changes
      .filter((c) => c.accountKey === d.key && c.action !== 'noop' && !(c.action === 'delete' && c.kind === 'user'))
      .filter((c) => c.kind !== 'welcome')
      .map((c) => ({
        address: c.address,
        kind: c.kind,
        action: c.action as DriftDifference['action'],
        attributes: c.action === 'update' ? Object.keys(c.after ?? {}).filter((k) => k !== 'email' || (c.before && k in c.before)).map((k) => ({ name: k, declared: c.after?.[k] ?? null, live: c.before?.[k] ?? null })) : [],
        message: c.action === 'create' ? (c.kind === 'license' ? 'MiTeam is on in the declaration, off live' : `declared ${c.kind} is missing live`) : c.action === 'delete' ? (c.kind === 'license' ? 'MiTeam is off in the declaration, on live' : `live ${c.kind} is not declared`) : `${c.kind} differs from the declaration`,
      }));
    const undeclared: UndeclaredObject[] = [];
    const orders: OrderNotice[] = [];
    let assigned = 0;
    let enabled = 0;
    const pendingUsers: AccountDrift['pendingUsers'] = [];
    if (live) {
      const declaredEmails = new Set(d.users.items.map((u) => u.email));
      const licensed = licensesByUser(live);
      for (const u of live.users) {
        if (!declaredEmails.has(u.email.toLowerCase())) undeclared.push({ kind: 'user', id: u.userId, label: u.email });
        if (licensed.has(u.userId)) enabled += 1;
        if (u.verified || u.createdOn === undefined) continue;
        const age = Math.floor((now - new Date(u.createdOn).getTime()) / DAY);
        if (age > pendingDays) pendingUsers.push({ email: u.email, createdOn: u.createdOn, days: age });
      }
      for (const i of live.integrations) if (!d.integrations.includes(i.type)) undeclared.push({ kind: 'integration', id: i.integrationId, label: i.type });
      const declaredOrders = new Set<Order>(d.orders.flatMap((s) => ordersFor(s, snapshot.orders)));
      for (const o of snapshot.orders) {
        if (o.assignedAccountId !== live.account.accountId) continue;
        if (!declaredOrders.has(o)) undeclared.push({ kind: 'order', id: o.orderId, label: o.trackingNumber });
        const expires = o.expiresOn ? new Date(o.expiresOn).getTime() : Number.POSITIVE_INFINITY;
        if (o.product === MITEAM_PRODUCT && orderCounts(o, options.now)) assigned += o.quantity;
        if (o.expiresOn && expires <= now) orders.push({ trackingNumber: o.trackingNumber, quantity: o.quantity, expiresOn: o.expiresOn, status: 'expired', daysLeft: Math.floor((expires - now) / DAY) });
        else if (o.expiresOn && expires - now <= expiringDays * DAY) orders.push({ trackingNumber: o.trackingNumber, quantity: o.quantity, expiresOn: o.expiresOn, status: 'expiring', daysLeft: Math.ceil((expires - now) / DAY) });
      }
    }
    const licenses = { assigned, enabled, free: Math.max(0, assigned - enabled), overQuota: Math.max(0, enabled - assigned) };
    const problems = plan.problems.filter((p) => p.accountKey === d.key).map((p) => p.message);
    return {
      key: d.key,
      name: d.name,
      accountId: live?.account.accountId ?? null,
      differences,
      undeclared,
      licenses,
      orders,
      pendingUsers,
      problems,
      drifted: differences.length > 0 || undeclared.length > 0 || licenses.overQuota > 0 || problems.length > 0,
    };
  });
  const sum = (f: (a: AccountDrift) => number): number => accounts.reduce((n, a) => n + f(a), 0);
  return {
    formatVersion: DRIFT_FORMAT_VERSION,
    generatedAt: options.now.toISOString(),
    partnerId: tenancy.partner.id,
    expiringDays,
    pendingDays,
    accounts,
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
    },
  };
}
