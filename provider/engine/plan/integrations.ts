/**
 * Planner of integrations: add the declared ones; with users policy authoritative, remove the
 * others. Pure.
 *
 * (2.1) Removal is asynchronous: a removed integration may still be listed for a while, and the
 * contract gives it no state. So apply records each removal it requested in the account's
 * `cloudlink-tenancy-removals` tag (`REMOVALS_TAG`), and an integration listed there is
 * "removal pending (requested …)": a noop, neither a failure nor a new delete.
 */
import { REMOVALS_TAG, type Account, type CatalogEntry } from '../../model/live.js';
import type { AccountPlan } from './account-plan.js';

/** The removals apply requested on this account and that may still be listed: integration id → when requested. */
export function pendingRemovals(account: Pick<Account, 'tags'> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const record = account?.tags[REMOVALS_TAG];
  if (!record || typeof record !== 'object' || Array.isArray(record)) return out;
  for (const [id, entry] of Object.entries(record)) {
    const requestedOn = entry && typeof entry === 'object' && !Array.isArray(entry) ? entry.requestedOn : undefined;
    out.set(id, typeof requestedOn === 'string' ? requestedOn : 'at an unknown time');
  }
  return out;
}

/** Plans the account's integrations. Returns the addresses of adds by type (license enables depend on them). */
export function planIntegrations(p: AccountPlan, catalog: readonly CatalogEntry[]): Map<string, string> {
  const adds = new Map<string, string>();
  for (const type of p.d.integrations) {
    const address = `${p.address}.integration.${type}`;
    if (!catalog.some((c) => c.type === type)) {
      p.problem({ severity: 'error', code: 'unknown_integration', guard: false, message: `account "${p.key}": integration "${type}" is not in the CloudLink catalogue; the service offers ${catalog.map((c) => c.type).join(', ') || 'none'}; fix the type` });
      continue;
    }
    const existing = p.live?.integrations.find((i) => i.type === type);
    if (existing) {
      p.add({ address, kind: 'integration', action: 'noop', id: p.id({ integrationId: existing.integrationId }), before: null, after: null, reason: 'present', dependsOn: [], stamp: existing.integrationId });
    } else {
      p.add({ address, kind: 'integration', action: 'create', id: p.id({}), before: null, after: { type }, reason: 'declared but not added', dependsOn: p.accountDeps, stamp: null });
      adds.set(type, address);
    }
  }
  if (p.live && p.d.users.policy === 'authoritative') {
    const removing = pendingRemovals(p.live.account);
    for (const i of p.live.integrations) {
      if (p.d.integrations.includes(i.type)) continue;
      const base = { address: `${p.address}.integration.${i.type}`, kind: 'integration' as const, id: { accountId: p.live.account.accountId, integrationId: i.integrationId }, dependsOn: [], stamp: i.integrationId };
      const requested = removing.get(i.integrationId);
      if (requested !== undefined) p.add({ ...base, action: 'noop', before: null, after: null, reason: `removal pending (requested ${requested}); CloudLink removes integrations asynchronously` });
      else p.add({ ...base, action: 'delete', before: { type: i.type }, after: null, reason: 'live but not declared (users policy authoritative)' });
    }
  }
  return adds;
}
