/** JUnit XML drift report: one test case per account, a failure when it drifted. */
import type { DriftReport } from '../engine/drift/types.js';
import { escapeXml } from './escape.js';
import { findingLines } from './drift-lines.js';

export function renderDriftJunit(r: DriftReport): string {
  const cases = r.accounts.map((a) => {
    const lines = findingLines(a);
    const name = escapeXml(`account ${a.key}`);
    const body = a.drifted
      ? `\n      <failure message="${escapeXml(`${a.key} drifted from the declaration`)}" type="drift">${escapeXml(lines.join('\n'))}</failure>\n    `
      : lines.length > 0
        ? `\n      <system-out>${escapeXml(lines.join('\n'))}</system-out>\n    `
        : '';
    return `    <testcase classname="cloudlink.tenancy.${escapeXml(r.partnerId)}" name="${name}" time="0">${body}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="cloudlink-tenancy drift" tests="${r.accounts.length}" failures="${r.summary.drifted}" errors="0">`,
    `  <testsuite name="drift ${escapeXml(r.partnerId)}" tests="${r.accounts.length}" failures="${r.summary.drifted}" errors="0" skipped="0" timestamp="${r.generatedAt}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
