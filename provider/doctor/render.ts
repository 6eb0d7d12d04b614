/**
 * The doctor's report for a terminal, for a support request (Markdown) and for machines
 * (JSON). One table: assumption | result | evidence (status, correlation id). Every value that
 * may come from the service (correlation ids, names in evidence) goes through the report
 * escapes: `escapeTerminalValue` in text, code spans (`markdownCode`) in Markdown. The report
 * holds no secret: the checks never put a token, password or raw body in it.
 */
import { markdownCode } from '../report/escape-markdown.js';
import { escapeTerminalValue } from '../report/escape-terminal.js';
import type { DoctorCheck, DoctorReport } from './checks.js';

/** The evidence with its status and correlation id, as one plain line. */
function evidenceLine(c: DoctorCheck): string {
  const ids = [c.status !== undefined ? `HTTP ${c.status}` : '', c.correlationId ? `correlation id ${c.correlationId}` : ''].filter(Boolean).join(', ');
  return ids ? `${c.evidence} (${ids})` : c.evidence;
}

/** The closing sentence: what the result means and the exit code it gives. */
export function doctorSummary(r: DoctorReport): string {
  const count = (v: DoctorCheck['verdict']): number => r.checks.filter((c) => c.verdict === v).length;
  const head = `${r.checks.length} checks: ${count('confirmed')} confirmed, ${r.refuted} refuted, ${count('unknown')} unknown.`;
  return r.refuted > 0
    ? `${head} Something the tool assumes does not hold here: send this report (doctor --format markdown) to your CloudLink contact before planning against this tenant.`
    : `${head} Nothing refuted.`;
}

/** The report as an aligned text table (one row per check, values escaped for the terminal). */
export function renderDoctorText(r: DoctorReport): string {
  const rows = r.checks.map((c) => [escapeTerminalValue(c.assumption), c.verdict, escapeTerminalValue(evidenceLine(c))] as const);
  const width = Math.min(90, Math.max('assumption'.length, ...rows.map((x) => x[0].length)));
  const lines = [`${'assumption'.padEnd(width)}  ${'result'.padEnd(9)}  evidence`, `${'-'.repeat(width)}  ${'-'.repeat(9)}  ${'-'.repeat(8)}`];
  for (const [a, v, e] of rows) lines.push(`${a.padEnd(width)}  ${v.padEnd(9)}  ${e}`);
  return `${lines.join('\n')}\n\n${doctorSummary(r)}\n`;
}

/** The report as Markdown to attach to a support request: every cell a code span or escaped text. */
export function renderDoctorMarkdown(r: DoctorReport): string {
  const lines = [
    '### cloudlink-tenancy doctor',
    '',
    // The summary is the doctor's own words and numbers: no value from the service is in it.
    `Checked at ${markdownCode(r.checkedAt)} with reads only. ${doctorSummary(r)}`,
    '',
    ...r.checks.filter((c) => c.verdict === 'refuted').map((c) => `- **refuted**: ${markdownCode(c.assumption)}: ${markdownCode(evidenceLine(c))}`),
    ...(r.refuted > 0 ? [''] : []),
    '| assumption | basis | result | evidence | status | correlation id |',
    '|---|---|---|---|---|---|',
  ];
  for (const c of r.checks) {
    const cell = (v: string | undefined): string => (v ? markdownCode(v, { table: true }) : '');
    lines.push(`| ${cell(c.assumption)} | ${c.basis} | **${c.verdict}** | ${cell(c.evidence)} | ${c.status ?? ''} | ${cell(c.correlationId)} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** The report as JSON (`formatVersion` 1). */
export function renderDoctorJson(r: DoctorReport): string {
  return `${JSON.stringify({ formatVersion: 1, ...r }, null, 2)}\n`;
}
