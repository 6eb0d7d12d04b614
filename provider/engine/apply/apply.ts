/**
 * Applies a plan: accounts in parallel (bounded), inside an account the plan's order, the
 * independent changes of one phase concurrently. A failed change skips only what depends on
 * it; other accounts carry on. Stopping (an aborted `signal`, e.g. Ctrl-C) starts no new call,
 * lets those in flight finish and reports the rest as interrupted. Never prints: progress
 * goes to hooks.
 *
 * With `lock`, each existing account is leased (`../lock/`) before its first write and
 * released when it is done; a new account right after its create. An account whose lease
 * another run holds is refused (its changes skipped, the refusal in `locked`); a lease lost
 * mid-run stops that account. Accounts are taken in account-id order.
 */
import type { CloudLinkApi } from '../../api/client-types.js';
import type { Change, Plan, UserChange } from '../types.js';
import { phaseOf } from '../plan/diff.js';
import { mapLimit } from '../snapshot.js';
import { applyChange, type AccountContext } from './changes.js';
import { failure, notStarted, type ChangeResult } from './result.js';
import { createUsersInBatches } from './users-batch.js';
import { takeAccountLease, type ApplyLockOptions, type LockRefused } from './account-lease.js';
import { keptWrites } from './kept.js';
import { pushTo } from '../multimap.js';

export type { ChangeResult } from './result.js';
export type { ApplyVerb } from './changes.js';
export type { ApplyLockOptions, LockRefused } from './account-lease.js';

/** Progress callbacks (the CLI draws a bar or lines from them). */
export interface ApplyHooks {
  /** Called once, before any change, with the number of changes to apply. */
  onApplyStart?(total: number): void;
  onChangeStart?(change: Change): void;
  onChangeDone?(change: Change, result: ChangeResult): void;
}

export interface ApplyOptions {
  /** Accounts applied at once (default 4). */
  parallelism?: number;
  /** Changes of one phase of one account in flight at once (default 8). */
  perAccountConcurrency?: number;
  hooks?: ApplyHooks;
  /** Stops the apply: no new call starts once it is aborted. */
  signal?: AbortSignal;
  /** The clock written into welcome records (default: now). */
  now?: () => Date;
  /** Lease each account before writing it (the apply lock); absent: no locking. */
  lock?: ApplyLockOptions;
}

/** The result of an apply. */
export interface ApplyReport {
  results: ChangeResult[];
  succeeded: number;
  failed: number;
  skipped: number;
  /** Changes a person must make (accounts to create in the Accounts Console). */
  manual: number;
  /** Changes not started because the apply was stopped. */
  interrupted: number;
  /** Accounts not applied because their lease could not be taken (another run holds it, or it cannot be written). */
  locked: LockRefused[];
}

interface AccountRun {
  api: CloudLinkApi;
  ctx: AccountContext;
  results: Map<string, ChangeResult>;
  options: ApplyOptions;
  /** Set when the account's lease was lost: no new call starts. */
  lostWhy?: string;
}

function record(run: AccountRun, c: Change, r: ChangeResult): void {
  run.results.set(c.address, r);
  run.options.hooks?.onChangeDone?.(c, r);
}

/** The result of a change that will not run, or undefined when it may. */
function gate(run: AccountRun, c: Change): ChangeResult | undefined {
  const base = { address: c.address, accountKey: c.accountKey, kind: c.kind };
  if (c.kind === 'account' && c.manual) return { ...base, status: 'manual', error: 'create this account in the Accounts Console with the planned fields; the next plan finds it by this name (case and repeated or surrounding spaces aside)' };
  const dep = c.dependsOn.find((d) => run.results.has(d) && run.results.get(d)?.status !== 'done');
  if (dep) return { ...base, status: 'skipped', error: `skipped because ${dep} did not succeed` };
  if (run.options.signal?.aborted) return notStarted(c);
  if (run.lostWhy !== undefined) return { ...notStarted(c), error: `not started: ${run.lostWhy}` };
  return undefined;
}

async function runOne(run: AccountRun, c: Change): Promise<void> {
  const blocked = gate(run, c);
  if (blocked) return record(run, c, blocked);
  run.options.hooks?.onChangeStart?.(c);
  try {
    const verb = await applyChange(run.api, c, run.ctx);
    record(run, c, { address: c.address, accountKey: c.accountKey, kind: c.kind, status: 'done', verb });
  } catch (e) {
    record(run, c, failure(c, e));
  }
}

async function runPhase(run: AccountRun, list: Change[]): Promise<void> {
  const ready = list.filter((c) => !gate(run, c));
  const creates = ready.filter((c): c is UserChange => c.kind === 'user' && c.action === 'create');
  // Always the batch route, one user included: a single POST sends a welcome e-mail by itself (routes.ts, CREATE_SENDS_WELCOME).
  const batched = creates.length >= 1 && run.ctx.accountId !== undefined;
  if (batched) {
    creates.forEach((c) => run.options.hooks?.onChangeStart?.(c));
    const rows = await createUsersInBatches(run.api, creates, run.ctx, () => run.options.signal?.aborted === true || run.lostWhy !== undefined, run.options.perAccountConcurrency ?? 8);
    for (const [c, r] of rows) record(run, c, r);
  }
  const inBatches = new Set<Change>(batched ? creates : []);
  const rest = batched ? list.filter((c) => !inBatches.has(c)) : list;
  await mapLimit(rest, run.options.perAccountConcurrency ?? 8, (c) => runOne(run, c));
}

function knownAccountId(changes: readonly Change[]): string | undefined {
  return changes.find((c) => c.id.accountId)?.id.accountId;
}

/**
 * Applies one account's changes with `api` (the read-back client, kept.ts). The apply lease goes
 * through `leaseApi`, the plain client: the lease reads its own tag back, and the lock tag is the
 * tool's, never one of the account's tags that the first-tag read-back compares.
 */
async function applyAccount(api: CloudLinkApi, leaseApi: CloudLinkApi, partnerId: string, changes: Change[], options: ApplyOptions): Promise<{ results: ChangeResult[]; refused?: LockRefused; released?: Promise<void> }> {
  const ctx: AccountContext = { partnerId, users: new Map(), now: options.now ?? (() => new Date()) };
  const known = knownAccountId(changes);
  if (known) ctx.accountId = known;
  const run: AccountRun = { api, ctx, results: new Map(), options };
  const phases = new Map<number, Change[]>();
  for (const c of changes) {
    if (c.action === 'noop') continue;
    pushTo(phases, phaseOf(c), c);
  }
  let lease: Awaited<ReturnType<typeof takeAccountLease>> | undefined;
  let released: Promise<void> | undefined;
  try {
    for (const phase of [...phases.keys()].sort((a, b) => a - b)) {
      // The lease comes before the first write to an existing account, and right after the create of a new one.
      if (options.lock && !lease && ctx.accountId && !options.signal?.aborted) {
        lease = await takeAccountLease(leaseApi, options.lock, changes, ctx, (c, r) => record(run, c, r), (why) => (run.lostWhy = why));
        if ('refused' in lease) {
          for (const c of changes) if (c.action !== 'noop' && !run.results.has(c.address)) record(run, c, { address: c.address, accountKey: c.accountKey, kind: c.kind, status: 'skipped', error: `not applied: ${lease.refused.message}` });
          return { results: [...run.results.values()], refused: lease.refused };
        }
      }
      await runPhase(run, (phases.get(phase) ?? []).filter((c) => !run.results.has(c.address)));
    }
  } finally {
    // Every write of the account is done: the release (a read and a delete, never throwing) goes
    // on while the apply re-reads what it wrote (kept.ts), which it did after the release anyway.
    if (lease && 'release' in lease) released = lease.release();
  }
  return { results: [...run.results.values()], ...(released ? { released } : {}) };
}

/** Accounts in a stable order: existing ones by account id, then those still to create (by key). */
function accountOrder(a: Change[], b: Change[]): number {
  const ka = knownAccountId(a) ?? `~${a[0]?.accountKey ?? ''}`;
  const kb = knownAccountId(b) ?? `~${b[0]?.accountKey ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Applies every change of the plan. Never throws for API failures: they are in the report. */
export async function applyPlan(api: CloudLinkApi, plan: Pick<Plan, 'partnerId' | 'changes'>, options: ApplyOptions = {}): Promise<ApplyReport> {
  options.hooks?.onApplyStart?.(plan.changes.filter((c) => c.action !== 'noop').length);
  const byAccount = new Map<string, Change[]>();
  for (const c of plan.changes) pushTo(byAccount, c.accountKey, c);
  const groups = [...byAccount.values()];
  if (options.lock) groups.sort(accountOrder);
  // Did CloudLink keep what was written? The first write of each kind is read back at once, every applied change at the end (kept.ts).
  const kept = keptWrites(api);
  const perAccount = await mapLimit(groups, options.parallelism ?? 4, (changes) => applyAccount(kept.forAccount(changes[0]?.accountKey ?? ''), api, plan.partnerId, changes, options));
  const applied = perAccount.flatMap((p) => p.results);
  const releases = Promise.all(perAccount.map((p) => p.released));
  const [results] = await Promise.all([options.signal?.aborted ? applied : kept.verify(plan.changes, applied), releases]);
  const locked = perAccount.flatMap((p) => (p.refused ? [p.refused] : []));
  const count = (s: ChangeResult['status']): number => results.filter((r) => r.status === s).length;
  return { results, succeeded: count('done'), failed: count('failed'), skipped: count('skipped'), manual: count('manual'), interrupted: count('interrupted'), locked };
}
