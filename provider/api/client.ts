/**
 * The CloudLink client (contract version 2): `CloudLinkApi` over HTTP, in domain types.
 *
 * - Lists ask for `$top=100` and follow `_links.next` verbatim. A refused `$filter` (400)
 *   falls back to the unfiltered list, filtered here; every row is checked against what was
 *   asked either way.
 * - Writes are not idempotent on the service. After an ambiguous failure of a create (5xx,
 *   timeout, connection cut after sending: `isAmbiguous`) the object is re-read by its
 *   natural key before anything is sent again; a 409 (which never carries an id) is
 *   resolved by the same re-read.
 */
import type { z } from 'zod';
import type { BatchCreateRow, CloudLinkApi, OrderListFilter, WriteResult } from './client-types.js';
import { CloudLinkError, isAmbiguous } from './errors.js';
import type { RouteName } from './routes.js';
import { Transport, type ClientStats, type TransportOptions } from './transport.js';
import {
  accountFromWire,
  accountSchema,
  accountToWire,
  batchAddToWire,
  batchAnswerSchema,
  batchRowsFromWire,
  catalogEntryFromWire,
  catalogSchema,
  contactFromWire,
  contactSchema,
  contactToWire,
  filters,
  identityTagValue,
  integrationFromWire,
  integrationSchema,
  integrationToWire,
  licenseFromWire,
  licenseSchema,
  licenseToWire,
  orderAssignmentToWire,
  orderFromWire,
  orderSchema,
  pageFromWire,
  pageSchema,
  passwordResetToWire,
  subscriptionFromWire,
  subscriptionSchema,
  userFromWire,
  userSchema,
  userToWire,
  welcomeTagValue,
} from './wire.js';
import { IDENTITY_TAG, type Account, type AccountFields, type CatalogEntry, type Contact, type Integration, type License, type Order, type User, type UserFields } from '../model/live.js';

/** A CloudLink client: the engine's interface plus lifecycle and counters. */
export interface CloudLinkClient extends CloudLinkApi {
  stats(): ClientStats;
  close(): Promise<void>;
}

/** What a list call asks for. */
interface ListQuery<D> {
  /** `$filter`, or alternatives tried in order; each refused (400) is dropped, `match` applies alone at the end. */
  filter?: string | string[];
  /** `$expand`. */
  expand?: string;
  /** Every row yielded must pass this (the check that the answer matches the question). */
  match?: (row: D) => boolean;
}

const lower = (s: string | undefined | null): string => (s ?? '').toLowerCase();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class HttpCloudLinkClient implements CloudLinkClient {
  private readonly t: Transport;
  private readonly attempts: number;
  private readonly backoffMs: number;
  /** Filters the service refused (route + filter shape): not sent again. */
  private readonly refusedFilters = new Set<string>();

  constructor(options: TransportOptions) {
    this.t = new Transport(options);
    this.attempts = options.retry?.attempts ?? 8;
    this.backoffMs = options.retry?.baseDelayMs ?? 250;
  }

  stats(): ClientStats {
    return this.t.stats;
  }

  close(): Promise<void> {
    return this.t.close();
  }

  // -------------------------------------------------------------------------------------
  // Plumbing

  /**
   * Iterates a list, following `next` verbatim. `filter` alternatives are tried in order
   * (most selective first); each one the service refuses with 400 is dropped (and not sent
   * again by this client), down to no filter at all. `match` checks every row either way.
   */
  private async *list<S extends z.ZodType, D>(route: RouteName, params: Record<string, string>, item: S, map: (w: z.infer<S>) => D, q: ListQuery<D> = {}): AsyncGenerator<D> {
    const schema = pageSchema(item);
    // Refusals are remembered by the filter's shape (literals blanked): one 400 per kind of question.
    const shape = (f: string): string => `${route}|${f.replace(/'(?:[^']|'')*'/g, "'?'")}`;
    const alternatives = (q.filter === undefined ? [] : Array.isArray(q.filter) ? q.filter : [q.filter]).filter((f) => !this.refusedFilters.has(shape(f)));
    let page: { status: number; value: unknown; url: string };
    for (let i = 0; ; i += 1) {
      const filter = alternatives[i];
      const query = { $top: '100', ...(filter ? { $filter: filter } : {}), ...(q.expand ? { $expand: q.expand } : {}) };
      page = await this.t.call({ route, params, query, schema, ...(filter ? { accept: [400] } : {}) });
      if (page.status !== 400 || !filter) break;
      this.refusedFilters.add(shape(filter));
    }
    for (;;) {
      const p = pageFromWire(page.value as { _embedded: { items: z.infer<S>[] } });
      for (const w of p.items) {
        const d = map(w);
        if (!q.match || q.match(d)) yield d;
      }
      if (!p.next) return;
      page = await this.t.call({ route, params, href: p.next, from: page.url, schema });
    }
  }

  private async firstOf<D>(rows: AsyncIterable<D>): Promise<D | undefined> {
    for await (const row of rows) return row;
    return undefined;
  }

  private async getOne<S extends z.ZodType, D>(route: RouteName, params: Record<string, string>, schema: S, map: (w: z.infer<S>) => D, query?: Record<string, string>): Promise<D | undefined> {
    const r = await this.t.call({ route, params, ...(query ? { query } : {}), schema, accept: [404] });
    return r.status === 404 ? undefined : map(r.value as z.infer<S>);
  }

  /** A DELETE: gone already is `unchanged` (unless an earlier attempt of this call did it). */
  private async remove<T>(route: RouteName, params: Record<string, string>, query?: Record<string, string>): Promise<WriteResult<T>> {
    const r = await this.t.call({ route, params, ...(query ? { query } : {}), schema: undefined, accept: [404] });
    return { outcome: r.status === 404 && r.attempts === 1 ? 'unchanged' : 'deleted' };
  }

  /**
   * Runs a create at most once: after an ambiguous failure `lookup` is asked whether the
   * object is there (then it counts as `created`); only when it is not is the POST sent
   * again. A lookup that itself fails transiently is repeated, never skipped.
   */
  private async createOnce<T>(post: () => Promise<T>, lookup: () => Promise<T | undefined>): Promise<WriteResult<T>> {
    let mustLookUp = false;
    for (let attempt = 1; ; attempt += 1) {
      if (mustLookUp) {
        this.t.stats.rereads += 1;
        let found: T | undefined;
        try {
          found = await lookup();
        } catch (e) {
          if (!(e instanceof CloudLinkError && e.transient) || attempt >= this.attempts) throw e;
          await sleep(Math.random() * Math.min(5000, this.backoffMs * 2 ** attempt));
          continue;
        }
        if (found !== undefined) return { outcome: 'created', value: found };
        mustLookUp = false;
      }
      try {
        return { outcome: 'created', value: await post() };
      } catch (e) {
        if (!isAmbiguous(e) || attempt >= this.attempts) throw e;
        mustLookUp = true;
        await sleep(Math.random() * Math.min(5000, this.backoffMs * 2 ** attempt));
      }
    }
  }

  /** A 409 on a create: re-read; there → `unchanged`, else the 409 stands. */
  private async resolveConflict<T>(e: unknown, lookup: () => Promise<T | undefined>): Promise<WriteResult<T>> {
    if (!(e instanceof CloudLinkError && e.code === 'conflict')) throw e;
    this.t.stats.rereads += 1;
    const found = await lookup();
    if (found === undefined) throw e;
    return { outcome: 'unchanged', value: found };
  }

  // -------------------------------------------------------------------------------------
  // Principal

  readonly principal: CloudLinkApi['principal'] = {
    whoami: () => this.t.whoami(),
  };

  // -------------------------------------------------------------------------------------
  // Accounts

  /** The accounts whose `partnerId` is the partner, with tags. */
  private partnerAccounts(partnerId: string): AsyncIterable<Account> {
    return this.list('listAccounts', {}, accountSchema, accountFromWire, { filter: filters.accountsOfPartner(partnerId), expand: 'tags', match: (a) => a.partnerId === partnerId });
  }

  private getAccount(accountId: string): Promise<Account | undefined> {
    return this.getOne('getAccount', { accountId }, accountSchema, accountFromWire, { $expand: 'tags' });
  }

  /** The natural key of an account: the identity tag, else the exact name under the partner without another key's tag. */
  private async findAccount(partnerId: string, name: string, key: string): Promise<Account | undefined> {
    let byName: Account | undefined;
    for await (const a of this.partnerAccounts(partnerId)) {
      if (a.identityKey === key) return a;
      if (!byName && a.name === name && a.identityKey === undefined) byName = a;
    }
    return byName;
  }

  /** Writes the identity tag unless the account carries it already. */
  private async ensureIdentity(account: Account, key: string): Promise<Account> {
    if (account.identityKey === key) return account;
    await this.t.call({ route: 'putAccountTag', params: { accountId: account.accountId, tagId: IDENTITY_TAG }, body: identityTagValue(key), schema: undefined });
    return { ...account, identityKey: key };
  }

  readonly accounts: CloudLinkApi['accounts'] = {
    list: (partnerId: string) => this.accountsOf(partnerId),
    named: (partnerId: string, name: string) =>
      this.list('listAccounts', {}, accountSchema, accountFromWire, {
        filter: [filters.accountsNamed(partnerId, name), filters.accountsOfPartner(partnerId)],
        expand: 'tags',
        match: (a) => a.partnerId === partnerId && a.name === name,
      }),
    get: (accountId: string) => this.getAccount(accountId),
    create: async (partnerId: string, fields: AccountFields & { name: string }, identityKey: string) => {
      const created = await this.createOnce<Account>(
        async () => accountFromWire((await this.t.call({ route: 'createAccount', body: accountToWire(fields, partnerId), schema: accountSchema })).value),
        () => this.findAccount(partnerId, fields.name, identityKey),
      );
      try {
        return { outcome: created.outcome, value: await this.ensureIdentity(created.value as Account, identityKey) };
      } catch (e) {
        // A racing run settled ours away before we tagged it: the account it kept is the one.
        if (!(e instanceof CloudLinkError && e.code === 'not_found')) throw e;
        const winner = await this.findAccount(partnerId, fields.name, identityKey);
        if (!winner) throw e;
        return { outcome: 'unchanged', value: await this.ensureIdentity(winner, identityKey) };
      }
    },
    update: async (accountId: string, fields: AccountFields) => {
      await this.t.call({ route: 'updateAccount', params: { accountId }, body: accountToWire(fields), schema: undefined });
      const value = await this.getAccount(accountId);
      return { outcome: 'updated', ...(value ? { value } : {}) };
    },
    delete: (accountId: string) => this.remove<Account>('deleteAccount', { accountId }, { hard: 'true' }),
    setIdentity: async (accountId: string, key: string) => {
      await this.t.call({ route: 'putAccountTag', params: { accountId, tagId: IDENTITY_TAG }, body: identityTagValue(key), schema: undefined });
      const value = await this.getAccount(accountId);
      return { outcome: 'updated', ...(value ? { value } : {}) };
    },
    setTag: async (accountId: string, tagId: string, value) => {
      if (tagId === IDENTITY_TAG) throw new Error(`setTag: tag ${IDENTITY_TAG} is the tool's identity tag; use setIdentity`);
      let outcome: WriteResult<Account>['outcome'] = 'updated';
      if (value === undefined) {
        const r = await this.t.call({ route: 'deleteAccountTag', params: { accountId, tagId }, schema: undefined, accept: [404] });
        if (r.status === 404 && r.attempts === 1) outcome = 'unchanged';
      } else {
        await this.t.call({ route: 'putAccountTag', params: { accountId, tagId }, body: value, schema: undefined });
      }
      const account = await this.getAccount(accountId);
      return { outcome, ...(account ? { value: account } : {}) };
    },
  };

  /** The partner's accounts, plus the principal's own account when it belongs to the partner. */
  private async *accountsOf(partnerId: string): AsyncGenerator<Account> {
    const seen = new Set<string>();
    for await (const a of this.partnerAccounts(partnerId)) {
      seen.add(a.accountId);
      yield a;
    }
    const me = await this.t.whoami();
    if (me.partnerId === partnerId && !seen.has(me.accountId)) {
      const own = await this.getAccount(me.accountId);
      if (own) yield own;
    }
  }

  // -------------------------------------------------------------------------------------
  // Contacts

  readonly contacts: CloudLinkApi['contacts'] = {
    list: (accountId: string) => this.list('listContacts', { accountId }, contactSchema, (c) => contactFromWire(c, accountId), { match: (c) => c.accountId === accountId }),
    add: async (accountId: string, contact: { email: string; name?: string; type: string }) => {
      const find = (): Promise<Contact | undefined> =>
        this.firstOf(this.list('listContacts', { accountId }, contactSchema, (c) => contactFromWire(c, accountId), { match: (c) => c.accountId === accountId && lower(c.email) === lower(contact.email) && lower(c.type) === lower(contact.type) }));
      const existing = await find();
      if (existing) return { outcome: 'unchanged', value: existing };
      try {
        return await this.createOnce<Contact>(async () => contactFromWire((await this.t.call({ route: 'createContact', params: { accountId }, body: contactToWire(contact), schema: contactSchema })).value, accountId), find);
      } catch (e) {
        return this.resolveConflict(e, find);
      }
    },
    remove: (accountId: string, contactId: string) => this.remove<Contact>('deleteContact', { accountId, contactId }),
  };

  // -------------------------------------------------------------------------------------
  // Integrations

  readonly integrations: CloudLinkApi['integrations'] = {
    list: (accountId: string) => this.list('listIntegrations', { accountId }, integrationSchema, integrationFromWire),
    add: async (accountId: string, type: string) => {
      const find = (): Promise<Integration | undefined> => this.firstOf(this.list('listIntegrations', { accountId }, integrationSchema, integrationFromWire, { match: (i) => i.type === type }));
      const existing = await find();
      if (existing) return { outcome: 'unchanged', value: existing };
      try {
        return await this.createOnce<Integration>(async () => integrationFromWire((await this.t.call({ route: 'addIntegration', params: { accountId }, body: integrationToWire(type), schema: integrationSchema })).value), find);
      } catch (e) {
        return this.resolveConflict(e, find);
      }
    },
    remove: (accountId: string, integrationId: string) => this.remove<Integration>('removeIntegration', { accountId, integrationId }),
    catalog: async (): Promise<CatalogEntry[]> => {
      const out: CatalogEntry[] = [];
      let r = await this.t.call({ route: 'catalog', query: { $top: '100' }, schema: catalogSchema });
      for (;;) {
        if (Array.isArray(r.value)) return r.value.map(catalogEntryFromWire);
        const p = pageFromWire(r.value);
        out.push(...p.items.map(catalogEntryFromWire));
        if (!p.next) return out;
        r = await this.t.call({ route: 'catalog', href: p.next, from: r.url, schema: catalogSchema });
      }
    },
  };

  // -------------------------------------------------------------------------------------
  // Orders (billing partner-subscriptions)

  private orderList(partnerId: string, filter: string[], match: (o: Order) => boolean): AsyncIterable<Order> {
    return this.list('listOrders', {}, orderSchema, orderFromWire, { filter, match: (o) => (o.partnerId === undefined || o.partnerId === partnerId) && match(o) });
  }

  private getOrder(partnerId: string, orderId: string): Promise<Order | undefined> {
    return this.firstOf(this.orderList(partnerId, [filters.orderById(orderId), filters.ordersOfPartner(partnerId)], (o) => o.orderId === orderId));
  }

  /** PUT the order's assignment; after an ambiguous failure or a 409 the order is read back. */
  private async assignOrder(partnerId: string, orderId: string, accountId: string | null): Promise<WriteResult<Order>> {
    const before = await this.getOrder(partnerId, orderId);
    if (!before) throw new CloudLinkError('not_found', `order ${orderId} of partner ${partnerId} not found (no correlation id: read by list)`, false, { status: 404 });
    if (before.assignedAccountId === accountId) return { outcome: 'unchanged', value: before };
    for (let attempt = 1; ; attempt += 1) {
      try {
        const r = await this.t.call({ route: 'updateOrder', params: { subscriptionId: orderId }, body: orderAssignmentToWire(accountId), schema: orderSchema.optional(), idempotent: false });
        const value = r.value ? orderFromWire(r.value) : await this.getOrder(partnerId, orderId);
        return { outcome: 'updated', ...(value ? { value } : {}) };
      } catch (e) {
        const ambiguous = isAmbiguous(e);
        const conflict = e instanceof CloudLinkError && e.code === 'conflict';
        if (!ambiguous && !conflict) throw e;
        this.t.stats.rereads += 1;
        const now = await this.getOrder(partnerId, orderId);
        if (now && now.assignedAccountId === accountId) return { outcome: 'updated', value: now };
        if (conflict || attempt >= this.attempts) throw e;
        await sleep(Math.random() * Math.min(5000, this.backoffMs * 2 ** attempt));
      }
    }
  }

  readonly orders: CloudLinkApi['orders'] = {
    list: (partnerId: string, filter: OrderListFilter = {}) => {
      const clauses = [filters.ordersOfPartner(partnerId)];
      if (filter.unassigned) clauses.push(filters.unassignedOrders());
      if (filter.expiresBefore) clauses.push(filters.ordersExpiringBefore(filter.expiresBefore));
      if (filter.search) clauses.push(filters.orderSearch(filter.search));
      const before = filter.expiresBefore ? Date.parse(filter.expiresBefore) : undefined;
      const text = lower(filter.search);
      return this.orderList(partnerId, clauses.length > 1 ? [clauses.join(' and '), filters.ordersOfPartner(partnerId)] : clauses, (o) => {
        if (filter.unassigned && o.assignedAccountId !== null) return false;
        if (before !== undefined && !(o.expiresOn !== null && Date.parse(o.expiresOn) < before)) return false;
        if (text && ![o.trackingNumber, o.sapOrderId, o.resellerPo, o.customerPo].some((f) => lower(f).includes(text))) return false;
        return true;
      });
    },
    get: (partnerId: string, orderId: string) => this.getOrder(partnerId, orderId),
    assign: (partnerId: string, orderId: string, accountId: string) => this.assignOrder(partnerId, orderId, accountId),
    unassign: (partnerId: string, orderId: string) => this.assignOrder(partnerId, orderId, null),
  };

  // -------------------------------------------------------------------------------------
  // Billing

  private licensesOf(accountId: string): AsyncIterable<License> {
    return this.list('listLicenses', {}, licenseSchema, licenseFromWire, { filter: filters.byAccount(accountId), match: (l) => l.accountId === accountId });
  }

  readonly billing: CloudLinkApi['billing'] = {
    subscriptions: (accountId: string) => this.list('listSubscriptions', {}, subscriptionSchema, subscriptionFromWire, { filter: filters.byAccount(accountId), match: (s) => s.accountId === accountId }),
    licenses: (accountId: string) => this.licensesOf(accountId),
    enable: async (accountId: string, userId: string, product: string) => {
      const find = async (): Promise<License | undefined> => {
        for await (const l of this.licensesOf(accountId)) if (l.userId === userId && l.product === product) return l;
        return undefined;
      };
      try {
        return await this.createOnce<License>(async () => {
          const r = await this.t.call({ route: 'createLicense', body: licenseToWire(accountId, userId, product), schema: licenseSchema.optional() });
          const value = r.value ? licenseFromWire(r.value) : await find();
          if (!value) throw new CloudLinkError('schema', `POST /licenses answered ${r.status} without a license, and none is listed for user ${userId}${r.correlationId ? ` (correlation id ${r.correlationId})` : ''}`, false, { status: r.status, ...(r.correlationId ? { correlationId: r.correlationId } : {}) });
          return value;
        }, find);
      } catch (e) {
        // 409: the user holds it already (unchanged), or no free license / no integration (the 409 stands).
        return this.resolveConflict(e, find);
      }
    },
    disable: (licenseId: string) => this.remove<License>('deleteLicense', { licenseId }),
  };

  // -------------------------------------------------------------------------------------
  // Users

  private usersOf(accountId: string, filter?: string, match?: (u: User) => boolean): AsyncIterable<User> {
    return this.list('listUsers', { accountId }, userSchema, (u) => userFromWire(u, accountId), {
      ...(filter ? { filter } : {}),
      expand: 'tags',
      match: (u) => u.accountId === accountId && (!match || match(u)),
    });
  }

  private findUserByEmail(accountId: string, email: string): Promise<User | undefined> {
    const want = lower(email);
    return this.firstOf(this.usersOf(accountId, filters.userByEmail(email), (u) => lower(u.email) === want));
  }

  /** One round of the batch: returns a row per input, `undefined` where the outcome is unknown (5xx row or ambiguous PATCH). */
  private async batchRound(accountId: string, inputs: UserFields[]): Promise<(BatchCreateRow | undefined)[]> {
    let rows;
    try {
      const r = await this.t.call({ route: 'batchUsers', params: { accountId }, body: batchAddToWire(inputs), schema: batchAnswerSchema });
      rows = batchRowsFromWire(r.value, accountId);
      if (rows.length !== inputs.length) {
        throw new CloudLinkError('schema', `PATCH /accounts/{accountId}/users answered ${rows.length} results for ${inputs.length} operations${r.correlationId ? ` (correlation id ${r.correlationId})` : ''}`, false, { ...(r.correlationId ? { correlationId: r.correlationId } : {}) });
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
        this.t.stats.rereads += 1;
        const found = await this.findUserByEmail(accountId, input.email);
        out.push(found ? { ok: true, outcome: 'unchanged', user: found } : { ok: false, status: 409, message: row.error.message ?? 'conflict', ...(row.correlationId ? { correlationId: row.correlationId } : {}) });
      } else {
        const message = `${row.error.name ? `${row.error.name}: ` : ''}${row.error.message ?? `status ${row.status}`}`;
        out.push({ ok: false, status: row.status, message, ...(row.correlationId ? { correlationId: row.correlationId } : {}) });
      }
    }
    return out;
  }

  readonly users: CloudLinkApi['users'] = {
    list: (accountId: string) => this.usersOf(accountId),
    get: (accountId: string, userId: string) => this.getOne('getUser', { accountId, userId }, userSchema, (u) => userFromWire(u, accountId), { $expand: 'tags' }),
    findByEmail: (accountId: string, email: string) => this.findUserByEmail(accountId, email),
    create: async (accountId: string, fields: UserFields) => {
      const find = (): Promise<User | undefined> => this.findUserByEmail(accountId, fields.email);
      try {
        return await this.createOnce<User>(async () => userFromWire((await this.t.call({ route: 'createUser', params: { accountId }, body: userToWire(fields), schema: userSchema })).value, accountId), find);
      } catch (e) {
        return this.resolveConflict(e, find);
      }
    },
    createMany: async (accountId: string, inputs: UserFields[]): Promise<BatchCreateRow[]> => {
      if (inputs.length > 100) throw new Error(`users.createMany takes at most 100 users per call (got ${inputs.length})`);
      const results: (BatchCreateRow | undefined)[] = inputs.map(() => undefined);
      let pending = inputs.map((_, i) => i);
      for (let round = 1; pending.length > 0; round += 1) {
        const rows = await this.batchRound(
          accountId,
          pending.map((i) => inputs[i] as UserFields),
        );
        pending.forEach((i, k) => (results[i] = rows[k]));
        pending = pending.filter((i) => results[i] === undefined);
        if (pending.length === 0) break;
        // Unknown outcomes: re-read the account's users; those there were created, the rest go again.
        this.t.stats.rereads += 1;
        const byEmail = new Map<string, User>();
        for await (const u of this.usersOf(accountId)) byEmail.set(lower(u.email), u);
        for (const i of pending) {
          const found = byEmail.get(lower(inputs[i]?.email));
          if (found) results[i] = { ok: true, outcome: 'created', user: found };
        }
        pending = pending.filter((i) => results[i] === undefined);
        if (pending.length > 0 && round >= this.attempts) {
          for (const i of pending) results[i] = { ok: false, status: 503, message: `the user could not be created after ${round} batch attempts (the service kept failing)` };
          break;
        }
        if (pending.length > 0) await sleep(Math.random() * Math.min(5000, this.backoffMs * 2 ** round));
      }
      return results as BatchCreateRow[];
    },
    update: async (accountId: string, userId: string, fields: Partial<UserFields>) => {
      const r = await this.t.call({ route: 'updateUser', params: { accountId, userId }, body: userToWire(fields), schema: userSchema.optional() });
      const value = r.value ? userFromWire(r.value, accountId) : await this.users.get(accountId, userId);
      return { outcome: 'updated', ...(value ? { value } : {}) };
    },
    delete: (accountId: string, userId: string) => this.remove<User>('deleteUser', { accountId, userId }),
    sendWelcome: async (accountId: string, userId: string) => {
      // One POST, never repeated after an ambiguous failure: the error (isAmbiguous) says so.
      await this.t.call({ route: 'sendWelcome', params: { accountId, userId }, schema: undefined, idempotent: false });
    },
    recordWelcome: async (accountId: string, userId: string, sentOn: string, unconfirmed?: boolean, claim?: string) => {
      await this.t.call({ route: 'putUserTag', params: { accountId, userId, tagId: IDENTITY_TAG }, body: welcomeTagValue(sentOn, unconfirmed, claim), schema: undefined });
    },
    clearWelcome: async (accountId: string, userId: string) => {
      await this.t.call({ route: 'deleteUserTag', params: { accountId, userId, tagId: IDENTITY_TAG }, schema: undefined, accept: [404] });
    },
    resetPassword: async (accountId: string, email: string) => {
      await this.t.call({ route: 'resetPassword', params: { email }, body: passwordResetToWire(accountId, email), schema: undefined, idempotent: false });
    },
  };
}
