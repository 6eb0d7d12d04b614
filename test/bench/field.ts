/**
 * Field-profile workloads run through the built CLI, as a partner's CI job would: a sandbox in
 * its own process (latency and rate limit set through its faults), a tenancy written as YAML,
 * and each command a child process whose wall time, CPU and peak RSS are its own.
 *
 * Used by `run.ts` (scenarios `field-*`, `large-*`) and runnable alone for quick figures:
 *   npm run build && npx tsx test/bench/field.ts large USERS [RATE] [LATENCY_MS]
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { createCloudLinkClient, type CloudLinkClient } from '../../provider/api/index.js';
import { DEMO_CREDENTIALS, type SandboxSeed } from '../../provider/sandbox/index.js';
import { stringify } from 'yaml';
import type { Tenancy } from '../../provider/model/types.js';
import { assignedOrders, generateTenancy, type Generated, type GenerateOptions } from '../helpers/generate.js';
import { spawnSandbox, type ChildSandbox } from '../helpers/child-sandbox.js';
import { runCli, type CliRun } from './cli-child.js';

/** A sandbox seeded for a workload, the tenancy file, and the CLI environment that reaches them. */
export interface FieldSetup {
  sandbox: ChildSandbox;
  generated: Generated;
  /** The tenancy file, or the folder of one file per account. */
  file: string;
  env: Record<string, string>;
  close(): void;
}

/** The tenancy in the YAML document format (only the fields a person would write); with `csv`, each account's users go to `<key>.csv` (the console's bulk-import template) named by `fromCsv`. */
export function documentYaml(t: Tenancy, csv = false): string {
  return stringify({
    apiVersion: t.apiVersion,
    kind: t.kind,
    partner: t.partner,
    accounts: t.accounts.map((a) => ({
      key: a.key,
      name: a.name,
      country: a.country,
      ...(a.address !== undefined ? { address: a.address } : {}),
      ...(a.city !== undefined ? { city: a.city } : {}),
      ...(a.postalCode !== undefined ? { postalCode: a.postalCode } : {}),
      language: a.language,
      supportContacts: a.supportContacts,
      integrations: a.integrations,
      orders: a.orders,
      welcomeEmail: a.welcomeEmail,
      users: csv ? { policy: a.users.policy, fromCsv: `${a.key}.csv` } : { policy: a.users.policy, items: a.users.items.map((u) => ({ email: u.email, firstName: u.firstName, lastName: u.lastName, name: u.name, role: u.role, miteam: u.miteam })) },
    })),
  });
}

/** The account's users as the console's bulk-import template (CSV, with the MiTeam extension column). */
export function usersCsv(a: Tenancy['accounts'][number]): string {
  const cell = (v: string): string => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return ['First Name,Last Name,Name,Email,Role,MiTeam', ...a.users.items.map((u) => [u.firstName ?? '', u.lastName ?? '', u.name ?? '', u.email, u.role ?? 'User', u.miteam ? 'yes' : 'no'].map(cell).join(','))].join('\n') + '\n';
}

/** Writes the tenancy as one YAML file per account (as a partner with many accounts would keep it) into `dir`. */
export async function writeFilePerAccount(t: Tenancy, dir: string): Promise<void> {
  for (const a of t.accounts) await writeFile(path.join(dir, `${a.key}.yaml`), documentYaml({ ...t, accounts: [a] }), { mode: 0o600 });
}

/** A client of the demo partner against a sandbox's three services, at `rate` requests/s (the CLI's defaults otherwise). */
export function benchClient(s: { authUrl: string; adminUrl: string; billingUrl: string }, rate: number): CloudLinkClient {
  return createCloudLinkClient({ authUrl: s.authUrl, adminUrl: s.adminUrl, billingUrl: s.billingUrl, credentials: { username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password }, requestsPerSecond: rate });
}

/** Calls a `/sandbox/...` control route. */
export async function control(url: string, p: string, method = 'GET', body?: unknown): Promise<unknown> {
  const res = await request(`${url}${p}`, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.body.text();
  if (res.statusCode >= 400) throw new Error(`${method} ${p}: ${res.statusCode} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Requests the sandbox counted since the last reset, summed over routes, and by route. */
export async function requestsSent(url: string): Promise<{ total: number; byRoute: Record<string, number> }> {
  const byRoute = (await control(url, '/sandbox/requests')) as Record<string, number>;
  return { total: Object.values(byRoute).reduce((n, v) => n + v, 0), byRoute };
}

/**
 * Seeds a sandbox with the generated tenancy: every account live (with its users when
 * `live` is true, else with none), orders assigned; then sets the service's latency and
 * rate limit (the client runs at the same rate).
 */
export async function setUp(options: GenerateOptions & { live: boolean; rate: number; latencyMs: number; filePerAccount?: boolean; usersInCsv?: boolean }): Promise<FieldSetup> {
  const generated = generateTenancy(options);
  const sandbox = await spawnSandbox(['--seed', 'none'], { built: true });
  const accounts = options.live ? generated.liveAccounts : generated.liveAccounts.map((a) => ({ ...a, users: [] }));
  await control(sandbox.url, '/sandbox/seed', 'POST', { ...generated.seed, orders: assignedOrders(generated), accounts } satisfies SandboxSeed);
  // The service's bucket holds one second of requests, as the client's budget assumes
  // (budget.ts, SERVICE_BUCKET_SECONDS): the client banks the rate it does not use while it
  // waits on a chain of calls and spends it after, as the bucket allows; only a stalled sandbox
  // process (a loaded machine) would turn arrival jitter into 429s.
  await control(sandbox.url, '/sandbox/faults', 'POST', { rateLimitPerSec: options.rate, burst: options.rate, latencyMs: options.latencyMs });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-field-'));
  const file = options.filePerAccount ? dir : path.join(dir, 'tenancy.yaml');
  if (options.filePerAccount) await writeFilePerAccount(generated.tenancy, dir);
  else await writeFile(file, documentYaml(generated.tenancy, options.usersInCsv), { mode: 0o600 });
  if (options.usersInCsv) for (const a of generated.tenancy.accounts) await writeFile(path.join(dir, `${a.key}.csv`), usersCsv(a), { mode: 0o600 });
  const env = {
    CLOUDLINK_USERNAME: DEMO_CREDENTIALS.username,
    CLOUDLINK_PASSWORD: DEMO_CREDENTIALS.password,
    CLOUDLINK_AUTH_URL: sandbox.authUrl,
    CLOUDLINK_ADMIN_URL: sandbox.adminUrl,
    CLOUDLINK_BILLING_URL: sandbox.billingUrl,
    CLOUDLINK_RATE: String(options.rate),
  };
  return { sandbox, generated, file, env, close: () => void sandbox.child.kill() };
}

/** Runs one CLI command against the setup, after zeroing the sandbox's request counters; returns the run and the requests it sent. */
export async function measure(s: FieldSetup, args: string[]): Promise<CliRun & { requests: number; byRoute: Record<string, number> }> {
  await control(s.sandbox.url, '/sandbox/requests', 'DELETE');
  const run = await runCli(args, s.env);
  const sent = await requestsSent(s.sandbox.url);
  return { ...run, requests: sent.total, byRoute: sent.byRoute };
}

const line = (what: string, r: CliRun & { requests: number }): string => `${what}: exit ${r.code}, ${r.seconds.toFixed(1)} s wall, ${r.cpuSeconds.toFixed(1)} s CPU, ${r.maxRssMB.toFixed(0)} MB peak RSS, ${r.requests} requests`;

if (import.meta.url === `file://${process.argv[1]}` && process.argv[2] === 'large') {
  const users = Number(process.argv[3] ?? 30000);
  const rate = Number(process.argv[4] ?? 5000);
  const latencyMs = Number(process.argv[5] ?? 0);
  const s = await setUp({ accounts: 1, usersPerAccount: users, miteamRatio: 0, live: false, rate, latencyMs, usersInCsv: process.argv[6] === 'csv' });
  try {
    const first = await measure(s, ["plan", s.file]);
    if (first.code === 1) console.error(first.stdout, first.stderr);
    console.log(line(`first plan of ${users} declared users (none live)`, first));
    console.log(line(`apply of ${users} creates`, await measure(s, ['apply', s.file, '--auto-approve'])));
    console.log(line(`plan with all ${users} live, nothing to do`, await measure(s, ['plan', s.file])));
  } finally {
    s.close();
  }
}
