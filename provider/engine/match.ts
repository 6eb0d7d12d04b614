/**
 * Matching declared objects to live ones. Accounts: by `adopt.accountId`, else by the
 * `tenancy-key` tag the tool writes on create, else by exact name under the partner.
 * Orders: by their selector. Users: by e-mail (case-insensitive).
 */
import { TENANCY_KEY_TAG, type Account, type Order } from '../api/resources.js';
import type { DesiredAccount, OrderSelector } from '../model/types.js';
import type { PlanProblem } from './types.js';
import { describeOrder } from '../model/normalize.js';

/** How a declared account was bound to live state. */
export type AccountMatch =
  | { kind: 'matched'; account: Account; rule: 'adopt' | 'tag' | 'name' }
  | { kind: 'missing' }
  | { kind: 'problem'; problem: PlanProblem };

/** Matches one declared account against the live accounts of the partner. Pure. */
export function matchAccount(declared: DesiredAccount, live: readonly Account[], partnerId: string): AccountMatch {
  if (declared.adopt) {
    const hit = live.find((a) => a.accountId === declared.adopt?.accountId);
    if (hit) return { kind: 'matched', account: hit, rule: 'adopt' };
    return {
      kind: 'problem',
      problem: { code: 'adopt_not_found', guard: false, accountKey: declared.key, message: `account "${declared.key}" adopts account id ${declared.adopt.accountId}, which does not exist or is not visible to partner ${partnerId}; check the id (import lists them) or remove adopt to create a new account` },
    };
  }
  const tagged = live.filter((a) => a.tags[TENANCY_KEY_TAG] === declared.key);
  if (tagged.length === 1 && tagged[0]) return { kind: 'matched', account: tagged[0], rule: 'tag' };
  if (tagged.length > 1) {
    return { kind: 'problem', problem: { code: 'account_ambiguous', guard: false, accountKey: declared.key, message: `${tagged.length} live accounts carry tenancy-key "${declared.key}" (${tagged.map((a) => a.accountId).join(', ')}); add adopt.accountId to choose one` } };
  }
  const named = live.filter((a) => a.partnerId === partnerId && a.name === declared.name && a.tags[TENANCY_KEY_TAG] === undefined);
  if (named.length === 1 && named[0]) return { kind: 'matched', account: named[0], rule: 'name' };
  if (named.length > 1) {
    return { kind: 'problem', problem: { code: 'account_ambiguous', guard: false, accountKey: declared.key, message: `${named.length} live accounts are named "${declared.name}" (${named.map((a) => a.accountId).join(', ')}); add adopt.accountId to choose one` } };
  }
  return { kind: 'missing' };
}

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
    return { problem: { code: 'order_not_found', guard: false, accountKey, message: `account "${accountKey}": no order of the partner has ${label}; check the value against the console's order list` } };
  }
  return { problem: { code: 'order_ambiguous', guard: false, accountKey, message: `account "${accountKey}": ${hits.length} orders have ${label} (${hits.map((o) => o.trackingNumber).join(', ')}); select them by trackingNumber instead` } };
}
