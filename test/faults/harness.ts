/** Shared pieces of the reliability suite: a client with short retries, and plan/apply rounds until the plan is empty. */
import { stringify as stringifyYaml } from 'yaml';
import { createCloudLinkClient, type CloudLinkClient } from '../../provider/api/index.js';
import { DEMO_CREDENTIALS } from '../../provider/sandbox/index.js';
import { readSnapshot } from '../../provider/engine/snapshot.js';
import { diffTenancy, hasChanges } from '../../provider/engine/plan/diff.js';
import { applyPlan, type ApplyReport } from '../../provider/engine/apply/apply.js';
import type { Tenancy } from '../../provider/model/types.js';

export interface Urls {
  authUrl: string;
  adminUrl: string;
  billingUrl: string;
}

export function faultClient(s: Urls, rate = 2000): CloudLinkClient {
  return createCloudLinkClient({
    authUrl: s.authUrl,
    adminUrl: s.adminUrl,
    billingUrl: s.billingUrl,
    credentials: { username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password },
    requestsPerSecond: rate,
    maxConcurrency: 16,
    retry: { attempts: 10, baseDelayMs: 20, maxDelayMs: 500 },
  });
}

/** The CLI's environment for a sandbox. */
export function cliEnv(s: Urls, rate = 600): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CLOUDLINK_AUTH_URL: s.authUrl,
    CLOUDLINK_ADMIN_URL: s.adminUrl,
    CLOUDLINK_BILLING_URL: s.billingUrl,
    CLOUDLINK_USERNAME: DEMO_CREDENTIALS.username,
    CLOUDLINK_PASSWORD: DEMO_CREDENTIALS.password,
    CLOUDLINK_RATE: String(rate),
  };
}

/** Plan/apply rounds until a plan is empty; returns the number of rounds (the last one planned nothing) and the apply reports. */
export async function converge(c: CloudLinkClient, tenancy: Tenancy, maxRounds = 8): Promise<{ rounds: number; reports: ApplyReport[] }> {
  const reports: ApplyReport[] = [];
  const log: string[] = [];
  for (let round = 1; round <= maxRounds; round += 1) {
    let plan;
    try {
      plan = diffTenancy(tenancy, await readSnapshot(c, tenancy), { now: new Date() });
    } catch (e) {
      log.push(`round ${round}: plan failed: ${(e as Error).message}`);
      continue;
    }
    if (!hasChanges(plan)) return { rounds: round, reports };
    if (plan.problems.length > 0) log.push(`round ${round}: plan problems: ${plan.problems.map((p) => p.message).join('; ')}`);
    const report = await applyPlan(c, plan, { parallelism: 4 });
    reports.push(report);
    const failed = report.results.filter((r) => r.status === 'failed');
    log.push(`round ${round}: ${report.succeeded} done, ${report.failed} failed, ${report.skipped} skipped${failed.length ? `; first failures: ${failed.slice(0, 3).map((f) => `${f.address}: ${f.error}`).join(' | ')}` : ''}`);
  }
  throw new Error(`did not converge in ${maxRounds} rounds:\n${log.join('\n')}`);
}

/** True when a fresh plan (faults off) has no changes. */
export async function planIsEmpty(c: CloudLinkClient, tenancy: Tenancy): Promise<boolean> {
  return !hasChanges(diffTenancy(tenancy, await readSnapshot(c, tenancy), { now: new Date() }));
}

/** The tenancy as one YAML document of the file format (defaults.accountCreation, orders and users blocks), for CLI runs. */
export function tenancyDocumentYaml(tenancy: Tenancy): string {
  const creation = tenancy.accounts[0]?.accountCreation ?? 'console';
  const accounts = tenancy.accounts.map((a) => {
    const { accountCreation: _c, ordersPolicy, orders, users, source: _s, ...rest } = a;
    return {
      ...rest,
      orders: { policy: ordersPolicy, items: orders },
      users: { policy: users.policy, items: users.items.map(({ source: _us, ...u }) => u) },
    };
  });
  return stringifyYaml({ apiVersion: tenancy.apiVersion, kind: tenancy.kind, partner: tenancy.partner, defaults: { accountCreation: creation }, accounts });
}
