/**
 * Matching declared objects to live ones. Accounts: by `adopt` (account id or the console's
 * account number), else by the `cloudlink-tenancy` identity tag holding the key, else by exact
 * name under the partner. Orders: by their selector. Users: by e-mail (case-insensitive).
 */
import type { Account, Order } from '../model/live.js';
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
  const adopt = declared.adopt;
  if (adopt) {
    const byId = 'accountId' in adopt;
    const hit = live.find((a) => (byId ? a.accountId === adopt.accountId : a.accountNumber === adopt.accountNumber));
    if (hit) return { kind: 'matched', account: hit, rule: 'adopt' };
    const label = byId ? `account id ${adopt.accountId}` : `account number ${adopt.accountNumber}`;
    return {
      kind: 'problem',
      problem: { code: 'adopt_not_found', guard: false, accountKey: declared.key, message: `account "${declared.key}" adopts ${label}, which does not exist or is not visible to partner ${partnerId}; check it (import lists them) or remove adopt to create a new account` },
    };
  }
  const tagged = live.filter((a) => a.identityKey === declared.key);
  if (tagged.length === 1 && tagged[0]) return { kind: 'matched', account: tagged[0], rule: 'tag' };
  if (tagged.length > 1) {
    return { kind: 'problem', problem: { code: 'account_ambiguous', guard: false, accountKey: declared.key, message: `${tagged.length} live accounts carry the cloudlink-tenancy tag with key "${declared.key}" (${tagged.map((a) => a.accountId).join(', ')}); add adopt.accountId to choose one` } };
  }
  const named = live.filter((a) => a.partnerId === partnerId && a.name === declared.name && a.identityKey === undefined);
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
