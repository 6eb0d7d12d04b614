/**
 * Lower bounds on the requests a plan or an apply must send, computed from the tenancy's shape
 * and the routes of CloudLink API contract version 2.1 (`cloudlink-api.md`), never from what the
 * client counted. Lists are served in pages of up to 1,000 (the sandbox's cap, contract 2.1);
 * a list is one request even when empty. User batches take at most 100 operations.
 */

/** Items per page of every list: what the sandbox serves at most (contract 2.1, Lists). */
export const PAGE = 1000;
/** Operations per user batch (`PATCH …/users`, contract: at most 100). */
export const BATCH = 100;
/** Pages to read a list of `n` items (an empty list is one request). */
export const pages = (n: number): number => Math.max(1, Math.ceil(n / PAGE));

/**
 * The least time a workload can take: its requests at the rate (the service's limit and the
 * client's budget), or its longest chain of calls that must follow one another at the
 * latency, whichever is longer. Returns the seconds and the formula with its numbers.
 */
export function timeBound(w: { requests: number; rate: number; chain: number; latencyMs: number }): { seconds: number; formula: string } {
  const byRate = w.requests / w.rate;
  const byChain = (w.chain * w.latencyMs) / 1000;
  return { seconds: Math.max(byRate, byChain), formula: `max(${w.requests} requests ÷ ${w.rate} req/s = ${byRate.toFixed(2)} s, chain of ${w.chain} calls × ${w.latencyMs} ms = ${byChain.toFixed(2)} s)` };
}

/**
 * The longest chain of a plan's reads: `POST /token`, then the claims (the partner id is
 * checked before any other call), then the accounts list (to bind declared accounts), then the
 * first page of each account's lists, then (for a list of more than one page) the rest of its
 * pages, which `count` and `$skip` let the client fetch at once.
 */
export const planChain = (largestList: number): number => 4 + (pages(largestList) > 1 ? 1 : 0);

/**
 * Requests per welcome e-mail the contract makes necessary: CloudLink keeps no record of a
 * welcome, so the tool keeps it in the user's tag. Who still needs one is in the plan's user
 * list (users come with their tags), and applies of an account never overlap (the apply lock),
 * so: POST …/welcome-email, PUT the tag.
 */
export const WELCOME_REQUESTS = 2;

/**
 * The apply lease's own requests per account written (provider/engine/lock/lease.ts): take it
 * (GET the account, PUT the lock tag, GET it back) and release it (GET, DELETE the tag). The
 * contract has no conditional write, so a lease cannot cost less. Renewals (a GET and a PUT per
 * renewal interval) depend on how long the account takes, not on its shape, and are not counted.
 */
export const LEASE_REQUESTS = 5;

/** What a plan has to read: the shape of live state it reads. */
export interface PlanShape {
  /** Accounts the principal sees under its partner (its own account included: a partner admin sees it). */
  visibleAccounts: number;
  /** The partner's orders. */
  orders: number;
  /** Per matched account: its contacts, integrations, users and licenses. */
  accounts: { contacts: number; integrations: number; users: number; licenses: number }[];
}

/**
 * A plan's requests: POST /token and GET /token (the claims, read once); the accounts list,
 * the partner-subscriptions list and the integrations catalogue; then per matched account one
 * list each of contacts, integrations, users and licenses, each ⌈n / PAGE⌉ pages.
 */
export function planBound(s: PlanShape): { requests: number; parts: Record<string, number> } {
  const parts = {
    login: 2,
    accounts: pages(s.visibleAccounts),
    orders: pages(s.orders),
    catalog: 1,
    contacts: s.accounts.reduce((n, a) => n + pages(a.contacts), 0),
    integrations: s.accounts.reduce((n, a) => n + pages(a.integrations), 0),
    users: s.accounts.reduce((n, a) => n + pages(a.users), 0),
    licenses: s.accounts.reduce((n, a) => n + pages(a.licenses), 0),
  };
  return { requests: Object.values(parts).reduce((n, v) => n + v, 0), parts };
}

/** What an apply of new users has to write, per (existing) account; `users`: the users it had when planned. */
export interface ApplyShape {
  accounts: { creates: number; enables: number; welcomes: number; users: number }[];
}

/**
 * An apply's requests: the lease per account (LEASE_REQUESTS, plus one list of the account's
 * users with their tags once it is held: a previous holder may have sent welcome e-mails since
 * the plan), one `PATCH …/users` batch per 100 creates, one `POST /licenses` per enable (the
 * contract has no bulk license call), WELCOME_REQUESTS per welcome e-mail.
 */
export function applyBound(s: ApplyShape): { requests: number; parts: Record<string, number> } {
  const parts = {
    leases: s.accounts.reduce((n, a) => n + LEASE_REQUESTS + pages(a.users), 0),
    userBatches: s.accounts.reduce((n, a) => n + (a.creates > 0 ? Math.ceil(a.creates / BATCH) : 0), 0),
    licenseEnables: s.accounts.reduce((n, a) => n + a.enables, 0),
    welcomes: s.accounts.reduce((n, a) => n + WELCOME_REQUESTS * a.welcomes, 0),
  };
  return { requests: Object.values(parts).reduce((n, v) => n + v, 0), parts };
}

/**
 * What apply's read-back (provider/engine/apply/kept.ts, issue 22: "apply checks what the service
 * kept") adds to an apply that only creates users in accounts that exist: the first user batch
 * sends its first row alone (one more batch) and reads that user back (one GET), and after the
 * apply each touched account's users are re-read (one list of `usersAfter` rows).
 */
export function userCreateReadBack(accounts: { usersAfter: number }[]): { requests: number; parts: Record<string, number> } {
  const parts = { probeBatch: 1, probeReadBack: 1, finalReRead: accounts.reduce((n, a) => n + pages(a.usersAfter), 0) };
  return { requests: Object.values(parts).reduce((n, v) => n + v, 0), parts };
}
