/**
 * Bench scenarios of the field profiles (issue 23), run by `run.ts` in the default profile only
 * (`--short`, CI, keeps the 20 ms profile):
 *
 * - `field-large`: one account of 30,000 users at 150 ms per call and 40 requests/s: the first
 *   plan (none live), the apply of the 30,000 creates (no MiTeam: 300 batch requests, so it
 *   takes ~8 s at 40 req/s instead of the ~40 minutes 30,000 licence enables would), and the
 *   plan with all live and nothing to do.
 * - `field-many`: 500 accounts × 100 users at 150 ms and 40 req/s: plan and drift.
 * - `large-local`, `large-local-yaml`: the same 30,000-user account through the built CLI at
 *   CLOUDLINK_RATE=5000 with no latency (the table): wall time and peak RSS of each
 *   command, bytes per declared user; users in the bulk-import template, or as YAML items.
 * - `memory-100k`: a plan of 100,000 users over 1,000 accounts (one file per account) through the
 *   CLI: peak RSS.
 * - `sandbox-deep`: sandbox throughput on deep pages of a 30,000-user account.
 *
 * Time bounds: max(requests ÷ rate, longest chain of calls that must follow one another ×
 * latency) (`bounds.ts`, `timeBound`). Plan times are those of the reads (claims check and
 * snapshot), which is what the bound bounds; the diff is reported on its own row.
 */
import autocannon from 'autocannon';
import { request } from 'undici';
import type { CloudLinkClient } from '../../provider/api/index.js';
import { DEMO_CREDENTIALS, type SandboxSeed, type StateDump } from '../../provider/sandbox/index.js';
import { readSnapshot } from '../../provider/engine/snapshot.js';
import { diffTenancy } from '../../provider/engine/plan/diff.js';
import { applyPlan } from '../../provider/engine/apply/apply.js';
import { verifyPrincipal } from '../../provider/engine/principal.js';
import { buildDriftReport } from '../../provider/engine/drift/report.js';
import type { Tenancy } from '../../provider/model/types.js';
import type { Plan } from '../../provider/engine/types.js';
import { spawnSandbox } from '../helpers/child-sandbox.js';
import { applyBound, pages, planBound, planChain, timeBound, userCreateReadBack, type PlanShape } from './bounds.js';
import { benchClient, control, measure, setUp, type FieldSetup } from './field.js';
import { runCli } from './cli-child.js';

/** One measured value, before `run.ts` turns it into a table row (ratio, target, pass). */
export interface Measurement {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  bound: number | null;
  /** A key of FIELD_TARGETS, or null when only reported. */
  target: string | null;
  detail?: string;
}

/** A target: `max` limits are upper bounds, `min` lower bounds; `time` targets are enforced in the default profile only. */
export interface BenchTarget {
  limit: number;
  kind: 'max' | 'min';
  text: string;
  time: boolean;
}

/** Targets of these scenarios (run.ts adds them to its TARGETS). */
export const FIELD_TARGETS: Record<string, BenchTarget> = {
  'field.requests': { limit: 1.0, kind: 'max', text: 'ratio 1.00', time: false },
  'field.time': { limit: 1.15, kind: 'max', text: 'ratio ≤ 1.15', time: true },
  'field.failures': { limit: 0, kind: 'max', text: '0', time: false },
  'local.applyRssMB': { limit: 250, kind: 'max', text: '< 250 MB', time: true },
  'local.noChangeSeconds': { limit: 5, kind: 'max', text: '< 5 s', time: true },
  'memory.planRssMB': { limit: 400, kind: 'max', text: '< 400 MB', time: true },
  // Paging in O(account) served about 11 pages/s of this account (90 ms each); O(page) serves hundreds on a loaded machine.
  'sandbox.deepRps': { limit: 200, kind: 'min', text: '≥ 200 req/s', time: true },
};

const RATE = 40;
const LATENCY_MS = 150;


/** The plan's read shape from the sandbox's state: what the contract makes a plan read. */
async function planShape(s: FieldSetup): Promise<{ shape: PlanShape; largestList: number }> {
  const state = (await control(s.sandbox.url, '/sandbox/state')) as StateDump;
  const own = state.accounts.find((a) => a.accountId === DEMO_CREDENTIALS.partnerAccountId);
  const visible = state.accounts.filter((a) => a.partnerId === DEMO_CREDENTIALS.partnerId || a.accountId === own?.accountId).length;
  const customers = new Set(s.generated.liveAccounts.flatMap((a) => (a.accountId ? [a.accountId] : [])));
  const per = new Map<string, { contacts: number; integrations: number; users: number; licenses: number }>();
  for (const id of customers) per.set(id, { contacts: 0, integrations: 0, users: 0, licenses: 0 });
  const bump = (list: { accountId: string | null }[], k: 'contacts' | 'integrations' | 'users' | 'licenses'): void => {
    for (const x of list) {
      const p = x.accountId ? per.get(x.accountId) : undefined;
      if (p) p[k] += 1;
    }
  };
  bump(state.contacts, 'contacts');
  bump(state.integrations, 'integrations');
  bump(state.users, 'users');
  bump(state.licenses, 'licenses');
  const accounts = [...per.values()];
  const largestList = Math.max(0, ...accounts.flatMap((a) => [a.contacts, a.integrations, a.users, a.licenses]));
  return { shape: { visibleAccounts: visible, orders: state.orders.filter((o) => o.partnerId === DEMO_CREDENTIALS.partnerId).length, accounts }, largestList };
}

const parts = (p: Record<string, number>): string => Object.entries(p).map(([k, v]) => `${k} ${v}`).join(' + ');

/** Reads (claims check + snapshot) and diff of a plan, measured against the plan bound. */
async function planRows(s: FieldSetup, label: string, kind: 'plan' | 'drift'): Promise<{ rows: Measurement[]; plan: Plan; client: CloudLinkClient }> {
  const { shape, largestList } = await planShape(s);
  const bound = planBound(shape);
  await control(s.sandbox.url, '/sandbox/requests', 'DELETE');
  const c = benchClient(s.sandbox, RATE);
  const started = performance.now();
  const { problem } = await verifyPrincipal(c, s.generated.tenancy.partner.id);
  if (problem) throw new Error(problem);
  const snapshot = await readSnapshot(c, s.generated.tenancy, { concurrency: 8 });
  const readSeconds = (performance.now() - started) / 1000;
  const diffStarted = performance.now();
  const plan = diffTenancy(s.generated.tenancy, snapshot, { now: new Date(snapshot.takenAt) });
  if (kind === 'drift') buildDriftReport(s.generated.tenancy, snapshot, { now: new Date(snapshot.takenAt) });
  const diffSeconds = (performance.now() - diffStarted) / 1000;
  const sent = (await control(s.sandbox.url, '/sandbox/requests')) as Record<string, number>;
  const requests = Object.values(sent).reduce((n, v) => n + v, 0);
  const t = timeBound({ requests: bound.requests, rate: RATE, chain: planChain(largestList), latencyMs: LATENCY_MS });
  return {
    plan,
    client: c,
    rows: [
      { scenario: kind, metric: `${label}: requests`, value: requests, unit: 'requests', bound: bound.requests, target: 'field.requests', detail: parts(bound.parts) },
      { scenario: kind, metric: `${label}: time of the reads`, value: readSeconds, unit: 's', bound: t.seconds, target: 'field.time', detail: `bound = ${t.formula}` },
      { scenario: kind, metric: `${label}: ${kind === 'drift' ? 'diff and drift report' : 'diff'} (CPU, after the reads)`, value: diffSeconds, unit: 's', bound: null, target: null },
    ],
  };
}

/** One account of 30,000 users at 150 ms and 40 req/s: first plan, apply, no-change plan. */
export async function fieldLarge(users = 30_000): Promise<Measurement[]> {
  const s = await setUp({ accounts: 1, usersPerAccount: users, miteamRatio: 0, live: false, rate: RATE, latencyMs: LATENCY_MS });
  const n = users.toLocaleString('en');
  try {
    const first = await planRows(s, `first plan, 1 account / ${n} declared users, none live (${RATE} req/s, ${LATENCY_MS} ms)`, 'plan');
    const creates = first.plan.changes.filter((ch) => ch.kind === 'user' && ch.action === 'create').length;
    if (creates !== users) throw new Error(`expected ${users} user creates, planned ${creates}`);
    // The account exists with no users: its lease (LEASE_REQUESTS) and the one users read under it count, as the CLI's apply takes them.
    const shape = { accounts: s.generated.tenancy.accounts.map((a) => ({ creates: a.users.items.length, enables: 0, welcomes: 0, users: 0 })) };
    const writes = applyBound(shape);
    const readBack = userCreateReadBack(s.generated.tenancy.accounts.map((a) => ({ usersAfter: a.users.items.length })));
    const bound = { requests: writes.requests + readBack.requests, parts: { ...writes.parts, ...readBack.parts } };
    await control(s.sandbox.url, '/sandbox/requests', 'DELETE');
    const started = performance.now();
    const report = await applyPlan(first.client, first.plan, { parallelism: 4, perAccountConcurrency: 16, lock: { holder: 'bench' } });
    const wall = (performance.now() - started) / 1000;
    await first.client.close();
    const sent = (await control(s.sandbox.url, '/sandbox/requests')) as Record<string, number>;
    const requests = Object.values(sent).reduce((k, v) => k + v, 0);
    const t = timeBound({ requests: bound.requests, rate: RATE, chain: 1, latencyMs: LATENCY_MS });
    const state = (await control(s.sandbox.url, '/sandbox/state')) as StateDump;
    const account = s.generated.liveAccounts[0]?.accountId;
    const live = state.users.filter((u) => u.accountId === account);
    const unique = new Set(live.map((u) => u.email.toLowerCase())).size;
    const applyLabel = `apply of ${n} user creates, no MiTeam (${RATE} req/s, ${LATENCY_MS} ms)`;
    const rows: Measurement[] = [
      ...first.rows,
      { scenario: 'apply', metric: `${applyLabel}: requests`, value: requests, unit: 'requests', bound: bound.requests, target: 'field.requests', detail: `${parts(bound.parts)}; sent by route: ${parts(sent)}` },
      { scenario: 'apply', metric: `${applyLabel}: time`, value: wall, unit: 's', bound: t.seconds, target: 'field.time', detail: `bound = ${t.formula} (batches are independent: chain 1)` },
      { scenario: 'apply', metric: `${applyLabel}: duplicate or missing users, failed changes`, value: live.length - unique + (users - unique) + report.failed + report.skipped, unit: 'objects', bound: null, target: 'field.failures' },
    ];
    const again = await planRows(s, `no-change plan, 1 account / ${n} live users (${RATE} req/s, ${LATENCY_MS} ms)`, 'plan');
    await again.client.close();
    if (again.plan.changes.some((ch) => ch.action !== 'noop')) throw new Error('the no-change plan planned changes');
    return [...rows, ...again.rows];
  } finally {
    s.close();
  }
}

/** 500 accounts × 100 users at 150 ms and 40 req/s: plan and drift, nothing to do. */
export async function fieldMany(accounts = 500, usersPerAccount = 100): Promise<Measurement[]> {
  const s = await setUp({ accounts, usersPerAccount, live: true, rate: RATE, latencyMs: LATENCY_MS });
  const label = (what: string): string => `${what}, ${accounts} accounts / ${(accounts * usersPerAccount).toLocaleString('en')} users (${RATE} req/s, ${LATENCY_MS} ms)`;
  try {
    const plan = await planRows(s, label('plan'), 'plan');
    await plan.client.close();
    if (plan.plan.changes.some((ch) => ch.action !== 'noop')) throw new Error('the many-accounts plan planned changes');
    const drift = await planRows(s, label('drift'), 'drift');
    await drift.client.close();
    return [...plan.rows, ...drift.rows];
  } finally {
    s.close();
  }
}

/**
 * The table: the 30,000-user account through the built CLI at CLOUDLINK_RATE=5000, no
 * latency, its users declared either as YAML `items` or in the console's bulk-import template
 * (`fromCsv`). The memory and no-change time targets are enforced on the template form; on the
 * YAML form they are reported against the same figures but not enforced: the YAML form's apply
 * keeps the heap its parse grew to (the file read in slices, load/read-yaml.ts, still costs the
 * `yaml` library's nodes and tokens per slice), and the final re-read of the 30,000 users comes
 * on top (README, "Field profiles").
 */
export async function largeLocal(users = 30_000, form: 'yaml' | 'csv' = 'csv'): Promise<Measurement[]> {
  const idle = await runCli(['--version'], {});
  const s = await setUp({ accounts: 1, usersPerAccount: users, miteamRatio: 0, live: false, rate: 5000, latencyMs: 0, usersInCsv: form === 'csv' });
  const enforce = (key: string): string | null => (form === 'csv' ? key : null);
  const how = form === 'csv' ? 'users in the bulk-import template (fromCsv)' : 'users as YAML items';
  const n = users.toLocaleString('en');
  const perUser = (rssMB: number): number => ((rssMB - idle.maxRssMB) * 2 ** 20) / users;
  try {
    const first = await measure(s, ['plan', s.file]);
    const apply = await measure(s, ['apply', s.file, '--auto-approve']);
    const again = await measure(s, ['plan', s.file]);
    if (first.code !== 2 || apply.code !== 0 || again.code !== 0) throw new Error(`CLI exits ${first.code}, ${apply.code}, ${again.code} (expected 2, 0, 0): ${apply.stderr.slice(0, 2000)}`);
    const row = (metric: string, value: number, unit: string, target: string | null = null, detail?: string): Measurement => ({ scenario: 'local', metric, value, unit, bound: null, target, ...(detail ? { detail } : {}) });
    const cmd = (r: typeof first): string => `${r.requests} requests, ${r.cpuSeconds.toFixed(1)} s CPU`;
    return [
      row(`CLI, CLOUDLINK_RATE=5000, no latency, ${how}: first plan of 1 account / ${n} declared users (none live): wall`, first.seconds, 's', null, cmd(first)),
      row(`  … first plan: peak RSS of the CLI`, first.maxRssMB, 'MB', null, `${perUser(first.maxRssMB).toFixed(0)} bytes per declared user above an idle CLI (${idle.maxRssMB.toFixed(0)} MB)`),
      row(`CLI: apply of the ${n} creates: wall`, apply.seconds, 's', null, cmd(apply)),
      row(`  … apply: peak RSS of the CLI${form === 'yaml' ? ' (reported: the < 250 MB target is enforced on the template form)' : ''}`, apply.maxRssMB, 'MB', enforce('local.applyRssMB'), `${perUser(apply.maxRssMB).toFixed(0)} bytes per declared user above an idle CLI`),
      row(`  … apply: bytes per declared user (peak RSS above an idle CLI ÷ users)`, perUser(apply.maxRssMB), 'bytes', null),
      row(`CLI: plan with all ${n} live, nothing to do: wall${form === 'yaml' ? ' (reported: the < 5 s target is enforced on the template form)' : ''}`, again.seconds, 's', enforce('local.noChangeSeconds'), cmd(again)),
      row(`  … no-change plan: peak RSS of the CLI`, again.maxRssMB, 'MB', null, `${perUser(again.maxRssMB).toFixed(0)} bytes per declared user above an idle CLI`),
    ];
  } finally {
    s.close();
  }
}

/** A plan of 100,000 users over 1,000 accounts (one file each) through the CLI: peak RSS. */
export async function memory100k(accounts = 1000, usersPerAccount = 100): Promise<Measurement[]> {
  const s = await setUp({ accounts, usersPerAccount, live: true, rate: 5000, latencyMs: 0, filePerAccount: true });
  const users = accounts * usersPerAccount;
  try {
    const r = await measure(s, ['plan', s.file]);
    if (r.code !== 0) throw new Error(`plan exited ${r.code}: ${r.stderr.slice(0, 2000)}`);
    return [
      { scenario: 'memory', metric: `CLI plan of ${users.toLocaleString('en')} users over ${accounts.toLocaleString('en')} accounts (one file each, all live, nothing to do): peak RSS`, value: r.maxRssMB, unit: 'MB', bound: null, target: 'memory.planRssMB', detail: `${((r.maxRssMB * 2 ** 20) / users).toFixed(0)} bytes per declared user; ${r.seconds.toFixed(1)} s wall, ${r.requests} requests` },
    ];
  } finally {
    s.close();
  }
}

/** Sandbox throughput on deep pages (offset 29,900 of 30,000) of one large account, and on its first page. */
export async function sandboxDeep(users = 30_000, seconds = 5): Promise<Measurement[]> {
  const sandbox = await spawnSandbox(['--seed', 'none'], { built: true });
  const accountId = 'd'.repeat(32);
  try {
    const seed: SandboxSeed = {
      partners: [{ partnerId: DEMO_CREDENTIALS.partnerId, name: 'P', account: { accountId: DEMO_CREDENTIALS.partnerAccountId, name: 'P', users: [{ email: DEMO_CREDENTIALS.username, name: 'Admin', role: 'PARTNER_ADMIN', verified: true, password: DEMO_CREDENTIALS.password }] } }],
      accounts: [{ accountId, partnerId: DEMO_CREDENTIALS.partnerId, name: 'Large', users: Array.from({ length: users }, (_, i) => ({ email: `u${i}@large.example`, firstName: 'U', lastName: String(i) })) }],
    };
    await control(sandbox.url, '/sandbox/seed', 'POST', seed);
    const res = await request(`${sandbox.authUrl}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'password', username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password }).toString() });
    const token = ((await res.body.json()) as { access_token: string }).access_token;
    const load = async (skip: number, duration = seconds): Promise<number> => {
      const r = await autocannon({ url: `${sandbox.adminUrl}/accounts/${accountId}/users?$top=100&$skip=${skip}&$expand=tags`, connections: 16, pipelining: 1, duration, headers: { authorization: `Bearer ${token}` } });
      if (r.non2xx > 0 || r.errors > 0) throw new Error(`sandbox-deep: ${r.non2xx} non-2xx, ${r.errors} errors`);
      return Math.round(r.requests.average);
    };
    await load(users - 100, 1); // warm-up (JIT, the account's list order built once)
    const deep = await load(users - 100);
    const front = await load(0);
    return [
      { scenario: 'sandbox', metric: `sandbox throughput, pages of 100 users at offset ${(users - 100).toLocaleString('en')} of a ${users.toLocaleString('en')}-user account`, value: deep, unit: 'req/s', bound: null, target: 'sandbox.deepRps', detail: `first page of the same account: ${front} req/s (${pages(users)} pages of ${users / pages(users)} make the account)` },
      { scenario: 'sandbox', metric: `  … the same account's first page`, value: front, unit: 'req/s', bound: null, target: null },
    ];
  } finally {
    sandbox.child.kill();
  }
}

/** The scenarios by name, for run.ts (default profile only). */
export const FIELD_SCENARIOS: Record<string, () => Promise<Measurement[]>> = {
  'field-large': () => fieldLarge(),
  'field-many': () => fieldMany(),
  'large-local': () => largeLocal(30_000, 'csv'),
  'large-local-yaml': () => largeLocal(30_000, 'yaml'),
  'memory-100k': () => memory100k(),
  'sandbox-deep': () => sandboxDeep(),
};
