/**
 * The sandbox's request handler on `node:http`: matches each request to a route of
 * `routes.ts`, authenticates it, applies the injected faults, runs the route's handler and
 * writes the answer; `/sandbox/` requests go to the controls. It counts requests per route.
 *
 * The parts it puts together, each in its own file:
 * - `auth.ts`: tokens (`POST/GET /token`) and the bearer check;
 * - `scope.ts`: which accounts a principal may reach;
 * - `account-handlers.ts`, `user-handlers.ts`, `billing-handlers.ts`: the API routes;
 * - `lists.ts`, `views.ts`: list envelopes, filters and the served shape of records;
 * - `faults.ts`: fault injection; `controls.ts`: the `/sandbox/` controls;
 * - `http-io.ts`: reading bodies and writing answers.
 * The rules on the data live in `store.ts`.
 *
 * Decision on the contract's [A] points made here: a USER may log in (`POST/GET /token`
 * work) but every admin and billing route answers 403 (the rest of the scope: `scope.ts`).
 */
import type { SandboxSeed } from './seed.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxStore } from './store.js';
import { ApiFailure, type FaultCounts, type Principal } from './types.js';
import { FaultInjector, withoutIgnoredFields, type FaultSettings } from './faults.js';
import type { SandboxProfile } from './profile.js';
import { compileRoutes, matchRoute, type CompiledRoute } from './routes.js';
import type { HandlerContext, HandlerResult, RouteHandlers } from './handler-context.js';
import { failure, readBody, send } from './http-io.js';
import { SandboxAuth } from './auth.js';
import { accountScope } from './scope.js';
import { accountHandlers } from './account-handlers.js';
import { userHandlers } from './user-handlers.js';
import { billingHandlers } from './billing-handlers.js';
import { serveControl } from './controls.js';

/** Options of the request handler. */
export interface SandboxHandlerOptions {
  store: SandboxStore;
  now: () => Date;
  faults: FaultSettings;
  /** How the served API departs from the default sandbox (`profile.ts`). */
  profile: SandboxProfile;
  /** Called after every committed write (persistence). */
  onWrite: () => void;
  /**
   * The logins of the seed the sandbox started with (partners with their own accounts and
   * users, API clients): `POST /sandbox/reset` puts them back, so the demo logins keep working.
   */
  principals?: SandboxSeed;
}

/** The API handlers, one per route name of `routes.ts` (the type makes a missing one a compile error). */
function apiHandlers(h: SandboxHandler): RouteHandlers {
  const store = h.options.store;
  const scope = accountScope(store);
  return {
    token: (ctx) => h.token(ctx),
    tokenClaims: (ctx) => h.claims(ctx),
    ...accountHandlers(store, scope, h.options.faults),
    ...userHandlers(store, scope),
    ...billingHandlers(store, scope),
  };
}

/** The sandbox's request handler and the state behind it (sessions, buckets, counters). */
export class SandboxHandler {
  private readonly routes: CompiledRoute[] = compileRoutes();
  private readonly handlers: RouteHandlers;
  private readonly injector: FaultInjector;
  /** The tokens issued and the bearer check. */
  readonly auth: SandboxAuth;
  /** Requests per `"METHOD /prefix/template"`. */
  readonly counts: Record<string, number> = {};
  /** How many faults were injected (the same object all along; `resetCounts` zeroes it). */
  readonly faultCounts: FaultCounts;

  constructor(readonly options: SandboxHandlerOptions) {
    this.auth = new SandboxAuth(options);
    this.injector = new FaultInjector(options.faults);
    this.faultCounts = this.injector.counts;
    this.handlers = apiHandlers(this);
  }

  /** The fault settings in force (changed in place by `setFaults`). */
  get faults(): FaultSettings {
    return this.options.faults;
  }

  /** Changes some fault settings (and restarts the rate limits); returns a copy of the new settings. */
  setFaults(patch: Partial<FaultSettings>): FaultSettings {
    return this.injector.setFaults(patch);
  }

  /** Clears the request counters and the fault counters. */
  resetCounts(): void {
    for (const k of Object.keys(this.counts)) delete this.counts[k];
    this.injector.resetCounts();
  }

  private count(key: string): void {
    this.counts[key] = (this.counts[key] ?? 0) + 1;
  }

  /** Handles one request. Never throws. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      if (url.pathname.startsWith('/sandbox/')) return await serveControl(this, req, res, url);
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
      const isToken = route.name === 'token';
      const read = method === 'GET' ? undefined : await readBody(req);
      if (this.options.profile.absentRoutes.includes(route.name)) return failure(res, new ApiFailure(404, `No route ${method} ${url.pathname}`));
      // A service that does not keep some fields drops them from every write (faults.ignoreFields).
      const body = isToken ? read : withoutIgnoredFields(read, this.options.faults.ignoreFields);
      const principal = isToken ? undefined : this.auth.authenticate(req);
      if (principal && principal.role === 'USER' && route.name !== 'tokenClaims') throw new ApiFailure(403, 'Users may not call the admin and billing APIs');
      const fault = await this.injector.beforeHandling(principal, body);
      if (fault) return failure(res, fault.failure, fault.headers);
      const base = `http://${req.headers.host ?? 'localhost'}`;
      const ctx: HandlerContext = { req, url, base, params, body, principal: principal as Principal, profile: this.options.profile };
      const result = await this.handlers[route.name](ctx);
      const write = method !== 'GET' && !isToken;
      if (write && result.status < 400) {
        this.options.onWrite();
        const after = this.injector.afterCommit();
        if (after === 'drop') {
          req.socket.destroy();
          return;
        }
        if (after) return failure(res, after);
      }
      send(res, result.status, result.body);
    } catch (e) {
      if (res.headersSent || res.destroyed) return;
      if (e instanceof ApiFailure) return failure(res, e, e.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
      send(res, 500, { name: 'InternalServerError', message: `sandbox bug: ${(e as Error).message}` });
    }
  }

  /** `POST /token`: password, client_credentials and refresh_token grants. */
  token(ctx: HandlerContext): HandlerResult {
    return this.auth.token(ctx);
  }

  /** `GET /token`: the claims of the bearer token. */
  claims(ctx: HandlerContext): HandlerResult {
    return this.auth.claims(ctx);
  }
}
