/**
 * "Rehearse on a copy of live": reads a live tenant once, read-only, through the real client,
 * and builds a sandbox seed holding the same customer accounts (fields, tags, contacts,
 * integrations), users (roles, regions, verification, welcome records, MiTeam licenses),
 * orders with their assignments, and the integration catalogue. No password, token, client
 * secret or `sipPassword` is copied: the domain types never carry them, and the copy's only
 * login is a fresh partner admin with a random password made here.
 *
 * Imported by the CLI only; the sandbox server never imports it, and it imports nothing from
 * `provider/api/` (the client is passed in as a `LiveTenantReader`).
 */
import { randomBytes } from 'node:crypto';
import { IDENTITY_TAG, MITEAM_PRODUCT, type Account, type CatalogEntry, type Contact, type Integration, type JsonValue, type License, type LiveRole, type Order, type Principal, type User } from '../model/live.js';
import type { SandboxSeed, SeedAccount, SeedOrder, SeedUser } from './seed.js';

/**
 * The reads the copy makes: a read-only slice of the API client (`CloudLinkClient` fits it),
 * spelled here in domain types so nothing under `provider/sandbox/` imports `provider/api/`.
 */
export interface LiveTenantReader {
  principal: { whoami(): Promise<Principal> };
  accounts: { list(partnerId: string): AsyncIterable<Account>; get(accountId: string): Promise<Account | undefined> };
  contacts: { list(accountId: string): AsyncIterable<Contact> };
  integrations: { list(accountId: string): AsyncIterable<Integration>; catalog(): Promise<CatalogEntry[]> };
  users: { list(accountId: string): AsyncIterable<User> };
  billing: { licenses(accountId: string): AsyncIterable<License> };
  orders: { list(partnerId: string): AsyncIterable<Order> };
}

/** What to copy: every customer account, or those named by id, console account number, identity key or exact name. */
export interface CopyRequest {
  accounts?: readonly string[];
}

/** The login of the copy (sandbox only; made fresh, never a live secret). */
export interface CopyLogin {
  username: string;
  password: string;
  partnerId: string;
}

/** The seed of the copy, its login, what was copied, and selectors that matched no account. */
export interface LiveCopy {
  seed: SandboxSeed;
  login: CopyLogin;
  counts: { accounts: number; users: number; orders: number; licenses: number };
  unknownSelectors: string[];
}

/** The e-mail of the copy's partner admin. */
export const COPY_ADMIN_EMAIL = 'rehearsal.admin@sandbox.example';

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const SANDBOX_ROLE: Record<LiveRole, NonNullable<SeedUser['role']>> = { User: 'USER', 'Account Admin': 'ACCOUNT_ADMIN', 'Partner Admin': 'PARTNER_ADMIN' };

function seedUser(u: User, miteam: boolean): SeedUser {
  return {
    userId: u.userId,
    email: u.email,
    name: u.name,
    firstName: u.firstName,
    lastName: u.lastName,
    role: SANDBOX_ROLE[u.role],
    ...(u.country ? { country: u.country } : {}),
    verified: u.verified,
    miteam,
    ...(u.welcomeSentOn ? { welcomeSentOn: u.welcomeSentOn } : {}),
    ...(u.createdOn ? { createdOn: u.createdOn } : {}),
  };
}

function accountTags(a: Account): Record<string, JsonValue> {
  return { ...a.tags, ...(a.identityKey ? { [IDENTITY_TAG]: { key: a.identityKey, ...(a.protected ? { protect: true } : {}) } } : {}) };
}

function address(a: Account): SeedAccount['location'] {
  return { address: { street: a.address ?? '', city: a.city ?? '', stateOrProvince: a.stateOrProvince ?? '', zipCode: a.postalCode ?? '', country: a.country ?? '' } };
}

function matches(a: Account, selector: string): boolean {
  return a.accountId === selector || a.accountNumber === selector || a.identityKey === selector || a.name === selector;
}

/** Reads the live tenant behind `api` (read-only) and returns the seed of a sandbox copy of it. */
export async function copyLiveTenant(api: LiveTenantReader, request: CopyRequest = {}): Promise<LiveCopy> {
  const principal = await api.principal.whoami();
  const partnerId = principal.partnerId;
  if (!partnerId) throw new Error('these credentials carry no partner id (GET /token has no partnerId claim); use a partner admin or a partner client');
  const listed = await all(api.accounts.list(partnerId));
  const customers = listed.filter((a) => a.accountId !== principal.accountId);
  const selectors = request.accounts ?? [];
  const unknownSelectors = selectors.filter((s) => !customers.some((a) => matches(a, s)));
  const chosen = selectors.length === 0 ? customers : customers.filter((a) => selectors.some((s) => matches(a, s)));

  let users = 0;
  let licenses = 0;
  const accounts: SeedAccount[] = [];
  for (const a of chosen) {
    const [contacts, integrations, people, held] = await Promise.all([all(api.contacts.list(a.accountId)), all(api.integrations.list(a.accountId)), all(api.users.list(a.accountId)), all(api.billing.licenses(a.accountId))]);
    const miteam = new Set(held.filter((l) => l.product === MITEAM_PRODUCT).map((l) => l.userId));
    users += people.length;
    licenses += miteam.size;
    accounts.push({
      accountId: a.accountId,
      ...(a.accountNumber ? { accountNumber: a.accountNumber } : {}),
      partnerId,
      name: a.name,
      ...(a.language ? { languageCode: a.language } : {}),
      location: address(a),
      tags: accountTags(a),
      integrations: integrations.map((i) => i.type),
      contacts: contacts.map((c) => ({ contactId: c.contactId, email: c.email, ...(c.name ? { name: c.name } : {}), ...(c.type ? { contactType: c.type } : {}) })),
      users: people.map((u) => seedUser(u, miteam.has(u.userId))),
    });
  }

  const copied = new Set(chosen.map((a) => a.accountId));
  const orders: SeedOrder[] = (await all(api.orders.list(partnerId)))
    .filter((o) => o.assignedAccountId === null || copied.has(o.assignedAccountId))
    .map((o) => ({
      subscriptionId: o.orderId,
      partnerId,
      trackingNumber: o.trackingNumber,
      sapOrderId: o.sapOrderId,
      resellerPo: o.resellerPo,
      customerPo: o.customerPo,
      product: o.product,
      quantity: o.quantity,
      ...(o.orderDate ? { orderDate: o.orderDate } : {}),
      expiresOn: o.expiresOn,
      accountId: o.assignedAccountId,
    }));

  // The partner's own account: its name and users (support contacts may name them), plus the copy's fresh admin.
  const own = await api.accounts.get(principal.accountId).catch(() => undefined);
  const partnerPeople = await all(api.users.list(principal.accountId)).catch(() => [] as User[]);
  const login: CopyLogin = { username: COPY_ADMIN_EMAIL, password: `rehearsal-${randomBytes(12).toString('base64url')}`, partnerId };
  const catalog = await api.integrations.catalog().catch(() => undefined);
  const seed: SandboxSeed = {
    partners: [
      {
        partnerId,
        name: own?.name ?? partnerId,
        account: {
          accountId: principal.accountId,
          ...(own?.accountNumber ? { accountNumber: own.accountNumber } : {}),
          name: own?.name ?? partnerId,
          ...(own?.language ? { languageCode: own.language } : {}),
          ...(own ? { location: address(own) } : {}),
          users: [
            ...partnerPeople.filter((u) => u.email.toLowerCase() !== COPY_ADMIN_EMAIL).map((u) => seedUser(u, false)),
            { email: COPY_ADMIN_EMAIL, name: 'Rehearsal Admin', firstName: 'Rehearsal', lastName: 'Admin', role: 'PARTNER_ADMIN', verified: true, password: login.password },
          ],
        },
      },
    ],
    accounts,
    orders,
    ...(catalog?.length ? { catalog } : {}),
  };
  return { seed, login, counts: { accounts: accounts.length, users, orders: orders.length, licenses }, unknownSelectors };
}
