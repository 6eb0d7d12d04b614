/**
 * An account's users over HTTP (`UsersApi`): listed with their tags, found by e-mail, created
 * one at a time or in batches of up to 100 without duplicates (re-read by e-mail after an
 * ambiguous failure or a 409), updated, deleted, and their welcome e-mail and password reset.
 */
import type { BatchCreateRow, UsersApi } from '../client-types.js';
import { CloudLinkError, isAmbiguous } from '../errors.js';
import { routeLabel } from '../routes.js';
import { batchAddToWire, batchAnswerSchema, batchRowsFromWire, EXPAND_TAGS, filters, passwordResetToWire, tagsQueryToWire, userFromWire, userRowSchema, userSchema, userToWire, welcomeTagValue } from '../wire.js';
import { IDENTITY_TAG, type User, type UserFields } from '../../model/live.js';
import { lower, pauseBeforeRetry, type ClientContext } from './context.js';
import { firstOf, getOne, list } from './reads.js';
import { createOnce, deleteObject, resolveConflict } from './writes.js';

/** The account's users (with tags) passing `match`, filtered on the server by `filter` when it can. */
function usersOf(c: ClientContext, accountId: string, filter?: string, match?: (u: User) => boolean): AsyncIterable<User> {
  return list(c, 'listUsers', { accountId }, userRowSchema, (u) => userFromWire(u, accountId), {
    ...(filter ? { filter } : {}),
    expand: EXPAND_TAGS,
    key: (u) => u.userId,
    match: (u) => u.accountId === accountId && (!match || match(u)),
  });
}

function findUserByEmail(c: ClientContext, accountId: string, email: string): Promise<User | undefined> {
  const want = lower(email);
  return firstOf(usersOf(c, accountId, filters.userByEmail(email), (u) => lower(u.email) === want));
}

/** One round of the batch: returns a row per input, `undefined` where the outcome is unknown (5xx row or ambiguous PATCH). */
async function batchRound(c: ClientContext, accountId: string, inputs: UserFields[]): Promise<(BatchCreateRow | undefined)[]> {
  let rows;
  try {
    const r = await c.t.call({ route: 'batchUsers', params: { accountId }, body: batchAddToWire(inputs), schema: batchAnswerSchema });
    rows = batchRowsFromWire(r.value, accountId);
    if (rows.length !== inputs.length) {
      throw new CloudLinkError('schema', `${routeLabel('batchUsers')} answered ${rows.length} results for ${inputs.length} operations${r.correlationId ? ` (correlation id ${r.correlationId})` : ''}`, false, { ...(r.correlationId ? { correlationId: r.correlationId } : {}) });
    }
  } catch (e) {
    if (!isAmbiguous(e)) throw e;
    return inputs.map(() => undefined);
  }
  const out: (BatchCreateRow | undefined)[] = [];
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i];
    const input = inputs[i];
    if (!row || !input) continue;
    if ('user' in row) out.push({ ok: true, outcome: 'created', user: row.user });
    else if (row.status >= 500) out.push(undefined);
    else if (row.status === 409) {
      c.t.stats.rereads += 1;
      const found = await findUserByEmail(c, accountId, input.email);
      out.push(found ? { ok: true, outcome: 'unchanged', user: found } : { ok: false, status: 409, message: row.error.message ?? 'conflict', ...(row.correlationId ? { correlationId: row.correlationId } : {}) });
    } else {
      const message = `${row.error.name ? `${row.error.name}: ` : ''}${row.error.message ?? `status ${row.status}`}`;
      out.push({ ok: false, status: row.status, message, ...(row.correlationId ? { correlationId: row.correlationId } : {}) });
    }
  }
  return out;
}

/** Up to 100 users in batch rounds: rows of unknown outcome are looked up among the account's users, and only the missing ones go again. */
async function createMany(c: ClientContext, accountId: string, inputs: UserFields[]): Promise<BatchCreateRow[]> {
  if (inputs.length > 100) throw new Error(`users.createMany takes at most 100 users per call (got ${inputs.length})`);
  const results: (BatchCreateRow | undefined)[] = inputs.map(() => undefined);
  let pending = inputs.map((_, i) => i);
  for (let round = 1; pending.length > 0; round += 1) {
    const rows = await batchRound(
      c,
      accountId,
      pending.map((i) => inputs[i] as UserFields),
    );
    pending.forEach((i, k) => (results[i] = rows[k]));
    pending = pending.filter((i) => results[i] === undefined);
    if (pending.length === 0) break;
    // Unknown outcomes: re-read the account's users; those there were created, the rest go again.
    c.t.stats.rereads += 1;
    const byEmail = new Map<string, User>();
    for await (const u of usersOf(c, accountId)) byEmail.set(lower(u.email), u);
    for (const i of pending) {
      const found = byEmail.get(lower(inputs[i]?.email));
      if (found) results[i] = { ok: true, outcome: 'created', user: found };
    }
    pending = pending.filter((i) => results[i] === undefined);
    if (pending.length > 0 && round >= c.attempts) {
      for (const i of pending) results[i] = { ok: false, status: 503, message: `the user could not be created after ${round} batch attempts (the service kept failing)` };
      break;
    }
    if (pending.length > 0) await pauseBeforeRetry(c, round);
  }
  return results as BatchCreateRow[];
}

/** `UsersApi` over the context's transport, as `client-types.ts` specifies it. */
export function usersClient(c: ClientContext): UsersApi {
  const users: UsersApi = {
    list: (accountId: string) => usersOf(c, accountId),
    get: (accountId: string, userId: string) => getOne(c, 'getUser', { accountId, userId }, userSchema, (u) => userFromWire(u, accountId), tagsQueryToWire()),
    findByEmail: (accountId: string, email: string) => findUserByEmail(c, accountId, email),
    create: async (accountId: string, fields: UserFields) => {
      const find = (): Promise<User | undefined> => findUserByEmail(c, accountId, fields.email);
      try {
        return await createOnce<User>(c, async () => userFromWire((await c.t.call({ route: 'createUser', params: { accountId }, body: userToWire(fields), schema: userSchema })).value, accountId), find);
      } catch (e) {
        return resolveConflict(c, e, find);
      }
    },
    createMany: (accountId: string, inputs: UserFields[]) => createMany(c, accountId, inputs),
    update: async (accountId: string, userId: string, fields: Partial<UserFields>) => {
      const r = await c.t.call({ route: 'updateUser', params: { accountId, userId }, body: userToWire(fields), schema: userSchema.optional() });
      const value = r.value ? userFromWire(r.value, accountId) : await users.get(accountId, userId);
      return { outcome: 'updated', ...(value ? { value } : {}), ...(r.correlationId ? { correlationId: r.correlationId } : {}) };
    },
    delete: (accountId: string, userId: string) => deleteObject<User>(c, 'deleteUser', { accountId, userId }),
    sendWelcome: async (accountId: string, userId: string) => {
      // Retried after an ambiguous failure (5xx, cut connection) like an idempotent call: a welcome e-mail is
      // promised at least once, so at worst each ambiguous answer costs one second e-mail (README "Welcome e-mails").
      await c.t.call({ route: 'sendWelcome', params: { accountId, userId }, schema: undefined, idempotent: true });
    },
    recordWelcome: async (accountId: string, userId: string, sentOn: string, unconfirmed?: boolean, claim?: string) => {
      await c.t.call({ route: 'putUserTag', params: { accountId, userId, tagId: IDENTITY_TAG }, body: welcomeTagValue(sentOn, unconfirmed, claim), schema: undefined });
    },
    clearWelcome: async (accountId: string, userId: string) => {
      await c.t.call({ route: 'deleteUserTag', params: { accountId, userId, tagId: IDENTITY_TAG }, schema: undefined, accept: [404] });
    },
    resetPassword: async (accountId: string, email: string) => {
      await c.t.call({ route: 'resetPassword', params: { email }, body: passwordResetToWire(accountId, email), schema: undefined, idempotent: false });
    },
  };
  return users;
}
