/**
 * How the API serves lists: the fields each list can filter on, `$filter` applied to a list,
 * `$expand=tags`, and the paged list envelope.
 *
 * Decisions on the contract's [A] points made here:
 * - Lists: `$top` defaults to 100 and larger values are capped at 1,000 (contract 2.1; the
 *   profile's `maxPageSize` may cap lower: 50 under `strict`, `profile.ts`); `$skip` is an
 *   integer offset; every list has `count` and pages with `$skip` (user lists have no `count`
 *   under the strict profile; the `skiptoken` paging, an opaque `$skiptoken` and no `count`, is
 *   there for stricter profiles). `_links.self` and `_links.next` are absolute URLs built from
 *   the request's Host header. A page costs O(page size): handlers hand over a window (`Rows`)
 *   and the view of a row is built for the rows served only.
 * - Filterable fields: see `FILTERS` below; anything else is 400 (clients fall back to listing).
 * - `$expand=tags` adds `tags` to accounts and users (lists and single GETs); without it
 *   there is no `tags` field.
 */
import type { HandlerContext, HandlerResult } from './handler-context.js';
import { evaluate, expands, makeSkipToken, parseFilter, readSkip, readSkipToken, readTop, type FieldRules } from './query.js';

/** Which fields each list can filter on, and how. */
export const FILTERS = {
  accounts: { partnerId: { ops: ['eq', 'ne'] }, name: { ops: ['eq', 'ne', 'contains'] }, accountNumber: { ops: ['eq'] } },
  users: { email: { ops: ['eq', 'contains'], caseInsensitive: true } },
  contacts: { email: { ops: ['eq'], caseInsensitive: true } },
  orders: {
    partnerId: { ops: ['eq'] },
    accountId: { ops: ['eq', 'ne'] },
    expiresOn: { ops: ['eq', 'lt', 'gt'], date: true },
    subscriptionId: { ops: ['eq'] },
    product: { ops: ['eq'] },
    trackingNumber: { ops: ['eq', 'contains'] },
    sapOrderId: { ops: ['eq', 'contains'] },
    resellerPo: { ops: ['eq', 'contains'] },
    customerPo: { ops: ['eq', 'contains'] },
  },
  subscriptions: { accountId: { ops: ['eq'] }, product: { ops: ['eq'] }, subscriptionId: { ops: ['eq'] } },
  licenses: { accountId: { ops: ['eq'] }, userId: { ops: ['eq'] }, product: { ops: ['eq'] } },
  none: {},
} as const satisfies Record<string, FieldRules>;

/** The filter rules a list serves under the sandbox's profile (`strict` refuses every user `$filter`, profile.ts). */
export function filterRules(ctx: HandlerContext, rules: FieldRules): FieldRules {
  return rules === FILTERS.users && ctx.profile.refuseUserFilter ? FILTERS.none : rules;
}

/** The items the request's `$filter` keeps (all without one); 400 for a filter the `rules` do not allow. */
export function filterOf<T>(ctx: HandlerContext, items: T[], rules: FieldRules, get: (item: T, field: string) => unknown = (item, field) => (item as Record<string, unknown>)[field]): T[] {
  const allowed = filterRules(ctx, rules);
  const expr = parseFilter(ctx.url.searchParams.get('$filter'), allowed);
  return expr ? items.filter((item) => evaluate(expr, allowed, (f) => get(item, f))) : items;
}

/** True when the request asks for tags (`$expand=tags`). */
export function tagsWanted(ctx: HandlerContext): boolean {
  return expands(ctx.url.searchParams).has('tags');
}

/** Rows a list can serve a window of without building them all (an array is one). */
export interface Rows<T> {
  readonly length: number;
  slice(start: number, end: number): T[];
}

/**
 * The list envelope with `$top` and `$skip` (count present) or `$skiptoken` (count absent),
 * over `items` in their stable order; `view` shapes each row served (only those).
 */
export function list<T>(ctx: HandlerContext, items: Rows<T>, paging: 'skip' | 'skiptoken', view: (item: T) => unknown = (item) => item): HandlerResult {
  const q = ctx.url.searchParams;
  const top = Math.min(readTop(q), ctx.profile.maxPageSize);
  const offset = paging === 'skiptoken' && q.has('$skiptoken') ? readSkipToken(q) : readSkip(q);
  const page = items.slice(offset, offset + top).map(view);
  const links: { self: string; next?: string } = { self: `${ctx.base}${ctx.url.pathname}${ctx.url.search}` };
  if (offset + top < items.length) {
    const next = new URLSearchParams(q);
    next.delete('$skip');
    next.delete('$skiptoken');
    next.set('$top', String(top));
    if (paging === 'skip') next.set('$skip', String(offset + top));
    else next.set('$skiptoken', makeSkipToken(offset + top));
    links.next = `${ctx.base}${ctx.url.pathname}?${next.toString()}`;
  }
  const counted = paging === 'skip'; // user lists page by $skiptoken without count under the strict profile (user-handlers.ts)
  return { status: 200, body: { ...(counted ? { count: items.length } : {}), _links: links, _embedded: { items: page } } };
}
