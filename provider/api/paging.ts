/**
 * How the client pages through CloudLink lists (cloudlink-api.md, Lists, 2.1): the page size
 * it asks for, in this ONE place, and how many pages of one list it reads at once.
 *
 * The service's largest page is unknown [A]: public scripts ask for `$top=10000` on accounts,
 * the sandbox serves up to 1,000 (its strict profile 50). The client asks for
 * `REQUESTED_PAGE_SIZE` and follows whatever page size is served: it never assumes a page is
 * as large as it asked.
 */
import { DEFAULT_MAX_CONCURRENCY } from './transport/types.js';

/** The `$top` every list asks for. Large enough that most lists are one page; small enough that one page's body stays a few MB. */
export const REQUESTED_PAGE_SIZE = 1000;

/** Reads of a whole list, from its first page, before a list that keeps changing is taken as last read. */
export const LIST_PASSES = 3;

/**
 * Pages of one list fetched at once when the list has `count` and pages by `$skip` (each
 * request still waits for the client's shared request budget, which caps the rate and the
 * total in flight). As many as a budget's default concurrency, so the pages of a 30,000-user
 * list leave together on the rate banked while its first page was awaited, instead of in waves
 * one latency apart.
 */
export const CONCURRENT_PAGES = DEFAULT_MAX_CONCURRENCY;

/**
 * The URLs of the pages after the first when the service pages this list by an integer `$skip`
 * and says how many rows it holds: `next` is the first page's `_links.next`, `served` the
 * rows the first page carried, `count` the list's `count`. Each URL is `next` with only
 * `$skip` changed (the rest byte for byte), stepping by the page size the service served. `undefined` when the list
 * cannot be read this way (no `count`, an opaque `$skiptoken`, a `$skip` that does not follow
 * the served page): the caller then follows `next` verbatim, page after page.
 */
export function skipPageUrls(next: string, served: number, count: number | undefined): string[] | undefined {
  if (count === undefined || served <= 0 || /[?&](?:\$|%24)skiptoken=/i.test(next)) return undefined;
  // The rest of the link stays byte for byte as the service wrote it: only the offset changes.
  const skips = [...next.matchAll(/([?&](?:\$|%24)skip=)(\d+)(?=&|#|$)/gi)];
  const only = skips.length === 1 ? skips[0] : undefined;
  if (!only || only.index === undefined || Number(only[2]) !== served) return undefined;
  const head = next.slice(0, only.index + (only[1] ?? '').length);
  const tail = next.slice(only.index + only[0].length);
  const out: string[] = [];
  for (let offset = served; offset < count; offset += served) out.push(`${head}${offset}${tail}`);
  return out.length > 0 ? out : undefined;
}

/**
 * The smallest page the tool's request budgets assume the service serves when asked for a
 * large page [A]. A service serving fewer still works (the client follows `next`), only with
 * more requests; `doctor` reports it as refuted.
 */
export const ASSUMED_MIN_PAGE_SIZE = 100;
