/**
 * The sandbox's state and the CloudLink rules that govern it (uniqueness, license
 * capacity, order assignment, etags). Pure in-memory; the HTTP layer and persistence sit
 * around it. Every rule answers with an `ApiFailure` carrying the contract's code.
 */
import { randomBytes } from 'node:crypto';
import type { Account, CatalogEntry, Integration, Order, User, WireRole } from '../api/resources.js';
import { DEFAULT_CATALOG, type SandboxSeed, type SeedAdmin, type SeedClient } from './seed.js';

/** An error the API answers with (status, machine code, human message, optional details). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: { field: string; message: string }[],
  ) {
    super(message);
  }
}

/** Who is calling: a partner admin (sees its partner's accounts) or an account admin (its account only). */
export interface Principal {
  id: string;
  partnerId?: string;
  accountId?: string;
}

export interface OutboxMail {
  type: 'welcome' | 'password-reset';
  to: string;
  accountId: string;
  userId: string;
  sentOn: string;
}

interface AccountRecord {
  account: Account;
  integrations: Map<string, Integration>;
  users: Map<string, User>;
  emails: Map<string, string>;
}

/** Serialisable form of the whole state (the `--data` file and `GET /sandbox/state`). */
export interface StateDump {
  version: 1;
  partners: { partnerId: string; name: string }[];
  admins: SeedAdmin[];
  clients: SeedClient[];
  catalog: CatalogEntry[];
  accounts: (Account & { integrations: Integration[]; users: User[] })[];
  orders: (Order & { partnerId: string })[];
  outbox: OutboxMail[];
  etagCounter: number;
}

/** A new opaque id (32 hex characters). */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

export class SandboxStore {
  partners = new Map<string, { partnerId: string; name: string }>();
  admins = new Map<string, SeedAdmin>();
  clients = new Map<string, SeedClient>();
  catalog: CatalogEntry[] = [...DEFAULT_CATALOG];
  accounts = new Map<string, AccountRecord>();
  orders = new Map<string, Order & { partnerId: string }>();
  outbox: OutboxMail[] = [];
  private etagCounter = 0;

  constructor(private readonly now: () => Date) {}

  private stamp(): string {
    return this.now().toISOString();
  }

  private etag(): string {
    this.etagCounter += 1;
    return `"${this.etagCounter.toString(36)}-${randomBytes(3).toString('hex')}"`;
  }

  reset(): void {
    this.partners.clear();
    this.admins.clear();
    this.clients.clear();
    this.catalog = [...DEFAULT_CATALOG];
    this.accounts.clear();
    this.orders.clear();
    this.outbox = [];
  }

  /** Adds everything in the seed (ids kept when given). */
  seed(seed: SandboxSeed): void {
    const ts = this.stamp();
    for (const p of seed.partners ?? []) this.partners.set(p.partnerId, p);
    for (const a of seed.admins ?? []) this.admins.set(a.username.toLowerCase(), a);
    for (const c of seed.clients ?? []) this.clients.set(c.clientId, c);
    if (seed.catalog) this.catalog = seed.catalog;
    for (const a of seed.accounts ?? []) {
      const account: Account = {
        accountId: a.accountId ?? newId(),
        name: a.name,
        partnerId: a.partnerId,
        country: a.country,
        address: a.address ?? '',
        city: a.city ?? '',
        postalCode: a.postalCode ?? '',
        language: a.language,
        supportContacts: a.supportContacts ?? [],
        tags: a.tags ?? {},
        createdOn: ts,
        modifiedOn: ts,
        etag: this.etag(),
      };
      const record: AccountRecord = { account, integrations: new Map(), users: new Map(), emails: new Map() };
      this.accounts.set(account.accountId, record);
      for (const type of a.integrations ?? []) {
        const integration: Integration = { integrationId: newId(), type, enabled: true, createdOn: ts, modifiedOn: ts, etag: this.etag() };
        record.integrations.set(integration.integrationId, integration);
      }
      for (const u of a.users ?? []) {
        const user: User = {
          userId: u.userId ?? newId(),
          accountId: account.accountId,
          name: u.name ?? `${u.firstName} ${u.lastName}`,
          firstName: u.firstName,
          lastName: u.lastName,
          email: u.email,
          country: u.country ?? null,
          role: u.role ?? 'USER',
          status: u.status ?? 'pending',
          welcomeEmailSentOn: u.welcomeEmailSentOn ?? null,
          licenses: u.miteam ? [{ product: 'miteam-meetings', assignedOn: u.createdOn ?? ts }] : [],
          createdOn: u.createdOn ?? ts,
          modifiedOn: u.createdOn ?? ts,
          etag: this.etag(),
        };
        record.users.set(user.userId, user);
        record.emails.set(user.email.toLowerCase(), user.userId);
      }
    }
    for (const o of seed.orders ?? []) {
      const expiresOn =
        o.expiresInDays !== undefined ? new Date(this.now().getTime() + o.expiresInDays * 86_400_000).toISOString() : (o.expiresOn ?? null);
      const order = {
        orderId: o.orderId ?? newId(),
        partnerId: o.partnerId,
        trackingNumber: o.trackingNumber,
        sapOrderId: o.sapOrderId ?? null,
        resellerPo: o.resellerPo ?? null,
        customerPo: o.customerPo ?? null,
        product: o.product ?? 'miteam-meetings',
        quantity: o.quantity,
        orderDate: o.orderDate ?? ts,
        expiresOn,
        assignedAccountId: o.assignedAccountId ?? null,
        createdOn: ts,
        modifiedOn: ts,
        etag: this.etag(),
      };
      this.orders.set(order.orderId, order);
    }
  }

  dump(): StateDump {
    return {
      version: 1,
      partners: [...this.partners.values()],
      admins: [...this.admins.values()],
      clients: [...this.clients.values()],
      catalog: this.catalog,
      accounts: [...this.accounts.values()].map((r) => ({ ...r.account, integrations: [...r.integrations.values()], users: [...r.users.values()] })),
      orders: [...this.orders.values()],
      outbox: this.outbox,
      etagCounter: this.etagCounter,
    };
  }

  restore(dump: StateDump): void {
    this.reset();
    for (const p of dump.partners) this.partners.set(p.partnerId, p);
    for (const a of dump.admins) this.admins.set(a.username.toLowerCase(), a);
    for (const c of dump.clients) this.clients.set(c.clientId, c);
    this.catalog = dump.catalog;
    for (const { integrations, users, ...account } of dump.accounts) {
      const record: AccountRecord = { account, integrations: new Map(), users: new Map(), emails: new Map() };
      for (const i of integrations) record.integrations.set(i.integrationId, i);
      for (const u of users) {
        record.users.set(u.userId, u);
        record.emails.set(u.email.toLowerCase(), u.userId);
      }
      this.accounts.set(account.accountId, record);
    }
    for (const o of dump.orders) this.orders.set(o.orderId, o);
    this.outbox = dump.outbox;
    this.etagCounter = dump.etagCounter;
  }

  // ----- scoping -----

  private visible(principal: Principal, record: AccountRecord): boolean {
    if (principal.accountId) return record.account.accountId === principal.accountId;
    return record.account.partnerId === principal.partnerId;
  }

  /** The account record, or 404 when it does not exist or is outside the principal's scope. */
  record(principal: Principal, accountId: string): AccountRecord {
    const record = this.accounts.get(accountId);
    if (!record || !this.visible(principal, record)) throw new ApiFailure(404, 'not_found', `account ${accountId} not found`);
    return record;
  }

  private checkEtag(current: string, ifMatch: string | undefined): void {
    if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== current) {
      throw new ApiFailure(412, 'precondition_failed', `the object changed since etag ${ifMatch}; read it again`);
    }
  }

  // ----- accounts -----

  listAccounts(principal: Principal): Account[] {
    return [...this.accounts.values()].filter((r) => this.visible(principal, r)).map((r) => r.account);
  }

  createAccount(principal: Principal, body: Record<string, unknown>): Account {
    if (!principal.partnerId) throw new ApiFailure(404, 'not_found', 'only partner administrators create accounts');
    const fields = validateAccount(body, true);
    const ts = this.stamp();
    const account: Account = {
      accountId: newId(),
      partnerId: principal.partnerId,
      name: fields.name ?? '',
      country: fields.country ?? '',
      address: fields.address ?? '',
      city: fields.city ?? '',
      postalCode: fields.postalCode ?? '',
      language: fields.language ?? '',
      supportContacts: fields.supportContacts ?? [],
      tags: fields.tags ?? {},
      createdOn: ts,
      modifiedOn: ts,
      etag: this.etag(),
    };
    this.accounts.set(account.accountId, { account, integrations: new Map(), users: new Map(), emails: new Map() });
    return account;
  }

  updateAccount(principal: Principal, accountId: string, body: Record<string, unknown>, ifMatch?: string): Account {
    const record = this.record(principal, accountId);
    this.checkEtag(record.account.etag, ifMatch);
    const fields = validateAccount(body, false);
    record.account = { ...record.account, ...fields, modifiedOn: this.stamp(), etag: this.etag() };
    return record.account;
  }

  deleteAccount(principal: Principal, accountId: string, ifMatch?: string): void {
    const record = this.record(principal, accountId);
    if (!principal.partnerId) throw new ApiFailure(404, 'not_found', `account ${accountId} not found`);
    this.checkEtag(record.account.etag, ifMatch);
    for (const order of this.orders.values()) {
      if (order.assignedAccountId === accountId) Object.assign(order, { assignedAccountId: null, modifiedOn: this.stamp(), etag: this.etag() });
    }
    this.accounts.delete(accountId);
  }

  // ----- integrations -----

  addIntegration(principal: Principal, accountId: string, body: Record<string, unknown>): Integration {
    const record = this.record(principal, accountId);
    const type = body.type;
    if (typeof type !== 'string' || !this.catalog.some((c) => c.type === type)) {
      throw new ApiFailure(400, 'validation_failed', 'unknown integration type', [{ field: 'type', message: `use one of ${this.catalog.map((c) => c.type).join(', ')}` }]);
    }
    const existing = [...record.integrations.values()].find((i) => i.type === type);
    if (existing) throw new ApiFailure(409, 'conflict', `integration ${type} already exists`, [{ field: 'integrationId', message: existing.integrationId }]);
    const ts = this.stamp();
    const integration: Integration = { integrationId: newId(), type, enabled: true, createdOn: ts, modifiedOn: ts, etag: this.etag() };
    record.integrations.set(integration.integrationId, integration);
    return integration;
  }

  removeIntegration(principal: Principal, accountId: string, integrationId: string): void {
    const record = this.record(principal, accountId);
    const integration = record.integrations.get(integrationId);
    if (!integration) throw new ApiFailure(404, 'not_found', `integration ${integrationId} not found`);
    const inUse = [...record.users.values()].some((u) => u.licenses.some((l) => l.product === integration.type));
    if (inUse) throw new ApiFailure(409, 'conflict', `integration ${integration.type} has licensed users; disable their licenses first`);
    record.integrations.delete(integrationId);
  }

  // ----- orders -----

  listOrders(principal: Principal, partnerId: string): (Order & { partnerId: string })[] {
    if (principal.partnerId !== partnerId) throw new ApiFailure(404, 'not_found', `partner ${partnerId} not found`);
    return [...this.orders.values()].filter((o) => o.partnerId === partnerId);
  }

  order(principal: Principal, partnerId: string, orderId: string): Order & { partnerId: string } {
    const order = this.orders.get(orderId);
    if (!order || principal.partnerId !== partnerId || order.partnerId !== partnerId) throw new ApiFailure(404, 'not_found', `order ${orderId} not found`);
    return order;
  }

  assignOrder(principal: Principal, partnerId: string, orderId: string, body: Record<string, unknown>): Order {
    const order = this.order(principal, partnerId, orderId);
    const accountId = body.accountId;
    if (typeof accountId !== 'string') throw new ApiFailure(400, 'validation_failed', 'accountId is required', [{ field: 'accountId', message: 'required' }]);
    this.record(principal, accountId);
    if (order.assignedAccountId === accountId) return order;
    if (order.assignedAccountId) {
      throw new ApiFailure(409, 'conflict', `order ${order.trackingNumber} is assigned to another account`, [{ field: 'assignedAccountId', message: order.assignedAccountId }]);
    }
    Object.assign(order, { assignedAccountId: accountId, modifiedOn: this.stamp(), etag: this.etag() });
    return order;
  }

  unassignOrder(principal: Principal, partnerId: string, orderId: string): Order {
    const order = this.order(principal, partnerId, orderId);
    if (!order.assignedAccountId) return order;
    const record = this.accounts.get(order.assignedAccountId);
    if (record) {
      const capacityWithout = this.capacity(record.account.accountId, order.product) - (this.counts(order) ? order.quantity : 0);
      if (this.enabled(record, order.product) > capacityWithout) {
        throw new ApiFailure(409, 'conflict', `licenses of order ${order.trackingNumber} are in use; disable them first`);
      }
    }
    Object.assign(order, { assignedAccountId: null, modifiedOn: this.stamp(), etag: this.etag() });
    return order;
  }

  private counts(order: Order): boolean {
    return order.expiresOn === null || new Date(order.expiresOn).getTime() > this.now().getTime();
  }

  /** Licenses of a product the account may use: assigned, non-expired order quantities. */
  capacity(accountId: string, product: string): number {
    let total = 0;
    for (const o of this.orders.values()) if (o.assignedAccountId === accountId && o.product === product && this.counts(o)) total += o.quantity;
    return total;
  }

  private enabled(record: AccountRecord, product: string): number {
    let n = 0;
    for (const u of record.users.values()) if (u.licenses.some((l) => l.product === product)) n += 1;
    return n;
  }

  // ----- users -----

  listUsers(principal: Principal, accountId: string): User[] {
    return [...this.record(principal, accountId).users.values()];
  }

  userByEmail(principal: Principal, accountId: string, email: string): User | undefined {
    const record = this.record(principal, accountId);
    const id = record.emails.get(email.toLowerCase());
    return id ? record.users.get(id) : undefined;
  }

  user(principal: Principal, accountId: string, userId: string): User {
    const user = this.record(principal, accountId).users.get(userId);
    if (!user) throw new ApiFailure(404, 'not_found', `user ${userId} not found`);
    return user;
  }

  createUser(principal: Principal, accountId: string, body: Record<string, unknown>): User {
    const record = this.record(principal, accountId);
    const fields = validateUser(body, true);
    const email = fields.email ?? '';
    const existing = record.emails.get(email.toLowerCase());
    if (existing) throw new ApiFailure(409, 'conflict', `a user with e-mail ${email} already exists`, [{ field: 'userId', message: existing }]);
    const ts = this.stamp();
    const user: User = {
      userId: newId(),
      accountId,
      name: fields.name ?? `${fields.firstName ?? ''} ${fields.lastName ?? ''}`.trim(),
      firstName: fields.firstName ?? '',
      lastName: fields.lastName ?? '',
      email,
      country: fields.country ?? null,
      role: fields.role ?? 'USER',
      status: 'pending',
      welcomeEmailSentOn: null,
      licenses: [],
      createdOn: ts,
      modifiedOn: ts,
      etag: this.etag(),
    };
    record.users.set(user.userId, user);
    record.emails.set(email.toLowerCase(), user.userId);
    return user;
  }

  updateUser(principal: Principal, accountId: string, userId: string, body: Record<string, unknown>, ifMatch?: string): User {
    const record = this.record(principal, accountId);
    const user = this.user(principal, accountId, userId);
    this.checkEtag(user.etag, ifMatch);
    const fields = validateUser(body, false);
    if (fields.email !== undefined && fields.email.toLowerCase() !== user.email.toLowerCase()) {
      const other = record.emails.get(fields.email.toLowerCase());
      if (other) throw new ApiFailure(409, 'conflict', `a user with e-mail ${fields.email} already exists`, [{ field: 'userId', message: other }]);
      record.emails.delete(user.email.toLowerCase());
      record.emails.set(fields.email.toLowerCase(), userId);
    }
    const next: User = { ...user, ...fields, modifiedOn: this.stamp(), etag: this.etag() };
    record.users.set(userId, next);
    return next;
  }

  deleteUser(principal: Principal, accountId: string, userId: string, ifMatch?: string): void {
    const record = this.record(principal, accountId);
    const user = this.user(principal, accountId, userId);
    this.checkEtag(user.etag, ifMatch);
    record.users.delete(userId);
    record.emails.delete(user.email.toLowerCase());
  }

  enableLicense(principal: Principal, accountId: string, userId: string, product: string): User {
    const record = this.record(principal, accountId);
    const user = this.user(principal, accountId, userId);
    if (user.licenses.some((l) => l.product === product)) return user;
    if (![...record.integrations.values()].some((i) => i.type === product)) {
      throw new ApiFailure(409, 'conflict', `the ${product} integration is not added to account ${accountId}; add it first`);
    }
    const capacity = this.capacity(accountId, product);
    if (this.enabled(record, product) + 1 > capacity) {
      throw new ApiFailure(422, 'license_exhausted', `no ${product} license left in account ${accountId} (${capacity} assigned); assign another order`);
    }
    const next: User = { ...user, licenses: [...user.licenses, { product, assignedOn: this.stamp() }], modifiedOn: this.stamp(), etag: this.etag() };
    record.users.set(userId, next);
    return next;
  }

  disableLicense(principal: Principal, accountId: string, userId: string, product: string): User {
    const record = this.record(principal, accountId);
    const user = this.user(principal, accountId, userId);
    if (!user.licenses.some((l) => l.product === product)) return user;
    const next: User = { ...user, licenses: user.licenses.filter((l) => l.product !== product), modifiedOn: this.stamp(), etag: this.etag() };
    record.users.set(userId, next);
    return next;
  }

  mail(principal: Principal, accountId: string, userId: string, type: OutboxMail['type'], ifMatch?: string): User {
    const record = this.record(principal, accountId);
    const user = this.user(principal, accountId, userId);
    this.checkEtag(user.etag, ifMatch);
    const sentOn = this.stamp();
    this.outbox.push({ type, to: user.email, accountId, userId, sentOn });
    if (type === 'password-reset') return user;
    const next: User = { ...user, welcomeEmailSentOn: sentOn, modifiedOn: sentOn, etag: this.etag() };
    record.users.set(userId, next);
    return next;
  }
}

type AccountFields = Partial<Pick<Account, 'name' | 'country' | 'address' | 'city' | 'postalCode' | 'language' | 'supportContacts' | 'tags'>>;

function validateAccount(body: Record<string, unknown>, creating: boolean): AccountFields {
  const details: { field: string; message: string }[] = [];
  const out: AccountFields = {};
  for (const field of ['name', 'country', 'address', 'city', 'postalCode', 'language'] as const) {
    const v = body[field];
    if (v === undefined) {
      if (creating && (field === 'name' || field === 'country' || field === 'language')) details.push({ field, message: 'required' });
    } else if (typeof v !== 'string' || (v.trim() === '' && ['name', 'country', 'language'].includes(field))) details.push({ field, message: 'must be a non-empty string' });
    else out[field] = v;
  }
  if (out.country !== undefined && !/^[A-Z]{2}$/.test(out.country)) details.push({ field: 'country', message: 'must be ISO 3166 alpha-2' });
  if (body.supportContacts !== undefined) {
    if (!Array.isArray(body.supportContacts) || !body.supportContacts.every((c) => typeof c === 'string')) details.push({ field: 'supportContacts', message: 'must be a list of strings' });
    else out.supportContacts = body.supportContacts as string[];
  }
  if (body.tags !== undefined) {
    const tags = body.tags;
    if (typeof tags !== 'object' || tags === null || Array.isArray(tags) || !Object.values(tags).every((v) => typeof v === 'string')) {
      details.push({ field: 'tags', message: 'must be a map of strings' });
    } else out.tags = tags as Record<string, string>;
  }
  if (details.length > 0) throw new ApiFailure(400, 'validation_failed', 'the account is not valid', details);
  return out;
}

type UserFields = Partial<Pick<User, 'email' | 'firstName' | 'lastName' | 'name' | 'country' | 'role'>>;

function validateUser(body: Record<string, unknown>, creating: boolean): UserFields {
  const details: { field: string; message: string }[] = [];
  const out: UserFields = {};
  for (const field of ['email', 'firstName', 'lastName', 'name'] as const) {
    const v = body[field];
    if (v === undefined) {
      if (creating && field !== 'name') details.push({ field, message: 'required' });
    } else if (typeof v !== 'string' || v.trim() === '') details.push({ field, message: 'must be a non-empty string' });
    else out[field] = v;
  }
  if (out.email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(out.email)) details.push({ field: 'email', message: 'not a valid e-mail address' });
  if (body.country !== undefined) {
    if (body.country !== null && (typeof body.country !== 'string' || !/^[A-Z]{2}$/.test(body.country))) details.push({ field: 'country', message: 'must be ISO 3166 alpha-2 or null' });
    else out.country = body.country as string | null;
  }
  if (body.role !== undefined) {
    if (body.role !== 'USER' && body.role !== 'ACCOUNT_ADMIN') details.push({ field: 'role', message: 'must be USER or ACCOUNT_ADMIN' });
    else out.role = body.role as WireRole;
  }
  if (details.length > 0) throw new ApiFailure(400, 'validation_failed', 'the user is not valid', details);
  return out;
}
