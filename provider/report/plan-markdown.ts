/**
 * Markdown rendering of a plan for pull-request comments: a summary table and a collapsible
 * section per account. Kept under GitHub's 65,536-character comment limit; when it would not
 * fit, accounts are cut and an honest note says how many changes are not shown.
 * Every value from the declaration or live state goes through escape-markdown.ts (code spans,
 * fenced blocks longer than any backtick run, escaped prose): no value can close a block, hide
 * a section, add a line, raw HTML, a mention or a link.
 */
import type { Plan } from '../engine/types.js';
import { changeLines, changesByAccount, plural, summaryLine } from './plan-text.js';
import { markdownCode, markdownFence, markdownHtml, markdownText } from './escape-markdown.js';

/** GitHub's comment size limit. */
export const COMMENT_LIMIT = 65_536;

/** A marker that lets a workflow find and update its own comment. */
export const PLAN_COMMENT_MARKER = '<!-- cloudlink-tenancy:plan -->';

/** The plan as Markdown, at most `limit` characters. */
export function renderPlanMarkdown(plan: Plan, limit = COMMENT_LIMIT): string {
  const groups = changesByAccount(plan);
  const head: string[] = [PLAN_COMMENT_MARKER, `### CloudLink tenancy plan: partner ${markdownCode(plan.partnerId)}`, '', `**${summaryLine(plan)}**`, ''];
  if (plan.problems.length > 0) {
    head.push('> [!CAUTION]');
    let problemChars = 0;
    let problemsLeftOut = 0;
    for (const p of plan.problems) {
      const line = `> ${p.guard ? 'Refused' : 'Error'}: ${markdownText(p.message)}`;
      if (problemChars + line.length + 1 > limit / 4) problemsLeftOut += 1;
      else {
        problemChars += line.length + 1;
        head.push(line);
      }
    }
    if (problemsLeftOut > 0) head.push(`> … and ${problemsLeftOut} more problems (run \`plan --format text\` to see them all).`);
    head.push('');
  }
  head.push('| account | create | update | delete |', '|---|---:|---:|---:|');
  // The table gets at most half the budget, so a partner with thousands of changed accounts
  // still gets a comment under the limit (and the note below says what was left out).
  let tableChars = head.join('\n').length;
  let rowsLeftOut = 0;
  for (const [key, changes] of groups) {
    if (changes.length === 0) continue;
    const n = (a: string): number => changes.filter((c) => c.action === a).length;
    const row = `| ${markdownCode(key, { table: true })} | ${n('create')} | ${n('update')} | ${n('delete')} |`;
    if (tableChars + row.length + 1 > limit / 2) {
      rowsLeftOut += 1;
      continue;
    }
    tableChars += row.length + 1;
    head.push(row);
  }
  if (rowsLeftOut > 0) head.push(`| … ${rowsLeftOut} more accounts with changes | | | |`);
  head.push('');
  const tail = `\n<sub>plan format ${plan.formatVersion} · inputs ${markdownText(plan.inputsDigest.slice(0, 19))} · ${markdownText(plan.createdAt)}</sub>\n`;
  let text = head.join('\n');
  let omittedChanges = 0;
  let omittedAccounts = 0;
  const reserve = 400 + tail.length;
  for (const [key, changes] of groups) {
    if (changes.length === 0) continue;
    const diff = markdownFence(changes.flatMap(changeLines).map((l) => l.replace(/^ {2}/, '')), 'diff');
    const section = [`<details><summary><code>${markdownHtml(key)}</code>: ${plural(changes.length, 'change')}</summary>`, '', diff, '</details>', ''].join('\n');
    if (text.length + section.length + reserve > limit) {
      omittedAccounts += 1;
      omittedChanges += changes.length;
      continue;
    }
    text += `${section}\n`;
  }
  if (omittedAccounts > 0) {
    text += `\n> [!NOTE]\n> ${omittedChanges} changes in ${omittedAccounts} accounts are not shown: the comment would exceed GitHub's ${limit.toLocaleString('en-US')}-character limit. The full plan is in the workflow's plan artifact (\`plan.json\`, \`plan --format text\`).\n`;
  }
  return text + tail;
}
