/**
 * The sandbox's HTTP layer on `node:http`: routing (driven by `routes.ts`), authentication
 * and principal scope, list envelopes and query options, fault injection and the
 * `/sandbox/` controls. The rules on the data live in `store.ts`.
 *
 * Decisions on the contract's [A] points made here:
 * - Scope: PARTNER_ADMIN sees every account whose `partnerId` is its partner (its own account
 *   carries its partner's id, so it is included); ACCOUNT_ADMIN sees its own account only.
 *   Anything outside the scope is 404. Partner-level operations (POST /accounts, DELETE
 *   /accounts/{id}, GET /partners/{id}, billing partner-subscriptions) are 403 for an
 *   ACCOUNT_ADMIN. A USER may log in (`POST/GET /token` work) but every admin and billing
 *   route answers 403. A partner's own account cannot be deleted (403).
 * - `client_credentials`: a client is registered in one account; `account_id`, when sent,
 *   must be that account (else 401). Its principal has the role PARTNER_ADMIN when the account
 *   is a partner's own account, else ACCOUNT_ADMIN; claims `userId` and `email` are null and
 *   `principalId`/`name` are the client id.
 * - An invalid or used refresh token is 401. Refresh tokens are single-use.
 * - Lists: `$top` defaults to 100 and larger values are capped at 100; `$skip` is an integer
 *   offset; user lists page with an opaque `$skiptoken` and omit `count`; every other list has
 *   `count` and pages with `$skip`. `_links.self` and `_links.next` are absolute URLs built
 *   from the request's Host header.
 * - Filterable fields: see `FILTERS` below; anything else is 400 (clients fall back to listing).
 * - `$expand=tags` adds `tags` to accounts and users (lists and single GETs); without it
 *   there is no `tags` field. Account/user bodies never write tags (use the tag routes).
 * - Tag PUT/DELETE, welcome e-mail and password reset answer without a body (204, 202, 202).
 *   Batch `remove` results carry `body: null`.
 * - Faults: `errorRate` applies to every API route (token included), before anything is
 *   read or written; the after-commit faults apply to successful admin/billing writes only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { SandboxSeed } from './seed.js';
import type { SandboxStore } from './store.js';
import { ApiFailure, type AccountRecord, type FaultCounts, type JsonValue, type OrderRecord, type Principal, type UserRecord } from './types.js';
import { DEFAULT_FAULTS, TokenBucket, type FaultSettings } from './faults.js';
import { evaluate, expands, makeSkipToken, parseFilter, readSkip, readSkipToken, readTop, type FieldRules } from './query.js';
import { compileRoutes, matchRoute, type CompiledRoute, type SandboxRouteName } from './routes.js';

interface Session {
  principal: Principal;
  iat: number;
  exp: number;
}

interface Ctx {
  req: IncomingMessage;
  url: URL;
  /** `http://host:port` of the request. */
  base: string;
  params: Record<string, string>;
  /** The parsed body (JSON value or form fields); undefined when empty. */
  body: unknown;
  /** The caller (absent only on `POST /token`). */
  principal: Principal;
}

interface Result {
  status: number;
  body?: unknown;
}

type Handler = (ctx: Ctx) => Result | Promise<Result>;

/** Options of the request handler. */
export interface SandboxHandlerOptions {
  store: SandboxStore;
  now: () => Date;
  faults: FaultSettings;
  /** Called after every committed write (persistence). */
  onWrite: () => void;
}

/** Which fields each list can filter on, and how. */
const FILTERS = {
  accounts: { partnerId: { ops: ['eq', 'ne'] }, name: { ops: ['eq', 'ne', 'contains'] }, accountNumber: { ops: ['eq'] } },
  users: { email: { ops: ['eq', 'contains'], caseInsensitive: true } },
  contacts: { email: { ops: ['eq'], caseInsensitive: true } },
  orders: {
    partnerId: { ops: ['eq'] },
    accountId: { ops: ['eq', 'ne'] },
    expiresOn: { ops: ['eq', 'lt', 'gt'], date: true },
    subscriptionId: { ops: ['eq'] },
    product: { ops: ['eq'] },
    trackingNumber: { ops: ['eq', 'contains'] },
    sapOrderId: { ops: ['eq', 'contains'] },
    resellerPo: { ops: ['eq', 'contains'] },
    customerPo: { ops: ['eq', 'contains'] },
  },
  subscriptions: { accountId: { ops: ['eq'] }, product: { ops: ['eq'] }, subscriptionId: { ops: ['eq'] } },
  licenses: { accountId: { ops: ['eq'] }, userId: { ops: ['eq'] }, product: { ops: ['eq'] } },
  none: {},
} as const satisfies Record<string, FieldRules>;

// ----- views: what the API serves of each record -----

function accountView(a: AccountRecord, withTags: boolean): Record<string, unknown> {
  const { tags, ...rest } = a;
  return { ...rest, location: { address: { ...a.location.address } }, ...(withTags ? { tags: { ...tags } } : {}) };
}

function userView(u: UserRecord, withTags: boolean): Record<string, unknown> {
  const { tags, ...rest } = u;
  return { ...rest, ...(withTags ? { tags: { ...tags } } : {}) };
}

function orderView(o: OrderRecord): Record<string, unknown> {
  const { assignedOn: _internal, ...rest } = o;
  return { ...rest };
}

// ----- request helpers -----

function obj(ctx: Ctx): Record<string, unknown> {
  const b = ctx.body ?? {};
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new ApiFailure(400, 'The body must be a JSON object');
  return b as Record<string, unknown>;
}

function filterOf<T>(ctx: Ctx, items: T[], rules: FieldRules, get: (item: T, field: string) => unknown = (item, field) => (item as Record<string, unknown>)[field]): T[] {
  const expr = parseFilter(ctx.url.searchParams.get('$filter'), rules);
  return expr ? items.filter((item) => evaluate(expr, rules, (f) => get(item, f))) : items;
}

/** The list envelope with `$top` and `$skip` (count present) or `$skiptoken` (count absent). */
function list(ctx: Ctx, items: unknown[], paging: 'skip' | 'skiptoken'): Result {
  const q = ctx.url.searchParams;
  const top = readTop(q);
  const offset = paging === 'skiptoken' && q.has('$skiptoken') ? readSkipToken(q) : readSkip(q);
  const page = items.slice(offset, offset + top);
  const links: { self: string; next?: string } = { self: `${ctx.base}${ctx.url.pathname}${ctx.url.search}` };
  if (offset + top < items.length) {
    const next = new URLSearchParams(q);
    next.delete('$skip');
    next.delete('$skiptoken');
    next.set('$top', String(top));
    if (paging === 'skip') next.set('$skip', String(offset + top));
    else next.set('$skiptoken', makeSkipToken(offset + top));
    links.next = `${ctx.base}${ctx.url.pathname}?${next.toString()}`;
  }
  return { status: 200, body: { ...(paging === 'skip' ? { count: items.length } : {}), _links: links, _embedded: { items: page } } };
}

function by(p: Principal): string {
  return p.email ?? p.principalId;
}

function requirePartnerAdmin(p: Principal, what: string): void {
  if (p.role !== 'PARTNER_ADMIN') throw new ApiFailure(403, `Only a partner administrator may ${what}`);
}

/** The API handlers, one per route name of `routes.ts` (the type makes a missing one a compile error). */
function apiHandlers(h: SandboxHandler): Record<SandboxRouteName, Handler> {
  const store = h.options.store;
  const sees = (p: Principal, a: AccountRecord): boolean => (p.role === 'PARTNER_ADMIN' ? a.partnerId === p.partnerId : a.accountId === p.accountId);
  /** The account when the principal may see it, else 404. */
  const visible = (p: Principal, accountId: string): AccountRecord => {
    const a = store.account(accountId);
    if (!a || !sees(p, a)) throw new ApiFailure(404, `Account ${accountId} not found`);
    return a;
  };
  const visibleAccounts = (p: Principal): AccountRecord[] => [...store.accounts.values()].map((s) => s.account).filter((a) => sees(p, a));
  const tagsWanted = (ctx: Ctx): boolean => expands(ctx.url.searchParams).has('tags');
  const acc = (ctx: Ctx): string => visible(ctx.principal, ctx.params.accountId ?? '').accountId;
  const user = (ctx: Ctx): UserRecord => store.userOr404(acc(ctx), ctx.params.userId ?? '');

  return {
    token: (ctx) => h.token(ctx),
    tokenClaims: (ctx) => h.claims(ctx),

    listAccounts: (ctx) => {
      const withTags = tagsWanted(ctx);
      return list(ctx, filterOf(ctx, visibleAccounts(ctx.principal), FILTERS.accounts).map((a) => accountView(a, withTags)), 'skip');
    },
    createAccount: (ctx) => {
      requirePartnerAdmin(ctx.principal, 'create accounts');
      return { status: 201, body: accountView(store.createAccount(ctx.principal.partnerId, obj(ctx), by(ctx.principal)), false) };
    },
    getAccount: (ctx) => ({ status: 200, body: accountView(visible(ctx.principal, ctx.params.accountId ?? ''), tagsWanted(ctx)) }),
    updateAccount: (ctx) => ({ status: 200, body: accountView(store.updateAccount(acc(ctx), obj(ctx), by(ctx.principal)), false) }),
    deleteAccount: (ctx) => {
      requirePartnerAdmin(ctx.principal, 'delete accounts');
      const accountId = acc(ctx);
      if (store.partnerOwning(accountId)) throw new ApiFailure(403, "A partner's own account cannot be deleted");
      // `?hard=true` and a plain DELETE both remove the account for good in the sandbox.
      store.deleteAccount(accountId, by(ctx.principal));
      return { status: 204 };
    },
    putAccountTag: (ctx) => {
      if (ctx.body === undefined) throw new ApiFailure(400, "The body is the tag's JSON value");
      store.setAccountTag(acc(ctx), ctx.params.tagId ?? '', ctx.body as JsonValue, by(ctx.principal));
      return { status: 204 };
    },
    deleteAccountTag: (ctx) => {
      store.deleteAccountTag(acc(ctx), ctx.params.tagId ?? '', by(ctx.principal));
      return { status: 204 };
    },

    listContacts: (ctx) => list(ctx, filterOf(ctx, store.contacts(acc(ctx)), FILTERS.contacts), 'skip'),
    createContact: (ctx) => ({ status: 201, body: store.createContact(acc(ctx), obj(ctx), by(ctx.principal)) }),
    getContact: (ctx) => ({ status: 200, body: store.contact(acc(ctx), ctx.params.contactId ?? '') }),
    updateContact: (ctx) => ({ status: 200, body: store.updateContact(acc(ctx), ctx.params.contactId ?? '', obj(ctx), by(ctx.principal)) }),
    deleteContact: (ctx) => {
      store.deleteContact(acc(ctx), ctx.params.contactId ?? '');
      return { status: 204 };
    },

    listUsers: (ctx) => {
      const withTags = tagsWanted(ctx);
      return list(ctx, filterOf(ctx, store.users(acc(ctx)), FILTERS.users).map((u) => userView(u, withTags)), 'skiptoken');
    },
    createUser: (ctx) => ({ status: 201, body: userView(store.createUser(acc(ctx), obj(ctx), by(ctx.principal)), false) }),
    batchUsers: (ctx) => {
      const accountId = acc(ctx);
      const operations = obj(ctx).operations;
      if (!Array.isArray(operations) || operations.length === 0 || operations.length > 100) throw new ApiFailure(400, 'operations must be a list of 1 to 100 operations');
      const results = operations.map((op: unknown) => {
        try {
          if (typeof op !== 'object' || op === null || Array.isArray(op)) throw new ApiFailure(400, 'An operation must be an object');
          const { op: kind, id, body } = op as Record<string, unknown>;
          const needId = (): string => {
            if (typeof id !== 'string' || !id) throw new ApiFailure(400, `${String(kind)} needs the id of a user`);
            return id;
          };
          const needBody = (): Record<string, unknown> => {
            if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiFailure(400, `${String(kind)} needs a body object`);
            return body as Record<string, unknown>;
          };
          switch (kind) {
            case 'add':
              return { statusCode: 201, headers: {}, body: userView(store.createUser(accountId, needBody(), by(ctx.principal)), false) };
            case 'replace': {
              const userId = needId();
              return { statusCode: 200, headers: {}, body: userView(store.updateUser(accountId, userId, needBody(), by(ctx.principal)), false) };
            }
            case 'remove':
              store.deleteUser(accountId, needId());
              return { statusCode: 204, headers: {}, body: null };
            default:
              throw new ApiFailure(400, 'op must be add, replace or remove');
          }
        } catch (e) {
          if (!(e instanceof ApiFailure)) throw e;
          return { statusCode: e.status, headers: {}, body: { name: e.name, message: e.message } };
        }
      });
      return { status: 200, body: { operations: results } };
    },
    getUser: (ctx) => ({ status: 200, body: userView(user(ctx), tagsWanted(ctx)) }),
    updateUser: (ctx) => ({ status: 200, body: userView(store.updateUser(acc(ctx), ctx.params.userId ?? '', obj(ctx), by(ctx.principal)), false) }),
    deleteUser: (ctx) => {
      store.deleteUser(acc(ctx), ctx.params.userId ?? '');
      return { status: 204 };
    },
    putUserTag: (ctx) => {
      if (ctx.body === undefined) throw new ApiFailure(400, "The body is the tag's JSON value");
      store.setUserTag(acc(ctx), ctx.params.userId ?? '', ctx.params.tagId ?? '', ctx.body as JsonValue, by(ctx.principal));
      return { status: 204 };
    },
    deleteUserTag: (ctx) => {
      store.deleteUserTag(acc(ctx), ctx.params.userId ?? '', ctx.params.tagId ?? '', by(ctx.principal));
      return { status: 204 };
    },
    sendWelcome: (ctx) => {
      const u = user(ctx);
      store.mail('welcome', u.accountId, u.userId);
      return { status: 202 };
    },
    resetPassword: (ctx) => {
      const b = obj(ctx);
      const email = ctx.params.email ?? '';
      if (b.action !== 'forgot') throw new ApiFailure(400, "action must be 'forgot'");
      if (b.email !== undefined && (typeof b.email !== 'string' || b.email.toLowerCase() !== email.toLowerCase())) throw new ApiFailure(400, 'email in the body must match the path');
      if (typeof b.accountId !== 'string') throw new ApiFailure(400, 'accountId is required');
      const accountId = visible(ctx.principal, b.accountId).accountId;
      const u = store.userByEmail(accountId, email);
      if (!u) throw new ApiFailure(404, 'User not found');
      store.mail('password-reset', accountId, u.userId);
      return { status: 202 };
    },

    getPartner: (ctx) => {
      requirePartnerAdmin(ctx.principal, 'read partners');
      const partner = store.partners.get(ctx.params.partnerId ?? '');
      if (!partner || partner.partnerId !== ctx.principal.partnerId) throw new ApiFailure(404, `Partner ${ctx.params.partnerId ?? ''} not found`);
      return { status: 200, body: { partnerId: partner.partnerId, name: partner.name, accountId: partner.accountId } };
    },

    catalog: (ctx) => list(ctx, filterOf(ctx, store.catalog.map((c) => ({ type: c.type, name: c.name })), FILTERS.none), 'skip'),
    listIntegrations: (ctx) => list(ctx, filterOf(ctx, store.integrations(acc(ctx)), FILTERS.none), 'skip'),
    addIntegration: (ctx) => ({ status: 201, body: store.addIntegration(acc(ctx), obj(ctx).type, by(ctx.principal)) }),
    removeIntegration: (ctx) => {
      store.removeIntegration(acc(ctx), ctx.params.integrationId ?? '');
      return { status: 204 };
    },

    listOrders: (ctx) => {
      requirePartnerAdmin(ctx.principal, 'list partner subscriptions');
      return list(ctx, filterOf(ctx, store.orders().filter((o) => o.partnerId === ctx.principal.partnerId), FILTERS.orders).map(orderView), 'skip');
    },
    updateOrder: (ctx) => {
      requirePartnerAdmin(ctx.principal, 'assign partner subscriptions');
      const id = ctx.params.subscriptionId ?? '';
      const order = store.orders().find((o) => o.subscriptionId === id);
      if (!order || order.partnerId !== ctx.principal.partnerId) throw new ApiFailure(404, `Subscription ${id} not found`);
      const b = obj(ctx);
      if (!('accountId' in b) || (b.accountId !== null && typeof b.accountId !== 'string')) throw new ApiFailure(400, 'accountId (an account id, or null to unassign) is required');
      const accountId = b.accountId === null ? null : visible(ctx.principal, b.accountId as string).accountId;
      return { status: 200, body: orderView(store.assignOrder(order.subscriptionId, accountId, by(ctx.principal))) };
    },
    listSubscriptions: (ctx) => {
      const mine = new Set(visibleAccounts(ctx.principal).map((a) => a.accountId));
      return list(ctx, filterOf(ctx, store.subscriptions().filter((s) => mine.has(s.accountId)), FILTERS.subscriptions), 'skip');
    },
    listLicenses: (ctx) => {
      const licenses = visibleAccounts(ctx.principal).flatMap((a) => store.licenses(a.accountId));
      return list(ctx, filterOf(ctx, licenses, FILTERS.licenses), 'skip');
    },
    createLicense: (ctx) => {
      const b = obj(ctx);
      for (const k of ['accountId', 'userId', 'product']) if (typeof b[k] !== 'string' || !b[k]) throw new ApiFailure(400, `${k} is required`);
      const accountId = visible(ctx.principal, b.accountId as string).accountId;
      return { status: 201, body: store.createLicense(accountId, b.userId as string, b.product as string, by(ctx.principal)) };
    },
    deleteLicense: (ctx) => {
      const id = ctx.params.licenseId ?? '';
      const license = store.license(id);
      if (!license) throw new ApiFailure(404, `License ${id} not found`);
      visible(ctx.principal, license.accountId);
      store.deleteLicense(id);
      return { status: 204 };
    },
  };
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'content-length': Buffer.byteLength(text),
    'x-mitel-correlation-id': randomUUID(),
    ...headers,
  });
  res.end(text);
}

function failure(res: ServerResponse, e: ApiFailure, headers: Record<string, string> = {}): void {
  send(res, e.status, { name: e.name, message: e.message }, headers);
}

/** Reads the body: JSON (any value) or form fields; undefined when empty. */
async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw.trim()) return undefined;
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new ApiFailure(400, 'The body is not valid JSON');
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const pick = (): number => [500, 502, 503][Math.floor(Math.random() * 3)] ?? 500;

/** The sandbox's request handler and the state behind it (sessions, buckets, counters). */
export class SandboxHandler {
  private readonly routes: CompiledRoute[] = compileRoutes();
  private readonly handlers: Record<SandboxRouteName, Handler>;
  private readonly sessions = new Map<string, Session>();
  private readonly refreshTokens = new Map<string, Principal>();
  private readonly buckets = new Map<string, TokenBucket>();
  /** Requests per `"METHOD /prefix/template"`. */
  readonly counts: Record<string, number> = {};
  readonly faultCounts: FaultCounts = { errorBeforeWrite: 0, errorAfterCommit: 0, dropAfterCommit: 0, rateLimited: 0 };

  constructor(readonly options: SandboxHandlerOptions) {
    this.handlers = apiHandlers(this);
  }

  get faults(): FaultSettings {
    return this.options.faults;
  }

  setFaults(patch: Partial<FaultSettings>): FaultSettings {
    Object.assign(this.options.faults, patch);
    this.buckets.clear();
    return { ...this.options.faults };
  }

  resetCounts(): void {
    for (const k of Object.keys(this.counts)) delete this.counts[k];
    Object.assign(this.faultCounts, { errorBeforeWrite: 0, errorAfterCommit: 0, dropAfterCommit: 0, rateLimited: 0 });
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

  private chance(rate: number): boolean {
    return rate > 0 && Math.random() < rate;
  }

  /** Handles one request. Never throws. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      if (url.pathname.startsWith('/sandbox/')) return await this.control(req, res, url);
      const method = req.method ?? 'GET';
      let found: ReturnType<typeof matchRoute>;
      try {
        found = matchRoute(this.routes, method, url.pathname);
      } catch {
        return failure(res, new ApiFailure(400, 'The path is not valid URL encoding'));
      }
      if (!found) {
        this.count(`${method} unknown`);
        await readBody(req).catch(() => undefined);
        return failure(res, new ApiFailure(404, `No route ${method} ${url.pathname}`));
      }
      const { route, params } = found;
      this.count(`${route.method} ${route.path}`);
      const body = method === 'GET' ? undefined : await readBody(req);
      const isToken = route.name === 'token';
      const principal = isToken ? undefined : this.authenticate(req);
      if (principal && principal.role === 'USER' && route.name !== 'tokenClaims') throw new ApiFailure(403, 'Users may not call the admin and billing APIs');
      const bucketKey = principal ? `p:${principal.principalId}` : `token:${tokenKey(body)}`;
      const wait = this.rateLimited(bucketKey);
      if (wait > 0) {
        this.faultCounts.rateLimited += 1;
        return failure(res, new ApiFailure(429, 'Too many requests'), { 'retry-after': String(Math.max(1, Math.ceil(wait))) });
      }
      const { latencyMs, jitterMs } = this.options.faults;
      const delay = latencyMs + (jitterMs ? Math.random() * jitterMs : 0);
      if (delay > 0) await sleep(delay);
      if (this.chance(this.options.faults.errorRate)) {
        this.faultCounts.errorBeforeWrite += 1;
        return failure(res, new ApiFailure(pick(), 'The service is temporarily unavailable'));
      }
      const base = `http://${req.headers.host ?? 'localhost'}`;
      const ctx: Ctx = { req, url, base, params, body, principal: principal as Principal };
      const result = await this.handlers[route.name](ctx);
      const write = method !== 'GET' && !isToken;
      if (write && result.status < 400) {
        this.options.onWrite();
        if (this.chance(this.options.faults.dropAfterCommitRate)) {
          this.faultCounts.dropAfterCommit += 1;
          req.socket.destroy();
          return;
        }
        if (this.chance(this.options.faults.errorAfterCommitRate)) {
          this.faultCounts.errorAfterCommit += 1;
          return failure(res, new ApiFailure(pick(), 'The service is temporarily unavailable'));
        }
      }
      send(res, result.status, result.body);
    } catch (e) {
      if (res.headersSent || res.destroyed) return;
      if (e instanceof ApiFailure) return failure(res, e, e.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
      send(res, 500, { name: 'InternalServerError', message: `sandbox bug: ${(e as Error).message}` });
    }
  }

  private authenticate(req: IncomingMessage): Principal {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw new ApiFailure(401, 'A bearer token is required');
    const session = this.sessions.get(token);
    if (!session) throw new ApiFailure(401, 'The token is not valid');
    if (session.exp * 1000 <= this.options.now().getTime()) throw new ApiFailure(401, 'The token has expired');
    return session.principal;
  }

  private issue(principal: Principal): Record<string, unknown> {
    const access = randomBytes(24).toString('base64url');
    const refresh = randomBytes(24).toString('base64url');
    const ttl = this.options.faults.tokenTtlSec;
    const iat = this.options.now().getTime() / 1000;
    this.sessions.set(access, { principal, iat: Math.floor(iat), exp: iat + ttl });
    this.refreshTokens.set(refresh, principal);
    return { access_token: access, token_type: 'bearer', expires_in: ttl, refresh_token: refresh };
  }

  private userPrincipal(u: UserRecord): Principal {
    const account = this.options.store.account(u.accountId);
    return { principalId: u.userId, userId: u.userId, accountId: u.accountId, partnerId: account?.partnerId ?? '', role: u.role, email: u.email, name: u.name };
  }

  /** `POST /token`: password, client_credentials and refresh_token grants. */
  token(ctx: Ctx): Result {
    const b = ctx.body === undefined ? {} : obj(ctx);
    const str = (k: string): string | undefined => (typeof b[k] === 'string' && b[k] !== '' ? (b[k] as string) : undefined);
    const store = this.options.store;
    switch (b.grant_type) {
      case 'password': {
        const username = str('username');
        const password = str('password');
        if (!username || !password) throw new ApiFailure(400, 'username and password are required');
        const u = store.login(username, password, str('account_id'));
        if (!u) throw new ApiFailure(401, 'The username or password is wrong');
        return { status: 200, body: this.issue(this.userPrincipal(u)) };
      }
      case 'client_credentials': {
        const client = store.clients.get(str('client_id') ?? '');
        if (!client || client.clientSecret !== b.client_secret) throw new ApiFailure(401, 'The client id or secret is wrong');
        const accountId = str('account_id');
        if (accountId !== undefined && accountId !== client.accountId) throw new ApiFailure(401, 'The client is not registered in that account');
        const account = store.account(client.accountId);
        if (!account) throw new ApiFailure(401, 'The client is not registered in that account');
        const role = store.partnerOwning(account.accountId) ? 'PARTNER_ADMIN' : 'ACCOUNT_ADMIN';
        return { status: 200, body: this.issue({ principalId: client.clientId, userId: null, accountId: account.accountId, partnerId: account.partnerId, role, email: null, name: client.clientId }) };
      }
      case 'refresh_token': {
        const refresh = str('refresh_token') ?? '';
        const principal = this.refreshTokens.get(refresh);
        if (!principal) throw new ApiFailure(401, 'The refresh token is not valid');
        this.refreshTokens.delete(refresh);
        return { status: 200, body: this.issue(principal) };
      }
      default:
        throw new ApiFailure(400, 'grant_type must be password, client_credentials or refresh_token');
    }
  }

  /** `GET /token`: the claims of the bearer token. */
  claims(ctx: Ctx): Result {
    const token = /^Bearer\s+(\S+)$/i.exec(ctx.req.headers.authorization ?? '')?.[1] ?? '';
    const session = this.sessions.get(token);
    if (!session) throw new ApiFailure(401, 'The token is not valid');
    const p = session.principal;
    return {
      status: 200,
      body: { accountId: p.accountId, partnerId: p.partnerId, principalId: p.principalId, userId: p.userId, role: p.role, email: p.email, name: p.name, iat: session.iat, exp: Math.floor(session.exp) },
    };
  }

  private async control(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const store = this.options.store;
    const key = `${req.method ?? 'GET'} ${url.pathname}`;
    const body = req.method === 'GET' ? undefined : await readBody(req);
    const object = (): Record<string, unknown> => {
      if (body === undefined) return {};
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiFailure(400, 'The body must be a JSON object');
      return body as Record<string, unknown>;
    };
    switch (key) {
      case 'POST /sandbox/reset':
        store.reset();
        this.sessions.clear();
        this.refreshTokens.clear();
        this.resetCounts();
        this.setFaults({ ...DEFAULT_FAULTS });
        this.options.onWrite();
        return send(res, 204);
      case 'POST /sandbox/seed':
        store.seed(object() as SandboxSeed);
        this.options.onWrite();
        return send(res, 204);
      case 'GET /sandbox/state':
        return send(res, 200, { ...store.dump(), faultCounts: this.faultCounts });
      case 'GET /sandbox/outbox':
        return send(res, 200, { items: store.outbox });
      case 'GET /sandbox/requests':
        return send(res, 200, this.counts);
      case 'DELETE /sandbox/requests':
        this.resetCounts();
        return send(res, 204);
      case 'GET /sandbox/faults':
        return send(res, 200, this.options.faults);
      case 'POST /sandbox/faults': {
        const patch: Partial<FaultSettings> = {};
        for (const [k, v] of Object.entries(object())) {
          if (!(k in DEFAULT_FAULTS)) throw new ApiFailure(400, `Unknown fault "${k}"; known: ${Object.keys(DEFAULT_FAULTS).join(', ')}`);
          if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ApiFailure(400, `Fault "${k}" must be a non-negative number`);
          (patch as Record<string, number>)[k] = v;
        }
        return send(res, 200, this.setFaults(patch));
      }
      default:
        return failure(res, new ApiFailure(404, `No sandbox control ${key}`));
    }
  }
}

/** The rate-limit key of a token request: who asks (username or client id). */
function tokenKey(body: unknown): string {
  if (typeof body !== 'object' || body === null) return 'anonymous';
  const b = body as Record<string, unknown>;
  return String(b.username ?? b.client_id ?? b.refresh_token ?? 'anonymous');
}
