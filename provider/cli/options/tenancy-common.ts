/** The options every command that reads a declaration and talks to CloudLink shares. */
import type { OptionDefs } from './define.js';

/** `--trace-http FILE`: every command that talks to CloudLink has it. */
export const TRACE_HTTP_OPTION = {
  type: 'string',
  value: 'FILE',
  meaning: 'append one JSON line per HTTP attempt to FILE (secrets redacted)',
  shownDefault: 'CLOUDLINK_TRACE_FILE, else none',
} as const;

/** `--from-cdktf`, `--account`, `--shard`, `--trace-http` (plan, apply, drift). */
export const TENANCY_OPTIONS = {
  'from-cdktf': { type: 'string', value: 'DIR', meaning: 'read the declaration from a cdktf synth output folder (its tenancy.json files) instead of YAML paths', shownDefault: 'YAML paths' },
  account: { type: 'string', multiple: true, value: 'KEY', meaning: 'only this declared account', shownDefault: 'every account' },
  shard: { type: 'string', value: 'i/n', meaning: 'only shard i of n (accounts split by a SHA-256 of their key; stable, and the n shards cover all)', shownDefault: 'every account' },
  'trace-http': TRACE_HTTP_OPTION,
} as const satisfies OptionDefs;
