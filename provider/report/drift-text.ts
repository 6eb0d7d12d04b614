/** Plain-text drift report; values are escaped for the terminal (escape-terminal.ts). */
import type { DriftReport } from '../engine/drift/types.js';
import { escapeTerminalText, escapeTerminalValue as tv } from './escape-terminal.js';
import { findingLines, undeclaredAccountLines } from './drift-lines.js';
import { plural } from './plan-text.js';

/** The summary line: `Drift: 2 of 3 accounts drifted (...)` or `No drift.` */
export function driftSummaryLine(r: DriftReport): string {
  const s = r.summary;
  const orphans = s.orphanedAccounts ? ` ${plural(s.orphanedAccounts, 'live account')} carry the tag of a key no file declares.` : '';
  if (s.drifted === 0) return `No drift: ${s.accounts === 1 ? '1 account matches' : `${s.accounts} accounts match`} the declaration.${orphans}`;
  return `Drift: ${s.drifted} of ${plural(s.accounts, 'account')} drifted (${plural(s.differences, 'difference')}, ${plural(s.undeclared, 'undeclared object')}, ${plural(s.overQuota, 'license')} over quota).${orphans}`;
}

export function renderDriftText(r: DriftReport): string {
  const out = [`CloudLink drift report for partner ${tv(r.partnerId)} at ${tv(r.generatedAt)}`, ''];
  for (const a of r.accounts) {
    const l = a.licenses;
    out.push(`account ${tv(a.key)} (${tv(a.name)}${a.accountId ? `, ${tv(a.accountId)}` : ', not live'}): ${a.drifted ? 'DRIFT' : 'ok'}; MiTeam licenses ${l.enabled}/${l.assigned} used, ${l.free} free${l.overQuota ? `, ${l.overQuota} over quota` : ''}`);
    for (const line of findingLines(a)) out.push(`  ${line}`);
  }
  const accountsLines = undeclaredAccountLines(r);
  if (accountsLines.length) out.push('', ...accountsLines);
  out.push('', driftSummaryLine(r), `Notices: ${r.summary.expiringOrders} orders expiring within ${r.expiringDays} days, ${r.summary.expiredOrders} expired orders still assigned, ${r.summary.pendingUsers} users pending over ${r.pendingDays} days.`);
  return `${escapeTerminalText(out.join('\n'))}\n`;
}
