/**
 * The client one account's changes are applied with (see `kept.ts`): the same `CloudLinkApi`,
 * with the writes of the six kinds (account update, user create, user update, licence,
 * contact, tag) run through the run's `FirstWriteGate` and read back when they are the first
 * of their kind. It also notes which account id each key wrote and the correlation ids of
 * updates, for the final check's messages.
 */
import type { BatchCreateRow, CloudLinkApi, WriteResult } from '../../api/client-types.js';
import type { Account, UserFields } from '../../model/live.js';
import { collect } from '../snapshot.js';
import { accountMismatches, contactMismatches, NotKeptError, notSentMessage, userMismatches, type FirstWriteGate, type Verdict } from './kept-gate.js';
import { sameAttribute } from '../plan/attributes.js';

/** What the checked client notes for the final check. */
export interface KeptNotes {
  /** Account id written, by account key. */
  touched: Map<string, string>;
  /** Correlation id of the last update, by `accountId|account` or `accountId|user|email`. */
  lastWrite: Map<string, string>;
}

const corr = (r: WriteResult<unknown>): string | undefined => r.correlationId;

/** Remembers the correlation id of a write's answer under `object`. */
function remember(notes: KeptNotes, object: string, r: { correlationId?: string }): void {
  if (r.correlationId) notes.lastWrite.set(object, r.correlationId);
}

function checkedAccounts(api: CloudLinkApi, gate: FirstWriteGate, key: string, notes: KeptNotes): CloudLinkApi['accounts'] {
  const touch = (id: string): void => void notes.touched.set(key, id);
  return {
    ...api.accounts,
    update: (accountId, fields) => {
      touch(accountId);
      const write = async (): Promise<WriteResult<Account>> => {
        const r = await api.accounts.update(accountId, fields);
        remember(notes, `${accountId}|account`, r);
        return r;
      };
      return gate.run('account update', { what: () => `account ${key}`, write, check: async () => ({ wrote: true, mismatches: accountMismatches(fields, await api.accounts.get(accountId)) }), correlationOf: corr });
    },
    setIdentity: (accountId, identityKey, protect = false) => {
      touch(accountId);
      const check = async (): Promise<Verdict> => {
        const live = await api.accounts.get(accountId);
        const mismatches = [
          ...(live?.identityKey === identityKey ? [] : [{ field: 'key', sent: identityKey, live: live?.identityKey }]),
          ...((live?.protected === true) === protect ? [] : [{ field: 'protect', sent: protect, live: live?.protected === true }]),
        ];
        return { wrote: true, mismatches };
      };
      return gate.run('tag', { what: () => `account ${key} tag cloudlink-tenancy`, write: () => api.accounts.setIdentity(accountId, identityKey, protect), check, correlationOf: corr });
    },
    setTag: (accountId, tagId, value) => {
      touch(accountId);
      const write = async (): Promise<WriteResult<Account>> => {
        const r = await api.accounts.setTag(accountId, tagId, value);
        remember(notes, `${accountId}|account`, r);
        return r;
      };
      const check = async (r: WriteResult<Account>): Promise<Verdict> => {
        if (r.outcome === 'unchanged') return { wrote: false };
        const live = (await api.accounts.get(accountId))?.tags[tagId];
        return { wrote: true, mismatches: sameAttribute(live, value) ? [] : [{ field: `tag ${tagId}`, sent: value, live }] };
      };
      return gate.run('tag', { what: () => `account ${key}`, write, check, correlationOf: corr });
    },
  };
}

/** Creates a batch of users: while user creates are unverified, the first row goes alone and is read back. */
async function createManyChecked(api: CloudLinkApi, gate: FirstWriteGate, key: string, accountId: string, inputs: UserFields[]): Promise<BatchCreateRow[]> {
  if (inputs.length === 0) return [];
  if (gate.state('user create') === 'kept') return api.users.createMany(accountId, inputs);
  const probe = gate.state('user create') === 'open' ? inputs.slice(0, 1) : inputs;
  const first = probe[0] as UserFields;
  const check = async (rows: BatchCreateRow[]): Promise<Verdict> => {
    const i = rows.findIndex((r) => r.ok && r.outcome === 'created');
    const row = rows[i];
    if (!row?.ok) return { wrote: false };
    return { wrote: true, mismatches: userMismatches(probe[i] ?? first, await api.users.get(accountId, row.user.userId)) };
  };
  let head: BatchCreateRow[];
  try {
    head = await gate.run('user create', { what: () => `user ${first.email} in account ${key}`, write: () => api.users.createMany(accountId, probe), check });
  } catch (e) {
    if (!(e instanceof NotKeptError)) throw e;
    const unsent = notSentMessage('user create', gate.refusal('user create') ?? e.message);
    const own = e.message.startsWith('CloudLink did not keep') ? e.message : unsent;
    return inputs.map((_, i) => ({ ok: false as const, status: 0, message: i === 0 ? own : unsent }));
  }
  return probe.length === inputs.length ? head : [...head, ...(await createManyChecked(api, gate, key, accountId, inputs.slice(probe.length)))];
}

function checkedUsers(api: CloudLinkApi, gate: FirstWriteGate, key: string, notes: KeptNotes): CloudLinkApi['users'] {
  const touch = (id: string): void => void notes.touched.set(key, id);
  return {
    ...api.users,
    create: (accountId, fields) => {
      touch(accountId);
      const check = async (r: WriteResult<{ userId: string }>): Promise<Verdict> => (r.outcome === 'created' && r.value ? { wrote: true, mismatches: userMismatches(fields, await api.users.get(accountId, r.value.userId)) } : { wrote: false });
      return gate.run('user create', { what: () => `user ${fields.email} in account ${key}`, write: () => api.users.create(accountId, fields), check, correlationOf: corr });
    },
    createMany: (accountId, inputs) => {
      touch(accountId);
      return createManyChecked(api, gate, key, accountId, inputs);
    },
    update: (accountId, userId, fields) => {
      touch(accountId);
      let email = fields.email ?? userId;
      const write = async (): Promise<Awaited<ReturnType<CloudLinkApi['users']['update']>>> => {
        const r = await api.users.update(accountId, userId, fields);
        if (r.value) {
          email = r.value.email.toLowerCase();
          remember(notes, `${accountId}|user|${email}`, r);
        }
        return r;
      };
      return gate.run('user update', { what: () => `user ${email} in account ${key}`, write, check: async () => ({ wrote: true, mismatches: userMismatches(fields, await api.users.get(accountId, userId)) }), correlationOf: corr });
    },
  };
}

/** `api` with the writes of the six kinds checked through `gate` for the account `key`. */
export function checkedApi(api: CloudLinkApi, gate: FirstWriteGate, key: string, notes: KeptNotes): CloudLinkApi {
  const touch = (id: string): void => void notes.touched.set(key, id);
  return {
    ...api,
    accounts: checkedAccounts(api, gate, key, notes),
    users: checkedUsers(api, gate, key, notes),
    billing: {
      ...api.billing,
      enable: (accountId, userId, product) => {
        touch(accountId);
        const check = async (r: WriteResult<unknown>): Promise<Verdict> => {
          if (r.outcome !== 'created') return { wrote: false };
          const held = (await collect(api.billing.licenses(accountId))).some((l) => l.userId === userId && l.product === product);
          return { wrote: true, mismatches: held ? [] : [{ field: `licence ${product}`, sent: 'enabled', live: 'disabled' }] };
        };
        return gate.run('licence', { what: () => `user ${userId} in account ${key}`, write: () => api.billing.enable(accountId, userId, product), check, correlationOf: corr });
      },
    },
    contacts: {
      ...api.contacts,
      add: (accountId, contact) => {
        touch(accountId);
        const check = async (r: WriteResult<unknown>): Promise<Verdict> => {
          if (r.outcome !== 'created') return { wrote: false };
          const live = (await collect(api.contacts.list(accountId))).find((x) => x.email.toLowerCase() === contact.email.toLowerCase());
          return { wrote: true, mismatches: contactMismatches(contact, live) };
        };
        return gate.run('contact', { what: () => `contact ${contact.email} of account ${key}`, write: () => api.contacts.add(accountId, contact), check, correlationOf: corr });
      },
    },
  };
}
