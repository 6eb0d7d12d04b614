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
 *
 * This file is the call loop; its parts live in `transport/`: the shapes (`types.ts`), the
 * token (`token-session.ts`), waiting and retrying (`retry.ts`), network failures
 * (`network-failure.ts`), reading answers (`answer.ts`), tracing (`attempt-trace.ts`),
 * connection pools and the `X-Mitel-App` header.
 */
import type { z } from 'zod';
import { claimsSchema, errorFromWire, principalFromWire, tokenResponseSchema, type WireError } from './wire.js';
import { expandRoute, routeLabel, routes, type HttpMethod, type ServiceName } from './routes.js';
import { CloudLinkSchemaError, scrub } from './errors.js';
import { RequestBudget } from './budget.js';
import type { Principal } from '../model/live.js';
import { contractError, header, httpStatusError, parseJson, type ResponseHeaders } from './transport/answer.js';
import { defaultAppHeader } from './transport/app-header.js';
import { traceAttempt } from './transport/attempt-trace.js';
import { ConnectionPools } from './transport/connection-pools.js';
import { TIMED_OUT, classifyNetworkFailure, describeNetworkFailure, networkFailureError } from './transport/network-failure.js';
import { backoffDelay, notifyRetry, retryAfterMs, retryOptions, sleep } from './transport/retry.js';
import { TokenSession } from './transport/token-session.js';
import { DEFAULT_MAX_CONCURRENCY, type CallResult, type CallSpec, type CallValue, type ClientStats, type RetryEvent, type RetryOptions, type TransportOptions } from './transport/types.js';

export type { CallResult, CallSpec, ClientStats, Credentials, RetryEvent, RetryOptions, TransportOptions } from './transport/types.js';
export { DEFAULT_MAX_CONCURRENCY, DEFAULT_RETRY_ATTEMPTS } from './transport/types.js';
export { describeNetworkFailure } from './transport/network-failure.js';
export { defaultAppHeader, toolVersion } from './transport/app-header.js';

/** A call as the transport sends it: with or without the bearer token, with a JSON or a form body. */
type SendSpec<S extends z.ZodType | undefined> = CallSpec<S> & { auth: boolean; form?: boolean };

/** What one attempt got: an answer, or the error that stopped it (`timedOut`: the transport's own timer ran out). */
type Exchange = { ok: true; status: number; headers: ResponseHeaders; text: string } | { ok: false; error: unknown; timedOut: boolean };

/**
 * The HTTP side of one client. Guarantees: every call carries `X-Mitel-App` and (unless it is
 * the token call) a valid bearer token; it waits for the shared budget; it is retried only as
 * the module comment says; its answer is validated against the call's schema; and no secret
 * this client knows reaches an error message or the trace.
 */
export class Transport {
  readonly stats: ClientStats = { requests: 0, retries: 0, rateLimited: 0, ambiguous: 0, rereads: 0, tokenRequests: 0, byRoute: {} };
  /** Every secret string this client knows (credentials, tokens): scrubbed from any text. */
  readonly secrets: string[] = [];
  private readonly budget: RequestBudget;
  private readonly retry: RetryOptions;
  private readonly app: string;
  private readonly session: TokenSession;
  private readonly pools: ConnectionPools;
  private readonly timeoutMs: number;
  private readonly bases: Record<ServiceName, URL>;
  private principalPromise: Promise<Principal> | undefined;
  private closed: Promise<void> | undefined;

  /** Reads the CA file (if any) and checks the three base URLs; logs in only on the first call. */
  constructor(private readonly options: TransportOptions) {
    this.budget = new RequestBudget(options.requestsPerSecond ?? 40, options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY);
    this.retry = retryOptions(options.retry);
    this.app = options.app ?? defaultAppHeader();
    this.session = new TokenSession(options.credentials, this.secrets, this.stats, async (form) => (await this.send({ route: 'token', body: form, form: true, schema: tokenResponseSchema, idempotent: true, auth: false })).value);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.pools = new ConnectionPools(options, this.timeoutMs);
    const base = (name: string, value: string | undefined): URL => {
      if (!value) throw new Error(`CloudLink client: ${name} is required`);
      return new URL(value.replace(/\/+$/, ''));
    };
    this.bases = { auth: base('authUrl', options.authUrl), admin: base('adminUrl', options.adminUrl), billing: base('billingUrl', options.billingUrl) };
  }

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
  async call<S extends z.ZodType | undefined>(spec: CallSpec<S>): Promise<CallResult<CallValue<S>>> {
    return this.send({ ...spec, auth: true });
  }

  /** The URL of a call: the route's template under its service, or a `next` link. */
  private url(spec: CallSpec<z.ZodType | undefined>): URL {
    const route = routes[spec.route];
    const base = this.bases[route.service];
    if (spec.href) {
      const url = spec.href.startsWith('?') && spec.from ? new URL(spec.href, spec.from) : new URL(spec.href, `${base.href}/`);
      const known = Object.values(this.bases).some((b) => b.origin === url.origin);
      if (!known) throw new CloudLinkSchemaError(`${routeLabel(spec.route)}: the next link points outside the CloudLink services (${url.origin}); not followed`, { route: routeLabel(spec.route), method: route.method });
      return url;
    }
    const url = new URL(base.href + expandRoute(route.template, spec.params ?? {}));
    for (const [k, v] of Object.entries(spec.query ?? {})) url.searchParams.set(k, v);
    return url;
  }

  private async send<S extends z.ZodType | undefined>(spec: SendSpec<S>): Promise<CallResult<CallValue<S>>> {
    const route = routes[spec.route];
    const url = this.url(spec);
    const label = routeLabel(spec.route);
    const idempotent = spec.idempotent ?? (route.method === 'GET' || route.method === 'PUT' || route.method === 'DELETE');
    const write = route.method !== 'GET';
    let refreshed = false;
    for (let attempt = 1; ; attempt += 1) {
      const headers: Record<string, string> = { 'x-mitel-app': this.app, accept: 'application/json' };
      let bearer: string | undefined;
      if (spec.auth) {
        bearer = await this.session.accessToken();
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
      const traced = { method: route.method, service: route.service, route: route.template, url, started, attempt, spec };
      const answer = await this.exchange(url, route.method, headers, payload);
      this.budget.release();
      if (!answer.ok) {
        const f = answer.timedOut ? TIMED_OUT : classifyNetworkFailure(answer.error);
        const detail = scrub((answer.error as Error).message ?? String(answer.error), this.secrets);
        if (write && f.sent) this.stats.ambiguous += 1;
        traceAttempt(this.options.trace, this.secrets, { ...traced, status: f.kind === 'timeout' ? 'timeout' : 'network-error', error: detail });
        const cause = f.kind === 'timeout' ? `no answer from ${url.host} within ${this.timeoutMs} ms` : scrub(describeNetworkFailure(answer.error, url.host), this.secrets);
        if (f.retryable && attempt < this.retry.attempts && (idempotent || !f.sent)) {
          await this.retryLater({ route: label, host: url.host, attempt, attempts: this.retry.attempts, cause, delayMs: this.backoff(attempt) });
          continue;
        }
        throw networkFailureError(f, { label, method: route.method, host: url.host, write, attempt, timeoutMs: this.timeoutMs }, cause);
      }
      const { status, headers: resHeaders, text } = answer;
      if (status < 400) this.budget.succeeded();
      const correlationId = header(resHeaders, 'x-mitel-correlation-id');
      const json = parseJson(text);
      traceAttempt(this.options.trace, this.secrets, { ...traced, status, correlationId, ...(status >= 400 ? { response: json ?? text, headers: resHeaders } : {}) });

      if (status >= 500 && write) this.stats.ambiguous += 1;
      if (status === 429) {
        this.stats.rateLimited += 1;
        const retryAfter = header(resHeaders, 'retry-after');
        const wait = retryAfterMs(retryAfter) ?? this.backoff(attempt);
        this.budget.rateLimited(wait);
        if (attempt < this.retry.attempts * 3) {
          await this.retryLater({ route: label, host: url.host, attempt, attempts: this.retry.attempts * 3, cause: 'HTTP 429 (rate limited)', delayMs: wait, ...(retryAfter ? { retryAfter } : {}) }, 50);
          continue;
        }
      }
      if (status >= 500 && idempotent && attempt < this.retry.attempts) {
        await this.retryLater({ route: label, host: url.host, attempt, attempts: this.retry.attempts, cause: `HTTP ${status}`, delayMs: retryAfterMs(header(resHeaders, 'retry-after')) ?? this.backoff(attempt) });
        continue;
      }
      if (status === 401 && spec.auth && !refreshed) {
        // An expired (or revoked) token: refresh, or log in again, once; the refused call did nothing.
        refreshed = true;
        await this.session.accessToken(bearer);
        continue;
      }
      const date = header(resHeaders, 'date');
      const answered = (value: unknown, error?: WireError): CallResult<CallValue<S>> => ({ status, value: value as never, url: url.href, attempts: attempt, ...(correlationId ? { correlationId } : {}), ...(error ? { error } : {}), ...(date ? { date } : {}) });
      const call = { label, method: route.method, write, correlationId, secrets: this.secrets };
      if (status >= 400) {
        const body = errorFromWire(json);
        if (spec.accept?.includes(status)) return answered(undefined, body);
        throw httpStatusError(call, status, body, text);
      }
      if (!spec.schema) return answered(undefined);
      const parsed = spec.schema.safeParse(json);
      if (!parsed.success) throw contractError(call, status, parsed.error);
      return answered(parsed.data);
    }
  }

  /** One request on the origin's pool under the transport's own timer, which covers headers and body to the millisecond (undici's own timeouts tick in seconds and stay as a backstop). */
  private async exchange(url: URL, method: HttpMethod, headers: Record<string, string>, payload: string | undefined): Promise<Exchange> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.timeoutMs);
    try {
      const res = await this.pools.get(url.origin).request({ path: `${url.pathname}${url.search}`, method, headers, signal: abort.signal, ...(payload !== undefined ? { body: payload } : {}) });
      return { ok: true, status: res.statusCode, headers: res.headers, text: await res.body.text() };
    } catch (error) {
      return { ok: false, error, timedOut: abort.signal.aborted };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Counts the retry, tells `onRetry`, and waits `event.delayMs` (plus up to `jitterMs` more). */
  private async retryLater(event: RetryEvent, jitterMs = 0): Promise<void> {
    this.stats.retries += 1;
    notifyRetry(this.options, event);
    await sleep(jitterMs > 0 ? event.delayMs + Math.random() * jitterMs : event.delayMs);
  }

  private backoff(attempt: number): number {
    return backoffDelay(this.retry, attempt);
  }

  /** Closes the connection pools and the trace sink (once; later calls wait for the first). */
  close(): Promise<void> {
    this.closed ??= (async () => {
      await this.pools.close();
      await this.options.trace?.close?.();
    })();
    return this.closed;
  }
}
