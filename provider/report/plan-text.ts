/** Terraform-like text rendering of a plan: `+ create`, `~ update` (attribute by attribute), `- delete`. */
import type { Change, JsonValue, Plan } from '../engine/types.js';
import { summarize } from '../engine/diff.js';

const SYMBOL = { create: '+', update: '~', delete: '-', noop: ' ' } as const;

function show(v: JsonValue | undefined): string {
  return JSON.stringify(v ?? null);
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
function consoleLines(c: Change): string[] {
  const lines = [`  + ${c.address}  # create in the Accounts Console (accountCreation: console), then run plan again`];
  for (const [k, v] of Object.entries(c.after ?? {})) {
    const label = CONSOLE_LABELS[k];
    if (label) lines.push(`      ${label}: ${typeof v === 'string' ? v : show(v)}`);
  }
  lines.push('      (the next plan finds it by this exact name, tags it and plans its integrations, orders and users)');
  return lines;
}

/** The lines of one change, indented under its account. */
export function changeLines(c: Change): string[] {
  if (c.manual === 'console') return consoleLines(c);
  const lines = [`  ${SYMBOL[c.action]} ${c.address}${c.reason ? `  # ${c.reason}` : ''}`];
  if (c.action === 'update') {
    for (const [k, v] of Object.entries(c.after ?? {})) {
      if (k === 'email' && !(c.before && k in c.before)) continue;
      lines.push(`      ${k}: ${show(c.before?.[k])} -> ${show(v)}`);
    }
  } else if (c.action === 'create' && c.kind !== 'license' && c.kind !== 'welcome') {
    for (const [k, v] of Object.entries(c.after ?? {})) lines.push(`      ${k}: ${show(v)}`);
  } else if (c.action === 'delete' && c.kind !== 'license') {
    for (const [k, v] of Object.entries(c.before ?? {})) lines.push(`      ${k}: ${show(v)} -> null`);
  }
  return lines;
}

/** The one-line summary: `Plan: 3 to create, 2 to update, 0 to delete.` */
export function summaryLine(plan: Plan): string {
  const s = summarize(plan);
  if (s.create + s.update + s.delete === 0) return 'No changes. Live state matches the declaration.';
  return `Plan: ${s.create} to create, ${s.update} to update, ${s.delete} to delete.`;
}

/** Groups changes that do something by account key, in plan order. */
export function changesByAccount(plan: Plan): Map<string, Change[]> {
  const out = new Map<string, Change[]>();
  for (const key of plan.accountKeys) out.set(key, []);
  for (const c of plan.changes) if (c.action !== 'noop') out.get(c.accountKey)?.push(c);
  return out;
}

/** Problems (guards and errors) as lines. */
export function problemLines(plan: Plan): string[] {
  return plan.problems.map((p) => `${p.guard ? 'Refused' : 'Error'}: ${p.message}`);
}

/** The whole plan as text. */
export function renderPlanText(plan: Plan): string {
  const out: string[] = [`CloudLink tenancy plan for partner ${plan.partnerId} (${plan.accountKeys.length} accounts)`, ''];
  for (const [key, changes] of changesByAccount(plan)) {
    if (changes.length === 0) continue;
    out.push(`account ${key}:`);
    for (const c of changes) out.push(...changeLines(c));
    out.push('');
  }
  const problems = problemLines(plan);
  if (problems.length > 0) out.push(...problems, '');
  out.push(summaryLine(plan));
  return `${out.join('\n')}\n`;
}
