/** Small builders of declared and live objects for pure engine tests. */
import { OPTIONAL_ACCOUNT_FIELDS, type Account, type CatalogEntry, type Contact, type Integration, type License, type Order, type User } from '../../provider/model/live.js';
import type { DesiredAccount, DesiredUser, Tenancy } from '../../provider/model/types.js';
import type { LiveAccount, LiveSnapshot } from '../../provider/engine/types.js';

const T = '2026-01-01T00:00:00.000Z';
export const NOW = new Date('2026-11-25T00:00:00.000Z');

/** The integration catalogue the pure tests plan against. */
export const CATALOG: CatalogEntry[] = [
  { type: 'miteam-meetings', name: 'MiTeam Meetings' },
  { type: 'cloudlink-chat', name: 'CloudLink Chat' },
];

export function desiredUser(email: string, over: Partial<DesiredUser> = {}): DesiredUser {
  const [first = 'A', last = 'B'] = email.split('@')[0]?.split('.') ?? [];
  return { email, firstName: first, lastName: last, name: `${first} ${last}`, role: 'User', miteam: false, ...over };
}

export function desiredAccount(key: string, over: Partial<DesiredAccount> = {}): DesiredAccount {
  return {
    key,
    name: key.toUpperCase(),
    country: 'CA',
    language: 'en-US',
    tags: {},
    protect: false,
    integrations: ['miteam-meetings'],
    orders: [],
    ordersPolicy: 'additive',
    users: { policy: 'additive', items: [] },
    welcomeEmail: 'never',
    accountCreation: 'api',
    ...over,
  };
}

export function tenancy(...accounts: DesiredAccount[]): Tenancy {
  return { apiVersion: 'tenancy.cloudlink/v1', kind: 'Tenancy', partner: { id: 'p-1' }, accounts };
}

/** A live account matching the declared one (tagged with its key). */
export function liveAccount(d: DesiredAccount, id: string, over: Partial<Account> = {}): Account {
  const optional: Partial<Account> = {};
  for (const f of OPTIONAL_ACCOUNT_FIELDS) if (d[f] !== undefined) optional[f] = d[f];
  return { accountId: id, accountNumber: `9${id.replace(/\D/g, '') || '1'}`, name: d.name, partnerId: 'p-1', country: d.country, language: d.language, ...optional, identityKey: d.key, tags: { ...d.tags }, createdOn: T, modifiedOn: T, ...over };
}

/** A live user; `miteam` (default: the declared toggle) becomes a license in `snapshot()`. */
export type LiveUserInput = User & { miteam?: boolean };

export function liveUser(accountId: string, u: DesiredUser, over: Partial<User> & { miteam?: boolean } = {}): LiveUserInput {
  const { miteam, ...rest } = over;
  return {
    userId: `u-${u.email}`,
    accountId,
    name: u.name,
    firstName: u.firstName,
    lastName: u.lastName,
    email: u.email,
    ...(u.country !== undefined ? { country: u.country } : {}),
    role: u.role,
    verified: true,
    miteam: miteam ?? u.miteam,
    createdOn: T,
    modifiedOn: T,
    ...rest,
  };
}

export function integration(type = 'miteam-meetings'): Integration {
  return { integrationId: `i-${type}`, type };
}

export function contact(accountId: string, email: string, type = 'SUPPORT'): Contact {
  return { contactId: `c-${email}`, accountId, email, type };
}

export function order(tn: string, quantity: number, over: Partial<Order> = {}): Order {
  return { orderId: `o-${tn}`, trackingNumber: tn, sapOrderId: null, resellerPo: null, customerPo: null, product: 'miteam-meetings', quantity, orderDate: T, expiresOn: '2027-12-31T00:00:00.000Z', assignedAccountId: null, modifiedOn: T, ...over };
}

/** A live account as tests write it: users carry a `miteam` flag, licenses and contacts are optional. */
export interface LiveAccountInput {
  account: Account;
  integrations: Integration[];
  users: LiveUserInput[];
  contacts?: Contact[];
  licenses?: License[];
}

/** Turns the users' `miteam` flags into the account's license list (as billing reports them). */
export function toLiveAccount(input: LiveAccountInput): LiveAccount {
  const licenses: License[] = [...(input.licenses ?? [])];
  const users: User[] = input.users.map(({ miteam, ...user }) => {
    if (miteam) licenses.push({ licenseId: `l-${user.userId}`, accountId: user.accountId, userId: user.userId, product: 'miteam-meetings', assignedOn: T });
    return user;
  });
  return { account: input.account, integrations: input.integrations, users, contacts: input.contacts ?? [], licenses };
}

export function snapshot(accounts: LiveAccountInput[], orders: Order[] = []): LiveSnapshot {
  return { partnerId: 'p-1', takenAt: NOW.toISOString(), accounts: accounts.map(toLiveAccount), orders, catalog: CATALOG };
}
