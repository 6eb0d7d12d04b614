/**
 * Planner of order assignments: assign the declared orders; with `orders.policy:
 * authoritative`, unassign the account's live orders that are not declared. Pure.
 */
import { MITEAM_PRODUCT, type Order } from '../../model/live.js';
import type { OrderSelector } from '../../model/types.js';
import { describeOrder } from '../../model/normalize.js';
import { orderCounts } from '../../model/orders.js';
import type { PlanProblem } from '../types.js';
import type { AccountPlan } from './account-plan.js';

/** Every live order a selector picks (normally one). */
export function ordersFor(selector: OrderSelector, orders: readonly Order[]): Order[] {
  if ('trackingNumber' in selector) return orders.filter((o) => o.trackingNumber === selector.trackingNumber);
  if ('sapOrderId' in selector) return orders.filter((o) => o.sapOrderId === selector.sapOrderId);
  if ('customerPo' in selector) return orders.filter((o) => o.customerPo === selector.customerPo);
  return orders.filter((o) => o.resellerPo === selector.resellerPo);
}

/** The order a selector picks, or the problem that prevents it. */
export function matchOrder(selector: OrderSelector, orders: readonly Order[], accountKey: string): { order: Order } | { problem: PlanProblem } {
  const hits = ordersFor(selector, orders);
  const label = describeOrder(selector);
  if (hits.length === 1 && hits[0]) return { order: hits[0] };
  if (hits.length === 0) {
    return { problem: { severity: 'error', code: 'order_not_found', guard: false, accountKey, message: `account "${accountKey}": no order of the partner has ${label}; check the value against the console's order list (cloudlink-tenancy orders)` } };
  }
  return { problem: { severity: 'error', code: 'order_ambiguous', guard: false, accountKey, message: `account "${accountKey}": ${hits.length} orders have ${label} (${hits.map((o) => o.trackingNumber).join(', ')}); select them by trackingNumber instead` } };
}

/** What the order planner tells the users planner and the guards. */
export interface OrdersOutcome {
  /** MiTeam licenses the account's orders provide after the apply. */
  capacity: number;
  /** Addresses of order assignments (license enables depend on them). */
  assigns: string[];
  /** Orders to unassign. */
  unassigns: Order[];
  /** Declared orders (for staleness and undeclared-order reports). */
  declared: Order[];
}

function stampOf(o: Order): string {
  return `${o.assignedAccountId ?? 'unassigned'}@${o.modifiedOn ?? ''}`;
}

function planDeclared(p: AccountPlan, orders: readonly Order[], now: Date, out: OrdersOutcome): void {
  const accountId = p.accountId;
  for (const selector of p.d.orders) {
    const m = matchOrder(selector, orders, p.key);
    if ('problem' in m) {
      p.problems.push(m.problem);
      continue;
    }
    const order = m.order;
    out.declared.push(order);
    if (order.assignedAccountId && order.assignedAccountId !== accountId) {
      p.problem({ severity: 'error', code: 'order_conflict', guard: false, message: `account "${p.key}": order ${order.trackingNumber} (${describeOrder(selector)}) is already assigned to another account (${order.assignedAccountId}); unassign it there in the console or select another order` });
      continue;
    }
    if (order.product === MITEAM_PRODUCT && orderCounts(order, now)) out.capacity += order.quantity;
    const address = `${p.address}.order.${order.trackingNumber}`;
    const attrs = { trackingNumber: order.trackingNumber, quantity: order.quantity };
    if (accountId && order.assignedAccountId === accountId) {
      p.add({ address, kind: 'order', action: 'noop', id: { accountId, orderId: order.orderId }, before: null, after: null, reason: 'assigned', dependsOn: [], stamp: stampOf(order) });
    } else {
      p.add({ address, kind: 'order', action: 'create', id: p.id({ orderId: order.orderId }), before: { ...attrs, assigned: false }, after: { ...attrs, assigned: true }, reason: `assign ${describeOrder(selector)} (${order.quantity} licenses)`, dependsOn: p.accountDeps, stamp: stampOf(order) });
      out.assigns.push(address);
    }
  }
}

export function planOrders(p: AccountPlan, orders: readonly Order[], now: Date): OrdersOutcome {
  const out: OrdersOutcome = { capacity: 0, assigns: [], unassigns: [], declared: [] };
  planDeclared(p, orders, now, out);
  const accountId = p.accountId;
  if (!accountId) return out;
  for (const o of orders) {
    if (o.assignedAccountId !== accountId || out.declared.includes(o)) continue;
    if (p.d.ordersPolicy === 'authoritative') {
      out.unassigns.push(o);
      const attrs = { trackingNumber: o.trackingNumber, quantity: o.quantity };
      p.add({ address: `${p.address}.order.${o.trackingNumber}`, kind: 'order', action: 'delete', id: { accountId, orderId: o.orderId }, before: { ...attrs, assigned: true }, after: null, reason: 'assigned live but not declared (orders policy authoritative)', dependsOn: [], stamp: stampOf(o) });
    } else if (o.product === MITEAM_PRODUCT && orderCounts(o, now)) out.capacity += o.quantity; // kept: still counts
  }
  return out;
}
