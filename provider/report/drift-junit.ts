/** JUnit XML drift report: one test case per account, a failure when it drifted. Values are escaped by escape.ts (well-formed XML whatever they hold). */
import type { DriftReport } from '../engine/drift/types.js';
import { escapeXml, escapeXmlValue } from './escape.js';
import { findingLines } from './drift-lines.js';

export function renderDriftJunit(r: DriftReport): string {
  const cases = r.accounts.map((a) => {
    const lines = findingLines(a);
    const name = escapeXmlValue(`account ${a.key}`);
    const body = a.drifted
      ? `\n      <failure message="${escapeXmlValue(`${a.key} drifted from the declaration`)}" type="drift">${escapeXml(lines.join('\n'))}</failure>\n    `
      : lines.length > 0
        ? `\n      <system-out>${escapeXml(lines.join('\n'))}</system-out>\n    `
        : '';
    return `    <testcase classname="cloudlink.tenancy.${escapeXmlValue(r.partnerId)}" name="${name}" time="0">${body}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="cloudlink-tenancy drift" tests="${r.accounts.length}" failures="${r.summary.drifted}" errors="0">`,
    `  <testsuite name="drift ${escapeXmlValue(r.partnerId)}" tests="${r.accounts.length}" failures="${r.summary.drifted}" errors="0" skipped="0" timestamp="${escapeXmlValue(r.generatedAt)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
