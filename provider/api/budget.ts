/**
 * The request budget shared by all concurrent work of one client: a pacing token bucket
 * (requests per second, small burst) plus a concurrency cap. It adapts like TCP congestion
 * control: a 429 pauses everyone until its Retry-After and cuts the pace by 30 %, and each
 * success wins a little of it back (0.5 %), so a client set faster than the service settles just
 * under the service's limit instead of bouncing off it.
 */
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class RequestBudget {
  private nextSlot = 0;
  private pausedUntil = 0;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly baseInterval: number;
  private interval: number;
  private readonly burst: number;
  private lastCut = Number.NEGATIVE_INFINITY;

  constructor(
    readonly requestsPerSecond: number,
    readonly maxConcurrency: number,
    burst = Math.min(5, Math.max(1, Math.floor(requestsPerSecond / 10))),
  ) {
    this.baseInterval = requestsPerSecond > 0 ? 1000 / requestsPerSecond : 0;
    this.interval = this.baseInterval;
    this.burst = burst;
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
      const slot = Math.max(this.nextSlot, now - this.interval * this.burst);
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
