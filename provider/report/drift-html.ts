/**
 * The HTML drift report: ONE self-contained file (inline CSS, inline SVG chart, no script,
 * no network), with summary cards, a per-account table and a bar chart of license use.
 * Every text from CloudLink or the declaration is escaped (escape.ts): entities for markup,
 * controls, bidi and invisible characters shown as `\u{hex}`.
 */
import type { DriftReport } from '../engine/drift/types.js';
import { escapeXml, escapeXmlValue as esc } from './escape.js';
import { countFindings, findingLines } from './drift-lines.js';
import { plural } from './plan-text.js';

function chart(r: DriftReport): string {
  const rows = r.accounts.slice(0, 60);
  const max = Math.max(1, ...rows.map((a) => Math.max(a.licenses.assigned, a.licenses.enabled)));
  const barH = 18;
  const gap = 8;
  const left = 140;
  const width = 460;
  const height = rows.length * (barH + gap) + 30;
  const bars = rows
    .map((a, i) => {
      const y = i * (barH + gap) + 20;
      const used = Math.round((Math.min(a.licenses.enabled, a.licenses.assigned) / max) * width);
      const over = Math.round((a.licenses.overQuota / max) * width);
      const cap = Math.round((a.licenses.assigned / max) * width);
      return [
        `<text x="${left - 8}" y="${y + 13}" text-anchor="end" class="label">${esc(a.key)}</text>`,
        `<rect x="${left}" y="${y}" width="${cap}" height="${barH}" class="cap"><title>${esc(a.key)}: ${a.licenses.assigned} assigned</title></rect>`,
        `<rect x="${left}" y="${y}" width="${used}" height="${barH}" class="used" data-account="${esc(a.key)}" data-enabled="${a.licenses.enabled}" data-assigned="${a.licenses.assigned}"><title>${esc(a.key)}: ${a.licenses.enabled} enabled</title></rect>`,
        over > 0 ? `<rect x="${left + cap}" y="${y}" width="${over}" height="${barH}" class="over"><title>${a.licenses.overQuota} over quota</title></rect>` : '',
        `<text x="${left + Math.max(cap, used + over) + 6}" y="${y + 13}" class="value">${a.licenses.enabled} / ${a.licenses.assigned}</text>`,
      ].join('');
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="MiTeam license use per account" width="${left + width + 80}" height="${height}" viewBox="0 0 ${left + width + 80} ${height}">
<text x="${left}" y="12" class="value">MiTeam licenses: enabled (dark) of assigned (light), over quota (red)</text>
${bars}
</svg>`;
}

export function renderDriftHtml(r: DriftReport): string {
  const s = r.summary;
  const card = (id: string, label: string, value: number, warn = false): string => `<div class="card${warn && value > 0 ? ' warn' : ''}" id="card-${id}"><div class="num" data-testid="${id}">${value}</div><div>${esc(label)}</div></div>`;
  const rows = r.accounts
    .map((a) => {
      const findings = findingLines(a);
      return `<tr data-account="${esc(a.key)}" class="${a.drifted ? 'drift' : 'ok'}"><td><code>${esc(a.key)}</code><br><small>${esc(a.name)}</small></td><td>${a.drifted ? 'drift' : 'ok'}</td><td class="n">${a.differences.length}</td><td class="n">${a.undeclared.length}</td><td class="n">${a.licenses.enabled}</td><td class="n">${a.licenses.assigned}</td><td class="n">${a.licenses.free}</td><td class="n">${a.licenses.overQuota}</td><td class="n">${a.orders.length}</td><td class="n">${a.pendingUsers.length}</td><td>${findings.length ? `<details><summary>${plural(countFindings(findings), 'finding')}</summary><pre>${escapeXml(findings.join('\n'))}</pre></details>` : ''}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>CloudLink drift report: ${esc(r.partnerId)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1b1f24}h1{font-size:20px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}.card{border:1px solid #d0d7de;border-radius:8px;padding:12px 16px;min-width:120px}
.card .num{font-size:26px;font-weight:600}.card.warn{border-color:#cf222e;background:#fff5f5}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d0d7de;padding:6px 8px;text-align:left;vertical-align:top}td.n{text-align:right}
tr.drift td:nth-child(2){color:#cf222e;font-weight:600}tr.ok td:nth-child(2){color:#1a7f37}pre{white-space:pre-wrap;margin:4px 0}
svg .cap{fill:#d8e6f8}svg .used{fill:#0969da}svg .over{fill:#cf222e}svg .label,svg .value{font:12px system-ui,sans-serif;fill:#1b1f24}
</style></head><body>
<h1>CloudLink drift report: partner <code>${esc(r.partnerId)}</code></h1>
<p>Generated ${esc(r.generatedAt)}. Orders expiring within ${r.expiringDays} days and users pending over ${r.pendingDays} days are listed as notices.</p>
<section class="cards">
${card('accounts', 'accounts', s.accounts)}
${card('drifted', 'accounts drifted', s.drifted, true)}
${card('differences', 'differences', s.differences, true)}
${card('undeclared', 'undeclared objects', s.undeclared, true)}
${card('licenses-enabled', 'MiTeam licenses enabled', s.licensesEnabled)}
${card('licenses-assigned', 'MiTeam licenses assigned', s.licensesAssigned)}
${card('over-quota', 'licenses over quota', s.overQuota, true)}
${card('expiring', 'orders expiring', s.expiringOrders, true)}
${card('pending', 'users pending', s.pendingUsers)}
</section>
<h2>License use per account</h2>
${chart(r)}
<h2>Accounts</h2>
<table><thead><tr><th>account</th><th>status</th><th>differences</th><th>undeclared</th><th>enabled</th><th>assigned</th><th>free</th><th>over quota</th><th>orders to watch</th><th>pending</th><th>findings</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}
