/**
 * The request budget shared by all concurrent work of one client: a pacing token bucket
 * (requests per second, small burst) plus a concurrency cap. A 429 pauses everyone until
 * its Retry-After, so a storm is not multiplied by the number of workers.
 */
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class RequestBudget {
  private nextSlot = 0;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly interval: number;
  private readonly burstMs: number;

  constructor(
    readonly requestsPerSecond: number,
    readonly maxConcurrency: number,
    burst = Math.min(5, Math.max(1, Math.floor(requestsPerSecond / 10))),
  ) {
    this.interval = requestsPerSecond > 0 ? 1000 / requestsPerSecond : 0;
    this.burstMs = this.interval * burst;
  }

  /** Waits for a concurrency slot and a rate slot; call `release()` when the request is done. */
  async acquire(): Promise<void> {
    if (this.active >= this.maxConcurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    if (this.interval > 0) {
      const now = performance.now();
      const slot = Math.max(this.nextSlot, now - this.burstMs);
      this.nextSlot = slot + this.interval;
      if (slot > now) await sleep(slot - now);
    }
  }

  release(): void {
    this.active -= 1;
    this.waiting.shift()?.();
  }

  /** Nobody starts a request before `ms` from now (a 429's Retry-After). */
  pause(ms: number): void {
    this.nextSlot = Math.max(this.nextSlot, performance.now() + ms);
  }
}
