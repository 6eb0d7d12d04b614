/**
 * The rules of license orders, in one place: when an order stops providing licenses, how many
 * licenses an account has, and what an order's expiry does to an account's MiTeam users.
 * Pure functions over domain values.
 */
import { MITEAM_PRODUCT, type Order } from './live.js';

/** True while an order provides licenses: it never expires, or expires after `now`. */
export function orderCounts(order: Pick<Order, 'expiresOn'>, now: Date): boolean {
  return order.expiresOn === null || new Date(order.expiresOn).getTime() > now.getTime();
}

/** Licenses of `product` an account's orders provide at `now` (Σ quantity of its unexpired orders). */
export function capacityOf(orders: readonly Order[], accountId: string, now: Date, product = MITEAM_PRODUCT): number {
  let n = 0;
  for (const o of orders) if (o.assignedAccountId === accountId && o.product === product && orderCounts(o, now)) n += o.quantity;
  return n;
}

/** What one order's expiry does to its account. */
export interface ExpiryImpact {
  trackingNumber: string;
  expiresOn: string;
  /** Licenses the account's other orders still provide after this one expires. */
  licensesLeft: number;
  /** Licenses held in the account now. */
  licensesHeld: number;
  /** Users who would hold a license no order provides once it expires (0 when none). */
  usersWithoutLicense: number;
}

/**
 * The licenses an account keeps when `order` expires, against the licenses its users hold:
 * `usersWithoutLicense = max(0, held − capacity of the account's other orders at the expiry)`.
 * Undefined for an order that never expires or is not assigned.
 */
export function expiryImpact(order: Order, orders: readonly Order[], licensesHeld: number): ExpiryImpact | undefined {
  if (order.expiresOn === null || order.assignedAccountId === null) return undefined;
  const at = new Date(order.expiresOn);
  const others = orders.filter((o) => o.orderId !== order.orderId);
  const left = capacityOf(others, order.assignedAccountId, at, order.product);
  return { trackingNumber: order.trackingNumber, expiresOn: order.expiresOn, licensesLeft: left, licensesHeld, usersWithoutLicense: Math.max(0, licensesHeld - left) };
}
