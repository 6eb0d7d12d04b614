/** The request budget's bucket: what it banks while idle, and what a 429 does to its burst and pace (fake clock). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultBurst, RequestBudget, smallBurst } from '../../provider/api/budget.js';

/** How many of `n` callers get a slot without the clock moving. */
async function leaveAtOnce(budget: RequestBudget, n: number): Promise<number> {
  let left = 0;
  const all = Array.from({ length: n }, () =>
    budget.acquire().then(() => {
      left += 1;
      budget.release();
    }),
  );
  await vi.advanceTimersByTimeAsync(0);
  const atOnce = left;
  await vi.advanceTimersByTimeAsync(60_000);
  await Promise.all(all);
  return atOnce;
}

describe('the request budget', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('banks nine tenths of a second of requests while idle, and lets them leave at once', async () => {
    expect(defaultBurst(40)).toBe(36);
    expect(defaultBurst(5)).toBe(4);
    expect(defaultBurst(1)).toBe(1);
    const budget = new RequestBudget(40, 100);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(budget.burst).toBe(36);
    // 36 leave at once; the other 14 keep the pace (25 ms apart).
    expect(await leaveAtOnce(budget, 50)).toBe(36);
  });

  it('starts full, as the bucket of a principal idle for a second', async () => {
    const budget = new RequestBudget(40, 100);
    expect(await leaveAtOnce(budget, 50)).toBe(36);
  });

  it('keeps the pace after the bank is spent: 40 requests/s over a long run', async () => {
    const budget = new RequestBudget(40, 100);
    await vi.advanceTimersByTimeAsync(5_000);
    const started = performance.now();
    let done = 0;
    const all = Array.from({ length: 236 }, () => budget.acquire().then(() => (budget.release(), (done += 1))));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(done).toBeLessThan(236);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(all);
    // 36 banked, then 200 at 25 ms each.
    expect(performance.now() - started).toBe(5_000);
  });

  it('drops to the small burst on its first 429 without cutting the pace; a later 429 cuts the pace', async () => {
    const budget = new RequestBudget(40, 100);
    await vi.advanceTimersByTimeAsync(5_000);
    budget.rateLimited(1_000);
    expect(budget.burst).toBe(smallBurst(40));
    expect(budget.currentRate).toBe(40);
    // Nothing leaves during the Retry-After pause; after it, at most the small burst leaves at once.
    expect(await leaveAtOnce(budget, 10)).toBe(0);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await leaveAtOnce(budget, 10)).toBe(4);
    budget.rateLimited(1_000);
    expect(budget.currentRate).toBeCloseTo(28, 5);
    expect(budget.burst).toBe(4);
  });
});
