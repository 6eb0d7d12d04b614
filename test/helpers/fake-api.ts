/**
 * A small in-memory `CloudLinkApi` for engine unit tests. It enforces, modestly, the rules
 * the sandbox enforces: unique user e-mail per account, license capacity (licenses held ≤ Σ
 * quantity of assigned, unexpired orders), an order assigned to another account is a
 * conflict. The welcome e-mail is sent every time it is asked for (like CloudLink): the
 * engine's tag record keeps it to once. `calls` counts every method call (e.g.
 * `users.createMany`), `failWhen` injects failures.
 */
import type { BatchCreateRow, CloudLinkApi, WriteResult } from '../../provider/api/client-types.js';
import { leaseFromWire } from '../../provider/api/wire.js';
import { IDENTITY_TAG, LOCK_TAG, MITEAM_PRODUCT, type Account, type CatalogEntry, type Contact, type Integration, type License, type Order, type User, type UserFields } from '../../provider/model/live.js';
import { CATALOG } from './build.js';

interface FakeAccount {
  account: Account;
  contacts: Contact[];
  integrations: Integration[];
  users: User[];
  licenses: License[];
}

/** The fake API plus handles to inspect and perturb its state. */
export interface FakeApi extends CloudLinkApi {
  state: { accounts: FakeAccount[]; orders: Order[]; outbox: string[] };
  calls: Record<string, number>;
  /** Makes the next call of `method` (e.g. "users.create") for which `when` holds throw. */
  failWhen(method: string, when: (...args: unknown[]) => boolean, message?: string): void;
}

export function createFakeApi(options: { partnerId?: string; orders?: Order[]; now?: Date } = {}): FakeApi {
  const partnerId = options.partnerId ?? 'p-1';
  const now = options.now ?? new Date('2026-11-25T00:00:00.000Z');
  const stamp = now.toISOString();
  let seq = 0;
  const id = (prefix: string): string => `${prefix}${(seq += 1)}`;
  const state: FakeApi['state'] = { accounts: [], orders: options.orders ? structuredClone(options.orders) : [], outbox: [] };
  const calls: Record<string, number> = {};
  const faults: { method: string; when: (...args: unknown[]) => boolean; message: string }[] = [];

  const touch = (method: string, args: unknown[]): void => {
    calls[method] = (calls[method] ?? 0) + 1;
    const i = faults.findIndex((f) => f.method === method && f.when(...args));
    if (i >= 0) {
      const [f] = faults.splice(i, 1);
      throw new Error(f?.message ?? 'injected failure');
    }
  };
  const acc = (accountId: string): FakeAccount => {
    const a = state.accounts.find((x) => x.account.accountId === accountId);
    if (!a) throw new Error(`404 account ${accountId} not found`);
    return a;
  };
  const user = (accountId: string, userId: string): User => {
    const u = acc(accountId).users.find((x) => x.userId === userId);
    if (!u) throw new Error(`404 user ${userId} not found`);
    return u;
  };
  const bump = <T extends { modifiedOn?: string }>(o: T): T => {
    o.modifiedOn = `${stamp}#${(seq += 1)}`;
    return o;
  };
  const capacity = (accountId: string): number =>
    state.orders.filter((o) => o.assignedAccountId === accountId && o.product === MITEAM_PRODUCT && (!o.expiresOn || new Date(o.expiresOn) > now)).reduce((n, o) => n + o.quantity, 0);
  async function* iterate<T>(items: T[]): AsyncIterable<T> {
    for (const item of items) yield structuredClone(item);
  }
  const copy = <T>(v: T): T => structuredClone(v);
  const findAccount = (accountId: string): FakeAccount | undefined => state.accounts.find((a) => a.account.accountId === accountId);

  const newUser = (accountId: string, input: UserFields): User => ({
    userId: id('u'),
    accountId,
    name: input.name ?? '',
    firstName: input.firstName ?? '',
    lastName: input.lastName ?? '',
    email: input.email.toLowerCase(),
    ...(input.country !== undefined ? { country: input.country } : {}),
    role: input.role ?? 'User',
    verified: false,
    createdOn: stamp,
    modifiedOn: stamp,
  });
  const createUser = (accountId: string, input: UserFields): WriteResult<User> => {
    const a = acc(accountId);
    const existing = a.users.find((u) => u.email === input.email.toLowerCase());
    if (existing) return { outcome: 'unchanged', value: copy(existing) };
    const u = newUser(accountId, input);
    a.users.push(u);
    return { outcome: 'created', value: copy(u) };
  };

  const api: FakeApi = {
    state,
    calls,
    failWhen(method, when, message = `injected failure of ${method}`) {
      faults.push({ method, when, message });
    },
    principal: {
      async whoami() {
        touch('principal.whoami', []);
        return { accountId: 'partner-own', partnerId };
      },
    },
    accounts: {
      list: (p) => (touch('accounts.list', [p]), iterate(state.accounts.filter((a) => a.account.partnerId === p).map((a) => a.account))),
      named: (p, name) => (touch('accounts.named', [p, name]), iterate(state.accounts.filter((a) => a.account.partnerId === p && a.account.name === name).map((a) => a.account))),
      async get(accountId) {
        touch('accounts.get', [accountId]);
        return copy(findAccount(accountId)?.account);
      },
      async create(p, fields, key, protect): Promise<WriteResult<Account>> {
        touch('accounts.create', [p, fields, key]);
        const account: Account = { accountId: id('a'), accountNumber: String(1000 + seq), partnerId: p, ...copy(fields), identityKey: key, ...(protect ? { protected: true } : {}), tags: {}, createdOn: stamp, modifiedOn: stamp };
        state.accounts.push({ account, contacts: [], integrations: [], users: [], licenses: [] });
        return { outcome: 'created', value: copy(account) };
      },
      async update(accountId, fields) {
        touch('accounts.update', [accountId, fields]);
        const a = acc(accountId);
        Object.assign(a.account, copy(fields));
        return { outcome: 'updated', value: copy(bump(a.account)) };
      },
      async delete(accountId) {
        touch('accounts.delete', [accountId]);
        acc(accountId);
        state.accounts = state.accounts.filter((a) => a.account.accountId !== accountId);
        for (const o of state.orders) if (o.assignedAccountId === accountId) o.assignedAccountId = null;
        return { outcome: 'deleted' };
      },
      async setIdentity(accountId, key, protect) {
        touch('accounts.setIdentity', [accountId, key]);
        const a = acc(accountId);
        a.account.identityKey = key;
        if (protect) a.account.protected = true;
        else delete a.account.protected;
        return { outcome: 'updated', value: copy(bump(a.account)) };
      },
      async setTag(accountId, tagId, value) {
        touch('accounts.setTag', [accountId, tagId, value]);
        if (tagId === IDENTITY_TAG) throw new Error('the identity tag is written with setIdentity');
        const a = acc(accountId);
        // The lock tag reads back as `lock`, as the client's wire mapping does.
        if (tagId === LOCK_TAG) {
          if (value === undefined) delete a.account.lock;
          else a.account.lock = leaseFromWire(value);
        } else if (value === undefined) delete a.account.tags[tagId];
        else a.account.tags[tagId] = copy(value);
        return { outcome: 'updated', value: copy(bump(a.account)) };
      },
    },
    contacts: {
      list: (accountId) => (touch('contacts.list', [accountId]), iterate(acc(accountId).contacts)),
      async add(accountId, c) {
        touch('contacts.add', [accountId, c]);
        const a = acc(accountId);
        const existing = a.contacts.find((x) => x.email === c.email && x.type === c.type);
        if (existing) return { outcome: 'unchanged', value: copy(existing) };
        const created: Contact = { contactId: id('c'), accountId, email: c.email, type: c.type, ...(c.name ? { name: c.name } : {}) };
        a.contacts.push(created);
        return { outcome: 'created', value: copy(created) };
      },
      async remove(accountId, contactId) {
        touch('contacts.remove', [accountId, contactId]);
        const a = acc(accountId);
        a.contacts = a.contacts.filter((c) => c.contactId !== contactId);
        return { outcome: 'deleted' };
      },
    },
    integrations: {
      list: (accountId) => (touch('integrations.list', [accountId]), iterate(acc(accountId).integrations)),
      async add(accountId, type) {
        touch('integrations.add', [accountId, type]);
        if (!CATALOG.some((c) => c.type === type)) throw new Error(`400 unknown integration ${type}`);
        const a = acc(accountId);
        const existing = a.integrations.find((i) => i.type === type);
        if (existing) return { outcome: 'unchanged', value: copy(existing) };
        const created: Integration = { integrationId: id('i'), type };
        a.integrations.push(created);
        return { outcome: 'created', value: copy(created) };
      },
      async remove(accountId, integrationId) {
        touch('integrations.remove', [accountId, integrationId]);
        const a = acc(accountId);
        a.integrations = a.integrations.filter((i) => i.integrationId !== integrationId);
        return { outcome: 'deleted' };
      },
      async catalog(): Promise<CatalogEntry[]> {
        touch('integrations.catalog', []);
        return copy(CATALOG);
      },
    },
    orders: {
      list: (p) => (touch('orders.list', [p]), iterate(p === partnerId ? state.orders : [])),
      async get(_p, orderId) {
        touch('orders.get', [orderId]);
        return copy(state.orders.find((o) => o.orderId === orderId));
      },
      async assign(_p, orderId, accountId) {
        touch('orders.assign', [orderId, accountId]);
        acc(accountId);
        const o = state.orders.find((x) => x.orderId === orderId);
        if (!o) throw new Error(`404 order ${orderId} not found`);
        if (o.assignedAccountId === accountId) return { outcome: 'unchanged', value: copy(o) };
        if (o.assignedAccountId) throw new Error(`409 order ${o.trackingNumber} is assigned to another account`);
        o.assignedAccountId = accountId;
        return { outcome: 'updated', value: copy(bump(o)) };
      },
      async unassign(_p, orderId) {
        touch('orders.unassign', [orderId]);
        const o = state.orders.find((x) => x.orderId === orderId);
        if (!o) throw new Error(`404 order ${orderId} not found`);
        o.assignedAccountId = null;
        return { outcome: 'updated', value: copy(bump(o)) };
      },
    },
    billing: {
      subscriptions: (accountId) => (touch('billing.subscriptions', [accountId]), iterate([])),
      licenses: (accountId) => (touch('billing.licenses', [accountId]), iterate(acc(accountId).licenses)),
      async enable(accountId, userId, product) {
        touch('billing.enable', [accountId, userId, product]);
        const a = acc(accountId);
        user(accountId, userId);
        const held = a.licenses.find((l) => l.userId === userId && l.product === product);
        if (held) return { outcome: 'unchanged', value: copy(held) };
        if (product === MITEAM_PRODUCT && a.licenses.filter((l) => l.product === product).length >= capacity(accountId)) {
          throw new Error(`409 no free license: ${capacity(accountId)} MiTeam licenses, all in use`);
        }
        const license: License = { licenseId: id('l'), accountId, userId, product, assignedOn: stamp };
        a.licenses.push(license);
        return { outcome: 'created', value: copy(license) };
      },
      async disable(licenseId) {
        touch('billing.disable', [licenseId]);
        for (const a of state.accounts) {
          if (!a.licenses.some((l) => l.licenseId === licenseId)) continue;
          a.licenses = a.licenses.filter((l) => l.licenseId !== licenseId);
          return { outcome: 'deleted' };
        }
        return { outcome: 'unchanged' };
      },
    },
    users: {
      list: (accountId) => (touch('users.list', [accountId]), iterate(acc(accountId).users)),
      async get(accountId, userId) {
        touch('users.get', [accountId, userId]);
        return copy(findAccount(accountId)?.users.find((u) => u.userId === userId));
      },
      async findByEmail(accountId, email) {
        touch('users.findByEmail', [accountId, email]);
        return copy(acc(accountId).users.find((u) => u.email === email.toLowerCase()));
      },
      async create(accountId, input) {
        touch('users.create', [accountId, input]);
        return createUser(accountId, input);
      },
      async createMany(accountId, inputs): Promise<BatchCreateRow[]> {
        touch('users.createMany', [accountId, inputs]);
        if (inputs.length > 100) throw new Error('at most 100 users per batch');
        acc(accountId);
        return inputs.map((input) => {
          if (!input.email.includes('@')) return { ok: false, status: 400, message: `"${input.email}" is not an e-mail address` };
          const r = createUser(accountId, input);
          return { ok: true, outcome: r.outcome === 'created' ? 'created' : 'unchanged', user: r.value as User };
        });
      },
      async update(accountId, userId, patch) {
        touch('users.update', [accountId, userId, patch]);
        const u = user(accountId, userId);
        Object.assign(u, copy(patch));
        return { outcome: 'updated', value: copy(bump(u)) };
      },
      async delete(accountId, userId) {
        touch('users.delete', [accountId, userId]);
        user(accountId, userId);
        const a = acc(accountId);
        a.users = a.users.filter((u) => u.userId !== userId);
        a.licenses = a.licenses.filter((l) => l.userId !== userId);
        return { outcome: 'deleted' };
      },
      async sendWelcome(accountId, userId) {
        touch('users.sendWelcome', [accountId, userId]);
        state.outbox.push(user(accountId, userId).email);
      },
      async recordWelcome(accountId, userId, sentOn, unconfirmed, claim) {
        touch('users.recordWelcome', [accountId, userId, sentOn]);
        const u = user(accountId, userId);
        u.welcomeSentOn = sentOn;
        if (unconfirmed) u.welcomeUnconfirmed = true;
        else delete u.welcomeUnconfirmed;
        if (claim) u.welcomeClaim = claim;
        else delete u.welcomeClaim;
        bump(u);
      },
      async clearWelcome(accountId, userId) {
        touch('users.clearWelcome', [accountId, userId]);
        const u = user(accountId, userId);
        delete u.welcomeSentOn;
        delete u.welcomeUnconfirmed;
        delete u.welcomeClaim;
      },
      async resetPassword(accountId, email) {
        touch('users.resetPassword', [accountId, email]);
      },
    },
  };
  return api;
}
