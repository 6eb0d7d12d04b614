/**
 * Reading from CloudLink for the service clients: paged lists that follow `next` links and
 * fall back from a refused `$filter`, the first row of a list, and one object by id.
 */
import type { z } from 'zod';
import type { RouteName } from '../routes.js';
import { pageFromWire, pageQueryToWire, pageSchema } from '../wire.js';
import type { ClientContext } from './context.js';

/** What a list call asks for. */
export interface ListQuery<D> {
  /** `$filter`, or alternatives tried in order; each refused (400) is dropped, `match` applies alone at the end. */
  filter?: string | string[];
  /** `$expand`. */
  expand?: string;
  /** Every row yielded must pass this (the check that the answer matches the question). */
  match?: (row: D) => boolean;
}

/**
 * Iterates a list, following `next` verbatim. `filter` alternatives are tried in order
 * (most selective first); each one the service refuses with 400 is dropped (and not sent
 * again by this client), down to no filter at all. `match` checks every row either way.
 */
export async function* list<S extends z.ZodType, D>(c: ClientContext, route: RouteName, params: Record<string, string>, item: S, map: (w: z.infer<S>) => D, q: ListQuery<D> = {}): AsyncGenerator<D> {
  const schema = pageSchema(item);
  // Refusals are remembered by the filter's shape (literals blanked): one 400 per kind of question.
  const shape = (f: string): string => `${route}|${f.replace(/'(?:[^']|'')*'/g, "'?'")}`;
  const alternatives = (q.filter === undefined ? [] : Array.isArray(q.filter) ? q.filter : [q.filter]).filter((f) => !c.refusedFilters.has(shape(f)));
  let page: { status: number; value: unknown; url: string };
  for (let i = 0; ; i += 1) {
    const filter = alternatives[i];
    page = await c.t.call({ route, params, query: pageQueryToWire(filter, q.expand), schema, ...(filter ? { accept: [400] } : {}) });
    if (page.status !== 400 || !filter) break;
    c.refusedFilters.add(shape(filter));
  }
  for (;;) {
    const p = pageFromWire(page.value as Parameters<typeof pageFromWire<z.infer<S>>>[0]);
    for (const w of p.items) {
      const d = map(w);
      if (!q.match || q.match(d)) yield d;
    }
    if (!p.next) return;
    page = await c.t.call({ route, params, href: p.next, from: page.url, schema });
  }
}

/** The first row of a list (the rest is not fetched), or `undefined` when it is empty. */
export async function firstOf<D>(rows: AsyncIterable<D>): Promise<D | undefined> {
  for await (const row of rows) return row;
  return undefined;
}

/** One object by id; `undefined` when the service answers 404. */
export async function getOne<S extends z.ZodType, D>(c: ClientContext, route: RouteName, params: Record<string, string>, schema: S, map: (w: z.infer<S>) => D, query?: Record<string, string>): Promise<D | undefined> {
  const r = await c.t.call({ route, params, ...(query ? { query } : {}), schema, accept: [404] });
  return r.status === 404 ? undefined : map(r.value as z.infer<S>);
}
