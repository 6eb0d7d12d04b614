/**
 * The option definitions of `plan`, `apply` and `drift`: the commands derive their `parseArgs`
 * options, `--help` and the README reference from them (meaning, default and examples of each flag).
 */
import type { CommandDocs, OptionDefs } from './define.js';
import { TENANCY_OPTIONS } from './tenancy-common.js';

const maxDeletes = { type: 'string', value: 'N', meaning: 'refuse (exit 3) a plan that deletes more than N objects (accounts, users, integrations, unassigned orders)', shownDefault: '10' } as const;
const destroyAccount = {
  type: 'string',
  multiple: true,
  value: 'KEY',
  meaning: 'plan only the deletion of this account (used by the cdktf destroy provisioner)',
  shownDefault: 'none',
} as const;

/** `plan PATHS…`. */
export const PLAN_OPTIONS = {
  ...TENANCY_OPTIONS,
  out: { type: 'string', value: 'FILE', meaning: 'also save the plan as JSON to FILE, for a later apply --plan FILE', shownDefault: 'not saved' },
  format: { type: 'string', value: 'text|markdown|json', default: 'text', meaning: 'how the plan is printed (markdown is the PR comment form)' },
  'max-deletes': maxDeletes,
  'destroy-account': destroyAccount,
} as const satisfies OptionDefs;

/** `apply PATHS…`. */
export const APPLY_OPTIONS = {
  ...TENANCY_OPTIONS,
  plan: { type: 'string', value: 'FILE', meaning: 'apply exactly this saved plan; refused (exit 3) if the declaration or any object it touches changed since', shownDefault: 'plan afresh' },
  'auto-approve': { type: 'boolean', default: false, meaning: 'apply without asking "yes" (needed when stdin is not a terminal)' },
  'max-deletes': maxDeletes,
  parallelism: { type: 'string', value: 'N', meaning: 'accounts applied at once, under one shared request budget', shownDefault: '4' },
  'destroy-account': destroyAccount,
  format: { type: 'string', value: 'text|json', default: 'text', meaning: 'text: the plan, progress and summary for people; json: the apply result as one JSON document on stdout' },
  lock: { type: 'string', value: 'true|false', default: 'true', meaning: 'lease each existing account before writing it (the apply lock, tag cloudlink-tenancy-lock); --lock=false is unsafe: nothing then stops two applies writing one account' },
  'lock-timeout': { type: 'string', value: 'DURATION', default: '0', meaning: 'wait this long (e.g. 30s, 5m) for an account another apply holds; 0 refuses it at once (exit 3, naming the holder) while the other accounts go on' },
} as const satisfies OptionDefs;

/** `drift PATHS…`. */
export const DRIFT_OPTIONS = {
  ...TENANCY_OPTIONS,
  format: { type: 'string', value: 'text|markdown|json|junit|html[,…]', default: 'text', meaning: 'report format; several, comma-separated, need --out DIR' },
  out: { type: 'string', value: 'FILE|DIR', meaning: 'write the report to FILE (one format) or into DIR (drift.txt, drift.md, drift.json, drift-junit.xml, drift.html)', shownDefault: 'stdout' },
  'expiring-days': { type: 'string', value: 'N', meaning: 'list orders expiring within N days', shownDefault: '30' },
  'pending-days': { type: 'string', value: 'N', meaning: 'list users still pending after N days', shownDefault: '14' },
  'all-accounts': { type: 'boolean', default: false, meaning: 'also report live accounts no declaration binds (by default only those tagged with a key nobody declares)' },
  'out-text': { type: 'string', value: 'FILE', meaning: 'also write the text report to FILE', shownDefault: 'none' },
  'out-markdown': { type: 'string', value: 'FILE', meaning: 'also write the Markdown report to FILE', shownDefault: 'none' },
  'out-json': { type: 'string', value: 'FILE', meaning: 'also write the JSON report to FILE', shownDefault: 'none' },
  'out-junit': { type: 'string', value: 'FILE', meaning: 'also write the JUnit report to FILE', shownDefault: 'none' },
  'out-html': { type: 'string', value: 'FILE', meaning: 'also write the HTML report to FILE', shownDefault: 'none' },
} as const satisfies OptionDefs;

/** Help and README text of the three commands, by command name. */
export const PLAN_APPLY_DRIFT_DOCS: Readonly<Record<'plan' | 'apply' | 'drift', CommandDocs>> = {
  plan: {
    usage: 'PATHS… [options]',
    options: PLAN_OPTIONS,
    examples: ['plan tenancy/ --format markdown --out plan.json', 'plan tenancy/ --account acme --max-deletes 0'],
  },
  apply: {
    usage: 'PATHS… [options]',
    options: APPLY_OPTIONS,
    examples: ['apply tenancy/ --plan plan.json', 'apply tenancy/ --auto-approve --parallelism 8 --format json'],
  },
  drift: {
    usage: 'PATHS… [options]',
    options: DRIFT_OPTIONS,
    examples: ['drift tenancy/ --format junit,html,markdown --out drift-report', 'drift tenancy/ --expiring-days 60'],
  },
};
