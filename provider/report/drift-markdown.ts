/**
 * Markdown drift report (an issue or PR comment), kept under GitHub's 65,536-character limit.
 * Every value goes through escape-markdown.ts: account keys in code spans, findings in fenced
 * blocks longer than any backtick run, the list of live accounts nobody declares as escaped prose.
 */
import type { DriftReport } from '../engine/drift/types.js';
import { markdownCode, markdownFence, markdownHtml, markdownText } from './escape-markdown.js';
import { countFindings, findingLines, undeclaredAccountLines } from './drift-lines.js';
import { driftSummaryLine } from './drift-text.js';
import { COMMENT_LIMIT } from './plan-markdown.js';
import { plural } from './plan-text.js';

export const DRIFT_COMMENT_MARKER = '<!-- cloudlink-tenancy:drift -->';

export function renderDriftMarkdown(r: DriftReport, limit = COMMENT_LIMIT): string {
  const head = [
    DRIFT_COMMENT_MARKER,
    `### CloudLink drift report: partner ${markdownCode(r.partnerId)}`,
    '',
    `**${driftSummaryLine(r)}**`,
    '',
    '| account | status | differences | undeclared | MiTeam used / assigned | expiring orders | pending users |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  const rows = r.accounts.map((a) => `| ${markdownCode(a.key, { table: true })} | ${a.drifted ? '⚠️ drift' : '✅ ok'} | ${a.differences.length} | ${a.undeclared.length} | ${a.licenses.enabled} / ${a.licenses.assigned}${a.licenses.overQuota ? ` (**${a.licenses.overQuota} over**)` : ''} | ${a.orders.length} | ${a.pendingUsers.length} |`);
  const tail = `\n<sub>drift format ${r.formatVersion} · ${markdownText(r.generatedAt)} · expiring within ${r.expiringDays} days · pending over ${r.pendingDays} days</sub>\n`;
  let text = head.join('\n');
  let omittedRows = 0;
  for (const row of rows) {
    if (text.length + row.length + 2000 > limit / 2) {
      omittedRows += 1;
      continue;
    }
    text += `\n${row}`;
  }
  text += '\n';
  if (omittedRows > 0) text += `| … | ${omittedRows} more accounts | | | | | |\n`;
  let omitted = 0;
  for (const a of r.accounts) {
    const lines = findingLines(a);
    if (lines.length === 0) continue;
    const section = `\n<details><summary><code>${markdownHtml(a.key)}</code>: ${plural(countFindings(lines), 'finding')}</summary>\n\n${markdownFence(lines)}\n</details>\n`;
    if (text.length + section.length + tail.length + 400 > limit) {
      omitted += lines.length;
      continue;
    }
    text += section;
  }
  // At most 50 live accounts nobody declares, and only while the comment stays under the limit.
  const accountLines = undeclaredAccountLines(r);
  const listed = accountLines.slice(0, 50);
  let shownAccounts = 0;
  if (listed.length) {
    let list = '\n**Live accounts nobody declares**\n\n';
    for (const line of listed) {
      const item = `- ${markdownText(line)}\n`;
      if (text.length + list.length + item.length + tail.length + 400 > limit) break;
      list += item;
      shownAccounts += 1;
    }
    const cutForSize = shownAccounts < listed.length;
    if (!cutForSize && accountLines.length > listed.length) list += `- … and ${accountLines.length - listed.length} more (the JSON and HTML reports list them all)\n`;
    if (shownAccounts > 0) text += list;
  }
  const omittedAccounts = shownAccounts < listed.length ? accountLines.length - shownAccounts : 0;
  if (omitted > 0 || omittedRows > 0 || omittedAccounts > 0) {
    text += `\n> [!NOTE]\n> ${omitted} findings${omittedRows ? ` and ${omittedRows} table rows` : ''}${omittedAccounts ? ` and ${omittedAccounts} live accounts nobody declares` : ''} are not shown: the comment would exceed the ${limit.toLocaleString('en-US')}-character limit. The full report is in the job's artifacts (\`drift --format json\` or \`html\`).\n`;
  }
  return text + tail;
}
