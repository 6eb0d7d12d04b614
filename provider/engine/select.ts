/**
 * Which declared accounts a run covers: `--account KEY` (repeatable) and `--shard i/n`.
 * Shards split accounts by a hash of their key, so the split is stable across runs and
 * machines, and the union of shards 1..n is exactly the whole tenancy.
 */
import { createHash } from 'node:crypto';
import type { Tenancy } from '../model/types.js';

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `i/n` (1 ≤ i ≤ n); returns a message that says how to fix it otherwise. */
export function parseShard(text: string): Shard | string {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) return `--shard "${text}" is not i/n with 1 ≤ i ≤ n, e.g. --shard 2/4`;
  return { index, count };
}

/** The 1-based shard an account key falls into. */
export function shardOf(key: string, count: number): number {
  const h = createHash('sha256').update(key).digest();
  return (h.readUInt32BE(0) % count) + 1;
}

/** The tenancy restricted to the chosen accounts. Unknown keys are returned for the caller to report. */
export function selectAccounts(tenancy: Tenancy, options: { accounts?: readonly string[]; shard?: Shard }): { tenancy: Tenancy; unknownKeys: string[] } {
  const wanted = options.accounts && options.accounts.length > 0 ? new Set(options.accounts) : undefined;
  const unknownKeys = wanted ? [...wanted].filter((k) => !tenancy.accounts.some((a) => a.key === k)) : [];
  const accounts = tenancy.accounts.filter((a) => (!wanted || wanted.has(a.key)) && (!options.shard || shardOf(a.key, options.shard.count) === options.shard.index));
  return { tenancy: { ...tenancy, accounts }, unknownKeys };
}

/**
 * The tenancy reduced to the accounts named for deletion (`--destroy-account`). An account no
 * longer declared (its construct was removed) is represented by a stub that matches live only
 * by the cloudlink-tenancy tag the tool wrote when it created the account, never by name.
 */
export function destroyOnly(tenancy: Tenancy, keys: readonly string[]): Tenancy {
  const accounts = keys.map(
    (key) =>
      tenancy.accounts.find((a) => a.key === key) ?? {
        key,
        name: '',
        country: '',
        language: '',
        tags: {},
        protect: false,
        integrations: [],
        orders: [],
        ordersPolicy: 'additive' as const,
        users: { policy: 'additive' as const, items: [] },
        welcomeEmail: 'never' as const,
        accountCreation: 'console' as const,
      },
  );
  return { ...tenancy, accounts };
}
