/**
 * The admin API's handlers for users: list, create, batch, read, update, delete, user tags,
 * the welcome e-mail and the password reset. Each checks the caller's scope, calls the store
 * and shapes the answer.
 *
 * Decisions on the contract's [A] points made here:
 * - User bodies never write tags (use the tag routes). Tag PUT/DELETE, welcome e-mail and
 *   password reset answer without a body (204, 202, 202).
 * - Batch `remove` results carry `body: null`.
 */
import { auditName, bodyObject, type HandlerContext, type RouteHandlers } from './handler-context.js';
import { FILTERS, filterOf, filterRules, list, tagsWanted, type Rows } from './lists.js';
import { parseFilter } from './query.js';
import type { AccountScope } from './scope.js';
import type { SandboxStore } from './store.js';
import { ApiFailure, type JsonValue, type UserRecord } from './types.js';
import { userView } from './views.js';

/** The answer to one operation of a batch. */
export interface BatchOperationResult {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * Runs one operation of a user batch (`add`, `replace` or `remove`) in the account. A broken
 * rule becomes that operation's error answer (status and `{ name, message }`), never the batch's.
 */
export function batchOperation(store: SandboxStore, accountId: string, op: unknown, actor: string): BatchOperationResult {
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
        return { statusCode: 201, headers: {}, body: userView(store.createUser(accountId, needBody(), actor), false) };
      case 'replace': {
        const userId = needId();
        return { statusCode: 200, headers: {}, body: userView(store.updateUser(accountId, userId, needBody(), actor), false) };
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
}

/**
 * The users a list request asks for, without touching the others where it can: no `$filter`
 * is the account's stable order (paged in O(page)); `email eq '…'` is one lookup in the e-mail
 * index; any other filter scans the account.
 */
function usersListed(ctx: HandlerContext, store: SandboxStore, accountId: string): Rows<UserRecord> {
  const expr = parseFilter(ctx.url.searchParams.get('$filter'), filterRules(ctx, FILTERS.users));
  if (!expr) return store.userRows(accountId);
  if (expr.kind === 'cmp' && expr.op === 'eq' && expr.field === 'email' && expr.value !== null) {
    const u = store.userByEmail(accountId, expr.value);
    return u ? [u] : [];
  }
  return filterOf(ctx, store.users(accountId), FILTERS.users);
}

/** The handlers of the user routes. */
export function userHandlers(store: SandboxStore, scope: AccountScope) {
  const { visible, pathAccountId, pathUser } = scope;
  return {
    listUsers: (ctx) => {
      const withTags = tagsWanted(ctx);
      return list(ctx, usersListed(ctx, store, pathAccountId(ctx)), ctx.profile.countOnUserLists ? 'skip' : 'skiptoken', (u) => userView(u, withTags));
    },
    createUser: (ctx) => {
      // Contract 2.1 "E-mail on creation": a single create sends the welcome e-mail (a batch add sends none).
      const u = store.createUser(pathAccountId(ctx), bodyObject(ctx), auditName(ctx.principal));
      store.mail('welcome', u.accountId, u.userId);
      return { status: 201, body: userView(u, false) };
    },
    batchUsers: (ctx) => {
      const accountId = pathAccountId(ctx);
      const operations = bodyObject(ctx).operations;
      if (!Array.isArray(operations) || operations.length === 0 || operations.length > 100) throw new ApiFailure(400, 'operations must be a list of 1 to 100 operations');
      const results = operations.map((op: unknown) => batchOperation(store, accountId, op, auditName(ctx.principal)));
      return { status: 200, body: { operations: results } };
    },
    getUser: (ctx) => ({ status: 200, body: userView(pathUser(ctx), tagsWanted(ctx)) }),
    updateUser: (ctx) => ({ status: 200, body: userView(store.updateUser(pathAccountId(ctx), ctx.params.userId ?? '', bodyObject(ctx), auditName(ctx.principal)), false) }),
    deleteUser: (ctx) => {
      store.deleteUser(pathAccountId(ctx), ctx.params.userId ?? '');
      return { status: 204 };
    },
    putUserTag: (ctx) => {
      if (ctx.body === undefined) throw new ApiFailure(400, "The body is the tag's JSON value");
      store.setUserTag(pathAccountId(ctx), ctx.params.userId ?? '', ctx.params.tagId ?? '', ctx.body as JsonValue, auditName(ctx.principal));
      return { status: 204 };
    },
    deleteUserTag: (ctx) => {
      store.deleteUserTag(pathAccountId(ctx), ctx.params.userId ?? '', ctx.params.tagId ?? '', auditName(ctx.principal));
      return { status: 204 };
    },
    sendWelcome: (ctx) => {
      const u = pathUser(ctx);
      store.mail('welcome', u.accountId, u.userId);
      return { status: 202 };
    },
    resetPassword: (ctx) => {
      const b = bodyObject(ctx);
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
  } satisfies Partial<RouteHandlers>;
}
