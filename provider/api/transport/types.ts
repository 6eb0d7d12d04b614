/**
 * The transport's public shapes: how it is configured (credentials, retry tuning, options),
 * what one call asks for and gets back, the retry events it announces and the counters it keeps.
 */
import type { z } from 'zod';
import type { WireError } from '../wire.js';
import type { RouteName } from '../routes.js';
import type { TraceSink } from '../trace.js';

/** How the client logs in: password grant, client credentials (recommended for CI), or a refresh token. */
export type Credentials =
  | { username: string; password: string; accountId?: string }
  | { clientId: string; clientSecret: string; accountId?: string }
  | { refreshToken: string };

/** Attempts per call when neither the options nor `CLOUDLINK_RETRIES` say otherwise. */
export const DEFAULT_RETRY_ATTEMPTS = 8;

/** Retry tuning (defaults suit the real service; tests shorten them). */
export interface RetryOptions {
  /** Attempts per call, the first included (default 8; 429s may use three times as many). */
  attempts: number;
  /** First backoff ceiling (ms, default 250). */
  baseDelayMs: number;
  /** Largest backoff (ms, default 15000). */
  maxDelayMs: number;
}

/** Everything a transport (and so a client) is configured with. */
/** Requests one client has in flight at most, by default: enough for a long list's pages (paging.ts, CONCURRENT_PAGES) to leave together. */
export const DEFAULT_MAX_CONCURRENCY = 32;

export interface TransportOptions {
  /** Base URL of the auth service, e.g. `https://authentication.api.mitel.io/2017-09-01`. */
  authUrl: string;
  /** Base URL of the admin service, e.g. `https://admin.api.mitel.io/2017-09-01`. */
  adminUrl: string;
  /** Base URL of the billing service, e.g. `https://billing.api.mitel.io/2019-03-01`. */
  billingUrl: string;
  credentials: Credentials;
  /** The `X-Mitel-App` value (default `app=cloudlink-tenancy/<version>;platform=<os>/<release>`). */
  app?: string;
  /** The request budget's pace (default 40 requests/s); its burst is `budget.ts` `defaultBurst`. */
  requestsPerSecond?: number;
  /** Requests in flight at once, and connections per origin (default `DEFAULT_MAX_CONCURRENCY`). */
  maxConcurrency?: number;
  trace?: TraceSink;
  caFile?: string;
  retry?: Partial<RetryOptions>;
  /** Per-request timeout for headers and body (ms, default 30000). */
  timeoutMs?: number;
  /** Told before each retry (network failure, timeout, 5xx, 429), so a CLI can show it. Never carries a secret. */
  onRetry?: (event: RetryEvent) => void;
}

/** One retry the transport is about to make. */
export interface RetryEvent {
  /** `METHOD /template` of the call. */
  route: string;
  /** The host the call goes to. */
  host: string;
  /** The attempt that failed (1-based) and the most attempts the transport makes. */
  attempt: number;
  attempts: number;
  /** What went wrong, e.g. `connection refused (ECONNREFUSED)`, `HTTP 503`. */
  cause: string;
  /** How long the transport waits before the next attempt. */
  delayMs: number;
  /** The answer's `Retry-After` header as sent (seconds or an HTTP date), when it had one. */
  retryAfter?: string;
}

/** Counters of what the client did. */
export interface ClientStats {
  /** HTTP requests sent (attempts, token calls included). */
  requests: number;
  /** Attempts repeated by the transport. */
  retries: number;
  /** 429 answers. */
  rateLimited: number;
  /** Write attempts that failed ambiguously (5xx, timeout, connection cut after sending). */
  ambiguous: number;
  /** Re-reads by natural key the client did after an ambiguous failure or a 409. */
  rereads: number;
  /** Token requests (logins and refreshes). */
  tokenRequests: number;
  /** Requests per `METHOD /template`. */
  byRoute: Record<string, number>;
}

/** One call. */
export interface CallSpec<S extends z.ZodType | undefined> {
  route: RouteName;
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** A `next` link to follow verbatim instead of the route's template (absolute, or relative to the service). */
  href?: string;
  /** The page whose `next` link `href` is (resolves query-only links). */
  from?: string;
  body?: unknown;
  schema: S;
  /** Default: GET/PUT/DELETE yes, POST/PATCH no. */
  idempotent?: boolean;
  /** Statuses returned to the caller instead of thrown (e.g. 404 for lookups, 409 for creates). */
  accept?: readonly number[];
}

/** What a call got back: the status, the validated value (absent for accepted errors and schema-less calls), and where it came from. */
export interface CallResult<T> {
  status: number;
  value: T;
  /** The URL requested (for resolving relative links). */
  url: string;
  correlationId?: string;
  /** How many attempts it took. */
  attempts: number;
  /** The parsed error body of an accepted error status. */
  error?: WireError;
  /** The answer's `Date` header, when it had one (the doctor's clock-skew check). */
  date?: string;
}

/** The value type of a call whose answer is validated by `S` (none without a schema). */
export type CallValue<S extends z.ZodType | undefined> = S extends z.ZodType ? z.infer<S> : undefined;
