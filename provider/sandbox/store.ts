/**
 * The sandbox's state and the CloudLink rules that govern it (console rules for users,
 * unique e-mails, license capacity, order assignment). Pure in-memory; the HTTP layer
 * (`server.ts` and its parts, which also check the principal's scope) and persistence sit
 * around it.
 * Every broken rule throws an `ApiFailure` (status + message).
 *
 * The methods take no principal: tests use them to change the tenant "behind the tool's
 * back" (`sandbox.store.createUser(accountId, {...})`).
 *
 * `SandboxStore` is built in layers, each file one job, each layer using only those below it:
 * - `store-records.ts`: the maps, lookups and license arithmetic;
 * - `store-accounts.ts`: accounts, account tags, contacts, integrations;
 * - `store-users.ts`: users, user tags, the outbox, password logins;
 * - `store-billing.ts`: order assignment, subscriptions, licenses;
 * - this file: seeding, and the dump/restore of the whole state.
 * Request bodies are validated by `store-fields.ts`. The decisions on the contract's [A]
 * points are written at the top of the layer that makes them.
 */
import { randomUUID } from 'node:crypto';
import { ApiFailure, type AccountRecord, type JsonValue, type OrderRecord, type StateDump, type UserRecord } from './types.js';
import type { SandboxSeed, SeedAccount, SeedContact } from './seed.js';
import { emptyAccountState, newId, type AccountState } from './store-records.js';
import { BillingStore } from './store-billing.js';

export { newId, type AccountState } from './store-records.js';
export type { SubscriptionView } from './store-billing.js';

/** The tool's identity tag (the `welcomeSentOn` seed shorthand writes it on users). */
const IDENTITY_TAG = 'cloudlink-tenancy';

/** The whole sandbox state with its rules; `seed`, `dump` and `restore` move it in and out. */
export class SandboxStore extends BillingStore {
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

  /** Adds one seed account (replacing one with the same id) with its integrations, users and contacts; returns its id. */
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
    const state: AccountState = emptyAccountState(account);
    this.accounts.set(accountId, state);
    for (const type of a.integrations ?? []) this.addIntegration(accountId, type, by);
    for (const u of a.users ?? []) {
      const user = this.createUser(accountId, { ...u }, by);
      let record: UserRecord = user;
      if (u.userId && u.userId !== user.userId) {
        state.users.delete(user.userId);
        state.userOrder = undefined;
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

  /** The name of the partner's own user with this e-mail (a support contact's default name). */
  private partnerUserName(partnerId: string, email: string): string | undefined {
    const own = this.partners.get(partnerId)?.accountId;
    if (!own) return undefined;
    return this.userByEmail(own, email)?.name;
  }

  /** The whole state in serialisable form (the records themselves, not copies). */
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

  /** Replaces the whole state with a dump (`reset()` first). Throws when a record names an account the dump lacks. */
  restore(dump: StateDump): void {
    this.reset();
    for (const p of dump.partners) this.partners.set(p.partnerId, p);
    for (const c of dump.clients) this.clients.set(c.clientId, c);
    for (const p of dump.passwords) this.passwords.set(p.userId, p.password);
    this.catalog = dump.catalog;
    for (const account of dump.accounts) {
      this.accounts.set(account.accountId, emptyAccountState(account));
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
}
