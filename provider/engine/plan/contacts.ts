/**
 * Planner of support contacts, when declared (left out: not managed). An entry is an e-mail,
 * or the name of exactly one user of the partner's own account (as the console searches
 * partner users by name); anything else stops the plan with the console's own message. Pure.
 */
import type { User } from '../../model/live.js';
import { isValidEmail } from '../../model/email.js';
import type { AccountPlan } from './account-plan.js';

/** The console's message for an entry that is neither an e-mail nor a partner user. */
export const CONTACT_MESSAGE = "Last entered text doesn't match with partner user nor is it a valid email address";

/** Declared entries resolved to e-mails (lower-cased); problems for those that resolve to none or several. */
function resolve(p: AccountPlan, entries: readonly string[], partnerUsers: readonly User[]): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  entries.forEach((entry, i) => {
    const source = p.d.supportContactSources?.[i];
    const at = source ? { source } : {};
    if (isValidEmail(entry.toLowerCase())) {
      out.set(entry.toLowerCase(), undefined);
      return;
    }
    const hits = partnerUsers.filter((u) => u.name.trim().toLowerCase() === entry.trim().toLowerCase());
    const hit = hits[0];
    if (hits.length === 1 && hit) out.set(hit.email.toLowerCase(), hit.name);
    else if (hits.length > 1) p.problem({ ...at, severity: 'error', code: 'contact_unresolved', guard: false, message: `account "${p.key}": support contact "${entry}" names ${hits.length} users of the partner's account (${hits.map((u) => u.email).join(', ')}); write the e-mail address instead` });
    else p.problem({ ...at, severity: 'error', code: 'contact_unresolved', guard: false, message: `account "${p.key}": support contact "${entry}": ${CONTACT_MESSAGE}; write an e-mail address or the exact name of a user of the partner's account` });
  });
  return out;
}

export function planContacts(p: AccountPlan, partnerUsers: readonly User[]): void {
  const declared = p.d.supportContacts;
  if (declared === undefined) return;
  const want = resolve(p, declared, partnerUsers);
  const live = (p.live?.contacts ?? []).filter((c) => (c.type ?? 'SUPPORT') === 'SUPPORT');
  const have = new Set(live.map((c) => c.email.toLowerCase()));
  for (const [email, name] of want) {
    if (have.has(email)) continue;
    p.add({ address: `${p.address}.contact[${JSON.stringify(email)}]`, kind: 'contact', action: 'create', id: p.id({}), before: null, after: { email, type: 'SUPPORT', ...(name ? { name } : {}) }, reason: name ? `declared support contact "${name}" (a partner user) missing` : 'declared support contact missing', dependsOn: p.accountDeps, stamp: null });
  }
  for (const c of live) {
    const email = c.email.toLowerCase();
    if (want.has(email)) continue;
    p.add({ address: `${p.address}.contact[${JSON.stringify(email)}]`, kind: 'contact', action: 'delete', id: { accountId: c.accountId, contactId: c.contactId }, before: { email, type: 'SUPPORT' }, after: null, reason: 'live support contact not declared', dependsOn: [], stamp: c.contactId });
  }
}
