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
 * welcome, so the tool keeps it in the user's tag. The least that sends once and records it:
 * GET the user (has a run sent it since the plan?), POST …/welcome-email, PUT the tag.
 */
export const WELCOME_REQUESTS = 3;

/**
 * What the engine spends per welcome e-mail (provider/engine/apply/welcome.ts): GET the user,
 * PUT a claim (recorded before the send, so a crash never leads to a second e-mail), GET it
 * back (a crossing claim of an overlapping run wins), POST …/welcome-email, PUT the
 * confirmation. The two extra requests buy crash and overlap safety the contract offers no
 * cheaper way to get (no server-side record, no conditional write).
 */
export const ENGINE_WELCOME_REQUESTS = 5;

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

/** What an apply of new users has to write, per (existing) account. */
export interface ApplyShape {
  accounts: { creates: number; enables: number; welcomes: number }[];
}

/**
 * An apply's writes: one `PATCH …/users` batch per 100 creates, one `POST /licenses` per
 * enable (the contract has no bulk license call), `perWelcome` (default WELCOME_REQUESTS, the
 * contract's minimum) per welcome e-mail.
 */
export function applyBound(s: ApplyShape, perWelcome = WELCOME_REQUESTS): { requests: number; parts: Record<string, number> } {
  const parts = {
    userBatches: s.accounts.reduce((n, a) => n + (a.creates > 0 ? Math.ceil(a.creates / PAGE) : 0), 0),
    licenseEnables: s.accounts.reduce((n, a) => n + a.enables, 0),
    welcomes: s.accounts.reduce((n, a) => n + perWelcome * a.welcomes, 0),
  };
  return { requests: Object.values(parts).reduce((n, v) => n + v, 0), parts };
}
