/**
 * One HTTP exchange with CloudLink, done right: bearer token (cached, refreshed ahead of
 * expiry, single-flight, once more on 401 token_expired), X-Mitel-App, the shared request
 * budget, retries with full-jitter backoff honouring Retry-After for idempotent calls,
 * zod validation of the answer, trace lines with secrets redacted.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { Pool, errors as undiciErrors } from 'undici';
import type { z } from 'zod';
import { apiErrorBodySchema, tokenResponseSchema } from './resources.js';
import { expandRoute, routes, type RouteName } from './routes.js';
import { CloudLinkError, CloudLinkHttpError, CloudLinkSchemaError, codeForStatus, redact, scrub } from './errors.js';
import { RequestBudget } from './budget.js';
import type { TraceSink } from './trace.js';

/** How the client logs in. */
export type Credentials = { username: string; password: string; accountId?: string } | { clientId: string; clientSecret: string };

/** Retry tuning (defaults suit the real service; tests shorten them). */
export interface RetryOptions {
  /** Attempts per call, the first included (default 8). */
  attempts: number;
  /** First backoff ceiling (ms, default 250). */
  baseDelayMs: number;
  /** Largest backoff (ms, default 15000). */
  maxDelayMs: number;
}

export interface TransportOptions {
  authUrl: string;
  adminUrl: string;
  credentials: Credentials;
  app?: string;
  requestsPerSecond?: number;
  maxConcurrency?: number;
  trace?: TraceSink;
  caFile?: string;
  retry?: Partial<RetryOptions>;
  /** Per-request timeout for headers and body (ms, default 30000). */
  timeoutMs?: number;
}

/** Counters of what the client did. */
export interface ClientStats {
  requests: number;
  retries: number;
  rateLimited: number;
  byRoute: Record<string, number>;
}

/** One call. `idempotent` calls are retried on 429/5xx/network errors; others only on 429. */
export interface CallSpec<S extends z.ZodType | undefined> {
  route: RouteName;
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** A full URL or absolute path to use instead of the route (pagination `next` links). */
  href?: string;
  body?: unknown;
  ifMatch?: string;
  schema: S;
  idempotent: boolean;
  /** Statuses returned to the caller instead of thrown (e.g. 404 for lookups, 409 for creates). */
  accept?: readonly number[];
}

export interface CallResult<T> {
  status: number;
  value: T;
  requestId?: string;
  error?: { code: string; message: string; details?: Record<string, unknown>[] };
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED']);

function isNetworkError(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return (code !== undefined && NETWORK_CODES.has(code)) || e instanceof undiciErrors.SocketError || e instanceof undiciErrors.ConnectTimeoutError;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Describes where in a response a zod issue sits: `_embedded.items[3].email: expected string`. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(root)'}: ${i.message}`)
    .join('; ');
}

export class Transport {
  readonly stats: ClientStats = { requests: 0, retries: 0, rateLimited: 0, byRoute: {} };
  private readonly pools = new Map<string, Pool>();
  private readonly budget: RequestBudget;
  private readonly retry: RetryOptions;
  private readonly app: string;
  private readonly secrets: string[];
  private token: { value: string; refresh?: string; expiresAt: number } | undefined;
  private refreshing: Promise<string> | undefined;
  private readonly ca: string | undefined;

  constructor(private readonly options: TransportOptions) {
    this.budget = new RequestBudget(options.requestsPerSecond ?? 40, options.maxConcurrency ?? 16);
    this.retry = { attempts: 8, baseDelayMs: 250, maxDelayMs: 15_000, ...options.retry };
    this.app = options.app ?? `app=cloudlink-tenancy/0.1.0;platform=${os.platform()}`;
    const c = options.credentials;
    this.secrets = 'password' in c ? [c.password] : [c.clientSecret];
    this.ca = options.caFile ? readFileSync(options.caFile, 'utf8') : undefined;
  }

  private pool(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: Math.max(4, this.options.maxConcurrency ?? 16),
        keepAliveTimeout: 30_000,
        connectTimeout: 10_000,
        headersTimeout: this.options.timeoutMs ?? 30_000,
        bodyTimeout: this.options.timeoutMs ?? 30_000,
        ...(this.ca ? { connect: { ca: this.ca } } : {}),
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  private base(service: 'auth' | 'admin'): URL {
    return new URL(service === 'auth' ? this.options.authUrl : this.options.adminUrl);
  }

  /** A valid access token, fetched or refreshed once for all concurrent callers. */
  private async accessToken(force = false): Promise<string> {
    const margin = this.token ? Math.min(30_000, (this.token.expiresAt - Date.now()) / 10) : 0;
    if (!force && this.token && this.token.expiresAt - margin > Date.now()) return this.token.value;
    this.refreshing ??= this.fetchToken().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async fetchToken(): Promise<string> {
    const c = this.options.credentials;
    const attempts: Record<string, string>[] = [];
    if (this.token?.refresh) attempts.push({ grant_type: 'refresh_token', refresh_token: this.token.refresh });
    attempts.push(
      'password' in c
        ? { grant_type: 'password', username: c.username, password: c.password, ...(c.accountId ? { account_id: c.accountId } : {}) }
        : { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret },
    );
    let lastError: unknown;
    for (const form of attempts) {
      try {
        const started = Date.now();
        const result = await this.send({ route: 'token', body: new URLSearchParams(form).toString(), form: true, schema: tokenResponseSchema, idempotent: true, auth: false });
        const expiresIn = Math.max(1, result.value.expires_in);
        this.token = { value: result.value.access_token, ...(result.value.refresh_token ? { refresh: result.value.refresh_token } : {}), expiresAt: started + expiresIn * 1000 };
        this.secrets.push(result.value.access_token, ...(result.value.refresh_token ? [result.value.refresh_token] : []));
        return this.token.value;
      } catch (e) {
        lastError = e;
      }
    }
    if (lastError instanceof CloudLinkError && lastError.status === 401) {
      throw new CloudLinkError('unauthorized', 'CloudLink refused the credentials; check CLOUDLINK_USERNAME/CLOUDLINK_PASSWORD or CLOUDLINK_CLIENT_ID/CLOUDLINK_CLIENT_SECRET', false, 401);
    }
    throw lastError;
  }

  /** Performs a call with auth, budget, retries and validation. */
  async call<S extends z.ZodType | undefined>(spec: CallSpec<S>): Promise<CallResult<S extends z.ZodType ? z.infer<S> : undefined>> {
    return this.send({ ...spec, auth: true });
  }

  private async send<S extends z.ZodType | undefined>(
    spec: CallSpec<S> & { auth: boolean; form?: boolean },
  ): Promise<CallResult<S extends z.ZodType ? z.infer<S> : undefined>> {
    const route = routes[spec.route];
    const base = this.base(route.service);
    let url: URL;
    if (spec.href) url = new URL(spec.href, base);
    else {
      url = new URL(base.href.replace(/\/$/, '') + expandRoute(route.template, spec.params ?? {}));
      for (const [k, v] of Object.entries(spec.query ?? {})) url.searchParams.set(k, v);
    }
    const label = `${route.method} ${route.template}`;
    let refreshed = false;
    for (let attempt = 1; ; attempt += 1) {
      const headers: Record<string, string> = { 'x-mitel-app': this.app, accept: 'application/json' };
      if (spec.auth) headers.authorization = `Bearer ${await this.accessToken()}`;
      if (spec.ifMatch) headers['if-match'] = spec.ifMatch;
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
      try {
        const res = await this.pool(url.origin).request({ path: `${url.pathname}${url.search}`, method: route.method, headers, ...(payload !== undefined ? { body: payload } : {}) });
        status = res.statusCode;
        resHeaders = res.headers;
        text = await res.body.text();
      } catch (e) {
        this.budget.release();
        this.traceEvent(route.method, label, url, 'network-error', started, attempt, spec, undefined, (e as Error).message);
        const retryable = isNetworkError(e) && attempt < this.retry.attempts;
        if (retryable && spec.idempotent) {
          this.stats.retries += 1;
          await sleep(this.backoff(attempt));
          continue;
        }
        throw new CloudLinkError('network', `${label}: ${isNetworkError(e) ? 'the connection failed before an answer arrived' : scrub((e as Error).message, this.secrets)}`, true);
      }
      this.budget.release();
      if (status < 400) this.budget.succeeded();
      const requestId = typeof resHeaders['x-request-id'] === 'string' ? resHeaders['x-request-id'] : undefined;
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      this.traceEvent(route.method, label, url, status, started, attempt, spec, json);

      if (status === 429) {
        this.stats.rateLimited += 1;
        const wait = retryAfterMs(resHeaders['retry-after']) ?? this.backoff(attempt);
        this.budget.rateLimited(wait);
        if (attempt < this.retry.attempts * 3) {
          this.stats.retries += 1;
          await sleep(wait + Math.random() * 50);
          continue;
        }
      }
      if (status >= 500 && spec.idempotent && attempt < this.retry.attempts) {
        this.stats.retries += 1;
        await sleep(retryAfterMs(resHeaders['retry-after']) ?? this.backoff(attempt));
        continue;
      }
      const errorBody = status >= 400 ? apiErrorBodySchema.safeParse(json) : undefined;
      if (status === 401 && spec.auth && !refreshed) {
        // token_expired, or a token the service no longer knows (revoked, service restarted): log in again once.
        refreshed = true;
        await this.accessToken(true);
        continue;
      }
      if (status >= 400) {
        const body = errorBody?.success ? errorBody.data : undefined;
        if (spec.accept?.includes(status)) {
          return { status, value: undefined as never, ...(requestId ? { requestId } : {}), ...(body ? { error: body } : {}) };
        }
        const code = codeForStatus(status, body?.code);
        const message = `${label} answered ${status} ${body?.code ?? ''}: ${scrub(body?.message ?? 'no error body', this.secrets)}${requestId ? ` (request id ${requestId})` : ''}`;
        throw new CloudLinkHttpError(code, message, status, requestId, body?.details);
      }
      if (!spec.schema) return { status, value: undefined as never, ...(requestId ? { requestId } : {}) };
      const parsed = spec.schema.safeParse(json);
      if (!parsed.success) {
        throw new CloudLinkSchemaError(`${label}: the answer does not match the CloudLink contract: ${describeIssues(parsed.error)}`, requestId);
      }
      return { status, value: parsed.data as never, ...(requestId ? { requestId } : {}) };
    }
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.random() * ceiling;
  }

  private traceEvent(method: string, route: string, url: URL, status: number | 'network-error', started: number, attempt: number, spec: { body?: unknown; form?: boolean }, response?: unknown, error?: string): void {
    const sink = this.options.trace;
    if (!sink) return;
    let requestBody: unknown;
    if (spec.body !== undefined) requestBody = spec.form ? redact(Object.fromEntries(new URLSearchParams(String(spec.body)))) : redact(spec.body);
    sink.write({
      ts: new Date().toISOString(),
      method,
      route,
      path: url.pathname + url.search,
      status,
      ms: Math.round(performance.now() - started),
      attempt,
      ...(requestBody !== undefined ? { requestBody } : {}),
      ...(response !== undefined ? { responseBody: redact(response) } : {}),
      ...(error ? { error: scrub(error, this.secrets) } : {}),
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    await this.options.trace?.close?.();
  }
}
