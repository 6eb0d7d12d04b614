/**
 * A small in-memory `CloudLinkApi` for engine unit tests. It enforces, modestly, the rules
 * the sandbox enforces: unique user e-mail per account (409 carrying the existing user),
 * license capacity (enabled MiTeam users ≤ Σ quantity of assigned, unexpired orders),
 * an order assigned to another account is a conflict, welcome e-mails are sent once.
 * `calls` counts every method call (e.g. `users.bulkCreate`), `failNext` injects failures.
 */
import type { CloudLinkApi, WriteResult } from '../../provider/api/client-types.js';
import type { Account, AccountInput, BulkRowResult, CatalogEntry, Integration, Order, User, UserInput } from '../../provider/api/resources.js';
import { MITEAM_PRODUCT } from '../../provider/api/resources.js';

const CATALOG: CatalogEntry[] = [
  { type: 'miteam-meetings', name: 'MiTeam Meetings', licensed: true },
  { type: 'cloudlink-chat', name: 'CloudLink Chat', licensed: false },
];

interface FakeAccount {
  account: Account;
  integrations: Integration[];
  users: User[];
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
  const bump = <T extends { etag: string; modifiedOn: string }>(o: T): T => {
    o.etag = id('e');
    o.modifiedOn = stamp;
    return o;
  };
  const capacity = (accountId: string): number =>
    state.orders.filter((o) => o.assignedAccountId === accountId && o.product === MITEAM_PRODUCT && (!o.expiresOn || new Date(o.expiresOn) > now)).reduce((n, o) => n + o.quantity, 0);
  const enabled = (accountId: string): number => acc(accountId).users.filter((u) => u.licenses.some((l) => l.product === MITEAM_PRODUCT)).length;
  async function* iterate<T>(items: T[]): AsyncIterable<T> {
    for (const item of items) yield structuredClone(item);
  }
  const copy = <T>(v: T): T => structuredClone(v);

  const newUser = (accountId: string, input: UserInput): User => ({
    userId: id('u'),
    accountId,
    name: input.name,
    firstName: input.firstName,
    lastName: input.lastName,
    email: input.email.toLowerCase(),
    country: input.country ?? null,
    role: input.role,
    status: 'pending',
    welcomeEmailSentOn: null,
    licenses: [],
    createdOn: stamp,
    modifiedOn: stamp,
    etag: id('e'),
  });

  const api: FakeApi = {
    state,
    calls,
    failWhen(method, when, message = `injected failure of ${method}`) {
      faults.push({ method, when, message });
    },
    accounts: {
      list: (p) => (touch('accounts.list', [p]), iterate(state.accounts.filter((a) => a.account.partnerId === p).map((a) => a.account))),
      async get(accountId) {
        touch('accounts.get', [accountId]);
        return copy(state.accounts.find((a) => a.account.accountId === accountId)?.account);
      },
      async create(p, input: AccountInput): Promise<WriteResult<Account>> {
        touch('accounts.create', [p, input]);
        const account: Account = { accountId: id('a'), partnerId: p, address: '', city: '', postalCode: '', supportContacts: [], tags: {}, ...copy(input), createdOn: stamp, modifiedOn: stamp, etag: id('e') };
        state.accounts.push({ account, integrations: [], users: [] });
        return { outcome: 'created', value: copy(account) };
      },
      async update(accountId, patch) {
        touch('accounts.update', [accountId, patch]);
        const a = acc(accountId);
        Object.assign(a.account, copy(patch));
        return { outcome: 'updated', value: copy(bump(a.account)) };
      },
      async delete(accountId) {
        touch('accounts.delete', [accountId]);
        acc(accountId);
        state.accounts = state.accounts.filter((a) => a.account.accountId !== accountId);
        return { outcome: 'deleted' };
      },
    },
    integrations: {
      list: (accountId) => (touch('integrations.list', [accountId]), iterate(acc(accountId).integrations)),
      async add(accountId, type) {
        touch('integrations.add', [accountId, type]);
        if (!CATALOG.some((c) => c.type === type)) throw new Error(`422 unknown integration ${type}`);
        const a = acc(accountId);
        const existing = a.integrations.find((i) => i.type === type);
        if (existing) return { outcome: 'unchanged', value: copy(existing) };
        const created: Integration = { integrationId: id('i'), type, enabled: true, createdOn: stamp, modifiedOn: stamp, etag: id('e') };
        a.integrations.push(created);
        return { outcome: 'created', value: copy(created) };
      },
      async remove(accountId, integrationId) {
        touch('integrations.remove', [accountId, integrationId]);
        const a = acc(accountId);
        a.integrations = a.integrations.filter((i) => i.integrationId !== integrationId);
        return { outcome: 'deleted' };
      },
      async catalog() {
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
    users: {
      list: (accountId) => (touch('users.list', [accountId]), iterate(acc(accountId).users)),
      async findByEmail(accountId, email) {
        touch('users.findByEmail', [accountId, email]);
        return copy(acc(accountId).users.find((u) => u.email === email.toLowerCase()));
      },
      async create(accountId, input) {
        touch('users.create', [accountId, input]);
        const a = acc(accountId);
        const existing = a.users.find((u) => u.email === input.email.toLowerCase());
        if (existing) return { outcome: 'unchanged', value: copy(existing) };
        const u = newUser(accountId, input);
        a.users.push(u);
        return { outcome: 'created', value: copy(u) };
      },
      async bulkCreate(accountId, inputs): Promise<BulkRowResult[]> {
        touch('users.bulkCreate', [accountId, inputs]);
        const a = acc(accountId);
        if (inputs.length > 100) throw new Error('422 at most 100 users per bulk call');
        return inputs.map((input) => {
          const existing = a.users.find((u) => u.email === input.email.toLowerCase());
          if (existing) return { status: 409, userId: existing.userId, error: { code: 'conflict', message: 'e-mail already in use' } };
          if (!input.email.includes('@')) return { status: 422, error: { code: 'invalid', message: `"${input.email}" is not an e-mail address` } };
          const u = newUser(accountId, input);
          a.users.push(u);
          return { status: 201, userId: u.userId };
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
        return { outcome: 'deleted' };
      },
      async enableLicense(accountId, userId, product) {
        touch('users.enableLicense', [accountId, userId, product]);
        const u = user(accountId, userId);
        if (u.licenses.some((l) => l.product === product)) return { outcome: 'unchanged', value: copy(u) };
        if (product === MITEAM_PRODUCT && enabled(accountId) >= capacity(accountId)) throw new Error(`409 licenses exhausted: ${capacity(accountId)} MiTeam licenses, all in use`);
        u.licenses.push({ product, assignedOn: stamp });
        return { outcome: 'updated', value: copy(bump(u)) };
      },
      async disableLicense(accountId, userId, product) {
        touch('users.disableLicense', [accountId, userId, product]);
        const u = user(accountId, userId);
        if (!u.licenses.some((l) => l.product === product)) return { outcome: 'unchanged', value: copy(u) };
        u.licenses = u.licenses.filter((l) => l.product !== product);
        return { outcome: 'updated', value: copy(bump(u)) };
      },
      async sendWelcome(accountId, userId, opts) {
        touch('users.sendWelcome', [accountId, userId]);
        const u = user(accountId, userId);
        if (u.welcomeEmailSentOn && !opts?.resend) return { outcome: 'unchanged', value: copy(u) };
        u.welcomeEmailSentOn = stamp;
        state.outbox.push(u.email);
        return { outcome: 'updated', value: copy(bump(u)) };
      },
      async resetPassword(accountId, userId) {
        touch('users.resetPassword', [accountId, userId]);
        return { outcome: 'updated', value: copy(user(accountId, userId)) };
      },
    },
  };
  return api;
}
