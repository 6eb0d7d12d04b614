/**
 * The principal's scope: which accounts a caller may see and act on, and the guard of the
 * partner-level operations.
 *
 * Decisions on the contract's [A] points made here (with `server.ts` for USER principals and
 * `account-handlers.ts` for a partner's own account):
 * - Scope: PARTNER_ADMIN sees every account whose `partnerId` is its partner (its own account
 *   carries its partner's id, so it is included); ACCOUNT_ADMIN sees its own account only.
 *   Anything outside the scope is 404. Partner-level operations (POST /accounts, DELETE
 *   /accounts/{id}, GET /partners/{id}, billing partner-subscriptions) are 403 for an
 *   ACCOUNT_ADMIN. A USER may log in (`POST/GET /token` work) but every admin and billing
 *   route answers 403. A partner's own account cannot be deleted (403).
 */
import type { HandlerContext } from './handler-context.js';
import type { SandboxStore } from './store.js';
import { ApiFailure, type AccountRecord, type Principal, type UserRecord } from './types.js';

/** The accounts (and users in them) a principal may reach; whatever is outside the scope is 404. */
export interface AccountScope {
  /** The account when the principal may see it, else 404. */
  visible(p: Principal, accountId: string): AccountRecord;
  /** Every account the principal may see. */
  visibleAccounts(p: Principal): AccountRecord[];
  /** The id of the path's `{accountId}` when the caller may see that account, else 404. */
  pathAccountId(ctx: HandlerContext): string;
  /** The path's `{userId}` user of the path's account; 404 when either is unknown or out of scope. */
  pathUser(ctx: HandlerContext): UserRecord;
}

/** The scope rules over the store's accounts. */
export function accountScope(store: SandboxStore): AccountScope {
  const sees = (p: Principal, a: AccountRecord): boolean => (p.role === 'PARTNER_ADMIN' ? a.partnerId === p.partnerId : a.accountId === p.accountId);
  const visible = (p: Principal, accountId: string): AccountRecord => {
    const a = store.account(accountId);
    if (!a || !sees(p, a)) throw new ApiFailure(404, `Account ${accountId} not found`);
    return a;
  };
  const visibleAccounts = (p: Principal): AccountRecord[] => [...store.accounts.values()].map((s) => s.account).filter((a) => sees(p, a));
  const pathAccountId = (ctx: HandlerContext): string => visible(ctx.principal, ctx.params.accountId ?? '').accountId;
  const pathUser = (ctx: HandlerContext): UserRecord => store.userOr404(pathAccountId(ctx), ctx.params.userId ?? '');
  return { visible, visibleAccounts, pathAccountId, pathUser };
}

/** 403 unless the principal is a partner administrator; `what` completes "Only a partner administrator may …". */
export function requirePartnerAdmin(p: Principal, what: string): void {
  if (p.role !== 'PARTNER_ADMIN') throw new ApiFailure(403, `Only a partner administrator may ${what}`);
}
