/** Canonical JSON text of a tenancy as cdktf writes `tenancy.json` (source positions dropped, stable key order). */
import type { Tenancy } from '../model/types.js';
import { canonicalJsonPretty } from '../model/canonical-json.js';

/** The tenancy without source positions, which only make sense for files. */
export function withoutSources(tenancy: Tenancy): Tenancy {
  return {
    ...tenancy,
    accounts: tenancy.accounts.map(({ source: _s, supportContactSources: _c, users, ...a }) => ({ ...a, users: { ...users, items: users.items.map(({ source: _u, miteamSource: _m, ...u }) => u) } })),
  };
}

/** Pretty JSON with object keys sorted at every level, ending in a newline (the one canonical writer, `model/canonical-json.ts`). */
export function stableJson(value: unknown): string {
  return canonicalJsonPretty(value);
}
