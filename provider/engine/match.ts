/** @deprecated identity is bound once in ./plan/bind.js; orders in ./plan/orders.js (temporary re-export). */
import type { Account } from '../model/live.js';
import type { DesiredAccount } from '../model/types.js';
import type { PlanProblem } from './types.js';
import { bindAccounts, keysOf } from './plan/bind.js';
export { matchOrder, ordersFor } from './plan/orders.js';

/** How a declared account was bound to live state. */
export type AccountMatch = { kind: 'matched'; account: Account; rule: string } | { kind: 'missing' } | { kind: 'problem'; problem: PlanProblem };

/** Binds one declared account (see `bindAccounts`). */
export function matchAccount(declared: DesiredAccount, live: readonly Account[], partnerId: string): AccountMatch {
  const [b] = bindAccounts([declared], live, partnerId, keysOf([declared]));
  if (!b || b.kind === 'missing') return { kind: 'missing' };
  if (b.kind === 'problem') return { kind: 'problem', problem: b.problem };
  const account = live.find((a) => a.accountId === b.accountId);
  return account ? { kind: 'matched', account, rule: b.rule } : { kind: 'missing' };
}
