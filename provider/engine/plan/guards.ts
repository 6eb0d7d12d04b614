/** The plan's guards: license capacity, orders in use, live protection and the deletion limit. Pure. */
import type { Account } from '../../model/live.js';
import type { Change, ChangeKind, PlanProblem } from '../types.js';
import type { AccountPlan } from './account-plan.js';
import type { OrdersOutcome } from './orders.js';
import type { UsersOutcome } from './users.js';

/**
 * MiTeam users after the apply must fit the licenses of the orders the account keeps: an order
 * is not unassigned while its licenses are in use, and licenses are not enabled beyond capacity.
 */
export function checkCapacity(p: AccountPlan, orders: OrdersOutcome, users: UsersOutcome): void {
  const { capacity } = orders;
  const short = users.enabledAfter - capacity;
  if (short <= 0) return;
  if (orders.unassigns.length > 0) {
    const list = orders.unassigns.map((o) => `${o.trackingNumber} (${o.quantity})`).join(', ');
    p.problem({ severity: 'error', code: 'order_in_use', guard: true, message: `account "${p.key}": unassigning ${list} would leave ${users.enabledAfter} MiTeam users with ${capacity} licenses; ${short} of its licenses are in use; keep the order, or turn MiTeam off for ${short} users first` });
  } else if (users.enables > 0) {
    p.problem({ severity: 'error', code: 'license_shortfall', guard: true, message: `account "${p.key}" would have ${users.enabledAfter} MiTeam users but its assigned, unexpired orders provide ${capacity} licenses (short by ${short}); assign another order or turn MiTeam off for ${short} users` });
  }
}

/** Kinds whose deletion `--max-deletes` counts (license toggles and support contacts are not deletions). */
const COUNTED_DELETES: ReadonlySet<ChangeKind> = new Set<ChangeKind>(['account', 'user', 'integration', 'order']);

/** The deletions `--max-deletes` counts: accounts (each with its users), users, integrations and unassigned orders. */
export function deletions(changes: readonly Change[]): { count: number; what: string[] } {
  let count = 0;
  const what: string[] = [];
  for (const c of changes) {
    if (c.action !== 'delete' || !COUNTED_DELETES.has(c.kind)) continue;
    const users = c.kind === 'account' ? (c.before?.users ?? 0) : 0;
    count += 1 + users;
    what.push(users > 0 ? `${c.address} (with its ${users} users)` : c.address);
  }
  return { count, what };
}

/** Refuses a plan that deletes more than `max` (the refusal lists what would be deleted). */
export function checkDeletes(changes: readonly Change[], max: number): PlanProblem | undefined {
  const { count, what } = deletions(changes);
  if (count <= max) return undefined;
  const shown = what.slice(0, 20).join(', ') + (what.length > 20 ? ` and ${what.length - 20} more` : '');
  return { severity: 'error', code: 'max_deletes', guard: true, message: `the plan deletes ${count} objects (an account counts with its users), more than --max-deletes ${max}: ${shown}; review them and re-run with --max-deletes ${count} if they are intended` };
}

/**
 * Refuses every account delete of the plan whose live account's identity tag says protected
 * (AWS-style termination protection: it holds whichever declaration, key or flag asks, until a
 * declaration bound to the account sets `protect: false` and that change is applied).
 */
export function checkProtected(changes: readonly Change[], live: readonly Pick<Account, 'accountId' | 'name' | 'protected'>[]): PlanProblem[] {
  const out: PlanProblem[] = [];
  for (const c of changes) {
    if (c.kind !== 'account' || c.action !== 'delete') continue;
    const a = live.find((x) => x.accountId === c.id.accountId);
    if (a?.protected !== true) continue;
    out.push({
      severity: 'error',
      code: 'protected_account',
      guard: true,
      accountKey: c.accountKey,
      message: `${c.address}: live account ${a.accountId} ${JSON.stringify(a.name)} is protected (its cloudlink-tenancy tag says protect: true) and is never deleted; to delete it, set protect: false on the account that declares it, apply that, then delete`,
    });
  }
  return out;
}
