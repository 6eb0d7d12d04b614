/**
 * Rows that arrive in pages. A list from the client is an `AsyncIterable` of rows (one `await`
 * per row for whoever iterates it); it also hands over whole pages, so a caller that wants every
 * row (`collectRows`) takes them a page at a time: on a list of 30,000 users that is 30 awaits
 * instead of 30,000, after the last page has arrived.
 */

/** An async iterable of rows that can also be read page by page (the same rows, in the same order). */
export interface PagedRows<T> extends AsyncIterable<T> {
  pages(): AsyncIterable<readonly T[]>;
}

/** True when `rows` hands over whole pages. */
export function isPaged<T>(rows: AsyncIterable<T>): rows is PagedRows<T> {
  return typeof (rows as Partial<PagedRows<T>>).pages === 'function';
}

/** Rows from a source of pages: iterating them yields row by row; `pages()` gives the pages. */
export function pagedRows<T>(pages: () => AsyncIterable<readonly T[]>): PagedRows<T> {
  return {
    pages,
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) yield* page;
    },
  };
}

/** Every row, in order: page by page when the rows come in pages, else row by row. */
export async function collectRows<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  if (isPaged(rows)) {
    for await (const page of rows.pages()) for (const row of page) out.push(row);
  } else {
    for await (const row of rows) out.push(row);
  }
  return out;
}
