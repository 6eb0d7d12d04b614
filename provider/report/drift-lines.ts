/**
 * The per-account finding lines every drift format shares. Every value from the declaration or
 * live state is made one visible line here (escape-terminal.ts), so each format only has to
 * escape its own syntax on top (HTML/XML entities, Markdown code fences).
 */
import type { AccountDrift, DriftReport } from '../engine/drift/types.js';
import { escapeTerminalValue as tv, shellArgument } from './escape-terminal.js';

const show = (v: unknown): string => tv(JSON.stringify(v ?? null));

/** One line per finding of an account, in category order (a)–(e). */
export function findingLines(a: AccountDrift): string[] {
  const lines: string[] = [];
  for (const p of a.problems) lines.push(`problem: ${tv(p)}`);
  for (const d of a.differences) {
    lines.push(`${d.action === 'create' ? 'missing' : d.action === 'delete' ? 'unwanted' : 'different'}: ${tv(d.address)}: ${tv(d.message)}`);
    for (const attr of d.attributes) lines.push(`    ${tv(attr.name)}: declared ${show(attr.declared)}, live ${show(attr.live)}`);
  }
  for (const u of a.undeclared) lines.push(`undeclared ${tv(u.kind)}: ${tv(u.label)} (${tv(u.id)})`);
  if (a.licenses.overQuota > 0) lines.push(`over quota: ${a.licenses.enabled} MiTeam users enabled, ${a.licenses.assigned} licenses assigned (${a.licenses.overQuota} over)`);
  for (const o of a.orders) {
    const impact = o.usersWithoutLicense > 0 ? `; ${o.usersWithoutLicense} MiTeam users would be left without a license (${o.licensesLeft} left from other orders)` : '';
    lines.push(o.status === 'expired' ? `expired order: ${tv(o.trackingNumber)} (${o.quantity} licenses) expired ${tv(o.expiresOn.slice(0, 10))}, still assigned${impact}` : `expiring order: ${tv(o.trackingNumber)} (${o.quantity} licenses) expires ${tv(o.expiresOn.slice(0, 10))} (in ${o.daysLeft} days)${impact}`);
  }
  for (const u of a.pendingUsers) lines.push(`pending user: ${tv(u.email)} has not registered for ${u.days} days`);
  for (const u of a.unconfirmedWelcomes) lines.push(`unconfirmed welcome e-mail: ${tv(u.email)} (recorded ${tv(u.since.slice(0, 10))} by an older version) may not have gone out; the next apply sends it again (or now: "cloudlink-tenancy users send-welcome --force --email ${shellArgument(u.email)}")`);
  return lines;
}

/** Lines for live accounts nobody declares (orphaned by a removed declaration, or all with --all-accounts). */
export function undeclaredAccountLines(r: DriftReport): string[] {
  const lines = r.orphanedAccounts.map((a) => `orphaned account: ${tv(a.name)} (${tv(a.accountId)}) carries the cloudlink-tenancy tag "${tv(a.taggedKey ?? '')}" but no file declares that key; declare it again (or under previousKeys), or delete the account in the console`);
  for (const a of r.undeclaredAccounts ?? []) if (!r.orphanedAccounts.some((o) => o.accountId === a.accountId)) lines.push(`undeclared account: ${tv(a.name)} (${tv(a.accountId)}); import it with "cloudlink-tenancy import --account ${shellArgument(a.accountId)}" to manage it`);
  return lines;
}

/** How many findings `findingLines` gave: its top-level lines (indented ones detail the finding above). */
export function countFindings(lines: readonly string[]): number {
  return lines.filter((l) => !/^\s/.test(l)).length;
}
