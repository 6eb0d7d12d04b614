/** Rows in pages: the same rows either way, and `collectRows` takes them a page at a time. */
import { describe, expect, it } from 'vitest';
import { collectRows, isPaged, pagedRows } from '../../provider/api/paged-rows.js';

async function* source(pages: number[][], log: string[]): AsyncGenerator<number[]> {
  for (const [i, p] of pages.entries()) {
    log.push(`page ${i}`);
    yield p;
  }
}

describe('paged rows', () => {
  const pages = [[1, 2, 3], [], [4, 5]];

  it('iterate row by row or page by page, the same rows in the same order', async () => {
    const rows = pagedRows(() => source(pages, []));
    const byRow: number[] = [];
    for await (const r of rows) byRow.push(r);
    expect(byRow).toEqual([1, 2, 3, 4, 5]);
    expect(await collectRows(rows)).toEqual(byRow);
  });

  it('collectRows reads the pages, not the rows, of a paged list; a plain iterable row by row', async () => {
    let rowSteps = 0;
    const rows = pagedRows(() => source(pages, []));
    const counting = {
      pages: () => rows.pages(),
      [Symbol.asyncIterator]: () => {
        const it = rows[Symbol.asyncIterator]();
        return { next: () => ((rowSteps += 1), it.next()) };
      },
    };
    expect(isPaged(counting)).toBe(true);
    expect(await collectRows(counting)).toEqual([1, 2, 3, 4, 5]);
    expect(rowSteps).toBe(0);
    async function* plain(): AsyncGenerator<number> {
      yield 7;
      yield 8;
    }
    expect(isPaged(plain())).toBe(false);
    expect(await collectRows(plain())).toEqual([7, 8]);
  });

  it('stops reading pages when a row-by-row reader stops', async () => {
    const log: string[] = [];
    for await (const r of pagedRows(() => source(pages, log))) if (r === 2) break;
    expect(log).toEqual(['page 0']);
  });
});
