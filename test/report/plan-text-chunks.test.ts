/** The plan text in chunks: the chunks make exactly the plan's text, and none holds more than 500 changes. */
import { describe, expect, it } from 'vitest';
import { diffTenancy } from '../../provider/engine/plan/diff.js';
import { changeLines, changesByAccount, planTextChunks, problemLines, renderPlanText, summaryLine } from '../../provider/report/plan-text.js';
import { escapeTerminalText } from '../../provider/report/escape-terminal.js';
import { desiredAccount, desiredUser, liveAccount, NOW, snapshot, tenancy } from '../helpers/build.js';
import type { Plan } from '../../provider/engine/types.js';

/** The text as one string, made line by line: header, each account's changes, problems, summary. */
function wholeText(plan: Plan): string {
  const out = [`CloudLink tenancy plan for partner ${plan.partnerId} (${plan.accountKeys.length} accounts)`, ''];
  for (const [key, changes] of changesByAccount(plan)) {
    if (changes.length === 0) continue;
    out.push(`account ${key}:`, ...changes.flatMap((c) => changeLines(c)), '');
  }
  const problems = problemLines(plan);
  if (problems.length > 0) out.push(...problems, '');
  out.push(summaryLine(plan));
  return `${escapeTerminalText(out.join('\n'))}\n`;
}

describe('plan text in chunks', () => {
  const sizes = [0, 1, 499, 500, 501, 1201];
  const accounts = sizes.map((n, i) => desiredAccount(`acct-${i}`, { users: { policy: 'additive', items: Array.from({ length: n }, (_, j) => desiredUser(`u${j}@acct-${i}.example`, { firstName: 'A\u001b[31m', lastName: `B${j}` })) } }));
  const t = tenancy(...accounts);
  const plan = diffTenancy(t, snapshot(accounts.map((a, i) => ({ account: liveAccount(a, `id-${i}`), integrations: [], users: [] }))), { now: NOW });

  it('concatenate to the whole text, escaped the same', () => {
    expect(plan.changes.filter((c) => c.kind === 'user').length).toBe(sizes.reduce((n, s) => n + s, 0));
    expect(renderPlanText(plan)).toBe(wholeText(plan));
    expect(renderPlanText(plan)).not.toContain('\u001b');
  });

  it('hold at most 500 changes each, and each ends a line', () => {
    const chunks = [...planTextChunks(plan)];
    for (const chunk of chunks) {
      expect(chunk.endsWith('\n')).toBe(true);
      expect((chunk.match(/^ {2}[+~-] /gm) ?? []).length).toBeLessThanOrEqual(500);
    }
    // 1 header, per account with changes ceil(changes / 500) chunks, 1 summary.
    const perAccount = [...changesByAccount(plan).values()].map((c) => c.length).filter((n) => n > 0);
    expect(perAccount.some((n) => n > 1000)).toBe(true);
    expect(chunks.length).toBe(1 + perAccount.reduce((n, c) => n + Math.ceil(c / 500), 0) + 1);
  });
});
