/** Planner of integrations: add the declared ones; with users policy authoritative, remove the others. Pure. */
import type { CatalogEntry } from '../../model/live.js';
import type { AccountPlan } from './account-plan.js';

/** Plans the account's integrations. Returns the addresses of adds by type (license enables depend on them). */
export function planIntegrations(p: AccountPlan, catalog: readonly CatalogEntry[]): Map<string, string> {
  const adds = new Map<string, string>();
  for (const type of p.d.integrations) {
    const address = `${p.address}.integration.${type}`;
    if (!catalog.some((c) => c.type === type)) {
      p.problem({ severity: 'error', code: 'unknown_integration', guard: false, message: `account "${p.key}": integration "${type}" is not in the CloudLink catalogue (${catalog.map((c) => c.type).join(', ')}); fix the type` });
      continue;
    }
    const existing = p.live?.integrations.find((i) => i.type === type);
    if (existing) {
      p.add({ address, kind: 'integration', action: 'noop', id: { ...p.ids, integrationId: existing.integrationId }, before: null, after: null, reason: 'present', dependsOn: [], stamp: existing.integrationId });
    } else {
      p.add({ address, kind: 'integration', action: 'create', id: p.ids, before: null, after: { type }, reason: 'declared but not added', dependsOn: p.accountDeps, stamp: null });
      adds.set(type, address);
    }
  }
  if (p.live && p.d.users.policy === 'authoritative') {
    for (const i of p.live.integrations) {
      if (p.d.integrations.includes(i.type)) continue;
      p.add({ address: `${p.address}.integration.${i.type}`, kind: 'integration', action: 'delete', id: { accountId: p.live.account.accountId, integrationId: i.integrationId }, before: { type: i.type }, after: null, reason: 'live but not declared (users policy authoritative)', dependsOn: [], stamp: i.integrationId });
    }
  }
  return adds;
}
