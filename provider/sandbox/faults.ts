/** Fault injection settings of the sandbox and the token bucket that rate-limits principals. */

/** Faults applied to API routes (never to `/sandbox/` controls). All off by default. */
export interface FaultSettings {
  /** Added to every response (ms). */
  latencyMs: number;
  /** Uniform random extra latency 0..jitterMs (ms). */
  jitterMs: number;
  /** Fraction 0..1 of API requests answered 500/502/503 before doing anything (no write happens). */
  errorRate: number;
  /** Fraction 0..1 of successful writes that are committed and then answered 500/502/503. */
  errorAfterCommitRate: number;
  /** Requests per second per principal; 0 = unlimited. */
  rateLimitPerSec: number;
  /** Bucket size (burst) of the rate limit. */
  burst: number;
  /** Fraction 0..1 of successful writes whose connection is destroyed, without an answer, after the change is committed. */
  dropAfterCommitRate: number;
  /** Lifetime of issued access tokens (s). */
  tokenTtlSec: number;
}

export const DEFAULT_FAULTS: FaultSettings = {
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  errorAfterCommitRate: 0,
  rateLimitPerSec: 0,
  burst: 100,
  dropAfterCommitRate: 0,
  tokenTtlSec: 3600,
};

/** A token bucket: `take()` answers 0 when a request may go now, else the seconds to wait. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
    this.last = performance.now();
  }

  take(): number {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return (1 - this.tokens) / this.rate;
  }
}
