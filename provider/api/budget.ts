/**
 * The request budget shared by all concurrent work of one client: a pacing token bucket
 * (requests per second, with a burst) plus a concurrency cap. It adapts like TCP congestion
 * control: a 429 pauses everyone until its Retry-After and cuts the pace by 30 %, and each
 * success wins a little of it back (0.5 %), so a client set faster than the service settles just
 * under the service's limit instead of bouncing off it.
 *
 * The burst. The contract says only that the service's limit is a token bucket per principal
 * [A]; its size is unknown. The budget assumes it holds `SERVICE_BUCKET_SECONDS` of requests at
 * the configured rate, so the rate a run does not use while it waits on a chain of calls (login,
 * claims, accounts, first pages) is banked and spent when the calls it waited for can go (the
 * remaining pages of a long list, the next batches), as the service's own bucket allows. A
 * service whose bucket is smaller answers that burst with 429s: the first 429 drops the burst to
 * `SMALL_BURST` for the rest of the client's life, without cutting the pace (the burst was the
 * cause); a later 429 cuts the pace as above. A new budget starts full (a standard token
 * bucket, and the service's for a principal idle for a second).
 */
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Seconds of requests (at the configured rate) the service's token bucket is assumed to hold [A]: the budget's default burst. */
export const SERVICE_BUCKET_SECONDS = 1;

/** The burst after a 429: a tenth of a second of requests, 1 to 5. */
export const smallBurst = (requestsPerSecond: number): number => Math.min(5, Math.max(1, Math.floor(requestsPerSecond / 10)));

/**
 * The share of the service's bucket the budget bursts into. The service counts a request when it
 * arrives, the budget when it leaves: a request delayed on its way lands on a bucket with less
 * time to refill. A tenth in reserve absorbs a tenth of a second of such jitter.
 */
const BUCKET_SHARE = 0.9;

/** The default burst: `BUCKET_SHARE` of `SERVICE_BUCKET_SECONDS` of requests at `requestsPerSecond` (at least the small burst). */
export const defaultBurst = (requestsPerSecond: number): number => Math.max(smallBurst(requestsPerSecond), Math.floor(requestsPerSecond * SERVICE_BUCKET_SECONDS * BUCKET_SHARE));

export class RequestBudget {
  private nextSlot = 0;
  private pausedUntil = 0;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly baseInterval: number;
  private interval: number;
  private burstSize: number;
  private readonly small: number;
  private lastCut = Number.NEGATIVE_INFINITY;

  constructor(
    readonly requestsPerSecond: number,
    readonly maxConcurrency: number,
    burst = defaultBurst(requestsPerSecond),
  ) {
    this.baseInterval = requestsPerSecond > 0 ? 1000 / requestsPerSecond : 0;
    this.interval = this.baseInterval;
    this.small = Math.min(burst, smallBurst(requestsPerSecond));
    this.burstSize = burst;
    // A new client starts with a full bucket, as the service's bucket of a principal idle for a
    // second is. Another process of the same principal (a plan just before its apply) may have
    // spent it: then the first burst meets a 429, and the burst shrinks for good.
    this.nextSlot = performance.now() - this.interval * burst;
  }

  /** Requests that may leave at once after an idle spell (the bucket's size now). */
  get burst(): number {
    return this.burstSize;
  }

  /** The pace in force now (requests per second). */
  get currentRate(): number {
    return this.interval > 0 ? 1000 / this.interval : Number.POSITIVE_INFINITY;
  }

  /** Waits for a concurrency slot and a rate slot; call `release()` when the request is done. */
  async acquire(): Promise<void> {
    if (this.active >= this.maxConcurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    for (;;) {
      // A 429 pauses everyone until its Retry-After, even callers already waiting for a slot.
      const now = performance.now();
      if (this.pausedUntil > now) {
        await sleep(this.pausedUntil - now);
        continue;
      }
      if (this.interval <= 0) return;
      // A full bucket: `burstSize` slots from now back (this one included) are free.
      const slot = Math.max(this.nextSlot, now - this.interval * (this.burstSize - 1));
      this.nextSlot = slot + this.interval;
      if (slot <= now) return;
      await sleep(slot - now);
      if (this.pausedUntil <= performance.now()) return;
    }
  }

  release(): void {
    this.active -= 1;
    this.waiting.shift()?.();
  }

  /** A 429: nobody starts a request before `ms` from now, and the pace drops by 30 %. */
  rateLimited(ms: number): void {
    const now = performance.now();
    this.pausedUntil = Math.max(this.pausedUntil, now + ms);
    // The first 429 of a client still bursting large: the service's bucket is smaller than
    // assumed. Burst small from now on; the storm it set off does not cut the pace.
    if (this.burstSize > this.small) {
      this.burstSize = this.small;
      this.nextSlot = Math.max(this.nextSlot, now);
      this.lastCut = now;
      return;
    }
    // The requests already in flight will all see 429 too: cut once per storm, not once per answer.
    if (this.interval > 0 && now - this.lastCut > Math.max(ms, 1000)) {
      this.interval = Math.min(this.interval / 0.7, 1000);
      this.lastCut = now;
    }
  }

  /** A success: win back 0.5 % of the pace, never beyond the configured rate. */
  succeeded(): void {
    if (this.interval > this.baseInterval) this.interval = Math.max(this.baseInterval, this.interval * 0.995);
  }
}
