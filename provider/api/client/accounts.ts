/**
 * Accounts over HTTP (`AccountsApi`): the partner's accounts with their tags (the
 * principal's own account included), creates tagged with the tool's identity key and
 * re-read by that key after an ambiguous failure, updates, deletes and tags.
 */
import type { AccountsApi, WriteResult } from '../client-types.js';
import { CloudLinkError } from '../errors.js';
import { accountFromWire, accountSchema, accountToWire, EXPAND_TAGS, filters, hardDeleteQueryToWire, identityTagValue, tagsQueryToWire } from '../wire.js';
import { IDENTITY_TAG, type Account, type AccountFields } from '../../model/live.js';
import type { ClientContext } from './context.js';
import { getOne, list } from './reads.js';
import { createOnce, deleteObject } from './writes.js';

/** The accounts whose `partnerId` is the partner, with tags. */
function partnerAccounts(c: ClientContext, partnerId: string): AsyncIterable<Account> {
  return list(c, 'listAccounts', {}, accountSchema, accountFromWire, { filter: filters.accountsOfPartner(partnerId), expand: EXPAND_TAGS, key: (a) => a.accountId, match: (a) => a.partnerId === partnerId });
}

function getAccount(c: ClientContext, accountId: string): Promise<Account | undefined> {
  return getOne(c, 'getAccount', { accountId }, accountSchema, accountFromWire, tagsQueryToWire());
}

/** The natural key of an account: the identity tag, else the exact name under the partner without another key's tag. */
async function findAccount(c: ClientContext, partnerId: string, name: string, key: string): Promise<Account | undefined> {
  let byName: Account | undefined;
  for await (const a of partnerAccounts(c, partnerId)) {
    if (a.identityKey === key) return a;
    if (!byName && a.name === name && a.identityKey === undefined) byName = a;
  }
  return byName;
}

/** Writes the identity tag unless the account carries it already (with that protection). */
async function ensureIdentity(c: ClientContext, account: Account, key: string, protect: boolean): Promise<Account> {
  if (account.identityKey === key && (account.protected === true) === protect) return account;
  await c.t.call({ route: 'putAccountTag', params: { accountId: account.accountId, tagId: IDENTITY_TAG }, body: identityTagValue(key, protect), schema: undefined });
  const { protected: _p, ...rest } = account;
  return { ...rest, identityKey: key, ...(protect ? { protected: true } : {}) };
}

/** The partner's accounts, plus the principal's own account when it belongs to the partner. */
async function* accountsOf(c: ClientContext, partnerId: string): AsyncGenerator<Account> {
  const seen = new Set<string>();
  for await (const a of partnerAccounts(c, partnerId)) {
    seen.add(a.accountId);
    yield a;
  }
  const me = await c.t.whoami();
  if (me.partnerId === partnerId && !seen.has(me.accountId)) {
    const own = await getAccount(c, me.accountId);
    if (own) yield own;
  }
}

/** `AccountsApi` over the context's transport, as `client-types.ts` specifies it. */
export function accountsClient(c: ClientContext): AccountsApi {
  return {
    list: (partnerId: string) => accountsOf(c, partnerId),
    named: (partnerId: string, name: string) =>
      list(c, 'listAccounts', {}, accountSchema, accountFromWire, {
        filter: [filters.accountsNamed(partnerId, name), filters.accountsOfPartner(partnerId)],
        expand: EXPAND_TAGS,
        match: (a) => a.partnerId === partnerId && a.name === name,
      }),
    get: (accountId: string) => getAccount(c, accountId),
    create: async (partnerId: string, fields: AccountFields & { name: string }, identityKey: string, protect = false) => {
      const created = await createOnce<Account>(
        c,
        async () => accountFromWire((await c.t.call({ route: 'createAccount', body: accountToWire(fields, partnerId), schema: accountSchema })).value),
        () => findAccount(c, partnerId, fields.name, identityKey),
      );
      try {
        return { outcome: created.outcome, value: await ensureIdentity(c, created.value as Account, identityKey, protect) };
      } catch (e) {
        // A racing run settled ours away before we tagged it: the account it kept is the one.
        if (!(e instanceof CloudLinkError && e.code === 'not_found')) throw e;
        const winner = await findAccount(c, partnerId, fields.name, identityKey);
        if (!winner) throw e;
        return { outcome: 'unchanged', value: await ensureIdentity(c, winner, identityKey, protect) };
      }
    },
    update: async (accountId: string, fields: AccountFields) => {
      const r = await c.t.call({ route: 'updateAccount', params: { accountId }, body: accountToWire(fields), schema: undefined });
      return { outcome: 'updated', ...(r.correlationId ? { correlationId: r.correlationId } : {}) };
    },
    delete: (accountId: string) => deleteObject<Account>(c, 'deleteAccount', { accountId }, hardDeleteQueryToWire()),
    setIdentity: async (accountId: string, key: string, protect = false) => {
      const r = await c.t.call({ route: 'putAccountTag', params: { accountId, tagId: IDENTITY_TAG }, body: identityTagValue(key, protect), schema: undefined });
      return { outcome: 'updated', ...(r.correlationId ? { correlationId: r.correlationId } : {}) };
    },
    setTag: async (accountId: string, tagId: string, value) => {
      if (tagId === IDENTITY_TAG) throw new Error(`setTag: tag ${IDENTITY_TAG} is the tool's identity tag; use setIdentity`);
      let outcome: WriteResult<Account>['outcome'] = 'updated';
      let r;
      if (value === undefined) {
        r = await c.t.call({ route: 'deleteAccountTag', params: { accountId, tagId }, schema: undefined, accept: [404] });
        if (r.status === 404 && r.attempts === 1) outcome = 'unchanged';
      } else {
        r = await c.t.call({ route: 'putAccountTag', params: { accountId, tagId }, body: value, schema: undefined });
      }
      return { outcome, ...(r.correlationId ? { correlationId: r.correlationId } : {}) };
    },
  };
}
