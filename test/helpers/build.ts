/** Small builders of declared and live objects for pure engine tests. */
import type { Account, Integration, Order, User } from '../../provider/api/resources.js';
import type { DesiredAccount, DesiredUser, Tenancy } from '../../provider/model/types.js';
import type { LiveAccount, LiveSnapshot } from '../../provider/engine/types.js';
import { DEFAULT_CATALOG } from '../../provider/sandbox/seed.js';

const T = '2026-01-01T00:00:00.000Z';
export const NOW = new Date('2026-11-25T00:00:00.000Z');

export function desiredUser(email: string, over: Partial<DesiredUser> = {}): DesiredUser {
  const [first = 'A', last = 'B'] = email.split('@')[0]?.split('.') ?? [];
  return { email, firstName: first, lastName: last, name: `${first} ${last}`, role: 'User', miteam: false, ...over };
}

export function desiredAccount(key: string, over: Partial<DesiredAccount> = {}): DesiredAccount {
  return {
    key,
    name: key.toUpperCase(),
    country: 'CA',
    address: '',
    city: '',
    postalCode: '',
    language: 'en-US',
    supportContacts: [],
    tags: {},
    protect: false,
    integrations: ['miteam-meetings'],
    orders: [],
    users: { policy: 'additive', items: [] },
    welcomeEmail: 'never',
    ...over,
  };
}

export function tenancy(...accounts: DesiredAccount[]): Tenancy {
  return { apiVersion: 'tenancy.cloudlink/v1', kind: 'Tenancy', partner: { id: 'p-1' }, accounts };
}

export function liveAccount(d: DesiredAccount, id: string, over: Partial<Account> = {}): Account {
  return { accountId: id, name: d.name, partnerId: 'p-1', country: d.country, address: d.address, city: d.city, postalCode: d.postalCode, language: d.language, supportContacts: d.supportContacts, tags: { ...d.tags, 'tenancy-key': d.key }, createdOn: T, modifiedOn: T, etag: `e-${id}`, ...over };
}

export function liveUser(accountId: string, u: DesiredUser, over: Partial<User> & { miteam?: boolean } = {}): User {
  const { miteam, ...rest } = over;
  return {
    userId: `u-${u.email}`,
    accountId,
    name: u.name,
    firstName: u.firstName,
    lastName: u.lastName,
    email: u.email,
    country: u.country ?? null,
    role: u.role === 'Account Admin' ? 'ACCOUNT_ADMIN' : 'USER',
    status: 'active',
    welcomeEmailSentOn: null,
    licenses: (miteam ?? u.miteam) ? [{ product: 'miteam-meetings', assignedOn: T }] : [],
    createdOn: T,
    modifiedOn: T,
    etag: `e-${u.email}`,
    ...rest,
  };
}

export function integration(type = 'miteam-meetings'): Integration {
  return { integrationId: `i-${type}`, type, enabled: true, createdOn: T, modifiedOn: T, etag: 'e-i' };
}

export function order(tn: string, quantity: number, over: Partial<Order> = {}): Order {
  return { orderId: `o-${tn}`, trackingNumber: tn, sapOrderId: null, resellerPo: null, customerPo: null, product: 'miteam-meetings', quantity, orderDate: T, expiresOn: '2027-12-31T00:00:00.000Z', assignedAccountId: null, createdOn: T, modifiedOn: T, etag: `e-${tn}`, ...over };
}

export function snapshot(accounts: LiveAccount[], orders: Order[] = []): LiveSnapshot {
  return { partnerId: 'p-1', takenAt: NOW.toISOString(), accounts, orders, catalog: DEFAULT_CATALOG };
}
