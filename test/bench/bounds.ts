/**
 * Lower bounds on the requests a plan or an apply must send, computed from the tenancy's shape
 * and the routes of CloudLink API contract version 2 (`cloudlink-api.md`), never from what the
 * client counted. Lists are paged at 100 (`$top` is capped at 100); a list is one request even
 * when empty.
 */

/** Items per page of every list (the contract's `$top` cap). */
export const PAGE = 100;
/** Pages to read a list of `n` items (an empty list is one request). */
export const pages = (n: number): number => Math.max(1, Math.ceil(n / PAGE));

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
 * list each of contacts, integrations, users and licenses.
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
    userBatches: s.accounts.reduce((n, a) => n + (a.creates > 0 ? Math.ceil(a.creates / PAGE) : 0), 0),
    licenseEnables: s.accounts.reduce((n, a) => n + a.enables, 0),
    welcomes: s.accounts.reduce((n, a) => n + WELCOME_REQUESTS * a.welcomes, 0),
  };
  return { requests: Object.values(parts).reduce((n, v) => n + v, 0), parts };
}
