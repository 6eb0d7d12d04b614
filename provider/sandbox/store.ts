/**
 * The sandbox's state and the CloudLink rules that govern it (console rules for users,
 * unique e-mails, license capacity, order assignment). Pure in-memory; the HTTP layer
 * (`server.ts`, which also checks the principal's scope) and persistence sit around it.
 * Every broken rule throws an `ApiFailure` (status + message).
 *
 * The methods take no principal: tests use them to change the tenant "behind the tool's
 * back" (`sandbox.store.createUser(accountId, {...})`).
 *
 * Decisions on the contract's [A] points made here:
 * - License attribution: a license is not tied to one order. Capacity of an account for a
 *   product = Σ quantity of its assigned, unexpired orders. A subscription's `used` is a
 *   greedy split of the account's licenses over its unexpired orders (oldest `orderDate`
 *   first); expired orders report `used: 0`. Unassigning an unexpired order is refused (409)
 *   when the licenses held exceed what the account's OTHER unexpired orders cover; an
 *   expired order can always be unassigned (it no longer covers anything).
 * - Removing an integration while licenses of its product are held is 409.
 * - Account tag and user tag writes change the object's `modifiedOn`.
 * - A `PARTNER_ADMIN` user can only live in a partner's own account (else 400).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  ApiFailure,
  DUPLICATE_MESSAGE,
  type AccountRecord,
  type Address,
  type CatalogEntry,
  type ClientRecord,
  type ContactRecord,
  type IntegrationRecord,
  type JsonValue,
  type LicenseRecord,
  type OrderRecord,
  type OutboxMail,
  type PartnerRecord,
  type Role,
  type StateDump,
  type UserRecord,
} from './types.js';
import { DEFAULT_CATALOG, type SandboxSeed, type SeedAccount, type SeedContact } from './seed.js';

/** A new opaque id (32 hex characters). */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

/** A random secret (SIP passwords). */
function secret(): string {
  return randomBytes(12).toString('base64url');
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const COUNTRY = /^[A-Z]{2}$/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Z]{2})?$/;
const ROLES: readonly Role[] = ['USER', 'ACCOUNT_ADMIN', 'PARTNER_ADMIN'];
/** The tool's identity tag (the `welcomeSentOn` seed shorthand writes it on users). */
const IDENTITY_TAG = 'cloudlink-tenancy';

/** One account with everything that hangs off it. */
export interface AccountState {
  account: AccountRecord;
  users: Map<string, UserRecord>;
  /** lower-cased e-mail → userId */
  emails: Map<string, string>;
  contacts: Map<string, ContactRecord>;
  integrations: Map<string, IntegrationRecord>;
  licenses: Map<string, LicenseRecord>;
}

/** A subscription: an order as seen from the account holding it. */
export interface SubscriptionView {
  subscriptionId: string;
  accountId: string;
  product: string;
  quantity: number;
  used: number;
  startDate: string | null;
  expiresOn: string | null;
  createdOn: string;
  modifiedOn: string;
}

export class SandboxStore {
  partners = new Map<string, PartnerRecord>();
  clients = new Map<string, ClientRecord>();
  /** userId → login password (sandbox only). */
  passwords = new Map<string, string>();
  catalog: CatalogEntry[] = [...DEFAULT_CATALOG];
  accounts = new Map<string, AccountState>();
  private orderMap = new Map<string, OrderRecord>();
  /** licenseId → accountId */
  private licenseIndex = new Map<string, string>();
  outbox: OutboxMail[] = [];
  accountNumberSeq = 100_100;

  constructor(private readonly now: () => Date) {}

  private stamp(): string {
    return this.now().toISOString();
  }

  private audit(by: string, at = this.stamp()): { createdOn: string; createdBy: string; modifiedOn: string; modifiedBy: string } {
    return { createdOn: at, createdBy: by, modifiedOn: at, modifiedBy: by };
  }

  reset(): void {
    this.partners.clear();
    this.clients.clear();
    this.passwords.clear();
    this.catalog = [...DEFAULT_CATALOG];
    this.accounts.clear();
    this.orderMap.clear();
    this.licenseIndex.clear();
    this.outbox = [];
    this.accountNumberSeq = 100_100;
  }

  // ----- seed, dump, restore -----

  /** Adds everything in the seed (ids kept when given; an existing id is replaced). */
  seed(seed: SandboxSeed): void {
    const by = 'sandbox-seed';
    if (seed.catalog) this.catalog = seed.catalog.map((c) => ({ type: c.type, name: c.name }));
    for (const p of seed.partners ?? []) {
      // The partner record goes first: PARTNER_ADMIN users are valid only in a partner's own account.
      const accountId = p.account ? (p.account.accountId ?? newId()) : (this.partners.get(p.partnerId)?.accountId ?? null);
      this.partners.set(p.partnerId, { partnerId: p.partnerId, name: p.name, accountId });
      if (p.account) this.seedAccount({ ...p.account, accountId: accountId ?? undefined, partnerId: p.partnerId }, by);
    }
    for (const a of seed.accounts ?? []) {
      if (!a.partnerId) throw new ApiFailure(400, `seed account ${a.name}: partnerId is required`);
      this.seedAccount({ ...a, partnerId: a.partnerId }, by);
    }
    for (const c of seed.clients ?? []) {
      const accountId = c.accountId ?? (c.partnerId ? this.partners.get(c.partnerId)?.accountId : undefined);
      if (!accountId) throw new ApiFailure(400, `seed client ${c.clientId}: give accountId, or partnerId of a partner with an account`);
      this.clients.set(c.clientId, { clientId: c.clientId, clientSecret: c.clientSecret, accountId });
    }
    for (const o of seed.orders ?? []) {
      const ts = this.stamp();
      const expiresOn = o.expiresInDays !== undefined ? new Date(this.now().getTime() + o.expiresInDays * 86_400_000).toISOString() : (o.expiresOn ?? null);
      const orderDate = o.orderDate ?? ts;
      const order: OrderRecord = {
        subscriptionId: o.subscriptionId ?? newId(),
        partnerId: o.partnerId,
        trackingNumber: o.trackingNumber,
        sapOrderId: o.sapOrderId ?? null,
        resellerPo: o.resellerPo ?? null,
        customerPo: o.customerPo ?? null,
        product: o.product ?? 'miteam-meetings',
        quantity: o.quantity,
        orderDate,
        expiresOn,
        accountId: o.accountId ?? null,
        assignedOn: o.accountId ? orderDate : null,
        ...this.audit(by, ts),
      };
      this.orderMap.set(order.subscriptionId, order);
    }
  }

  private seedAccount(a: SeedAccount & { partnerId: string }, by: string): string {
    const ts = this.stamp();
    const accountId = a.accountId ?? newId();
    const old = this.accounts.get(accountId);
    if (old) this.deleteAccount(accountId);
    const account: AccountRecord = {
      accountId,
      accountNumber: a.accountNumber ?? this.nextAccountNumber(),
      name: a.name,
      partnerId: a.partnerId,
      organizationId: randomUUID(),
      active: a.active ?? true,
      state: a.active === false ? 'INACTIVE' : 'ACTIVE',
      domain: a.domain ?? null,
      languageCode: a.languageCode ?? 'en-US',
      location: { address: { street: '', city: '', stateOrProvince: '', zipCode: '', country: '', ...a.location?.address } },
      policyId: a.policyId ?? null,
      userLimit: a.userLimit ?? null,
      source: a.source ?? 'sandbox',
      tags: { ...a.tags },
      ...this.audit(by, ts),
    };
    const state: AccountState = { account, users: new Map(), emails: new Map(), contacts: new Map(), integrations: new Map(), licenses: new Map() };
    this.accounts.set(accountId, state);
    for (const type of a.integrations ?? []) this.addIntegration(accountId, type, by);
    for (const u of a.users ?? []) {
      const user = this.createUser(accountId, { ...u }, by);
      let record: UserRecord = user;
      if (u.userId && u.userId !== user.userId) {
        state.users.delete(user.userId);
        record = { ...user, userId: u.userId };
        state.users.set(u.userId, record);
        state.emails.set(user.email.toLowerCase(), u.userId);
      }
      const tags: Record<string, JsonValue> = { ...u.tags };
      if (u.welcomeSentOn) tags[IDENTITY_TAG] = { ...(typeof tags[IDENTITY_TAG] === 'object' && tags[IDENTITY_TAG] !== null ? (tags[IDENTITY_TAG] as Record<string, JsonValue>) : {}), welcomeSentOn: u.welcomeSentOn };
      record.tags = tags;
      record.userVerified = u.verified ?? false;
      record.emailVerified = u.verified ?? false;
      if (u.createdOn) Object.assign(record, { createdOn: u.createdOn, modifiedOn: u.createdOn });
      if (u.password) this.passwords.set(record.userId, u.password);
      if (u.miteam) this.putLicense(state, record.userId, 'miteam-meetings', by);
    }
    const contacts: SeedContact[] = [...(a.contacts ?? []), ...(a.supportContacts ?? []).map((email) => ({ email }))];
    for (const c of contacts) {
      const contact = this.createContact(accountId, { name: c.name ?? this.partnerUserName(a.partnerId, c.email) ?? c.email, email: c.email, contactType: c.contactType ?? 'SUPPORT' }, by);
      if (c.contactId) {
        state.contacts.delete(contact.contactId);
        state.contacts.set(c.contactId, { ...contact, contactId: c.contactId });
      }
    }
    return accountId;
  }

  private partnerUserName(partnerId: string, email: string): string | undefined {
    const own = this.partners.get(partnerId)?.accountId;
    if (!own) return undefined;
    return this.userByEmail(own, email)?.name;
  }

  private nextAccountNumber(): string {
    this.accountNumberSeq += 1;
    return String(this.accountNumberSeq);
  }

  dump(): StateDump {
    const states = [...this.accounts.values()];
    return {
      version: 2,
      partners: [...this.partners.values()],
      clients: [...this.clients.values()],
      passwords: [...this.passwords].map(([userId, password]) => ({ userId, password })),
      catalog: this.catalog,
      accounts: states.map((s) => s.account),
      users: states.flatMap((s) => [...s.users.values()]),
      contacts: states.flatMap((s) => [...s.contacts.values()]),
      integrations: states.flatMap((s) => [...s.integrations.values()]),
      orders: [...this.orderMap.values()],
      licenses: states.flatMap((s) => [...s.licenses.values()]),
      outbox: this.outbox,
      accountNumberSeq: this.accountNumberSeq,
    };
  }

  restore(dump: StateDump): void {
    this.reset();
    for (const p of dump.partners) this.partners.set(p.partnerId, p);
    for (const c of dump.clients) this.clients.set(c.clientId, c);
    for (const p of dump.passwords) this.passwords.set(p.userId, p.password);
    this.catalog = dump.catalog;
    for (const account of dump.accounts) {
      this.accounts.set(account.accountId, { account, users: new Map(), emails: new Map(), contacts: new Map(), integrations: new Map(), licenses: new Map() });
    }
    const state = (accountId: string): AccountState => {
      const s = this.accounts.get(accountId);
      if (!s) throw new Error(`sandbox state: unknown account ${accountId}`);
      return s;
    };
    for (const u of dump.users) {
      const s = state(u.accountId);
      s.users.set(u.userId, u);
      s.emails.set(u.email.toLowerCase(), u.userId);
    }
    for (const c of dump.contacts) state(c.accountId).contacts.set(c.contactId, c);
    for (const i of dump.integrations) state(i.accountId).integrations.set(i.integrationId, i);
    for (const l of dump.licenses) {
      state(l.accountId).licenses.set(l.licenseId, l);
      this.licenseIndex.set(l.licenseId, l.accountId);
    }
    for (const o of dump.orders) this.orderMap.set(o.subscriptionId, o);
    this.outbox = dump.outbox;
    this.accountNumberSeq = dump.accountNumberSeq;
  }

  // ----- lookups -----

  /** The account's state, or 404. */
  state(accountId: string): AccountState {
    const s = this.accounts.get(accountId);
    if (!s) throw new ApiFailure(404, `Account ${accountId} not found`);
    return s;
  }

  account(accountId: string): AccountRecord | undefined {
    return this.accounts.get(accountId)?.account;
  }

  accountByName(name: string): AccountRecord | undefined {
    return [...this.accounts.values()].find((s) => s.account.name === name)?.account;
  }

  /** The partner whose own account this is, if any. */
  partnerOwning(accountId: string): PartnerRecord | undefined {
    return [...this.partners.values()].find((p) => p.accountId === accountId);
  }

  users(accountId: string): UserRecord[] {
    return [...this.state(accountId).users.values()];
  }

  user(accountId: string, userId: string): UserRecord | undefined {
    return this.accounts.get(accountId)?.users.get(userId);
  }

  /** The user with this e-mail (case-insensitive) in the account. */
  userByEmail(accountId: string, email: string): UserRecord | undefined {
    const s = this.accounts.get(accountId);
    const id = s?.emails.get(email.toLowerCase());
    return id ? s?.users.get(id) : undefined;
  }

  contacts(accountId: string): ContactRecord[] {
    return [...this.state(accountId).contacts.values()];
  }

  integrations(accountId: string): IntegrationRecord[] {
    return [...this.state(accountId).integrations.values()];
  }

  /** Licenses of one account, or of every account. */
  licenses(accountId?: string): LicenseRecord[] {
    if (accountId !== undefined) return [...(this.accounts.get(accountId)?.licenses.values() ?? [])];
    return [...this.accounts.values()].flatMap((s) => [...s.licenses.values()]);
  }

  license(licenseId: string): LicenseRecord | undefined {
    const accountId = this.licenseIndex.get(licenseId);
    return accountId ? this.accounts.get(accountId)?.licenses.get(licenseId) : undefined;
  }

  /** Every order of every partner. */
  orders(): OrderRecord[] {
    return [...this.orderMap.values()];
  }

  /** An order by subscription id or tracking number. */
  order(idOrTrackingNumber: string): OrderRecord | undefined {
    return this.orderMap.get(idOrTrackingNumber) ?? [...this.orderMap.values()].find((o) => o.trackingNumber === idOrTrackingNumber);
  }

  // ----- accounts -----

  createAccount(partnerId: string, body: Record<string, unknown>, by = 'sandbox'): AccountRecord {
    const fields = accountFields(body, true);
    const account: AccountRecord = {
      accountId: newId(),
      accountNumber: this.nextAccountNumber(),
      name: fields.name ?? '',
      partnerId,
      organizationId: randomUUID(),
      active: fields.active ?? true,
      state: fields.active === false ? 'INACTIVE' : 'ACTIVE',
      domain: fields.domain ?? null,
      languageCode: fields.languageCode ?? 'en-US',
      location: { address: { street: '', city: '', stateOrProvince: '', zipCode: '', country: '', ...fields.address } },
      policyId: fields.policyId ?? null,
      userLimit: fields.userLimit ?? null,
      source: fields.source ?? 'api',
      tags: {},
      ...this.audit(by),
    };
    this.accounts.set(account.accountId, { account, users: new Map(), emails: new Map(), contacts: new Map(), integrations: new Map(), licenses: new Map() });
    return account;
  }

  /** Updates only the fields given; `location.address` is merged field by field. */
  updateAccount(accountId: string, body: Record<string, unknown>, by = 'sandbox'): AccountRecord {
    const s = this.state(accountId);
    const { address, ...fields } = accountFields(body, false);
    const a = s.account;
    s.account = {
      ...a,
      ...fields,
      ...(fields.active !== undefined ? { state: fields.active ? 'ACTIVE' : 'INACTIVE' } : {}),
      location: { address: { ...a.location.address, ...address } },
      modifiedOn: this.stamp(),
      modifiedBy: by,
    };
    return s.account;
  }

  /** Removes the account with its users, contacts, integrations, licenses and tags; its orders become unassigned. */
  deleteAccount(accountId: string, by = 'sandbox'): void {
    const s = this.state(accountId);
    for (const userId of s.users.keys()) this.passwords.delete(userId);
    for (const licenseId of s.licenses.keys()) this.licenseIndex.delete(licenseId);
    for (const [id, c] of this.clients) if (c.accountId === accountId) this.clients.delete(id);
    for (const o of this.orderMap.values()) {
      if (o.accountId === accountId) Object.assign(o, { accountId: null, assignedOn: null, modifiedOn: this.stamp(), modifiedBy: by });
    }
    this.accounts.delete(accountId);
  }

  setAccountTag(accountId: string, tagId: string, value: JsonValue, by = 'sandbox'): AccountRecord {
    const s = this.state(accountId);
    s.account = { ...s.account, tags: { ...s.account.tags, [tagId]: value }, modifiedOn: this.stamp(), modifiedBy: by };
    return s.account;
  }

  deleteAccountTag(accountId: string, tagId: string, by = 'sandbox'): void {
    const s = this.state(accountId);
    if (!(tagId in s.account.tags)) throw new ApiFailure(404, `Tag ${tagId} not found`);
    const { [tagId]: _gone, ...tags } = s.account.tags;
    s.account = { ...s.account, tags, modifiedOn: this.stamp(), modifiedBy: by };
  }

  // ----- contacts -----

  contact(accountId: string, contactId: string): ContactRecord {
    const c = this.state(accountId).contacts.get(contactId);
    if (!c) throw new ApiFailure(404, `Contact ${contactId} not found`);
    return c;
  }

  createContact(accountId: string, body: Record<string, unknown>, by = 'sandbox'): ContactRecord {
    const s = this.state(accountId);
    const f = contactFields(body, true);
    const contact: ContactRecord = { contactId: newId(), accountId, name: f.name ?? '', email: f.email ?? '', contactType: f.contactType ?? 'SUPPORT', ...this.audit(by) };
    s.contacts.set(contact.contactId, contact);
    return contact;
  }

  updateContact(accountId: string, contactId: string, body: Record<string, unknown>, by = 'sandbox'): ContactRecord {
    const s = this.state(accountId);
    const c = this.contact(accountId, contactId);
    const next: ContactRecord = { ...c, ...contactFields(body, false), modifiedOn: this.stamp(), modifiedBy: by };
    s.contacts.set(contactId, next);
    return next;
  }

  deleteContact(accountId: string, contactId: string): void {
    this.contact(accountId, contactId);
    this.state(accountId).contacts.delete(contactId);
  }

  // ----- users -----

  /** The user, or 404. */
  userOr404(accountId: string, userId: string): UserRecord {
    const u = this.state(accountId).users.get(userId);
    if (!u) throw new ApiFailure(404, `User ${userId} not found`);
    return u;
  }

  /** Creates a user under the console's rules (400) and the unique e-mail rule (409). Sends no e-mail. */
  createUser(accountId: string, body: Record<string, unknown>, by = 'sandbox'): UserRecord {
    const s = this.state(accountId);
    const f = userFields(body, true);
    if (f.role === 'PARTNER_ADMIN' && !this.partnerOwning(accountId)) throw new ApiFailure(400, 'role PARTNER_ADMIN is only valid in a partner account');
    const email = f.email ?? '';
    if (s.emails.has(email.toLowerCase())) throw new ApiFailure(409, DUPLICATE_MESSAGE);
    const userId = newId();
    const name = f.name ?? [f.firstName, f.lastName].filter(Boolean).join(' ');
    const user: UserRecord = {
      userId,
      uniqueUserId: newId(),
      accountId,
      name,
      firstName: f.firstName ?? '',
      lastName: f.lastName ?? '',
      displayName: f.displayName ?? name,
      email,
      role: f.role ?? 'USER',
      emailVerified: false,
      userVerified: false,
      extension: f.extension ?? null,
      mobile: f.mobile ?? null,
      phone: f.phone ?? null,
      siteId: f.siteId ?? null,
      sipAddress: `${userId}@sip.sandbox.invalid`,
      sipPassword: secret(),
      source: f.source ?? 'api',
      country: f.country ?? null,
      tags: {},
      ...this.audit(by),
    };
    s.users.set(userId, user);
    s.emails.set(email.toLowerCase(), userId);
    return user;
  }

  /** Updates only the fields given (same rules as create). */
  updateUser(accountId: string, userId: string, body: Record<string, unknown>, by = 'sandbox'): UserRecord {
    const s = this.state(accountId);
    const user = this.userOr404(accountId, userId);
    const f = userFields(body, false);
    if (f.role === 'PARTNER_ADMIN' && !this.partnerOwning(accountId)) throw new ApiFailure(400, 'role PARTNER_ADMIN is only valid in a partner account');
    const next: UserRecord = { ...user, ...f, modifiedOn: this.stamp(), modifiedBy: by };
    if (!next.name.trim() && !next.firstName.trim() && !next.lastName.trim()) throw new ApiFailure(400, 'At least one of name, firstName or lastName is required');
    if (f.email !== undefined && f.email.toLowerCase() !== user.email.toLowerCase()) {
      if (s.emails.has(f.email.toLowerCase())) throw new ApiFailure(409, DUPLICATE_MESSAGE);
      s.emails.delete(user.email.toLowerCase());
      s.emails.set(f.email.toLowerCase(), userId);
    }
    s.users.set(userId, next);
    return next;
  }

  /** Deletes the user and frees its licenses. */
  deleteUser(accountId: string, userId: string): void {
    const s = this.state(accountId);
    const user = this.userOr404(accountId, userId);
    s.users.delete(userId);
    s.emails.delete(user.email.toLowerCase());
    this.passwords.delete(userId);
    for (const [id, l] of s.licenses) {
      if (l.userId === userId) {
        s.licenses.delete(id);
        this.licenseIndex.delete(id);
      }
    }
  }

  /** Sets `userVerified` (and `emailVerified`), as if the user registered. */
  setUserVerified(accountId: string, userId: string, verified = true): UserRecord {
    const s = this.state(accountId);
    const next = { ...this.userOr404(accountId, userId), userVerified: verified, emailVerified: verified, modifiedOn: this.stamp() };
    s.users.set(userId, next);
    return next;
  }

  setUserTag(accountId: string, userId: string, tagId: string, value: JsonValue, by = 'sandbox'): UserRecord {
    const s = this.state(accountId);
    const user = this.userOr404(accountId, userId);
    const next = { ...user, tags: { ...user.tags, [tagId]: value }, modifiedOn: this.stamp(), modifiedBy: by };
    s.users.set(userId, next);
    return next;
  }

  deleteUserTag(accountId: string, userId: string, tagId: string, by = 'sandbox'): void {
    const s = this.state(accountId);
    const user = this.userOr404(accountId, userId);
    if (!(tagId in user.tags)) throw new ApiFailure(404, `Tag ${tagId} not found`);
    const { [tagId]: _gone, ...tags } = user.tags;
    s.users.set(userId, { ...user, tags, modifiedOn: this.stamp(), modifiedBy: by });
  }

  /** Records an e-mail in the outbox (welcome or password reset). */
  mail(type: OutboxMail['type'], accountId: string, userId: string): OutboxMail {
    const user = this.userOr404(accountId, userId);
    const mail: OutboxMail = { type, to: user.email, accountId, userId, sentOn: this.stamp() };
    this.outbox.push(mail);
    return mail;
  }

  /** The user a password login names, or undefined. */
  login(username: string, password: string, accountId?: string): UserRecord | undefined {
    for (const s of this.accounts.values()) {
      if (accountId !== undefined && s.account.accountId !== accountId) continue;
      const user = this.userByEmail(s.account.accountId, username);
      if (user && this.passwords.get(user.userId) === password) return user;
    }
    return undefined;
  }

  // ----- integrations -----

  addIntegration(accountId: string, type: unknown, by = 'sandbox'): IntegrationRecord {
    const s = this.state(accountId);
    if (typeof type !== 'string' || !this.catalog.some((c) => c.type === type)) {
      throw new ApiFailure(400, `Unknown integration type; the catalogue has ${this.catalog.map((c) => c.type).join(', ')}`);
    }
    if ([...s.integrations.values()].some((i) => i.type === type)) throw new ApiFailure(409, `The account already has the ${type} integration`);
    const integration: IntegrationRecord = { integrationId: newId(), accountId, type, ...this.audit(by) };
    s.integrations.set(integration.integrationId, integration);
    return integration;
  }

  removeIntegration(accountId: string, integrationId: string): void {
    const s = this.state(accountId);
    const integration = s.integrations.get(integrationId);
    if (!integration) throw new ApiFailure(404, `Integration ${integrationId} not found`);
    if (this.held(accountId, integration.type) > 0) throw new ApiFailure(409, `Users of the account hold ${integration.type} licenses; remove them first`);
    s.integrations.delete(integrationId);
  }

  // ----- orders, subscriptions, licenses -----

  /** True while the order counts (not expired). */
  counts(order: OrderRecord): boolean {
    return order.expiresOn === null || Date.parse(order.expiresOn) > this.now().getTime();
  }

  /** Licenses of a product the account may hold: Σ quantity of its assigned, unexpired orders. */
  capacity(accountId: string, product: string): number {
    let total = 0;
    for (const o of this.orderMap.values()) if (o.accountId === accountId && o.product === product && this.counts(o)) total += o.quantity;
    return total;
  }

  /** Licenses of a product held in the account. */
  held(accountId: string, product: string): number {
    let n = 0;
    for (const l of this.accounts.get(accountId)?.licenses.values() ?? []) if (l.product === product) n += 1;
    return n;
  }

  /**
   * Assigns an order (by subscription id or tracking number) to an account, or unassigns it
   * with null. 409 when another account holds it, or when unassigning would leave held
   * licenses uncovered (see the file comment).
   */
  assignOrder(idOrTrackingNumber: string, accountId: string | null, by = 'sandbox'): OrderRecord {
    const order = this.order(idOrTrackingNumber);
    if (!order) throw new ApiFailure(404, `Subscription ${idOrTrackingNumber} not found`);
    if (accountId === null) {
      if (order.accountId === null) return order;
      if (this.counts(order)) {
        const held = this.held(order.accountId, order.product);
        const others = this.capacity(order.accountId, order.product) - order.quantity;
        if (held > others) {
          throw new ApiFailure(409, `Licenses of this subscription are in use: the account holds ${held} ${order.product} licenses and its other subscriptions cover ${others}`);
        }
      }
      Object.assign(order, { accountId: null, assignedOn: null, modifiedOn: this.stamp(), modifiedBy: by });
      return order;
    }
    this.state(accountId);
    if (order.accountId === accountId) return order;
    if (order.accountId !== null) throw new ApiFailure(409, 'The subscription is assigned to another account');
    Object.assign(order, { accountId, assignedOn: this.stamp(), modifiedOn: this.stamp(), modifiedBy: by });
    return order;
  }

  /** Changes an order's expiry (tests: make an order expire). */
  setOrderExpiry(idOrTrackingNumber: string, expiresOn: string | null): OrderRecord {
    const order = this.order(idOrTrackingNumber);
    if (!order) throw new ApiFailure(404, `Subscription ${idOrTrackingNumber} not found`);
    Object.assign(order, { expiresOn, modifiedOn: this.stamp() });
    return order;
  }

  /** Every assigned order as a subscription, with `used` split greedily over unexpired orders (oldest first). */
  subscriptions(): SubscriptionView[] {
    const assigned = [...this.orderMap.values()].filter((o) => o.accountId !== null);
    const remaining = new Map<string, number>();
    const key = (o: OrderRecord): string => `${o.accountId ?? ''}\u0000${o.product}`;
    for (const o of assigned) if (!remaining.has(key(o))) remaining.set(key(o), this.held(o.accountId ?? '', o.product));
    const order = [...assigned].sort((a, b) => a.orderDate.localeCompare(b.orderDate) || a.subscriptionId.localeCompare(b.subscriptionId));
    const used = new Map<string, number>();
    for (const o of order) {
      if (!this.counts(o)) continue;
      const left = remaining.get(key(o)) ?? 0;
      const take = Math.min(left, o.quantity);
      used.set(o.subscriptionId, take);
      remaining.set(key(o), left - take);
    }
    return assigned.map((o) => ({
      subscriptionId: o.subscriptionId,
      accountId: o.accountId ?? '',
      product: o.product,
      quantity: o.quantity,
      used: used.get(o.subscriptionId) ?? 0,
      startDate: o.assignedOn,
      expiresOn: o.expiresOn,
      createdOn: o.createdOn,
      modifiedOn: o.modifiedOn,
    }));
  }

  private putLicense(s: AccountState, userId: string, product: string, by: string): LicenseRecord {
    const ts = this.stamp();
    const license: LicenseRecord = { licenseId: newId(), accountId: s.account.accountId, userId, product, assignedOn: ts, ...this.audit(by, ts) };
    s.licenses.set(license.licenseId, license);
    this.licenseIndex.set(license.licenseId, s.account.accountId);
    return license;
  }

  /**
   * Gives a user a license. 409 (the message says which) when the user already has it, the
   * account lacks the product's integration, or no license is free.
   */
  createLicense(accountId: string, userId: string, product: string, by = 'sandbox'): LicenseRecord {
    const s = this.state(accountId);
    if (!s.users.has(userId)) throw new ApiFailure(404, `User ${userId} not found in account ${accountId}`);
    if (!this.catalog.some((c) => c.type === product)) throw new ApiFailure(400, `Unknown product ${product}`);
    if ([...s.licenses.values()].some((l) => l.userId === userId && l.product === product)) throw new ApiFailure(409, `The user already has a ${product} license`);
    if (![...s.integrations.values()].some((i) => i.type === product)) throw new ApiFailure(409, `The account has no ${product} integration; add it first`);
    const capacity = this.capacity(accountId, product);
    const held = this.held(accountId, product);
    if (held >= capacity) throw new ApiFailure(409, `No free ${product} license in the account: ${held} held of ${capacity} available; assign another subscription`);
    return this.putLicense(s, userId, product, by);
  }

  deleteLicense(licenseId: string): void {
    const license = this.license(licenseId);
    if (!license) throw new ApiFailure(404, `License ${licenseId} not found`);
    this.accounts.get(license.accountId)?.licenses.delete(licenseId);
    this.licenseIndex.delete(licenseId);
  }

  /** Test shorthand: gives the user the license (the rules apply); returns the existing one when held. */
  enableLicense(accountId: string, userId: string, product = 'miteam-meetings'): LicenseRecord {
    const existing = this.licenses(accountId).find((l) => l.userId === userId && l.product === product);
    return existing ?? this.createLicense(accountId, userId, product);
  }

  /** Test shorthand: removes the user's license of the product, if any. */
  disableLicense(accountId: string, userId: string, product = 'miteam-meetings'): void {
    const existing = this.licenses(accountId).find((l) => l.userId === userId && l.product === product);
    if (existing) this.deleteLicense(existing.licenseId);
  }
}

// ----- body validation (400 on the first broken rule) -----

interface AccountFieldsIn {
  name?: string;
  languageCode?: string;
  address?: Partial<Address>;
  domain?: string | null;
  policyId?: string | null;
  userLimit?: number | null;
  source?: string;
  active?: boolean;
}

const optString = (body: Record<string, unknown>, field: string, nullable = false): string | null | undefined => {
  const v = body[field];
  if (v === undefined) return undefined;
  if (v === null && nullable) return null;
  if (typeof v !== 'string') throw new ApiFailure(400, `${field} must be a string${nullable ? ' or null' : ''}`);
  return v;
};

/** Reads the writable account fields; unknown and read-only fields (ids, tags, contacts) are ignored. */
function accountFields(body: Record<string, unknown>, creating: boolean): AccountFieldsIn {
  const out: AccountFieldsIn = {};
  const name = optString(body, 'name');
  if (name !== undefined && name !== null) {
    if (!name.trim()) throw new ApiFailure(400, 'name must not be empty');
    out.name = name;
  } else if (creating) throw new ApiFailure(400, 'name is required');
  const languageCode = optString(body, 'languageCode');
  if (languageCode !== undefined && languageCode !== null) {
    if (!LANGUAGE.test(languageCode)) throw new ApiFailure(400, 'languageCode must look like en-US');
    out.languageCode = languageCode;
  }
  if (body.location !== undefined) {
    const location = body.location;
    if (typeof location !== 'object' || location === null || Array.isArray(location)) throw new ApiFailure(400, 'location must be an object');
    const address = (location as Record<string, unknown>).address;
    if (address !== undefined) {
      if (typeof address !== 'object' || address === null || Array.isArray(address)) throw new ApiFailure(400, 'location.address must be an object');
      const a: Partial<Address> = {};
      for (const k of ['street', 'city', 'stateOrProvince', 'zipCode', 'country'] as const) {
        const v = (address as Record<string, unknown>)[k];
        if (v === undefined) continue;
        if (typeof v !== 'string') throw new ApiFailure(400, `location.address.${k} must be a string`);
        a[k] = v;
      }
      if (a.country !== undefined && a.country !== '' && !COUNTRY.test(a.country)) throw new ApiFailure(400, 'location.address.country must be ISO 3166 alpha-2 (e.g. US)');
      out.address = a;
    }
  }
  const domain = optString(body, 'domain', true);
  if (domain !== undefined) out.domain = domain;
  const policyId = optString(body, 'policyId', true);
  if (policyId !== undefined) out.policyId = policyId;
  const source = optString(body, 'source');
  if (source !== undefined && source !== null) out.source = source;
  if (body.userLimit !== undefined) {
    if (body.userLimit !== null && (typeof body.userLimit !== 'number' || !Number.isInteger(body.userLimit) || body.userLimit < 0)) throw new ApiFailure(400, 'userLimit must be a non-negative integer or null');
    out.userLimit = body.userLimit as number | null;
  }
  if (body.active !== undefined) {
    if (typeof body.active !== 'boolean') throw new ApiFailure(400, 'active must be true or false');
    out.active = body.active;
  }
  return out;
}

function contactFields(body: Record<string, unknown>, creating: boolean): Partial<Pick<ContactRecord, 'name' | 'email' | 'contactType'>> {
  const out: Partial<Pick<ContactRecord, 'name' | 'email' | 'contactType'>> = {};
  const email = optString(body, 'email');
  if (email !== undefined && email !== null) {
    if (!EMAIL.test(email)) throw new ApiFailure(400, 'email is not a valid e-mail address');
    out.email = email;
  } else if (creating) throw new ApiFailure(400, 'email is required');
  const name = optString(body, 'name');
  if (name !== undefined && name !== null) out.name = name;
  const contactType = optString(body, 'contactType');
  if (contactType !== undefined && contactType !== null) out.contactType = contactType;
  return out;
}

type UserFieldsIn = Partial<Pick<UserRecord, 'email' | 'name' | 'firstName' | 'lastName' | 'displayName' | 'role' | 'country' | 'extension' | 'mobile' | 'phone' | 'siteId' | 'source'>>;

/** Reads the writable user fields (console rules); read-only fields (ids, verified flags, SIP, tags) are ignored. */
function userFields(body: Record<string, unknown>, creating: boolean): UserFieldsIn {
  const out: UserFieldsIn = {};
  const email = optString(body, 'email');
  if (email !== undefined && email !== null) {
    if (!EMAIL.test(email)) throw new ApiFailure(400, 'email is not a valid e-mail address');
    out.email = email;
  } else if (creating) throw new ApiFailure(400, 'email is required');
  for (const k of ['name', 'firstName', 'lastName', 'displayName', 'source'] as const) {
    const v = optString(body, k);
    if (v !== undefined && v !== null) out[k] = v;
  }
  for (const k of ['extension', 'mobile', 'phone', 'siteId'] as const) {
    const v = optString(body, k, true);
    if (v !== undefined) out[k] = v;
  }
  if (creating && !(out.name?.trim() || out.firstName?.trim() || out.lastName?.trim())) throw new ApiFailure(400, 'At least one of name, firstName or lastName is required');
  if (body.role !== undefined) {
    if (typeof body.role !== 'string' || !ROLES.includes(body.role as Role)) throw new ApiFailure(400, `role must be one of ${ROLES.join(', ')}`);
    out.role = body.role as Role;
  }
  if (body.country !== undefined) {
    if (body.country !== null && (typeof body.country !== 'string' || !COUNTRY.test(body.country))) throw new ApiFailure(400, 'country must be ISO 3166 alpha-2 (e.g. US) or null');
    out.country = body.country as string | null;
  }
  return out;
}
