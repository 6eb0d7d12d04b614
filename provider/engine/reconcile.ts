/**
 * The reconcile service: load → select → (principal check) → snapshot → plan → apply, and the
 * drift report, each as one library call with progress hooks. The CLI keeps flags, wording and
 * exit codes only; tests and other programs call these directly.
 */
import type { CloudLinkApi } from '../api/client-types.js';
import { loadDeclaration } from '../load/declaration.js';
import type { Diagnostic, Tenancy } from '../model/types.js';
import { applyPlan, type ApplyOptions, type ApplyReport } from './apply/apply.js';
import { buildDriftReport, type DriftOptions } from './drift/report.js';
import type { DriftReport } from './drift/types.js';
import { checkSavedPlan, otherPartner, sameDeclaration, type SavedPlanCheck } from './planfile.js';
import { diffTenancy, hasChanges } from './plan/diff.js';
import { keysOf } from './plan/bind.js';
import { verifyPrincipal } from './principal.js';
import { destroyOnly, selectAccounts, type Shard } from './select.js';
import { readSnapshot } from './snapshot.js';
import type { LiveSnapshot, Plan } from './types.js';

/** Where the declaration comes from and which accounts a run covers. */
export interface LoadRequest {
  paths: readonly string[];
  /** A cdktf output folder instead of YAML paths. */
  fromCdktf?: string;
  cwd: string;
  accounts?: readonly string[];
  shard?: Shard;
  /** Accounts to delete (cdktf destroy); replaces the other selection. */
  destroyAccounts?: readonly string[];
}

/** A loaded, selected declaration, or the diagnostics that stop the run. */
export interface Loaded {
  tenancy?: Tenancy;
  /** Every key and previous key of the whole declaration (before selection). */
  declaredKeys: Set<string>;
  diagnostics: Diagnostic[];
}

/** Loads the declaration (YAML paths or cdktf output) and selects the accounts of this run. */
export async function loadSelection(req: LoadRequest): Promise<Loaded> {
  const loaded = await loadDeclaration(req);
  const all = loaded.tenancy;
  if (!all || loaded.diagnostics.some((d) => d.severity === 'error')) return { declaredKeys: new Set(), diagnostics: loaded.diagnostics };
  const declaredKeys = keysOf(all.accounts);
  if (req.destroyAccounts?.length) return { tenancy: withUnselected(destroyOnly(all, req.destroyAccounts), all), declaredKeys, diagnostics: loaded.diagnostics };
  const { tenancy, unknownKeys } = selectAccounts(all, { ...(req.accounts ? { accounts: req.accounts } : {}), ...(req.shard ? { shard: req.shard } : {}) });
  if (unknownKeys.length > 0) {
    const message = `--account ${unknownKeys.join(', ')}: no declared account has this key; declared keys are ${all.accounts.map((a) => a.key).join(', ')}`;
    return { declaredKeys, diagnostics: [...loaded.diagnostics, { severity: 'error', message }] };
  }
  return { tenancy: withUnselected(tenancy, all), declaredKeys, diagnostics: loaded.diagnostics };
}

/** The selection, carrying the declared accounts it leaves out (bound too: binding is one-to-one over the whole declaration). */
function withUnselected(selected: Tenancy, all: Tenancy): Tenancy {
  const keys = new Set(selected.accounts.map((a) => a.key));
  const unselected = all.accounts.filter((a) => !keys.has(a.key));
  return unselected.length > 0 ? { ...selected, unselected } : selected;
}

/** What a plan run needs besides the client and the tenancy. */
export interface PlanRequest {
  declaredKeys?: ReadonlySet<string>;
  maxDeletes?: number;
  destroyAccounts?: readonly string[];
}

/** A refusal before anything was read (the credentials belong to another partner). */
export interface Refused {
  kind: 'refused';
  message: string;
}

export interface Planned {
  kind: 'planned';
  plan: Plan;
  snapshot: LiveSnapshot;
}

/** Checks the principal, reads live state and diffs it. */
export async function planTenancy(api: CloudLinkApi, tenancy: Tenancy, req: PlanRequest = {}): Promise<Planned | Refused> {
  const { problem } = await verifyPrincipal(api, tenancy.partner.id);
  if (problem) return { kind: 'refused', message: problem };
  const snapshot = await readSnapshot(api, tenancy, req.declaredKeys ? { declaredKeys: req.declaredKeys } : {});
  const plan = diffTenancy(tenancy, snapshot, {
    now: new Date(snapshot.takenAt),
    ...(req.maxDeletes !== undefined ? { maxDeletes: req.maxDeletes } : {}),
    ...(req.destroyAccounts ? { destroyAccounts: req.destroyAccounts } : {}),
  });
  return { kind: 'planned', plan, snapshot };
}

/** What an apply run needs besides the client and the tenancy. */
export interface ApplyRequest extends PlanRequest {
  /** A reviewed plan to apply exactly (checked object by object against live state). */
  saved?: Plan;
  /** Asked before anything is written (a fresh plan only); false cancels. */
  confirm?: (plan: Plan) => Promise<boolean>;
  apply?: ApplyOptions;
}

/** How an apply run ended. */
export type ApplyOutcome =
  | Refused
  | { kind: 'problems'; plan: Plan }
  | { kind: 'nothing'; plan: Plan; check?: SavedPlanCheck }
  | { kind: 'declaration-changed'; plan: Plan }
  | { kind: 'stale'; plan: Plan; check: SavedPlanCheck }
  | { kind: 'cancelled'; plan: Plan }
  | { kind: 'applied'; plan: Plan; report: ApplyReport; check?: SavedPlanCheck };

/** Plans (or checks a saved plan against live state) and applies. */
export async function applyTenancy(api: CloudLinkApi, tenancy: Tenancy, req: ApplyRequest = {}): Promise<ApplyOutcome> {
  const foreign = req.saved ? otherPartner(req.saved, tenancy.partner.id) : undefined;
  if (foreign) return { kind: 'refused', message: foreign };
  const planned = await planTenancy(api, tenancy, req);
  if (planned.kind === 'refused') return planned;
  const fresh = planned.plan;
  if (fresh.problems.length > 0) return { kind: 'problems', plan: fresh };
  let plan = fresh;
  let check: SavedPlanCheck | undefined;
  if (req.saved) {
    if (!sameDeclaration(req.saved, fresh)) return { kind: 'declaration-changed', plan: req.saved };
    check = checkSavedPlan(req.saved, fresh);
    if (check.stale.length > 0) return { kind: 'stale', plan: req.saved, check };
    plan = { ...req.saved, changes: check.apply };
  }
  if (!hasChanges(plan)) return { kind: 'nothing', plan, ...(check ? { check } : {}) };
  if (!req.saved && req.confirm && !(await req.confirm(plan))) return { kind: 'cancelled', plan };
  const report = await applyPlan(api, plan, req.apply ?? {});
  return { kind: 'applied', plan, report, ...(check ? { check } : {}) };
}

export interface Drifted {
  kind: 'report';
  report: DriftReport;
  snapshot: LiveSnapshot;
}

/** Checks the principal, reads live state and reports drift (refresh only: writes nothing). */
export async function driftTenancy(api: CloudLinkApi, tenancy: Tenancy, req: Omit<DriftOptions, 'now' | 'plan'> = {}): Promise<Drifted | Refused> {
  const { problem } = await verifyPrincipal(api, tenancy.partner.id);
  if (problem) return { kind: 'refused', message: problem };
  const snapshot = await readSnapshot(api, tenancy, req.declaredKeys ? { declaredKeys: req.declaredKeys } : {});
  return { kind: 'report', report: buildDriftReport(tenancy, snapshot, { ...req, now: new Date(snapshot.takenAt) }), snapshot };
}
