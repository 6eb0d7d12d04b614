/**
 * One HTTP exchange with CloudLink, done right: three services (auth, admin, billing) from
 * the route table, a bearer token (cached, refreshed ahead of expiry, single-flight, and
 * once more on 401), `X-Mitel-App` on every call, the shared request budget, retries with
 * full-jitter backoff honouring Retry-After, zod validation of the answer, the
 * `x-mitel-correlation-id` in every error and trace line, and secrets redacted everywhere.
 *
 * Retries: idempotent calls (GET/PUT/DELETE by default) are retried on 429, 5xx, timeouts
 * and network failures. Non-idempotent calls (POST/PATCH) are retried only on 429 and on
 * failures before the request was sent; any other failure is thrown, and `isAmbiguous(e)`
 * says whether the write may have happened (the caller re-reads by natural key).
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool, errors as undiciErrors } from 'undici';
import type { z } from 'zod';
import { errorFromWire, principalFromWire, claimsSchema, tokenFromWire, tokenRequestToWire, tokenResponseSchema, type TokenGrant, type WireError } from './wire.js';
import { expandRoute, routes, type RouteName, type ServiceName } from './routes.js';
import { CloudLinkError, CloudLinkHttpError, CloudLinkSchemaError, codeForStatus, redact, scrub } from './errors.js';
import { RequestBudget } from './budget.js';
import type { TraceSink } from './trace.js';
import type { Principal } from '../model/live.js';

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
  requestsPerSecond?: number;
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
}

/** Failures before the request left: safe to repeat any call. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
/** Failures after the request may have left (the connection was cut). */
const CUT_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ETIMEDOUT']);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

interface Failure {
  kind: 'timeout' | 'network';
  /** The request may have reached the service. */
  sent: boolean;
  /** Worth another attempt (not a TLS or programming error). */
  retryable: boolean;
}

/** The error code of a network failure (undici wraps the system error in `cause`). */
function errorCode(e: unknown): string {
  const own = (e as { code?: unknown } | null)?.code;
  const cause = (e as { cause?: { code?: unknown } } | null)?.cause?.code;
  for (const c of [cause, own]) if (typeof c === 'string' && !c.startsWith('UND_ERR_')) return c;
  return typeof own === 'string' ? own : typeof cause === 'string' ? cause : '';
}

/**
 * A network failure in words a person can act on: what happened to the host, with the system
 * code (ECONNREFUSED, ENOTFOUND, a TLS certificate code) and what to check.
 */
export function describeNetworkFailure(e: unknown, host: string): string {
  const code = errorCode(e);
  if (code === 'ECONNREFUSED') return `connection to ${host} refused (ECONNREFUSED): nothing listens there; check the CLOUDLINK_*_URL and that the service is up`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `DNS lookup of ${host.replace(/:\d+$/, '')} failed (${code}): check the host name in the CLOUDLINK_*_URL and this machine's DNS`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${host} is unreachable from this machine (${code}): check the network, proxy or firewall`;
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return `connecting to ${host} timed out (${code}): check the network, proxy or firewall`;
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)) return `TLS with ${host} failed (${code}): the certificate is not trusted; behind a TLS-inspecting proxy set CLOUDLINK_CA_FILE to its CA (PEM)`;
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return `${host} cut the connection (${code})`;
  const message = e instanceof Error ? e.message : String(e);
  return `${host}: ${message}${code ? ` (${code})` : ''}`;
}

function classify(e: unknown): Failure {
  const code = (e as { code?: string }).code ?? '';
  if (TIMEOUT_CODES.has(code) || e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.BodyTimeoutError) return { kind: 'timeout', sent: true, retryable: true };
  if (CONNECT_CODES.has(code) || e instanceof undiciErrors.ConnectTimeoutError) return { kind: 'network', sent: false, retryable: true };
  if (CUT_CODES.has(code) || e instanceof undiciErrors.SocketError) return { kind: 'network', sent: true, retryable: true };
  // TLS (untrusted certificate) and anything unknown: not retried; unknown counts as possibly sent.
  const tls = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code);
  return { kind: 'network', sent: !tls, retryable: false };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Where in a response a zod issue sits: `_embedded.items[3].email: expected string`. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** ` (correlation id X)`, or a note that there was no answer to carry one. */
function cid(correlationId: string | undefined): string {
  return correlationId ? ` (correlation id ${correlationId})` : ' (no correlation id: no answer)';
}

let cachedVersion: string | undefined;
/** The tool's version, from its package.json (source and dist layouts). */
export function toolVersion(): string {
  if (cachedVersion) return cachedVersion;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i += 1) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'cloudlink-tenancy' && pkg.version) return (cachedVersion = pkg.version);
      } catch {
        // keep looking
      }
    }
    dir = path.dirname(dir);
  }
  return (cachedVersion = '0.0.0');
}

/** The default `X-Mitel-App` value. */
export function defaultAppHeader(): string {
  return `app=cloudlink-tenancy/${toolVersion()};platform=${os.platform()}/${os.release()}`;
}

export class Transport {
  readonly stats: ClientStats = { requests: 0, retries: 0, rateLimited: 0, ambiguous: 0, rereads: 0, tokenRequests: 0, byRoute: {} };
  private readonly pools = new Map<string, Pool>();
  private readonly budget: RequestBudget;
  private readonly retry: RetryOptions;
  private readonly app: string;
  /** Every secret string this client knows (credentials, tokens): scrubbed from any text. */
  readonly secrets: string[] = [];
  private token: { value: string; refresh?: string; expiresAt: number } | undefined;
  private refreshing: Promise<string> | undefined;
  private readonly ca: string | undefined;
  private readonly bases: Record<ServiceName, URL>;
  private readonly timeoutMs: number;

  constructor(private readonly options: TransportOptions) {
    this.budget = new RequestBudget(options.requestsPerSecond ?? 40, options.maxConcurrency ?? 16);
    this.retry = { attempts: DEFAULT_RETRY_ATTEMPTS, baseDelayMs: 250, maxDelayMs: 15_000, ...options.retry };
    this.app = options.app ?? defaultAppHeader();
    const c = options.credentials;
    if ('password' in c) this.secrets.push(c.password);
    else if ('clientSecret' in c) this.secrets.push(c.clientSecret);
    else this.secrets.push(c.refreshToken);
    this.ca = options.caFile ? readFileSync(options.caFile, 'utf8') : undefined;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    const base = (name: string, value: string | undefined): URL => {
      if (!value) throw new Error(`CloudLink client: ${name} is required`);
      return new URL(value.replace(/\/+$/, ''));
    };
    this.bases = { auth: base('authUrl', options.authUrl), admin: base('adminUrl', options.adminUrl), billing: base('billingUrl', options.billingUrl) };
  }

  private pool(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: Math.max(4, this.options.maxConcurrency ?? 16),
        keepAliveTimeout: 30_000,
        connectTimeout: 10_000,
        headersTimeout: this.timeoutMs + 2_000,
        bodyTimeout: this.timeoutMs + 2_000,
        ...(this.ca ? { connect: { ca: this.ca } } : {}),
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  /** A valid access token, fetched or refreshed once for all concurrent callers. `stale`: the token a 401 refused. */
  private async accessToken(stale?: string): Promise<string> {
    if (this.token && stale === undefined) {
      const margin = Math.min(30_000, (this.token.expiresAt - Date.now()) / 10);
      if (this.token.expiresAt - margin > Date.now()) return this.token.value;
    }
    // Someone already replaced the refused token: use the new one.
    if (stale !== undefined && this.token && this.token.value !== stale && !this.refreshing) return this.token.value;
    this.refreshing ??= this.fetchToken().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async fetchToken(): Promise<string> {
    const c = this.options.credentials;
    const grants: TokenGrant[] = [];
    if (this.token?.refresh) grants.push({ grant: 'refresh_token', refreshToken: this.token.refresh });
    if ('password' in c) grants.push({ grant: 'password', username: c.username, password: c.password, ...(c.accountId ? { accountId: c.accountId } : {}) });
    else if ('clientSecret' in c) grants.push({ grant: 'client_credentials', clientId: c.clientId, clientSecret: c.clientSecret, ...(c.accountId ? { accountId: c.accountId } : {}) });
    else if (!this.token?.refresh) grants.push({ grant: 'refresh_token', refreshToken: c.refreshToken });
    let lastError: unknown;
    for (const grant of grants) {
      try {
        const started = Date.now();
        this.stats.tokenRequests += 1;
        const result = await this.send({ route: 'token', body: new URLSearchParams(tokenRequestToWire(grant)).toString(), form: true, schema: tokenResponseSchema, idempotent: true, auth: false });
        const token = tokenFromWire(result.value);
        this.secrets.push(token.accessToken, ...(token.refreshToken ? [token.refreshToken] : []));
        this.token = { value: token.accessToken, ...(token.refreshToken ? { refresh: token.refreshToken } : {}), expiresAt: started + Math.max(1, token.expiresInSec) * 1000 };
        return this.token.value;
      } catch (e) {
        lastError = e;
        // A refused refresh token falls through to a new login; anything else ends here.
        if (!(grant.grant === 'refresh_token' && e instanceof CloudLinkError && (e.status === 400 || e.status === 401))) break;
      }
    }
    if (lastError instanceof CloudLinkError && (lastError.status === 400 || lastError.status === 401)) {
      throw new CloudLinkError(
        'unauthorized',
        `CloudLink refused the credentials (${lastError.message}); check CLOUDLINK_USERNAME/CLOUDLINK_PASSWORD or CLOUDLINK_CLIENT_ID/CLOUDLINK_CLIENT_SECRET (and CLOUDLINK_ACCOUNT_ID)`,
        false,
        { status: lastError.status, ...(lastError.correlationId ? { correlationId: lastError.correlationId } : {}), route: 'POST /token', method: 'POST' },
      );
    }
    throw lastError;
  }

  private principalPromise: Promise<Principal> | undefined;
  /** The `GET /token` claims, read once after login and cached. */
  whoami(): Promise<Principal> {
    this.principalPromise ??= this.call({ route: 'tokenClaims', schema: claimsSchema })
      .then((r) => principalFromWire(r.value))
      .catch((e: unknown) => {
        this.principalPromise = undefined;
        throw e;
      });
    return this.principalPromise;
  }

  /** Performs a call with auth, budget, retries and validation. */
  async call<S extends z.ZodType | undefined>(spec: CallSpec<S>): Promise<CallResult<S extends z.ZodType ? z.infer<S> : undefined>> {
    return this.send({ ...spec, auth: true });
  }

  /** The URL of a call: the route's template under its service, or a `next` link. */
  private url(spec: CallSpec<z.ZodType | undefined>): URL {
    const route = routes[spec.route];
    const base = this.bases[route.service];
    if (spec.href) {
      const url = spec.href.startsWith('?') && spec.from ? new URL(spec.href, spec.from) : new URL(spec.href, `${base.href}/`);
      const known = Object.values(this.bases).some((b) => b.origin === url.origin);
      if (!known) throw new CloudLinkSchemaError(`${route.method} ${route.template}: the next link points outside the CloudLink services (${url.origin}); not followed`, { route: `${route.method} ${route.template}`, method: route.method });
      return url;
    }
    const url = new URL(base.href + expandRoute(route.template, spec.params ?? {}));
    for (const [k, v] of Object.entries(spec.query ?? {})) url.searchParams.set(k, v);
    return url;
  }

  private async send<S extends z.ZodType | undefined>(spec: CallSpec<S> & { auth: boolean; form?: boolean }): Promise<CallResult<S extends z.ZodType ? z.infer<S> : undefined>> {
    const route = routes[spec.route];
    const url = this.url(spec);
    const label = `${route.method} ${route.template}`;
    const idempotent = spec.idempotent ?? (route.method === 'GET' || route.method === 'PUT' || route.method === 'DELETE');
    const write = route.method !== 'GET';
    const info = { route: label, method: route.method };
    let refreshed = false;
    for (let attempt = 1; ; attempt += 1) {
      const headers: Record<string, string> = { 'x-mitel-app': this.app, accept: 'application/json' };
      let bearer: string | undefined;
      if (spec.auth) {
        bearer = await this.accessToken();
        headers.authorization = `Bearer ${bearer}`;
      }
      let payload: string | undefined;
      if (spec.body !== undefined) {
        payload = spec.form ? String(spec.body) : JSON.stringify(spec.body);
        headers['content-type'] = spec.form ? 'application/x-www-form-urlencoded' : 'application/json';
      }
      await this.budget.acquire();
      const started = performance.now();
      this.stats.requests += 1;
      this.stats.byRoute[label] = (this.stats.byRoute[label] ?? 0) + 1;
      let status: number;
      let text: string;
      let resHeaders: Record<string, string | string[] | undefined>;
      // Our own timer covers headers and body to the millisecond (undici's own timeouts tick in seconds and stay as a backstop).
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), this.timeoutMs);
      try {
        const res = await this.pool(url.origin).request({ path: `${url.pathname}${url.search}`, method: route.method, headers, signal: abort.signal, ...(payload !== undefined ? { body: payload } : {}) });
        status = res.statusCode;
        resHeaders = res.headers;
        text = await res.body.text();
      } catch (e) {
        this.budget.release();
        const f: Failure = abort.signal.aborted ? { kind: 'timeout', sent: true, retryable: true } : classify(e);
        const detail = scrub((e as Error).message ?? String(e), this.secrets);
        if (write && f.sent) this.stats.ambiguous += 1;
        this.trace({ method: route.method, service: route.service, route: route.template, url, status: f.kind === 'timeout' ? 'timeout' : 'network-error', started, attempt, spec, error: detail });
        const cause = f.kind === 'timeout' ? `no answer from ${url.host} within ${this.timeoutMs} ms` : scrub(describeNetworkFailure(e, url.host), this.secrets);
        if (f.retryable && attempt < this.retry.attempts && (idempotent || !f.sent)) {
          this.stats.retries += 1;
          const delay = this.backoff(attempt);
          this.notifyRetry({ route: label, host: url.host, attempt, attempts: this.retry.attempts, cause, delayMs: delay });
          await sleep(delay);
          continue;
        }
        const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';
        const what = f.kind === 'timeout' ? `timed out after ${this.timeoutMs} ms waiting for the answer from ${url.host}${tries}` : f.sent ? `the connection was cut before an answer arrived (${cause})${tries}` : `could not reach ${url.host}: ${cause}${tries}`;
        throw new CloudLinkError(f.kind, `${label}: ${what}${write && f.sent ? '; the write may have happened' : ''}${cid(undefined)}`, f.retryable, { ...info, sent: f.sent });
      } finally {
        clearTimeout(timer);
      }
      this.budget.release();
      if (status < 400) this.budget.succeeded();
      const correlationId = header(resHeaders, 'x-mitel-correlation-id');
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      this.trace({ method: route.method, service: route.service, route: route.template, url, status, started, attempt, spec, correlationId, ...(status >= 400 ? { response: json ?? text, headers: resHeaders } : {}) });

      if (status >= 500 && write) this.stats.ambiguous += 1;
      if (status === 429) {
        this.stats.rateLimited += 1;
        const wait = retryAfterMs(header(resHeaders, 'retry-after')) ?? this.backoff(attempt);
        this.budget.rateLimited(wait);
        if (attempt < this.retry.attempts * 3) {
          this.stats.retries += 1;
          this.notifyRetry({ route: label, host: url.host, attempt, attempts: this.retry.attempts * 3, cause: 'HTTP 429 (rate limited)', delayMs: wait });
          await sleep(wait + Math.random() * 50);
          continue;
        }
      }
      if (status >= 500 && idempotent && attempt < this.retry.attempts) {
        this.stats.retries += 1;
        const delay = retryAfterMs(header(resHeaders, 'retry-after')) ?? this.backoff(attempt);
        this.notifyRetry({ route: label, host: url.host, attempt, attempts: this.retry.attempts, cause: `HTTP ${status}`, delayMs: delay });
        await sleep(delay);
        continue;
      }
      if (status === 401 && spec.auth && !refreshed) {
        // An expired (or revoked) token: refresh, or log in again, once; the refused call did nothing.
        refreshed = true;
        await this.accessToken(bearer);
        continue;
      }
      if (status >= 400) {
        const body = errorFromWire(json);
        if (spec.accept?.includes(status)) {
          return { status, value: undefined as never, url: url.href, attempts: attempt, ...(correlationId ? { correlationId } : {}), ...(body ? { error: body } : {}) };
        }
        const serverText = body ? `${body.name ?? ''}${body.name && body.message ? ': ' : ''}${body.message ?? ''}` : text ? text.slice(0, 200) : 'no error body';
        const message = `${label} answered ${status}: ${scrub(serverText, this.secrets)}${status >= 500 && write ? '; the write may have happened' : ''}${cid(correlationId)}`;
        throw new CloudLinkHttpError(codeForStatus(status), message, { ...info, status, ...(correlationId ? { correlationId } : {}), ...(body?.name ? { errorName: body.name } : {}) });
      }
      if (!spec.schema) return { status, value: undefined as never, url: url.href, attempts: attempt, ...(correlationId ? { correlationId } : {}) };
      const parsed = spec.schema.safeParse(json);
      if (!parsed.success) {
        throw new CloudLinkSchemaError(`${label}: the answer does not match the CloudLink contract: ${scrub(describeIssues(parsed.error), this.secrets)}${cid(correlationId)}`, { ...info, status, ...(correlationId ? { correlationId } : {}) });
      }
      return { status, value: parsed.data as never, url: url.href, attempts: attempt, ...(correlationId ? { correlationId } : {}) };
    }
  }

  /** Tells `onRetry` (a failing listener never breaks the call). */
  private notifyRetry(event: RetryEvent): void {
    try {
      this.options.onRetry?.(event);
    } catch {
      // A listener's own failure is not the call's.
    }
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.random() * ceiling;
  }

  private trace(e: {
    method: string;
    service: string;
    route: string;
    url: URL;
    status: number | 'network-error' | 'timeout';
    started: number;
    attempt: number;
    spec: { body?: unknown; form?: boolean };
    correlationId?: string | undefined;
    response?: unknown;
    headers?: Record<string, string | string[] | undefined>;
    error?: string;
  }): void {
    const sink = this.options.trace;
    if (!sink) return;
    let requestBody: unknown;
    if (e.spec.body !== undefined) requestBody = e.spec.form ? redact(Object.fromEntries(new URLSearchParams(String(e.spec.body)))) : redact(e.spec.body);
    const response = e.response === undefined ? undefined : typeof e.response === 'string' ? scrub(e.response, this.secrets) : redact(e.response);
    sink.write({
      ts: new Date().toISOString(),
      method: e.method,
      service: e.service,
      route: e.route,
      path: scrub(e.url.pathname + e.url.search, this.secrets),
      status: e.status,
      ms: Math.round(performance.now() - e.started),
      attempt: e.attempt,
      ...(e.correlationId ? { correlationId: e.correlationId } : {}),
      ...(requestBody !== undefined ? { requestBody } : {}),
      ...(response !== undefined && response !== '' ? { responseBody: response } : {}),
      ...(e.headers ? { responseHeaders: redact(e.headers) as Record<string, unknown> } : {}),
      ...(e.error ? { error: scrub(e.error, this.secrets) } : {}),
    });
  }

  private closed: Promise<void> | undefined;
  /** Closes the connection pools and the trace sink (once; later calls wait for the first). */
  close(): Promise<void> {
    this.closed ??= (async () => {
      const pools = [...this.pools.values()];
      this.pools.clear();
      await Promise.all(pools.map((p) => p.close()));
      await this.options.trace?.close?.();
    })();
    return this.closed;
  }
}
