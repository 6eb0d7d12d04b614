/** Markdown drift report (an issue or PR comment), kept under GitHub's 65,536-character limit. */
import type { DriftReport } from '../engine/drift/types.js';
import { countFindings, findingLines, undeclaredAccountLines } from './drift-lines.js';
import { driftSummaryLine } from './drift-text.js';
import { COMMENT_LIMIT } from './plan-markdown.js';
import { plural } from './plan-text.js';

export const DRIFT_COMMENT_MARKER = '<!-- cloudlink-tenancy:drift -->';

export function renderDriftMarkdown(r: DriftReport, limit = COMMENT_LIMIT): string {
  const head = [
    DRIFT_COMMENT_MARKER,
    `### CloudLink drift report: partner \`${r.partnerId}\``,
    '',
    `**${driftSummaryLine(r)}**`,
    '',
    '| account | status | differences | undeclared | MiTeam used / assigned | expiring orders | pending users |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  const rows = r.accounts.map((a) => `| \`${a.key}\` | ${a.drifted ? '⚠️ drift' : '✅ ok'} | ${a.differences.length} | ${a.undeclared.length} | ${a.licenses.enabled} / ${a.licenses.assigned}${a.licenses.overQuota ? ` (**${a.licenses.overQuota} over**)` : ''} | ${a.orders.length} | ${a.pendingUsers.length} |`);
  const tail = `\n<sub>drift format ${r.formatVersion} · ${r.generatedAt} · expiring within ${r.expiringDays} days · pending over ${r.pendingDays} days</sub>\n`;
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
    const section = `\n<details><summary><code>${a.key}</code>: ${plural(countFindings(lines), 'finding')}</summary>\n\n\`\`\`\n${lines.join('\n')}\n\`\`\`\n</details>\n`;
    if (text.length + section.length + tail.length + 400 > limit) {
      omitted += lines.length;
      continue;
    }
    text += section;
  }
  const accountLines = undeclaredAccountLines(r).slice(0, 50);
  if (accountLines.length) text += `\n**Live accounts nobody declares**\n\n${accountLines.map((l) => `- ${l}`).join('\n')}\n`;
  if (omitted > 0 || omittedRows > 0) {
    text += `\n> [!NOTE]\n> ${omitted} findings${omittedRows ? ` and ${omittedRows} table rows` : ''} are not shown: the comment would exceed the ${limit.toLocaleString('en-US')}-character limit. The full report is in the job's artifacts (\`drift --format json\` or \`html\`).\n`;
  }
  return text + tail;
}
