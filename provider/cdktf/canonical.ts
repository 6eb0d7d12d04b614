/** Canonical JSON text of a tenancy as cdktf writes `tenancy.json` (source positions dropped, stable key order). */
import type { Tenancy } from '../model/types.js';

/** The tenancy without source positions, which only make sense for files. */
export function withoutSources(tenancy: Tenancy): Tenancy {
  return {
    ...tenancy,
    accounts: tenancy.accounts.map(({ source: _s, users, ...a }) => ({ ...a, users: { ...users, items: users.items.map(({ source: _u, ...u }) => u) } })),
  };
}

/** Pretty JSON with object keys sorted at every level, ending in a newline. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => [k, sort(x)]));
    return v;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}
