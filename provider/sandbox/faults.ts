/**
 * Fault injection of the sandbox: the settings, the token bucket that rate-limits principals,
 * and the injector that applies both to API requests and counts what it injected.
 *
 * Decision on the contract's [A] points made here:
 * - Faults: `errorRate` applies to every API route (token included), before anything is
 *   read or written; the after-commit faults apply to successful admin/billing writes only.
 */
import { ApiFailure, type FaultCounts, type Principal } from './types.js';

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
  /** (2.1) Names of fields that writes silently drop, at any depth of the body (as a service that does not keep them would). */
  ignoreFields: string[];
  /** (2.1) How long a removed integration is still listed (ms): removal is asynchronous. */
  integrationRemovalMs: number;
}

/** Every fault off; access tokens live an hour. */
export const DEFAULT_FAULTS: FaultSettings = {
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  errorAfterCommitRate: 0,
  rateLimitPerSec: 0,
  burst: 100,
  dropAfterCommitRate: 0,
  tokenTtlSec: 3600,
  ignoreFields: [],
  integrationRemovalMs: 0,
};

/** A copy of a write's body without the fields named in `ignoreFields`, at any depth (the body itself when none is named). */
export function withoutIgnoredFields(body: unknown, ignoreFields: readonly string[]): unknown {
  if (ignoreFields.length === 0) return body;
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !ignoreFields.includes(k)).map(([k, x]) => [k, strip(x)]));
    return v;
  };
  return strip(body);
}

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

  /** Takes a token: 0 when the request may go now, else the seconds until a token is free. */
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

/** The answer an injected fault gives in place of the real one. */
export interface InjectedFault {
  failure: ApiFailure;
  headers?: Record<string, string>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A random 5xx status: 500, 502 or 503. */
const pick = (): number => [500, 502, 503][Math.floor(Math.random() * 3)] ?? 500;

/** True with probability `rate` (never when it is 0). */
const chance = (rate: number): boolean => rate > 0 && Math.random() < rate;

/** The rate-limit key of a token request: who asks (username or client id). */
function tokenKey(body: unknown): string {
  if (typeof body !== 'object' || body === null) return 'anonymous';
  const b = body as Record<string, unknown>;
  return String(b.username ?? b.client_id ?? b.refresh_token ?? 'anonymous');
}

/**
 * Applies the fault settings to API requests and counts each fault it injects. The settings
 * object is read at every request, so changes (`setFaults`) apply to the next request.
 */
export class FaultInjector {
  private readonly buckets = new Map<string, TokenBucket>();
  /** How many faults were injected, by kind. */
  readonly counts: FaultCounts = { errorBeforeWrite: 0, errorAfterCommit: 0, dropAfterCommit: 0, rateLimited: 0 };

  constructor(readonly settings: FaultSettings) {}

  /** Changes the settings in place, empties the rate-limit buckets, and returns a copy of the new settings. */
  setFaults(patch: Partial<FaultSettings>): FaultSettings {
    Object.assign(this.settings, patch);
    this.buckets.clear();
    return { ...this.settings };
  }

  /** Sets every fault counter back to 0. */
  resetCounts(): void {
    Object.assign(this.counts, { errorBeforeWrite: 0, errorAfterCommit: 0, dropAfterCommit: 0, rateLimited: 0 });
  }

  private rateLimited(key: string): number {
    const { rateLimitPerSec, burst } = this.settings;
    if (!rateLimitPerSec) return 0;
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(rateLimitPerSec, Math.max(1, burst))));
    return bucket.take();
  }

  /**
   * The faults before a request is handled, in this order: the rate limit (429 with
   * `retry-after`; a principal is limited by its id, a token request by who asks), the latency,
   * then `errorRate` (a 5xx before anything is read or written). Resolves to the fault to
   * answer with, or undefined to handle the request.
   */
  async beforeHandling(principal: Principal | undefined, body: unknown): Promise<InjectedFault | undefined> {
    const bucketKey = principal ? `p:${principal.principalId}` : `token:${tokenKey(body)}`;
    const wait = this.rateLimited(bucketKey);
    if (wait > 0) {
      this.counts.rateLimited += 1;
      return { failure: new ApiFailure(429, 'Too many requests'), headers: { 'retry-after': String(Math.max(1, Math.ceil(wait))) } };
    }
    const { latencyMs, jitterMs } = this.settings;
    const delay = latencyMs + (jitterMs ? Math.random() * jitterMs : 0);
    if (delay > 0) await sleep(delay);
    if (chance(this.settings.errorRate)) {
      this.counts.errorBeforeWrite += 1;
      return { failure: new ApiFailure(pick(), 'The service is temporarily unavailable') };
    }
    return undefined;
  }

  /**
   * The fault after a write was committed: `'drop'` (destroy the connection without an
   * answer), a 5xx to answer with, or undefined to answer normally.
   */
  afterCommit(): 'drop' | ApiFailure | undefined {
    if (chance(this.settings.dropAfterCommitRate)) {
      this.counts.dropAfterCommit += 1;
      return 'drop';
    }
    if (chance(this.settings.errorAfterCommitRate)) {
      this.counts.errorAfterCommit += 1;
      return new ApiFailure(pick(), 'The service is temporarily unavailable');
    }
    return undefined;
  }
}
