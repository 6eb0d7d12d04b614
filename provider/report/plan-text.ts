/**
 * Terraform-like text rendering of a plan: `+ create`, `~ update` (attribute by attribute), `- delete`.
 * Every value from the declaration or live state goes through escape-terminal.ts: one line each,
 * no control, bidi or invisible character raw.
 */
import type { AccountChange, Change, JsonValue, Plan } from '../engine/types.js';
import { summarize } from '../engine/plan/diff.js';
import { escapeTerminalText, escapeTerminalValue as tv } from './escape-terminal.js';

const SYMBOL = { create: '+', update: '~', delete: '-', noop: ' ' } as const;

function show(v: JsonValue | undefined): string {
  return tv(JSON.stringify(v ?? null));
}

/** n and the noun, plural when n ≠ 1: `1 account`, `3 accounts`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The Accounts Console's labels of the account fields (the "Add account" form). */
const CONSOLE_LABELS: Record<string, string> = {
  name: 'Customer Name',
  country: 'Country',
  address: 'Address',
  city: 'City/Town',
  stateOrProvince: 'State/Province',
  postalCode: 'Postal/Zip Code',
  language: 'Default Language',
};

/** An account a person creates in the Accounts Console: the exact fields to enter there. */
function consoleLines(c: AccountChange): string[] {
  const lines = [`  + ${tv(c.address)}  # create in the Accounts Console (accountCreation: console), then run plan again`];
  for (const [k, v] of Object.entries(c.after ?? {})) {
    const label = CONSOLE_LABELS[k];
    if (label) lines.push(`      ${label}: ${typeof v === 'string' ? tv(v) : show(v as JsonValue)}`);
  }
  lines.push('      (the next plan finds it by this name, case and spacing aside, tags it and plans its integrations, orders and users)');
  if (c.waiting?.length) lines.push(...waitingLines(c.waiting));
  return lines;
}

/** How many changes wait for console-created accounts, and for how many accounts. */
export function waitingCount(changes: readonly Change[]): { changes: number; accounts: number } {
  let count = 0;
  let accounts = 0;
  for (const c of changes) {
    if (c.kind !== 'account' || !c.waiting?.length) continue;
    count += c.waiting.length;
    accounts += 1;
  }
  return { changes: count, accounts };
}

/** How many waiting changes the text shows line by line before it only counts. */
export const WAITING_SHOWN = 5;

/** `12 users, 8 licences, 8 welcome e-mails, order "TN-1005"`: what waits for an account, by kind. */
export function waitingSummary(waiting: readonly Change[]): string {
  const count = (kind: Change['kind']): number => waiting.filter((c) => c.kind === kind).length;
  const parts: string[] = [];
  const contacts = count('contact');
  const integrations = count('integration');
  if (contacts) parts.push(plural(contacts, 'support contact'));
  if (integrations) parts.push(plural(integrations, 'integration'));
  const users = count('user');
  if (users) parts.push(plural(users, 'user'));
  const licences = count('license');
  if (licences) parts.push(plural(licences, 'licence'));
  const welcomes = count('welcome');
  if (welcomes) parts.push(plural(welcomes, 'welcome e-mail'));
  const orders = waiting.flatMap((c) => (c.kind === 'order' && c.after ? [show(c.after.trackingNumber)] : []));
  if (orders.length) parts.push(`${orders.length === 1 ? 'order' : 'orders'} ${orders.slice(0, 3).join(', ')}${orders.length > 3 ? ` and ${orders.length - 3} more` : ''}`);
  return parts.join(', ');
}

/** The changes waiting for a console-created account: a count line, the first few, then how many more. */
function waitingLines(waiting: readonly Change[]): string[] {
  const lines = [`      once the account exists: ${waitingSummary(waiting)} (not applied until then)`];
  for (const c of waiting.slice(0, WAITING_SHOWN)) lines.push(`        ${SYMBOL[c.action]} ${tv(c.address)}`);
  if (waiting.length > WAITING_SHOWN) lines.push(`        … and ${plural(waiting.length - WAITING_SHOWN, 'more waiting change')} (plan --format json lists them all)`);
  return lines;
}

const entries = (v: object | null): [string, JsonValue][] => Object.entries(v ?? {}) as [string, JsonValue][];

/** The attribute lines of a change (none for licenses' and welcomes' creates). */
function attributeLines(c: Change): string[] {
  if (c.action === 'update') {
    const before = (c.before ?? {}) as Record<string, JsonValue>;
    return entries(c.after).map(([k, v]) => `      ${tv(k)}: ${show(before[k])} -> ${show(v)}`);
  }
  if (c.action === 'create' && c.kind !== 'welcome') return entries(c.after).map(([k, v]) => `      ${tv(k)}: ${show(v)}`);
  if (c.action === 'delete') return entries(c.before).filter(([, v]) => v !== null).map(([k, v]) => `      ${tv(k)}: ${show(v)}`);
  return [];
}

/** The lines of one change, indented under its account. */
export function changeLines(c: Change): string[] {
  if (c.kind === 'account' && c.manual === 'console') return consoleLines(c);
  return [`  ${SYMBOL[c.action]} ${tv(c.address)}${c.reason ? `  # ${tv(c.reason)}` : ''}`, ...attributeLines(c)];
}

/**
 * The one-line summary: `Plan: 3 to create, 2 to update, 0 to delete.`; a plan with problems
 * never claims "No changes" (a refused `--destroy-account` is not a match with live state).
 */
export function summaryLine(plan: Pick<Plan, 'changes'> & Partial<Pick<Plan, 'problems'>>): string {
  const s = summarize(plan);
  const problems = plan.problems ?? [];
  const stopped = problems.length === 0 ? '' : problems.every((p) => p.guard) ? 'refused' : 'stopped by errors';
  if (s.create + s.update + s.delete === 0) return stopped ? `Nothing will be changed: the plan is ${stopped} (see the problems listed).` : 'No changes. Live state matches the declaration.';
  const waiting = waitingCount(plan.changes);
  const held = waiting.changes > 0 ? ` ${waiting.changes} more ${waiting.changes === 1 ? 'waits' : 'wait'} for ${plural(waiting.accounts, 'account')} to be created in the Accounts Console.` : '';
  return `Plan: ${s.create} to create, ${s.update} to update, ${s.delete} to delete.${held}${stopped ? ` The plan is ${stopped}: none of it will be applied until the problems listed are fixed.` : ''}`;
}

/** Groups changes that do something by account key, in plan order. */
export function changesByAccount(plan: Pick<Plan, 'accountKeys' | 'changes'>): Map<string, Change[]> {
  const out = new Map<string, Change[]>();
  for (const key of plan.accountKeys) out.set(key, []);
  for (const c of plan.changes) if (c.action !== 'noop') out.get(c.accountKey)?.push(c);
  return out;
}

/** Problems (guards and errors) as lines, each one line with its file name and message escaped. */
export function problemLines(plan: Pick<Plan, 'problems'>): string[] {
  return plan.problems.map((p) => `${p.guard ? 'Refused' : 'Error'}: ${p.source ? `${tv(p.source.file)}:${p.source.line}:${p.source.column}: ` : ''}${tv(p.message)}`);
}

/** Changes rendered into one chunk of `planTextChunks` at most. */
const CHANGES_PER_CHUNK = 500;

/**
 * The plan as text, in chunks that concatenate to `renderPlanText`: each chunk is at most
 * CHANGES_PER_CHUNK changes, escaped for the terminal on its own and ending in a line break. A
 * CLI writes them one by one, so a plan of 30,000 user creates (7.6 MB of text) is never one
 * string, one array of its lines, and one more copy on its way to a pipe at once.
 */
export function* planTextChunks(plan: Plan): Generator<string> {
  const emit = (lines: string[]): string => `${escapeTerminalText(lines.join('\n'))}\n`;
  yield emit([`CloudLink tenancy plan for partner ${tv(plan.partnerId)} (${plural(plan.accountKeys.length, 'account')})`, '']);
  for (const [key, changes] of changesByAccount(plan)) {
    if (changes.length === 0) continue;
    let lines = [`account ${tv(key)}:`];
    for (let i = 0; i < changes.length; i += 1) {
      lines.push(...changeLines(changes[i] as Change));
      if ((i + 1) % CHANGES_PER_CHUNK === 0 && i + 1 < changes.length) {
        yield emit(lines);
        lines = [];
      }
    }
    lines.push('');
    yield emit(lines);
  }
  const problems = problemLines(plan);
  yield emit([...(problems.length > 0 ? [...problems, ''] : []), summaryLine(plan)]);
}

/** The whole plan as text. */
export function renderPlanText(plan: Plan): string {
  return [...planTextChunks(plan)].join('');
}
