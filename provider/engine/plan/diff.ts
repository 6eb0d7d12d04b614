/**
 * The pure diff: declared tenancy + live snapshot → ordered plan. No I/O, no clock (the caller
 * passes `now`), deterministic output for equal inputs. Each kind has its own small planner
 * (desired → live → difference → sanity check); this file binds, runs them in order and sorts.
 *
 * Apply order within an account (tenancy-spec.md): account → contacts → integrations → order
 * assignments → license disables → user deletes → user creates/updates → license enables →
 * welcome e-mails → integration removals → order unassignments → account delete.
 */
import type { DesiredAccount, Tenancy } from '../../model/types.js';
import { digestOf } from '../../model/canonical-json.js';
import { PLAN_FORMAT_VERSION, type AccountBinding, type Change, type LiveSnapshot, type Plan, type PlanProblem } from '../types.js';
import { AccountPlan } from './account-plan.js';
import { planAccount, planDestroy } from './account.js';
import { bindAccounts, keysOf } from './bind.js';
import { planContacts } from './contacts.js';
import { checkCapacity, checkDeletes } from './guards.js';
import { planIntegrations } from './integrations.js';
import { planOrders } from './orders.js';
import { planUsers } from './users.js';
import { MITEAM_PRODUCT } from '../../model/live.js';

/** Options of the diff. */
export interface DiffOptions {
  /** Deletes allowed before the plan is refused (default 10). */
  maxDeletes?: number;
  /** The clock used for order expiry. */
  now: Date;
  /** Declared account keys whose live account is to be deleted (cdktf destroy). */
  destroyAccounts?: readonly string[];
}

/** Position of a change in the apply order. */
export function phaseOf(c: Pick<Change, 'kind' | 'action'> & { after?: unknown }): number {
  switch (c.kind) {
    case 'account':
      return c.action === 'delete' ? 11 : 0;
    case 'contact':
      return 1;
    case 'integration':
      return c.action === 'delete' ? 9 : 2;
    case 'order':
      return c.action === 'delete' ? 10 : 3;
    case 'license':
      return (c.after as { miteam?: boolean } | null)?.miteam ? 7 : 4;
    case 'user':
      return c.action === 'delete' ? 5 : 6;
    case 'welcome':
      return 8;
  }
}

/** The bindings of the snapshot, or (for snapshots built by hand) computed from its accounts. */
export function bindingsOf(tenancy: Tenancy, snapshot: LiveSnapshot): AccountBinding[] {
  if (snapshot.bindings && snapshot.bindings.length === tenancy.accounts.length) return snapshot.bindings;
  const live = snapshot.allAccounts ?? snapshot.accounts.map((a) => a.account);
  return bindAccounts(tenancy.accounts, live, snapshot.partnerId, keysOf(tenancy.accounts));
}

function diffAccount(d: DesiredAccount, binding: AccountBinding, snapshot: LiveSnapshot, options: DiffOptions): AccountPlan {
  const live = binding.kind === 'matched' ? snapshot.accounts.find((a) => a.account.accountId === binding.accountId) : undefined;
  const p = new AccountPlan(d, live, binding);
  if (binding.kind === 'problem') {
    p.problems.push(binding.problem);
    return p;
  }
  if (options.destroyAccounts?.includes(d.key)) {
    planDestroy(p);
    return p;
  }
  if (!planAccount(p, snapshot.partnerId)) return p;
  planContacts(p, snapshot.partnerUsers ?? []);
  const integrationAdds = planIntegrations(p, snapshot.catalog);
  const orders = planOrders(p, snapshot.orders, options.now);
  const integration = integrationAdds.get(MITEAM_PRODUCT);
  const users = planUsers(p, { ...(integration ? { integration } : {}), orders: orders.assigns });
  checkCapacity(p, orders, users);
  return p;
}

/** Sorts each account's block of changes by phase, keeping declaration order within a phase. */
function orderChanges(blocks: readonly Change[][]): Change[] {
  const sorted: Change[] = [];
  for (const block of blocks) {
    const indexed = block.map((c, i) => ({ c, i, p: phaseOf(c) }));
    indexed.sort((a, b) => a.p - b.p || a.i - b.i);
    for (const x of indexed) sorted.push(x.c);
  }
  return sorted;
}

/** Computes the plan for the declared tenancy against the snapshot. Pure. */
export function diffTenancy(tenancy: Tenancy, snapshot: LiveSnapshot, options: DiffOptions): Plan {
  const bindings = bindingsOf(tenancy, snapshot);
  const blocks: Change[][] = [];
  const problems: PlanProblem[] = [];
  tenancy.accounts.forEach((d, i) => {
    const p = diffAccount(d, bindings[i] ?? { key: d.key, kind: 'missing' }, snapshot, options);
    blocks.push(p.changes);
    problems.push(...p.problems);
  });
  const changes = orderChanges(blocks);
  const refused = checkDeletes(changes, options.maxDeletes ?? 10);
  if (refused) problems.push(refused);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    createdAt: options.now.toISOString(),
    partnerId: tenancy.partner.id,
    inputsDigest: digestOf(tenancy.accounts, ['source', 'supportContactSources', 'miteamSource']),
    accountKeys: tenancy.accounts.map((a) => a.key),
    changes,
    problems,
  };
}

/** Counts of changes by action. */
export function summarize(plan: Pick<Plan, 'changes'>): { create: number; update: number; delete: number; noop: number } {
  const out = { create: 0, update: 0, delete: 0, noop: 0 };
  for (const c of plan.changes) out[c.action] += 1;
  return out;
}

/** True when the plan has something to do. */
export function hasChanges(plan: Pick<Plan, 'changes'>): boolean {
  return plan.changes.some((c) => c.action !== 'noop');
}
