/**
 * Read-only probes of the route table for `cloudlink-tenancy doctor`: one GET of any read
 * route, answered with its status, correlation id and `Date` header, and what the answer
 * shows (a list page's rows, `count`, `next` link and rows carrying tags; the token's claims
 * and times), never its raw body. Over the same transport as the client (auth, budget,
 * retries, redaction), so `--trace-http` records the probes too.
 *
 * Guarantees: only routes whose method is GET can be probed (the type refuses the others, and
 * a runtime check throws as a bug); a probe never throws for a CloudLink answer or a network
 * failure (it reports the status and message instead); the `Retry-After` headers of 429
 * answers met on the way are kept as sent.
 */
import { z } from 'zod';
import type { Principal } from '../model/live.js';
import { CloudLinkError } from './errors.js';
import { routes, type RouteName } from './routes.js';
import { Transport, type TransportOptions } from './transport.js';
import { accountSchema, claimsSchema, EXPAND_TAGS, filters, pageSchema, principalFromWire, userSchema } from './wire.js';

/** The routes that only read (method GET). */
export type ReadRouteName = { [K in RouteName]: (typeof routes)[K]['method'] extends 'GET' ? K : never }[RouteName];

/** True for a route that only reads. */
export function isReadRoute(name: RouteName): name is ReadRouteName {
  return routes[name].method === 'GET';
}

/** What a probe asks for. */
export interface ProbeQuery {
  params?: Record<string, string>;
  /** `$top`. */
  top?: number;
  /** `$filter`. */
  filter?: string;
  /** `$expand=tags`. */
  expandTags?: boolean;
}

/** What one list page showed. */
export interface ProbedPage {
  rows: number;
  /** `count`, when the page carried one. */
  count?: number;
  hasNext: boolean;
  /** Rows that carried a `tags` object. */
  rowsWithTags: number;
  /** The first rows' ids (accounts and users), names (accounts) and e-mails (users), to aim later probes. */
  sample: { id: string; name?: string; email?: string }[];
}

/** What one probe got. */
export interface ProbeAnswer {
  route: ReadRouteName;
  /** The HTTP status; 0 when no answer came (network failure). */
  status: number;
  correlationId?: string;
  /** The answer's `Date` header. */
  date?: string;
  /** The client's error message (scrubbed), when the call failed past its retries. */
  error?: string;
  page?: ProbedPage;
  /** The `GET /token` claims and the token's `iat`/`exp` (Unix seconds), when the route was `tokenClaims`. */
  claims?: { principal: Principal; issuedAt?: number; expiresAt?: number };
}

/** The filters the client sends (`wire.ts` `filters`), by name. */
export type FilterName = keyof typeof filters;

/** The text of one of the client's filters for the given values. */
export function filterText(name: FilterName, v: { partnerId: string; accountId: string; name: string; email: string; orderId: string; isoDate: string; text: string }): string {
  const texts: Record<FilterName, () => string> = {
    accountsOfPartner: () => filters.accountsOfPartner(v.partnerId),
    accountsNamed: () => filters.accountsNamed(v.partnerId, v.name),
    userByEmail: () => filters.userByEmail(v.email),
    byAccount: () => filters.byAccount(v.accountId),
    orderById: () => filters.orderById(v.orderId),
    ordersOfPartner: () => filters.ordersOfPartner(v.partnerId),
    unassignedOrders: () => filters.unassignedOrders(),
    ordersExpiringBefore: () => filters.ordersExpiringBefore(v.isoDate),
    orderSearch: () => filters.orderSearch(v.text),
  };
  return texts[name]();
}

/** The probes the doctor uses. */
export interface ReadProbe {
  read(route: ReadRouteName, query?: ProbeQuery): Promise<ProbeAnswer>;
  /** The `Retry-After` values of every 429 met so far, as sent (`''` for a 429 without one). */
  retryAfterSeen(): readonly string[];
  close(): Promise<void>;
}

const claimTimesSchema = z.object({ iat: z.number().nullish(), exp: z.number().nullish() });
const anyPage = pageSchema(z.unknown());

function pageFacts(route: ReadRouteName, body: unknown): ProbedPage | undefined {
  const parsed = anyPage.safeParse(body);
  if (!parsed.success) return undefined;
  const items = parsed.data._embedded.items;
  const withTags = items.filter((i) => i !== null && typeof i === 'object' && typeof (i as Record<string, unknown>).tags === 'object' && (i as Record<string, unknown>).tags !== null).length;
  const out: ProbedPage = { rows: items.length, hasNext: Boolean(parsed.data._links?.next), rowsWithTags: withTags, sample: [] };
  if (typeof parsed.data.count === 'number') out.count = parsed.data.count;
  for (const row of items.slice(0, 5)) {
    if (route === 'listAccounts') {
      const a = accountSchema.safeParse(row);
      if (a.success) out.sample.push({ id: a.data.accountId, name: a.data.name });
    } else if (route === 'listUsers') {
      const u = userSchema.safeParse(row);
      if (u.success) out.sample.push({ id: u.data.userId, email: u.data.email });
    }
  }
  return out;
}

function claimsFacts(body: unknown): ProbeAnswer['claims'] {
  const c = claimsSchema.safeParse(body);
  if (!c.success) return undefined;
  const t = claimTimesSchema.safeParse(body);
  const iat = t.success ? t.data.iat : undefined;
  const exp = t.success ? t.data.exp : undefined;
  return { principal: principalFromWire(c.data), ...(typeof iat === 'number' ? { issuedAt: iat } : {}), ...(typeof exp === 'number' ? { expiresAt: exp } : {}) };
}

/** Every client-error status a probe reports instead of throwing. */
const REPORTED = [400, 401, 403, 404, 405, 406, 409, 410, 422, 429, 501] as const;

/** A probe over its own transport (logs in lazily with the options' credentials). */
export function createReadProbe(options: TransportOptions): ReadProbe {
  const seen: string[] = [];
  const t = new Transport({
    ...options,
    onRetry: (event) => {
      if (event.cause.startsWith('HTTP 429')) seen.push(event.retryAfter ?? '');
      options.onRetry?.(event);
    },
  });
  return {
    async read(route, query = {}) {
      if (!isReadRoute(route)) throw new Error(`probe: ${route} is not a read route; the doctor never writes`);
      const q: Record<string, string> = {};
      if (query.top !== undefined) q.$top = String(query.top);
      if (query.filter !== undefined) q.$filter = query.filter;
      if (query.expandTags) q.$expand = EXPAND_TAGS;
      try {
        const r = await t.call({ route, ...(query.params ? { params: query.params } : {}), query: q, schema: z.unknown(), accept: REPORTED });
        const out: ProbeAnswer = { route, status: r.status, ...(r.correlationId ? { correlationId: r.correlationId } : {}), ...(r.date ? { date: r.date } : {}) };
        if (r.status < 300) {
          if (route === 'tokenClaims') {
            const claims = claimsFacts(r.value);
            if (claims) out.claims = claims;
          } else {
            const page = pageFacts(route, r.value);
            if (page) out.page = page;
          }
        }
        return out;
      } catch (e) {
        if (!(e instanceof CloudLinkError)) throw e;
        return { route, status: e.status ?? 0, ...(e.correlationId ? { correlationId: e.correlationId } : {}), error: e.message };
      }
    },
    retryAfterSeen: () => [...seen],
    close: () => t.close(),
  };
}
