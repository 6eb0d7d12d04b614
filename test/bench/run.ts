/**
 * `npm run bench [-- --full]`: measures the engine against its bounds and prints a table;
 * writes test/bench/results.json. Not part of `npm test` (no timed assertions there).
 *
 * - plan: requests sent vs the lower bound, wall time vs requests ÷ rate (sandbox 50 req/s, 20 ms latency), peak RSS
 * - apply: 10,000 user creations with MiTeam on: wall vs bound, 429s, duplicates, lost users
 * - CPU: diff of 100,000 users from memory; cdktf synth of 10,000 users; sandbox throughput
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { App } from 'cdktf';
import { request } from 'undici';
import { createCloudLinkClient } from '../../provider/api/index.js';
import { DEMO_CREDENTIALS, type SandboxSeed, type StateDump } from '../../provider/sandbox/index.js';
import { readSnapshot } from '../../provider/engine/snapshot.js';
import { diffTenancy } from '../../provider/engine/diff.js';
import { applyPlan } from '../../provider/engine/apply.js';
import { Tenancy } from '../../provider/cdktf/index.js';
import { assignedOrders, generateLiveSnapshot, generateTenancy } from '../helpers/generate.js';
import { measureSandboxThroughput } from './sandbox-load.js';
import { spawnSandbox } from '../helpers/child-sandbox.js';

const full = process.argv.includes('--full');

interface Row {
  metric: string;
  value: number;
  unit: string;
  bound: number | null;
  ratio: number | null;
  target: string;
  pass: boolean | null;
}
const rows: Row[] = [];
function record(metric: string, value: number, unit: string, bound: number | null, target: string, pass: boolean | null): void {
  rows.push({ metric, value: Math.round(value * 1000) / 1000, unit, bound: bound === null ? null : Math.round(bound * 1000) / 1000, ratio: bound ? Math.round((value / bound) * 100) / 100 : null, target, pass });
  console.error(`  ${metric}: ${value.toFixed(3)} ${unit}`);
}

async function control(url: string, p: string, body?: unknown): Promise<unknown> {
  const res = await request(`${url}${p}`, { method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.body.text();
  return text ? JSON.parse(text) : undefined;
}

function client(url: string, rate: number) {
  return createCloudLinkClient({ authUrl: `${url}/auth/2017-09-01`, adminUrl: `${url}/admin/2017-09-01`, billingUrl: `${url}/billing/2019-03-01`, credentials: { username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password }, requestsPerSecond: rate, maxConcurrency: 16 });
}

async function benchPlan(accounts: number, usersPerAccount: number): Promise<void> {
  const label = `plan ${accounts} accounts / ${accounts * usersPerAccount} users`;
  console.error(label);
  const g = generateTenancy({ accounts, usersPerAccount });
  const { url, child } = await spawnSandbox(['--seed', 'none']);
  try {
    await control(url, '/sandbox/seed', { ...g.seed, orders: assignedOrders(g), accounts: g.liveAccounts } satisfies SandboxSeed);
    await control(url, '/sandbox/faults', { rateLimitPerSec: 50, burst: 50, latencyMs: 20 });
    const c = client(url, 50);
    await c.accounts.get('warm-up-token');
    await request(`${url}/sandbox/requests`, { method: 'DELETE' }).then((r) => r.body.text());
    const started = performance.now();
    const snapshot = await readSnapshot(c, g.tenancy, { concurrency: 8 });
    const plan = diffTenancy(g.tenancy, snapshot, { now: new Date() });
    const wall = (performance.now() - started) / 1000;
    await c.close();
    const counts = (await control(url, '/sandbox/requests')) as Record<string, number>;
    const sent = Object.entries(counts).filter(([k]) => k.includes('/admin/')).reduce((n, [, v]) => n + v, 0);
    const lowerBound = g.tenancy.accounts.reduce((n, a) => n + Math.ceil(a.users.items.length / 100), 0) + Math.ceil(accounts / 100) + Math.ceil(accounts / 100) + accounts + 1;
    if (plan.changes.some((ch) => ch.action !== 'noop')) throw new Error('benchmark tenancy should plan no changes');
    record(`${label}: requests`, sent, 'requests', lowerBound, 'ratio 1.00', sent === lowerBound);
    record(`${label}: wall`, wall, 's', sent / 50, '≤ 1.15 × bound', wall <= 1.15 * (sent / 50));
    record(`${label}: peak RSS of the planning process`, process.resourceUsage().maxRSS / 1024, 'MB', null, 'reported', null);
  } finally {
    child.kill();
  }
}

async function benchApply(accounts: number, usersPerAccount: number, rate: number): Promise<void> {
  const total = accounts * usersPerAccount;
  const label = `apply ${total} user creations with MiTeam (${rate} req/s, 20 ms)`;
  console.error(label);
  const g = generateTenancy({ accounts, usersPerAccount, miteamRatio: 1 });
  const { url, child } = await spawnSandbox(['--seed', 'none']);
  try {
    await control(url, '/sandbox/seed', { ...g.seed, orders: assignedOrders(g), accounts: g.liveAccounts.map((a) => ({ ...a, users: [] })) } satisfies SandboxSeed);
    await control(url, '/sandbox/faults', { rateLimitPerSec: rate, burst: Math.max(1, rate / 10), latencyMs: 20 });
    const c = client(url, rate);
    const plan = diffTenancy(g.tenancy, await readSnapshot(c, g.tenancy), { now: new Date() });
    await request(`${url}/sandbox/requests`, { method: 'DELETE' }).then((r) => r.body.text());
    const before = c.stats().requests;
    const started = performance.now();
    const report = await applyPlan(c, plan, { parallelism: 8, perAccountConcurrency: 16 });
    const wall = (performance.now() - started) / 1000;
    const sent = c.stats().requests - before;
    const rateLimited = c.stats().rateLimited;
    await c.close();
    const state = (await control(url, '/sandbox/state')) as StateDump;
    const customers = new Set(g.liveAccounts.map((a) => a.accountId));
    const users = state.users.filter((u) => customers.has(u.accountId));
    const unique = new Set(users.map((u) => `${u.accountId}:${u.email.toLowerCase()}`)).size;
    const licensed = new Set(state.licenses.map((l) => l.userId));
    record(`${label}: wall`, wall, 's', sent / rate, '≤ 1.15 × bound', wall <= 1.15 * (sent / rate));
    record(`${label}: requests`, sent, 'requests', null, 'reported', null);
    record(`${label}: 429s received`, rateLimited, 'responses', null, 'reported', null);
    record(`${label}: duplicate users`, users.length - unique, 'users', null, '0', users.length === unique);
    record(`${label}: lost users / failed changes`, total - unique + report.failed, 'users', null, '0', total === unique && report.failed === 0);
    record(`${label}: users with MiTeam`, users.filter((u) => licensed.has(u.userId)).length, 'users', total, 'ratio 1.00', users.filter((u) => licensed.has(u.userId)).length === total);
  } finally {
    child.kill();
  }
}

function benchDiff(users: number): void {
  console.error(`diff ${users} users`);
  const g = generateTenancy({ accounts: users / 1000, usersPerAccount: 1000 });
  const snapshot = generateLiveSnapshot(g, 0.1);
  const times: number[] = [];
  let changes = 0;
  for (let i = 0; i < 3; i += 1) {
    const started = performance.now();
    changes = diffTenancy(g.tenancy, snapshot, { now: new Date('2026-11-25T00:00:00Z'), maxDeletes: 1e9 }).changes.length;
    times.push((performance.now() - started) / 1000);
  }
  times.sort((a, b) => a - b);
  record(`diff + plan of ${users} users from memory (median of 3, ${changes} changes)`, times[1] ?? 0, 's', 1, '< 1 s', (times[1] ?? 0) < 1);
}

async function benchSynth(users: number): Promise<void> {
  console.error(`cdktf synth ${users} users`);
  const outdir = await mkdtemp(path.join(os.tmpdir(), 'bench-synth-'));
  const g = generateTenancy({ accounts: 10, usersPerAccount: users / 10 });
  const started = performance.now();
  const app = new App({ outdir });
  const stack = new Tenancy(app, 'bench', { partnerId: 'p-1234' });
  for (const a of g.tenancy.accounts) {
    const account = stack.addAccount(a.key, { name: a.name, country: a.country, language: a.language, integrations: a.integrations, orders: a.orders });
    for (const u of a.users.items) account.addUser({ email: u.email, firstName: u.firstName, lastName: u.lastName, role: u.role, miteam: u.miteam });
  }
  app.synth();
  record(`cdktf synth of ${users} users in one stack`, (performance.now() - started) / 1000, 's', 5, '< 5 s', (performance.now() - started) / 1000 < 5);
}

const machine = `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, ${os.platform()}`;
console.error(`cloudlink-tenancy bench (${full ? 'full' : 'quick'}) on ${machine}`);
// The plan runs first so its peak RSS is its own (maxRSS is a process-lifetime peak).
await benchPlan(full ? 500 : 50, 100);
benchDiff(100_000);
await benchSynth(10_000);
await benchApply(20, 500, 500);
const throughput = await measureSandboxThroughput(5);
record('sandbox throughput (authenticated GET, faults off)', throughput.requestsPerSecond, 'req/s', 3000, '≥ 3000 req/s', throughput.requestsPerSecond >= 3000);

const table = [
  '| metric | value | bound | ratio | target | met |',
  '|---|---:|---:|---:|---|---|',
  ...rows.map((r) => `| ${r.metric} | ${r.value} ${r.unit} | ${r.bound ?? ''} | ${r.ratio ?? ''} | ${r.target} | ${r.pass === null ? '' : r.pass ? 'yes' : '**no**'} |`),
].join('\n');
console.log(`\nMachine: ${machine}\n\n${table}\n`);
await writeFile('test/bench/results.json', `${JSON.stringify({ generatedAt: new Date().toISOString(), profile: full ? 'full' : 'quick', machine, rows }, null, 2)}\n`);
console.log('Wrote test/bench/results.json');
process.exit(0);
