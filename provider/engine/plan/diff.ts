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
import { checkCapacity, checkDeletes, checkProtected } from './guards.js';
import { where } from '../../model/checks.js';
import { planIntegrations } from './integrations.js';
import { planOrders } from './orders.js';
import { planUsers } from './users.js';
import { MITEAM_PRODUCT, type Account } from '../../model/live.js';

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
  const everyone = [...tenancy.accounts, ...(tenancy.unselected ?? [])];
  return bindAccounts(tenancy.accounts, liveAccountsOf(snapshot), snapshot.partnerId, keysOf(everyone), tenancy.unselected);
}

function liveAccountsOf(snapshot: LiveSnapshot): Account[] {
  return snapshot.allAccounts ?? snapshot.accounts.map((a) => a.account);
}

/**
 * Why `--destroy-account KEY` must not delete: a declared account lists KEY in previousKeys
 * (the account lives on under its new key: this is the old key's identity resource of a
 * rename), or the live account is bound by another declaration too.
 */
function destroyRefusal(d: DesiredAccount, binding: AccountBinding, tenancy: Tenancy): string | undefined {
  const renamed = [...tenancy.accounts, ...(tenancy.unselected ?? [])].find((a) => a.key !== d.key && (a.previousKeys ?? []).includes(d.key));
  if (renamed) {
    return `--destroy-account ${d.key}: account "${renamed.key}" (${where(renamed.source)}) lists "${d.key}" in previousKeys, so it is the same live account under its new key and is not deleted (a rename's old identity resource is moved, never destroyed); to delete the account, remove "${renamed.key}" or destroy that key`;
  }
  if (binding.kind === 'problem' && binding.problem.code === 'account_bound_twice') return `--destroy-account ${d.key}: ${binding.problem.message}; an account another declaration manages is not deleted`;
  return undefined;
}

function diffAccount(d: DesiredAccount, binding: AccountBinding, snapshot: LiveSnapshot, options: DiffOptions, tenancy: Tenancy): AccountPlan {
  const live = binding.kind === 'matched' ? snapshot.accounts.find((a) => a.account.accountId === binding.accountId) : undefined;
  const p = new AccountPlan(d, live, binding);
  const destroy = options.destroyAccounts?.includes(d.key) === true;
  const refusal = destroy ? destroyRefusal(d, binding, tenancy) : undefined;
  if (refusal) {
    p.problem({ severity: 'error', code: 'destroy_refused', guard: true, message: refusal });
    return p;
  }
  if (binding.kind === 'problem') {
    p.problems.push(binding.problem);
    return p;
  }
  if (destroy) {
    planDestroy(p);
    return p;
  }
  const proceeds = planAccount(p, snapshot.partnerId);
  const first = p.changes.length;
  planRest(p, snapshot, options);
  if (!proceeds) holdForConsole(p, first);
  return p;
}

/**
 * An account created in the Accounts Console: the changes planned after the account change
 * (contacts, integrations, orders, users, licences, welcomes) move into that change's
 * `waiting` list, in apply order, so reviewers see them while apply never acts on them.
 */
function holdForConsole(p: AccountPlan, first: number): void {
  const waiting = orderChanges([p.changes.splice(first)]).filter((c) => c.action !== 'noop');
  const account = p.changes.find((c) => c.kind === 'account' && c.manual === 'console');
  if (account?.kind === 'account' && waiting.length > 0) account.waiting = waiting;
}

/** Everything of an account besides the account itself: contacts, integrations, orders, users and the guards over them. */
function planRest(p: AccountPlan, snapshot: LiveSnapshot, options: DiffOptions): void {
  planContacts(p, snapshot.partnerUsers ?? []);
  const integrationAdds = planIntegrations(p, snapshot.catalog);
  const orders = planOrders(p, snapshot.orders, options.now);
  const integration = integrationAdds.get(MITEAM_PRODUCT);
  const users = planUsers(p, { ...(integration ? { integration } : {}), orders: orders.assigns });
  checkCapacity(p, orders, users);
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
    const p = diffAccount(d, bindings[i] ?? { key: d.key, kind: 'missing' }, snapshot, options, tenancy);
    blocks.push(p.changes);
    problems.push(...p.problems);
  });
  const changes = orderChanges(blocks);
  problems.push(...checkProtected(changes, liveAccountsOf(snapshot)));
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
