/**
 * Reading from CloudLink for the service clients: paged lists that follow `next` links (or,
 * when the list has `count` and pages by `$skip`, read its pages concurrently), fall back from
 * a refused `$filter`, the first row of a list, and one object by id.
 */
import type { z } from 'zod';
import type { RouteName } from '../routes.js';
import { CONCURRENT_PAGES, LIST_PASSES, skipPageUrls } from '../paging.js';
import { pageFromWire, pageQueryToWire, pageSchema, type WirePage } from '../wire.js';
import { pagedRows, type PagedRows } from '../paged-rows.js';
import type { ClientContext } from './context.js';

/** What a list call asks for. */
export interface ListQuery<D> {
  /** `$filter`, or alternatives tried in order; each refused (400) is dropped, `match` applies alone at the end. */
  filter?: string | string[];
  /** `$expand`. */
  expand?: string;
  /** Every row yielded must pass this (the check that the answer matches the question). */
  match?: (row: D) => boolean;
  /**
   * The row's id. With it a row is yielded once even when the list changes while it is read
   * (a row shifted across a page boundary), and a list with `count` paged by `$skip` is read
   * with its pages in flight at once. Without it pages are read one after another.
   */
  key?: (row: D) => string;
}

/** One page as read: its rows (mapped and matched), how many the service served, `count` and `next`. */
interface ReadPage<D> {
  rows: D[];
  served: number;
  count: number | undefined;
  next: string | undefined;
  url: string;
}

/**
 * Iterates a list. `filter` alternatives are tried in order (most selective first); each one the
 * service refuses with 400 is dropped (and not sent again by this client), down to no filter at
 * all. `match` checks every row either way.
 *
 * Paging follows what the service serves: after the first page (`$top` =
 * `REQUESTED_PAGE_SIZE`), a list with `count` whose `next` link pages by an integer `$skip`
 * has its remaining pages read concurrently (`CONCURRENT_PAGES` at once, under the shared
 * request budget), stepping by the page size served. Those pages are checked: every one must
 * report the same `count`, every page but the last must be full and the last must end the list.
 * If not (the list changed while it was read, or the service pages differently), they are
 * dropped and the list is read again from its first page (at most `LIST_PASSES` passes; the
 * last follows `next` verbatim, page after page, as every list without `count` or `$skip`
 * paging is read). With `key`, no row is yielded twice.
 */
export function list<S extends z.ZodType, D>(c: ClientContext, route: RouteName, params: Record<string, string>, item: S, map: (w: z.infer<S>) => D, q: ListQuery<D> = {}): PagedRows<D> {
  return pagedRows(() => listPages(c, route, params, item, map, q));
}

/** The pages of `list` (each the rows not yielded before), as they are read. */
async function* listPages<S extends z.ZodType, D>(c: ClientContext, route: RouteName, params: Record<string, string>, item: S, map: (w: z.infer<S>) => D, q: ListQuery<D>): AsyncGenerator<D[]> {
  const schema = pageSchema(item);
  // Refusals are remembered by the filter's shape (literals blanked): one 400 per kind of question.
  const shape = (f: string): string => `${route}|${f.replace(/'(?:[^']|'')*'/g, "'?'")}`;
  const read = (value: unknown, url: string): ReadPage<D> => {
    const p = pageFromWire(value as Parameters<typeof pageFromWire<z.infer<S>>>[0]) as WirePage<z.infer<S>>;
    const rows: D[] = [];
    for (const w of p.items) {
      const d = map(w);
      if (!q.match || q.match(d)) rows.push(d);
    }
    return { rows, served: p.items.length, count: p.count, next: p.next, url };
  };
  const firstPage = async (): Promise<ReadPage<D>> => {
    const alternatives = (q.filter === undefined ? [] : Array.isArray(q.filter) ? q.filter : [q.filter]).filter((f) => !c.refusedFilters.has(shape(f)));
    for (let i = 0; ; i += 1) {
      const filter = alternatives[i];
      const r = await c.t.call({ route, params, query: pageQueryToWire(filter, q.expand), schema, ...(filter ? { accept: [400] } : {}) });
      if (r.status !== 400 || !filter) return read(r.value, r.url);
      c.refusedFilters.add(shape(filter));
    }
  };
  const fetchPage = async (href: string, from: string): Promise<ReadPage<D>> => {
    const r = await c.t.call({ route, params, href, from, schema });
    return read(r.value, r.url);
  };
  const seen = new Set<string>();
  // The rows of a page not yielded before (the page itself when all are new, as they nearly always are).
  const fresh = (rows: D[]): D[] => {
    if (!q.key) return rows;
    let out: D[] | undefined;
    for (let i = 0; i < rows.length; i += 1) {
      const row = rows[i] as D;
      const id = q.key(row);
      if (seen.has(id)) {
        out ??= rows.slice(0, i);
        continue;
      }
      seen.add(id);
      out?.push(row);
    }
    return out ?? rows;
  };
  // A pass reads the list from its first page. A list with `count` that changed during the pass
  // (a page reports another count) is read again, so a row shifted across a page boundary is not
  // missed; rows already yielded are not yielded again (by `key`). Without `key`: one pass.
  for (let pass = 1; ; pass += 1) {
    const first = await firstPage();
    yield fresh(first.rows);
    if (!first.next) return;
    const lastPass = !q.key || pass >= LIST_PASSES;
    const urls = q.key ? skipPageUrls(first.next, first.served, first.count) : undefined;
    if (urls) {
      const pages = await inParallel(urls, CONCURRENT_PAGES, (href) => fetchPage(href, first.url));
      const last = pages[pages.length - 1];
      const complete = pages.every((p, i) => p.count === first.count && (i === pages.length - 1 ? !p.next : p.served === first.served)) && last !== undefined && first.served * pages.length + last.served === first.count;
      if (complete) {
        for (const p of pages) yield fresh(p.rows);
        return;
      }
      if (!lastPass) continue;
    }
    // Page after page, following next verbatim.
    let changed = false;
    for (let next: string | undefined = first.next, from = first.url; next; ) {
      const p = await fetchPage(next, from);
      yield fresh(p.rows);
      if (p.count !== first.count) changed = true;
      next = p.next;
      from = p.url;
    }
    if (!changed || lastPass) return;
  }
}

/** Runs `work` over `items`, at most `limit` at once; results keep the input order. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
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
