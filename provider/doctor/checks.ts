/**
 * The doctor's checks: what the tool assumes of CloudLink, each probed with reads only and
 * judged confirmed, refuted or unknown with its evidence (status and correlation id). The
 * route checks are built from the route table (`provider/api/routes.ts`), one per route, so a
 * route added there is covered here without another line; every write route is listed as not
 * probed (the doctor never writes). The checks talk to CloudLink only through a `ReadProbe`
 * (`provider/api/probe.ts`), so a unit test can hand them a fake.
 */
import { ASSUMED_MIN_PAGE_SIZE, REQUESTED_PAGE_SIZE } from '../api/paging.js';
import { filterText, isReadRoute, type FilterName, type ProbeAnswer, type ProbeQuery, type ReadProbe, type ReadRouteName } from '../api/probe.js';
import { routeLabel, routes, type RouteName } from '../api/routes.js';

/** What a check found. */
export type Verdict = 'confirmed' | 'refuted' | 'unknown';

/** One row of the doctor's table. */
export interface DoctorCheck {
  /** Stable id, e.g. `route.listUsers`, `filter.userByEmail@listUsers`, `page-size`. */
  id: string;
  /** What the tool assumes, in a sentence. */
  assumption: string;
  /** `P` public, `A` assumed (cloudlink-api.md), `-` a fact of this tenant. */
  basis: 'P' | 'A' | '-';
  verdict: Verdict;
  /** What was seen, in the doctor's own words and numbers (never a secret, never a raw body). */
  evidence: string;
  /** The HTTP status of the answer the verdict rests on. */
  status?: number;
  /** That answer's `x-mitel-correlation-id`, for Mitel support. */
  correlationId?: string;
}

/** The doctor's findings. */
export interface DoctorReport {
  checkedAt: string;
  checks: DoctorCheck[];
  /** How many checks were refuted (the doctor exits 2 when there is any). */
  refuted: number;
}

/** What the checks need besides the probe. */
export interface DoctorOptions {
  now?: () => Date;
  /** The largest clock difference to the service's `Date` that is still fine (ms, default 30 s). */
  maxSkewMs?: number;
}

/** The values route templates and filters are filled with, learnt as the probes go. */
interface Context {
  partnerId?: string;
  ownAccountId?: string;
  accountId?: string;
  accountName?: string;
  userId?: string;
  email?: string;
}

/** The filters the client sends, and on which lists (every filter of `wire.ts` must be named: the type says so). */
const FILTER_LISTS: Record<FilterName, readonly ReadRouteName[]> = {
  accountsOfPartner: ['listAccounts'],
  accountsNamed: ['listAccounts'],
  userByEmail: ['listUsers'],
  byAccount: ['listSubscriptions', 'listLicenses'],
  ordersOfPartner: ['listOrders'],
  unassignedOrders: ['listOrders'],
  ordersExpiringBefore: ['listOrders'],
  orderById: ['listOrders'],
  orderSearch: ['listOrders'],
};

/** How each read route is probed the way the client calls it (every read route must be named: the type says so). */
const READ_QUERIES: Record<ReadRouteName, (c: Context) => { list: boolean; filter?: string; tags?: boolean }> = {
  tokenClaims: () => ({ list: false }),
  listAccounts: () => ({ list: true, tags: true }),
  getAccount: () => ({ list: false }),
  listContacts: () => ({ list: true }),
  listUsers: () => ({ list: true, tags: true }),
  getUser: () => ({ list: false }),
  getPartner: () => ({ list: false }),
  catalog: () => ({ list: true }),
  listIntegrations: () => ({ list: true }),
  listOrders: (c) => ({ list: true, ...(c.partnerId ? { filter: filterText('ordersOfPartner', values(c, new Date())) } : {}) }),
  listSubscriptions: (c) => ({ list: true, ...(c.accountId ? { filter: filterText('byAccount', values(c, new Date())) } : {}) }),
  listLicenses: (c) => ({ list: true, ...(c.accountId ? { filter: filterText('byAccount', values(c, new Date())) } : {}) }),
};

function values(c: Context, now: Date): Parameters<typeof filterText>[1] {
  return { partnerId: c.partnerId ?? '', accountId: c.accountId ?? '', name: c.accountName ?? '', email: c.email ?? '', orderId: 'doctor-probe', isoDate: now.toISOString(), text: 'doctor-probe' };
}

/** The `{name}` parameters of a template. */
function paramNames(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
}

/** Statuses that say the service has no such route. */
const ABSENT = new Set([404, 405, 501]);

const evidenceOf = (a: ProbeAnswer): Pick<DoctorCheck, 'status' | 'correlationId'> => ({ ...(a.status ? { status: a.status } : {}), ...(a.correlationId ? { correlationId: a.correlationId } : {}) });

/** The verdict on a route from its answer. */
function routeVerdict(a: ProbeAnswer): { verdict: Verdict; evidence: string } {
  if (a.status >= 200 && a.status < 300) return { verdict: 'confirmed', evidence: 'answered' };
  if (ABSENT.has(a.status)) return { verdict: 'refuted', evidence: 'the service has no such route' };
  if (a.status === 403) return { verdict: 'unknown', evidence: 'these credentials may not read it' };
  if (a.status === 0) return { verdict: 'unknown', evidence: 'no answer (network failure)' };
  return { verdict: 'unknown', evidence: 'an answer the tool does not expect here' };
}

/** The form of a `Retry-After` value: `seconds`, `date`, or `undefined` when it is neither (or absent). */
export function retryAfterForm(value: string): 'seconds' | 'date' | undefined {
  if (/^\s*\d+\s*$/.test(value)) return 'seconds';
  if (value.trim() && !Number.isNaN(Date.parse(value))) return 'date';
  return undefined;
}

/** Runs every check with reads only. Never throws for what CloudLink answers. */
export async function runDoctor(probe: ReadProbe, options: DoctorOptions = {}): Promise<DoctorReport> {
  const now = options.now ?? (() => new Date());
  const maxSkewMs = options.maxSkewMs ?? 30_000;
  const checks: DoctorCheck[] = [];
  const answers: { answer: ProbeAnswer; at: number }[] = [];
  const c: Context = {};
  const read = async (route: ReadRouteName, q: ProbeQuery = {}): Promise<ProbeAnswer> => {
    const answer = await probe.read(route, q);
    answers.push({ answer, at: now().getTime() });
    return answer;
  };

  // Every route of the table, in its order (the reads that aim later probes come first there).
  const pages = new Map<ReadRouteName, ProbeAnswer>();
  let claims: ProbeAnswer | undefined;
  for (const name of Object.keys(routes) as RouteName[]) {
    const route = routes[name];
    const label = routeLabel(name);
    const base = { id: `route.${name}`, assumption: `${label} (${route.service}) answers`, basis: route.basis };
    if (name === 'token') continue; // judged by the claims below: the login is what reached them
    if (!isReadRoute(name)) {
      checks.push({ ...base, verdict: 'unknown', evidence: 'a write: not probed (the doctor never writes); the first apply with --trace-http shows it' });
      continue;
    }
    const params: Record<string, string> = {};
    const missing = paramNames(route.template).filter((p) => {
      const v = p === 'accountId' ? c.accountId : p === 'userId' ? c.userId : p === 'partnerId' ? c.partnerId : undefined;
      if (v !== undefined) params[p] = v;
      return v === undefined;
    });
    if (missing.length > 0) {
      checks.push({ ...base, verdict: 'unknown', evidence: `not probed: no ${missing.join(', ')} to read with` });
      continue;
    }
    const how = READ_QUERIES[name](c);
    const q: ProbeQuery = { params, ...(how.list ? { top: REQUESTED_PAGE_SIZE } : {}), ...(how.tags ? { expandTags: true } : {}) };
    let a = await read(name, how.filter ? { ...q, filter: how.filter } : q);
    if (how.filter && a.status === 400) a = await read(name, q); // a refused filter is its own check below
    const v = routeVerdict(a);
    checks.push({ ...base, ...v, ...evidenceOf(a) });
    if (name === 'tokenClaims') claims = a;
    if (a.page) pages.set(name, a);
    learn(c, name, a);
  }

  checks.unshift(...claimChecks(claims, now()));
  checks.push(pageSizeCheck(pages), countCheck(pages), tagsCheck(pages));
  for (const [filter, lists] of Object.entries(FILTER_LISTS) as [FilterName, readonly ReadRouteName[]][]) {
    for (const list of lists) checks.push(await filterCheck(read, c, filter, list, now()));
  }
  checks.push(billingCheck(checks), correlationCheck(answers.map((x) => x.answer)), retryAfterCheck(probe.retryAfterSeen()), skewCheck(answers, maxSkewMs));
  return { checkedAt: now().toISOString(), checks, refuted: checks.filter((x) => x.verdict === 'refuted').length };
}

/** Learns the partner, the account and the user later probes read. */
function learn(c: Context, name: ReadRouteName, a: ProbeAnswer): void {
  if (name === 'tokenClaims' && a.claims) {
    if (a.claims.principal.partnerId) c.partnerId = a.claims.principal.partnerId;
    c.ownAccountId = a.claims.principal.accountId;
    c.accountId = a.claims.principal.accountId;
  }
  // A customer account when one is listed (its users, contacts and licenses are what the tool manages), else the principal's own.
  const account = name === 'listAccounts' ? (a.page?.sample.find((x) => x.id !== c.ownAccountId) ?? a.page?.sample[0]) : undefined;
  if (account) {
    c.accountId = account.id;
    if (account.name !== undefined) c.accountName = account.name;
  }
  const user = name === 'listUsers' ? a.page?.sample[0] : undefined;
  if (user) {
    c.userId = user.id;
    if (user.email !== undefined) c.email = user.email;
  }
}

function claimChecks(a: ProbeAnswer | undefined, now: Date): DoctorCheck[] {
  const who: DoctorCheck = { id: 'token.claims', assumption: 'the login works and GET /token names the principal (accountId, partnerId, role)', basis: 'P', verdict: 'unknown', evidence: 'GET /token was not read' };
  const life: DoctorCheck = { id: 'token.lifetime', assumption: 'tokens live long enough to refresh ahead of expiry (at least 5 minutes; Mitel: about an hour)', basis: 'P', verdict: 'unknown', evidence: 'no token claims' };
  if (!a) return [who, life];
  Object.assign(who, evidenceOf(a));
  Object.assign(life, evidenceOf(a));
  if (a.status < 200 || a.status >= 300) return [{ ...who, ...routeVerdict(a) }, life];
  const p = a.claims?.principal;
  if (!p) return [{ ...who, verdict: 'refuted', evidence: 'answered without claims the client can read' }, life];
  const missing = (['partnerId', 'role'] as const).filter((k) => !p[k]);
  who.verdict = missing.length ? 'refuted' : 'confirmed';
  who.evidence = missing.length ? `claims lack ${missing.join(', ')}` : `role ${p.role ?? ''}, partner ${p.partnerId ?? ''}, account ${p.accountId}`;
  const { issuedAt, expiresAt } = a.claims ?? {};
  if (expiresAt === undefined) return [who, { ...life, evidence: 'the claims carry no exp' }];
  const lifetime = issuedAt !== undefined ? expiresAt - issuedAt : undefined;
  const left = Math.round(expiresAt - now.getTime() / 1000);
  const seconds = lifetime ?? left;
  life.verdict = seconds >= 300 ? 'confirmed' : 'refuted';
  life.evidence = `${lifetime !== undefined ? `lifetime ${lifetime} s (exp − iat)` : `no iat; ${left} s left`}${lifetime !== undefined ? `, ${left} s left` : ''}`;
  return [who, life];
}

function pageSizeCheck(pages: Map<ReadRouteName, ProbeAnswer>): DoctorCheck {
  const base = { id: 'page-size', assumption: `asked for $top=${REQUESTED_PAGE_SIZE}, lists serve pages of at least ${ASSUMED_MIN_PAGE_SIZE} rows (the request budgets count pages of ${ASSUMED_MIN_PAGE_SIZE}; the client follows any size)`, basis: 'A' as const };
  const full = [...pages.values()].filter((a) => a.page?.hasNext);
  const capped = full.sort((x, y) => (x.page?.rows ?? 0) - (y.page?.rows ?? 0))[0];
  if (capped?.page) {
    const n = capped.page.rows;
    return { ...base, verdict: n >= ASSUMED_MIN_PAGE_SIZE ? 'confirmed' : 'refuted', evidence: `${routeLabel(capped.route)} served ${n} rows and a next link`, ...evidenceOf(capped) };
  }
  const largest = [...pages.values()].sort((x, y) => (y.page?.rows ?? 0) - (x.page?.rows ?? 0))[0];
  const rows = largest?.page?.rows ?? 0;
  if (largest && rows >= ASSUMED_MIN_PAGE_SIZE) return { ...base, verdict: 'confirmed', evidence: `${routeLabel(largest.route)} served all ${rows} rows in one page`, ...evidenceOf(largest) };
  return { ...base, verdict: 'unknown', evidence: `no list was longer than one page (the largest had ${rows} rows)` };
}

function countCheck(pages: Map<ReadRouteName, ProbeAnswer>): DoctorCheck {
  const base = { id: 'count', assumption: 'lists carry count (pages of a large list can then be read concurrently)', basis: 'A' as const };
  const all = [...pages.values()];
  if (all.length === 0) return { ...base, verdict: 'unknown', evidence: 'no list was read' };
  const without = all.filter((a) => a.page?.count === undefined);
  if (without.length === 0) return { ...base, verdict: 'confirmed', evidence: `all ${all.length} lists read carry count` };
  const first = without[0] as ProbeAnswer;
  return { ...base, verdict: 'refuted', evidence: `no count on ${without.map((a) => routeLabel(a.route)).join(', ')}`, ...evidenceOf(first) };
}

function tagsCheck(pages: Map<ReadRouteName, ProbeAnswer>): DoctorCheck {
  const base = { id: 'expand-tags', assumption: '$expand=tags returns each account’s and user’s tags', basis: 'P' as const };
  const asked = (['listAccounts', 'listUsers'] as const).map((r) => pages.get(r)).filter((a): a is ProbeAnswer => a?.page !== undefined && a.page.rows > 0);
  if (asked.length === 0) return { ...base, verdict: 'unknown', evidence: 'no account or user was listed' };
  const bare = asked.find((a) => a.page?.rowsWithTags === 0);
  if (bare) return { ...base, verdict: 'refuted', evidence: `${routeLabel(bare.route)} with $expand=tags: none of ${bare.page?.rows ?? 0} rows carries tags`, ...evidenceOf(bare) };
  return { ...base, verdict: 'confirmed', evidence: asked.map((a) => `${routeLabel(a.route)}: ${a.page?.rowsWithTags ?? 0} of ${a.page?.rows ?? 0} rows carry tags`).join('; '), ...evidenceOf(asked[0] as ProbeAnswer) };
}

async function filterCheck(read: (r: ReadRouteName, q?: ProbeQuery) => Promise<ProbeAnswer>, c: Context, filter: FilterName, list: ReadRouteName, now: Date): Promise<DoctorCheck> {
  const shape = filterText(filter, { partnerId: '…', accountId: '…', name: '…', email: '…', orderId: '…', isoDate: '…', text: '…' });
  const base = { id: `filter.${filter}@${list}`, assumption: `${routeLabel(list)} accepts $filter=${shape}`, basis: 'A' as const };
  const params: Record<string, string> = {};
  for (const p of paramNames(routes[list].template)) {
    const v = p === 'accountId' ? c.accountId : undefined;
    if (v === undefined) return { ...base, verdict: 'unknown', evidence: `not probed: no ${p} to read with` };
    params[p] = v;
  }
  if ((filter === 'userByEmail' && !c.email) || (filter === 'accountsNamed' && c.accountName === undefined)) return { ...base, verdict: 'unknown', evidence: 'not probed: no row to ask for' };
  const a = await read(list, { params, top: 1, filter: filterText(filter, values(c, now)) });
  if (a.status >= 200 && a.status < 300) return { ...base, verdict: 'confirmed', evidence: 'accepted', ...evidenceOf(a) };
  if (a.status === 400) return { ...base, verdict: 'refuted', evidence: 'refused (400): the client lists without it and filters itself (more requests)', ...evidenceOf(a) };
  return { ...base, ...routeVerdict(a), verdict: 'unknown', ...evidenceOf(a) };
}

function billingCheck(checks: readonly DoctorCheck[]): DoctorCheck {
  const base = { id: 'billing', assumption: 'the billing resources answer (partner-subscriptions, subscriptions, licenses)', basis: 'P' as const };
  const rows = (['listOrders', 'listSubscriptions', 'listLicenses'] as const).map((r) => checks.find((x) => x.id === `route.${r}`)).filter((x): x is DoctorCheck => x !== undefined);
  const refuted = rows.filter((r) => r.verdict === 'refuted');
  if (refuted.length > 0) return { ...base, verdict: 'refuted', evidence: `absent: ${refuted.map((r) => r.assumption.replace(/ \(billing\) answers$/, '')).join(', ')}`, ...pick(refuted[0]) };
  if (rows.length === 3 && rows.every((r) => r.verdict === 'confirmed')) return { ...base, verdict: 'confirmed', evidence: 'all three answered', ...pick(rows[0]) };
  return { ...base, verdict: 'unknown', evidence: 'not every billing list could be read (see their rows)' };
}

const pick = (x: DoctorCheck | undefined): Pick<DoctorCheck, 'status' | 'correlationId'> => ({ ...(x?.status !== undefined ? { status: x.status } : {}), ...(x?.correlationId ? { correlationId: x.correlationId } : {}) });

function correlationCheck(answers: readonly ProbeAnswer[]): DoctorCheck {
  const base = { id: 'correlation-id', assumption: 'every answer carries x-mitel-correlation-id', basis: 'P' as const };
  const answered = answers.filter((a) => a.status > 0);
  if (answered.length === 0) return { ...base, verdict: 'unknown', evidence: 'no answer' };
  const bare = answered.filter((a) => !a.correlationId);
  if (bare.length > 0) return { ...base, verdict: 'refuted', evidence: `${bare.length} of ${answered.length} answers had none, e.g. ${routeLabel((bare[0] as ProbeAnswer).route)}`, status: (bare[0] as ProbeAnswer).status };
  return { ...base, verdict: 'confirmed', evidence: `all ${answered.length} answers` };
}

function retryAfterCheck(seen: readonly string[]): DoctorCheck {
  const base = { id: 'retry-after', assumption: 'a 429 carries Retry-After, in seconds or as an HTTP date', basis: 'P' as const };
  if (seen.length === 0) return { ...base, verdict: 'unknown', evidence: 'no 429 was met (production rate-limits; Mitel’s sandbox does not)' };
  const forms = seen.map(retryAfterForm);
  const bad = seen.filter((_, i) => forms[i] === undefined);
  if (bad.length > 0) return { ...base, verdict: 'refuted', evidence: `${bad.length} of ${seen.length} 429s had no readable Retry-After: the client backs off on its own` };
  const kinds = [...new Set(forms)].join(' and ');
  return { ...base, verdict: 'confirmed', evidence: `${seen.length} 429s, Retry-After in ${kinds} (e.g. ${seen[0] ?? ''})` };
}

function skewCheck(answers: readonly { answer: ProbeAnswer; at: number }[], maxSkewMs: number): DoctorCheck {
  const base = { id: 'clock-skew', assumption: `this machine’s clock is within ${Math.round(maxSkewMs / 1000)} s of the service’s Date header (token expiry, welcome records, order expiry)`, basis: '-' as const };
  const dated = answers.filter((x) => x.answer.date !== undefined && !Number.isNaN(Date.parse(x.answer.date)));
  if (dated.length === 0) return { ...base, verdict: 'unknown', evidence: 'no answer carried a Date header' };
  // Date has whole seconds: a difference under one second is no skew.
  const skews = dated.map((x) => x.at - Date.parse(x.answer.date ?? ''));
  const worst = skews.reduce((m, s) => (Math.abs(s) > Math.abs(m) ? s : m), 0);
  const i = skews.indexOf(worst);
  const at = dated[i >= 0 ? i : 0]?.answer;
  const seconds = (Math.abs(worst) / 1000).toFixed(1);
  const evidence = `largest difference ${seconds} s (this machine ${worst >= 0 ? 'ahead' : 'behind'}) over ${dated.length} answers`;
  return { ...base, verdict: Math.abs(worst) <= maxSkewMs + 1000 ? 'confirmed' : 'refuted', evidence, ...(at ? evidenceOf(at) : {}) };
}
