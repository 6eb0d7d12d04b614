/**
 * The console's Orders page as data: one row per partner order with its identifiers, the
 * account it is assigned to (declared key and live name), dates and licenses used/total, plus,
 * for orders about to expire, what the expiry does to the account's MiTeam users
 * (`expiryImpact` of `model/orders.ts`). Pure: the command reads live state and passes it in.
 */
import type { Order, Subscription } from '../model/live.js';
import { expiryImpact, orderCounts, type ExpiryImpact } from '../model/orders.js';

/** One row of the Orders page. */
export interface OrderRow {
  orderId: string;
  trackingNumber: string;
  sapOrderId: string | null;
  resellerPo: string | null;
  customerPo: string | null;
  product: string;
  /** The assigned account's id, null when unassigned. */
  accountId: string | null;
  /** The declared key of the assigned account, when tenancy files were given and one matches. */
  accountKey: string | null;
  /** The assigned account's name as CloudLink has it. */
  accountName: string | null;
  /** `YYYY-MM-DD`, null when unknown. */
  orderDate: string | null;
  /** `YYYY-MM-DD`, null when the order never expires. */
  expiresOn: string | null;
  /** True once the expiry has passed. */
  expired: boolean;
  licensesUsed: number;
  licensesTotal: number;
  /** For orders expiring within the asked window (`--expiring`): what the expiry leaves the account. */
  impact?: ExpiryImpact;
}

/** What the page shows: all orders, or filtered like the console's controls. */
export interface OrdersFilter {
  unassigned?: boolean;
  /** Only orders expiring after `now` and within this many days. */
  expiringDays?: number;
  /** Case-insensitive text matched against every shown field (ids, POs, account key and name, both dates). */
  search?: string;
}

/** Live facts the rows are built from. */
export interface OrdersFacts {
  orders: readonly Order[];
  /** Account names by id. */
  accountNames: ReadonlyMap<string, string>;
  /** Declared keys by live account id (empty without tenancy files). */
  accountKeys: ReadonlyMap<string, string>;
  /** Subscriptions (assigned orders with their `used` count) of the accounts holding orders. */
  subscriptions: readonly Subscription[];
  /** MiTeam licenses held now, by account id. */
  licensesHeld: ReadonlyMap<string, number>;
  now: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const day = (iso: string | undefined | null): string | null => (iso ? iso.slice(0, 10) : null);

/** The fields `--search` looks at. */
export function searchableFields(row: OrderRow): string[] {
  return [row.trackingNumber, row.sapOrderId, row.resellerPo, row.customerPo, row.accountKey, row.accountName, row.orderDate, row.expiresOn].filter((v): v is string => typeof v === 'string' && v !== '');
}

/** The rows of the Orders page, sorted by tracking number, after the filters. */
export function orderRows(facts: OrdersFacts, filter: OrdersFilter = {}): OrderRow[] {
  const used = new Map(facts.subscriptions.map((s) => [s.subscriptionId, s.used]));
  const horizon = filter.expiringDays === undefined ? undefined : facts.now.getTime() + filter.expiringDays * DAY_MS;
  const needle = filter.search?.trim().toLowerCase();
  const rows: OrderRow[] = [];
  for (const o of facts.orders) {
    if (filter.unassigned && o.assignedAccountId !== null) continue;
    if (horizon !== undefined) {
      if (o.expiresOn === null || !orderCounts(o, facts.now) || new Date(o.expiresOn).getTime() > horizon) continue;
    }
    const accountId = o.assignedAccountId;
    const row: OrderRow = {
      orderId: o.orderId,
      trackingNumber: o.trackingNumber,
      sapOrderId: o.sapOrderId,
      resellerPo: o.resellerPo,
      customerPo: o.customerPo,
      product: o.product,
      accountId,
      accountKey: accountId ? (facts.accountKeys.get(accountId) ?? null) : null,
      accountName: accountId ? (facts.accountNames.get(accountId) ?? null) : null,
      orderDate: day(o.orderDate),
      expiresOn: day(o.expiresOn),
      expired: !orderCounts(o, facts.now),
      licensesUsed: accountId ? (used.get(o.orderId) ?? 0) : 0,
      licensesTotal: o.quantity,
    };
    if (needle && !searchableFields(row).some((f) => f.toLowerCase().includes(needle))) continue;
    if (horizon !== undefined && accountId) {
      const impact = expiryImpact(o, facts.orders, facts.licensesHeld.get(accountId) ?? 0);
      if (impact) row.impact = impact;
    }
    rows.push(row);
  }
  return rows.sort((a, b) => a.trackingNumber.localeCompare(b.trackingNumber));
}
