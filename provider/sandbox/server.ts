/**
 * The sandbox's HTTP layer: auth, scoping, routing, pagination, faults and the
 * `/sandbox/` controls, on `node:http`. Rules live in `store.ts`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { SandboxSeed } from './seed.js';
import { ApiFailure, SandboxStore, type Principal } from './store.js';
import { DEFAULT_FAULTS, TokenBucket, type FaultSettings } from './faults.js';
import { matches, pageWindow, parseFilter, skipToken } from './query.js';

const AUTH = '/auth/2017-09-01';
const ADMIN = '/admin/2017-09-01';

interface Session {
  principal: Principal;
  expiresAt: number;
}

interface Ctx {
  req: IncomingMessage;
  url: URL;
  params: string[];
  body: Record<string, unknown>;
  principal: Principal;
}

type Handler = (ctx: Ctx) => { status: number; body?: unknown } | Promise<{ status: number; body?: unknown }>;

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  write: boolean;
  handler: Handler;
}

/** Options of the request handler. */
export interface SandboxHandlerOptions {
  store: SandboxStore;
  now: () => Date;
  faults: FaultSettings;
  /** Called after every committed write (persistence). */
  onWrite: () => void;
}

function route(method: string, template: string, handler: Handler): Route {
  const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '([^/]+)')}$`);
  return { method, template, pattern, write: method !== 'GET', handler };
}

function page<T>(ctx: Ctx, items: T[]): { status: number; body: unknown } {
  const { top, offset } = pageWindow(ctx.url.searchParams);
  const slice = items.slice(offset, offset + top);
  const self = `${ctx.url.pathname}${ctx.url.search}`;
  const links: Record<string, { href: string }> = { self: { href: self } };
  if (offset + top < items.length) {
    const next = new URLSearchParams(ctx.url.searchParams);
    next.set('$skip', skipToken(offset + top));
    next.set('$top', String(top));
    links.next = { href: `${ctx.url.pathname}?${next.toString()}` };
  }
  return { status: 200, body: { count: items.length, _embedded: { items: slice }, _links: links } };
}

function filtered<T extends object>(ctx: Ctx, items: T[], allowed: readonly string[], field: (item: T, name: string) => unknown): T[] {
  const clauses = parseFilter(ctx.url.searchParams.get('$filter'), allowed);
  if (clauses.length === 0) return items;
  return items.filter((item) => clauses.every((c) => matches(c, field(item, c.field))));
}

function str(ctx: Ctx, i: number): string {
  return decodeURIComponent(ctx.params[i] ?? '');
}

function ifMatch(ctx: Ctx): string | undefined {
  const value = ctx.req.headers['if-match'];
  return typeof value === 'string' ? value : undefined;
}

/** Builds the API routes over a store. */
function apiRoutes(store: SandboxStore): Route[] {
  return [
    route('GET', `${ADMIN}/integrations/catalog`, () => ({ status: 200, body: { count: store.catalog.length, _embedded: { items: store.catalog }, _links: {} } })),
    route('GET', `${ADMIN}/accounts`, (ctx) =>
      page(ctx, filtered(ctx, store.listAccounts(ctx.principal), ['name', 'country', 'partnerId', 'tags.tenancy-key'], (a, f) => (f.startsWith('tags.') ? a.tags[f.slice(5)] : (a as Record<string, unknown>)[f]))),
    ),
    route('POST', `${ADMIN}/accounts`, (ctx) => ({ status: 201, body: store.createAccount(ctx.principal, ctx.body) })),
    route('GET', `${ADMIN}/accounts/{accountId}`, (ctx) => ({ status: 200, body: store.record(ctx.principal, str(ctx, 0)).account })),
    route('PUT', `${ADMIN}/accounts/{accountId}`, (ctx) => ({ status: 200, body: store.updateAccount(ctx.principal, str(ctx, 0), ctx.body, ifMatch(ctx)) })),
    route('DELETE', `${ADMIN}/accounts/{accountId}`, (ctx) => {
      store.deleteAccount(ctx.principal, str(ctx, 0), ifMatch(ctx));
      return { status: 204 };
    }),
    route('GET', `${ADMIN}/accounts/{accountId}/integrations`, (ctx) => page(ctx, [...store.record(ctx.principal, str(ctx, 0)).integrations.values()])),
    route('POST', `${ADMIN}/accounts/{accountId}/integrations`, (ctx) => ({ status: 201, body: store.addIntegration(ctx.principal, str(ctx, 0), ctx.body) })),
    route('DELETE', `${ADMIN}/accounts/{accountId}/integrations/{integrationId}`, (ctx) => {
      store.removeIntegration(ctx.principal, str(ctx, 0), str(ctx, 1));
      return { status: 204 };
    }),
    route('GET', `${ADMIN}/partners/{partnerId}/orders`, (ctx) => {
      const orders = store.listOrders(ctx.principal, str(ctx, 0));
      const accountName = (id: string | null): string => (id ? (store.accounts.get(id)?.account.name ?? '') : '');
      return page(
        ctx,
        filtered(ctx, orders, ['status', 'expiresOn', 'search', 'assignedAccountId', 'trackingNumber', 'sapOrderId', 'customerPo', 'resellerPo', 'product'], (o, f) => {
          if (f === 'status') return o.assignedAccountId ? 'assigned' : 'unassigned';
          if (f === 'search') return [o.trackingNumber, o.sapOrderId, o.resellerPo, o.customerPo, o.assignedAccountId, accountName(o.assignedAccountId)].filter(Boolean).join(' ');
          return (o as Record<string, unknown>)[f];
        }).map(({ partnerId: _p, ...o }) => o),
      );
    }),
    route('GET', `${ADMIN}/partners/{partnerId}/orders/{orderId}`, (ctx) => {
      const { partnerId: _p, ...order } = store.order(ctx.principal, str(ctx, 0), str(ctx, 1));
      return { status: 200, body: order };
    }),
    route('POST', `${ADMIN}/partners/{partnerId}/orders/{orderId}/assign`, (ctx) => {
      const { partnerId: _p, ...order } = store.assignOrder(ctx.principal, str(ctx, 0), str(ctx, 1), ctx.body) as ReturnType<SandboxStore['order']>;
      return { status: 200, body: order };
    }),
    route('POST', `${ADMIN}/partners/{partnerId}/orders/{orderId}/unassign`, (ctx) => {
      const { partnerId: _p, ...order } = store.unassignOrder(ctx.principal, str(ctx, 0), str(ctx, 1)) as ReturnType<SandboxStore['order']>;
      return { status: 200, body: order };
    }),
    route('GET', `${ADMIN}/accounts/{accountId}/users`, (ctx) => {
      const clauses = parseFilter(ctx.url.searchParams.get('$filter'), ['email', 'status', 'role']);
      const emailEq = clauses.length === 1 && clauses[0]?.op === 'eq' && clauses[0].field === 'email' ? clauses[0].value : undefined;
      if (emailEq !== undefined && emailEq !== null) {
        const user = store.userByEmail(ctx.principal, str(ctx, 0), emailEq);
        return page(ctx, user ? [user] : []);
      }
      const users = store.listUsers(ctx.principal, str(ctx, 0));
      return page(ctx, clauses.length === 0 ? users : users.filter((u) => clauses.every((c) => matches(c, (u as Record<string, unknown>)[c.field]))));
    }),
    route('POST', `${ADMIN}/accounts/{accountId}/users`, (ctx) => ({ status: 201, body: store.createUser(ctx.principal, str(ctx, 0), ctx.body) })),
    route('POST', `${ADMIN}/accounts/{accountId}/users/bulk`, (ctx) => {
      const rows = ctx.body.users;
      if (!Array.isArray(rows) || rows.length === 0 || rows.length > 100) {
        throw new ApiFailure(400, 'validation_failed', 'users must be a list of 1..100 users', [{ field: 'users', message: 'between 1 and 100 rows' }]);
      }
      store.record(ctx.principal, str(ctx, 0));
      const results = rows.map((row: unknown) => {
        try {
          const user = store.createUser(ctx.principal, str(ctx, 0), (row ?? {}) as Record<string, unknown>);
          return { status: 201, userId: user.userId };
        } catch (e) {
          if (!(e instanceof ApiFailure)) throw e;
          const existing = e.details?.find((d) => d.field === 'userId')?.message;
          return { status: e.status, ...(existing ? { userId: existing } : {}), error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } };
        }
      });
      return { status: 207, body: { results } };
    }),
    route('GET', `${ADMIN}/accounts/{accountId}/users/{userId}`, (ctx) => ({ status: 200, body: store.user(ctx.principal, str(ctx, 0), str(ctx, 1)) })),
    route('PUT', `${ADMIN}/accounts/{accountId}/users/{userId}`, (ctx) => ({ status: 200, body: store.updateUser(ctx.principal, str(ctx, 0), str(ctx, 1), ctx.body, ifMatch(ctx)) })),
    route('DELETE', `${ADMIN}/accounts/{accountId}/users/{userId}`, (ctx) => {
      store.deleteUser(ctx.principal, str(ctx, 0), str(ctx, 1), ifMatch(ctx));
      return { status: 204 };
    }),
    route('GET', `${ADMIN}/accounts/{accountId}/users/{userId}/licenses`, (ctx) => page(ctx, store.user(ctx.principal, str(ctx, 0), str(ctx, 1)).licenses)),
    route('PUT', `${ADMIN}/accounts/{accountId}/users/{userId}/licenses/{product}`, (ctx) => ({ status: 200, body: store.enableLicense(ctx.principal, str(ctx, 0), str(ctx, 1), str(ctx, 2)) })),
    route('DELETE', `${ADMIN}/accounts/{accountId}/users/{userId}/licenses/{product}`, (ctx) => ({ status: 200, body: store.disableLicense(ctx.principal, str(ctx, 0), str(ctx, 1), str(ctx, 2)) })),
    route('POST', `${ADMIN}/accounts/{accountId}/users/{userId}/welcome`, (ctx) => ({ status: 200, body: store.mail(ctx.principal, str(ctx, 0), str(ctx, 1), 'welcome', ifMatch(ctx)) })),
    route('POST', `${ADMIN}/accounts/{accountId}/users/{userId}/password-reset`, (ctx) => ({ status: 202, body: store.mail(ctx.principal, str(ctx, 0), str(ctx, 1), 'password-reset') })),
  ];
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  const etag = body && typeof body === 'object' && 'etag' in body ? String((body as { etag: unknown }).etag) : undefined;
  res.writeHead(status, {
    ...(text ? { 'content-type': 'application/json' } : {}),
    'content-length': Buffer.byteLength(text),
    'x-request-id': randomBytes(8).toString('hex'),
    ...(etag ? { etag } : {}),
    ...headers,
  });
  res.end(text);
}

function failure(res: ServerResponse, e: ApiFailure, headers: Record<string, string> = {}): void {
  send(res, e.status, { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) }, headers);
}

async function readBody(req: IncomingMessage): Promise<{ raw: string; json: Record<string, unknown> }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) return { raw, json: {} };
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/x-www-form-urlencoded')) return { raw, json: Object.fromEntries(new URLSearchParams(raw)) };
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return { raw, json: parsed as Record<string, unknown> };
  } catch {
    throw new ApiFailure(400, 'validation_failed', 'the body is not a JSON object');
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The sandbox's request handler and the state behind it. */
export class SandboxHandler {
  private readonly routes: Route[];
  private readonly sessions = new Map<string, Session>();
  private readonly refreshTokens = new Map<string, Principal>();
  private readonly buckets = new Map<string, TokenBucket>();
  readonly counts: Record<string, number> = {};

  constructor(private readonly options: SandboxHandlerOptions) {
    this.routes = apiRoutes(options.store);
  }

  get faults(): FaultSettings {
    return this.options.faults;
  }

  setFaults(patch: Partial<FaultSettings>): FaultSettings {
    Object.assign(this.options.faults, patch);
    this.buckets.clear();
    return this.options.faults;
  }

  private count(key: string): void {
    this.counts[key] = (this.counts[key] ?? 0) + 1;
  }

  private rateLimited(key: string): number {
    const { rateLimitPerSec, burst } = this.options.faults;
    if (!rateLimitPerSec) return 0;
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(rateLimitPerSec, Math.max(1, burst))));
    return bucket.take();
  }

  private async delay(): Promise<void> {
    const { latencyMs, jitterMs } = this.options.faults;
    const ms = latencyMs + (jitterMs ? Math.random() * jitterMs : 0);
    if (ms > 0) await sleep(ms);
  }

  /** Handles one request. Never throws. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      if (url.pathname.startsWith('/sandbox/')) return await this.control(req, res, url);
      if (url.pathname === `${AUTH}/token` && req.method === 'POST') return await this.token(req, res);
      const method = req.method ?? 'GET';
      const match = this.routes.find((r) => r.method === method && r.pattern.test(url.pathname));
      if (!match) {
        this.count(`${method} unknown`);
        return failure(res, new ApiFailure(404, 'not_found', `no route ${method} ${url.pathname}`));
      }
      this.count(`${method} ${match.template}`);
      if (typeof req.headers['x-mitel-app'] !== 'string') {
        return failure(res, new ApiFailure(400, 'validation_failed', 'the X-Mitel-App header is required (app=<name>/<version>;platform=<os>)'));
      }
      const principal = this.authenticate(req);
      const wait = this.rateLimited(principal.id);
      if (wait > 0) {
        this.count('429');
        return failure(res, new ApiFailure(429, 'rate_limited', 'too many requests'), { 'retry-after': String(Math.max(1, Math.ceil(wait))) });
      }
      await this.delay();
      if (this.options.faults.errorRate > 0 && Math.random() < this.options.faults.errorRate) {
        this.count('5xx');
        const status = [500, 502, 503][Math.floor(Math.random() * 3)] ?? 500;
        return failure(res, new ApiFailure(status, 'transient', 'the service is temporarily unavailable'));
      }
      const { json } = match.write ? await readBody(req) : { json: {} };
      const params = match.pattern.exec(url.pathname)?.slice(1) ?? [];
      const result = await match.handler({ req, url, params, body: json, principal });
      if (match.write) {
        this.options.onWrite();
        if (this.options.faults.dropAfterCommitRate > 0 && Math.random() < this.options.faults.dropAfterCommitRate) {
          this.count('dropped');
          req.socket.destroy();
          return;
        }
      }
      send(res, result.status, result.body);
    } catch (e) {
      if (e instanceof ApiFailure) {
        if (e.status === 401 && e.code === 'token_expired') return failure(res, e, { 'www-authenticate': 'Bearer error="invalid_token"' });
        return failure(res, e);
      }
      send(res, 500, { code: 'internal', message: `sandbox bug: ${(e as Error).message}` });
    }
  }

  private authenticate(req: IncomingMessage): Principal {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw new ApiFailure(401, 'unauthorized', 'a bearer token is required');
    const session = this.sessions.get(token);
    if (!session) throw new ApiFailure(401, 'unauthorized', 'the token is not valid');
    if (session.expiresAt <= this.options.now().getTime()) throw new ApiFailure(401, 'token_expired', 'the access token has expired; refresh it');
    return session.principal;
  }

  private issue(principal: Principal): Record<string, unknown> {
    const access = randomBytes(24).toString('base64url');
    const refresh = randomBytes(24).toString('base64url');
    const ttl = this.options.faults.tokenTtlSec;
    this.sessions.set(access, { principal, expiresAt: this.options.now().getTime() + ttl * 1000 });
    this.refreshTokens.set(refresh, principal);
    return { access_token: access, token_type: 'Bearer', expires_in: ttl, refresh_token: refresh };
  }

  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.count(`POST ${AUTH}/token`);
    const { json } = await readBody(req);
    const wait = this.rateLimited('token');
    if (wait > 0) return failure(res, new ApiFailure(429, 'rate_limited', 'too many requests'), { 'retry-after': String(Math.max(1, Math.ceil(wait))) });
    const grant = json.grant_type;
    const store = this.options.store;
    if (grant === 'password') {
      const admin = store.admins.get(String(json.username ?? '').toLowerCase());
      if (!admin || admin.password !== json.password) return failure(res, new ApiFailure(401, 'invalid_credentials', 'the username or password is wrong'));
      const principal: Principal = { id: `user:${admin.username.toLowerCase()}`, ...(admin.partnerId ? { partnerId: admin.partnerId } : {}), ...(admin.accountId ? { accountId: admin.accountId } : {}) };
      if (json.account_id !== undefined && admin.accountId && json.account_id !== admin.accountId) {
        return failure(res, new ApiFailure(400, 'invalid_grant', 'this user does not belong to that account'));
      }
      return send(res, 200, this.issue(principal));
    }
    if (grant === 'client_credentials') {
      const client = store.clients.get(String(json.client_id ?? ''));
      if (!client || client.clientSecret !== json.client_secret) return failure(res, new ApiFailure(401, 'invalid_client', 'the client id or secret is wrong'));
      return send(res, 200, this.issue({ id: `client:${client.clientId}`, partnerId: client.partnerId }));
    }
    if (grant === 'refresh_token') {
      const principal = this.refreshTokens.get(String(json.refresh_token ?? ''));
      if (!principal) return failure(res, new ApiFailure(400, 'invalid_grant', 'the refresh token is not valid'));
      this.refreshTokens.delete(String(json.refresh_token));
      return send(res, 200, this.issue(principal));
    }
    return failure(res, new ApiFailure(400, 'unsupported_grant_type', 'grant_type must be password, client_credentials or refresh_token'));
  }

  private async control(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const store = this.options.store;
    const key = `${req.method ?? 'GET'} ${url.pathname}`;
    switch (key) {
      case 'POST /sandbox/reset':
        store.reset();
        this.sessions.clear();
        this.refreshTokens.clear();
        for (const k of Object.keys(this.counts)) delete this.counts[k];
        this.setFaults({ ...DEFAULT_FAULTS });
        this.options.onWrite();
        return send(res, 204);
      case 'POST /sandbox/seed': {
        const { json } = await readBody(req);
        store.seed(json as SandboxSeed);
        this.options.onWrite();
        return send(res, 204);
      }
      case 'GET /sandbox/state':
        return send(res, 200, store.dump());
      case 'GET /sandbox/outbox':
        return send(res, 200, { items: store.outbox });
      case 'GET /sandbox/requests':
        return send(res, 200, this.counts);
      case 'DELETE /sandbox/requests':
        for (const k of Object.keys(this.counts)) delete this.counts[k];
        return send(res, 204);
      case 'GET /sandbox/faults':
        return send(res, 200, this.options.faults);
      case 'POST /sandbox/faults': {
        const { json } = await readBody(req);
        const patch: Partial<FaultSettings> = {};
        for (const [k, v] of Object.entries(json)) {
          if (!(k in DEFAULT_FAULTS) || typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
            return failure(res, new ApiFailure(400, 'validation_failed', `fault "${k}" must be a non-negative number`, [{ field: k, message: `known faults: ${Object.keys(DEFAULT_FAULTS).join(', ')}` }]));
          }
          (patch as Record<string, number>)[k] = v;
        }
        return send(res, 200, this.setFaults(patch));
      }
      default:
        return failure(res, new ApiFailure(404, 'not_found', `no sandbox control ${key}`));
    }
  }
}
