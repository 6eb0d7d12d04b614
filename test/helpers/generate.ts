/**
 * Deterministic generated tenancies for benchmarks and fault tests: a declared `Tenancy`, the
 * sandbox seed that makes it (partly) live, and in-memory snapshots for pure diff runs.
 */
import type { Tenancy, DesiredAccount, DesiredUser } from '../../provider/model/types.js';
import type { SandboxSeed, SeedAccount } from '../../provider/sandbox/index.js';
import { DEMO_CREDENTIALS } from '../../provider/sandbox/index.js';
import type { LiveAccount, LiveSnapshot } from '../../provider/engine/types.js';
import type { License, Order, User } from '../../provider/model/live.js';
import { CATALOG } from './build.js';
import { stringify as stringifyYaml } from 'yaml';

/** mulberry32: a small seeded PRNG, so every run generates the same data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenerateOptions {
  accounts: number;
  usersPerAccount: number;
  seed?: number;
  /** Fraction of users with MiTeam on (default 0.5). */
  miteamRatio?: number;
  welcomeEmail?: DesiredAccount['welcomeEmail'];
  policy?: DesiredAccount['users']['policy'];
}

export interface Generated {
  tenancy: Tenancy;
  /** Partner, admins and one order per account sized for its MiTeam users (orders unassigned). */
  seed: SandboxSeed;
  /** Seed accounts that make the whole tenancy already live (for plan-only benchmarks). */
  liveAccounts: SeedAccount[];
}

const FIRST = ['Ada', 'Ben', 'Cleo', 'Dev', 'Eva', 'Finn', 'Gus', 'Hana', 'Ivo', 'Jun', 'Kai', 'Lea', 'Milo', 'Nia', 'Omar', 'Pia'];
const LAST = ['Nakamura', 'Okafor', 'Silva', 'Kowalski', 'Haddad', 'Jensen', 'Moreau', 'Rossi', 'Schmidt', 'Tanaka', 'Ueda', 'Varga'];

export function generateTenancy(options: GenerateOptions): Generated {
  const rand = prng(options.seed ?? 42);
  const ratio = options.miteamRatio ?? 0.5;
  const accounts: DesiredAccount[] = [];
  const liveAccounts: SeedAccount[] = [];
  const orders: NonNullable<SandboxSeed['orders']> = [];
  for (let a = 0; a < options.accounts; a += 1) {
    const key = `customer-${String(a).padStart(4, '0')}`;
    const users: DesiredUser[] = [];
    for (let u = 0; u < options.usersPerAccount; u += 1) {
      const firstName = FIRST[Math.floor(rand() * FIRST.length)] ?? 'Ada';
      const lastName = LAST[Math.floor(rand() * LAST.length)] ?? 'Silva';
      users.push({ email: `${firstName}.${lastName}.${u}@${key}.example`.toLowerCase(), firstName, lastName, name: `${firstName} ${lastName}`, role: u === 0 ? 'Account Admin' : 'User', miteam: rand() < ratio });
    }
    const trackingNumber = `TN-G${String(a).padStart(5, '0')}`;
    const fields = { name: `Customer ${a} Ltd`, country: 'CA', address: `${a} Generated Way`, city: 'Ottawa', postalCode: 'K1A 0B1', language: 'en-US', supportContacts: ['support@northwind.example'] };
    accounts.push({
      key,
      ...fields,
      tags: {},
      protect: false,
      integrations: ['miteam-meetings'],
      orders: [{ trackingNumber }],
      ordersPolicy: 'additive',
      users: { policy: options.policy ?? 'additive', items: users },
      welcomeEmail: options.welcomeEmail ?? 'never',
      accountCreation: 'api',
    });
    orders.push({ partnerId: DEMO_CREDENTIALS.partnerId, trackingNumber, quantity: options.usersPerAccount + 5, expiresInDays: 365 });
    liveAccounts.push({
      accountId: (a + 1).toString(16).padStart(32, '0'),
      partnerId: DEMO_CREDENTIALS.partnerId,
      name: fields.name,
      languageCode: fields.language,
      location: { address: { street: fields.address, city: fields.city, zipCode: fields.postalCode, country: fields.country } },
      supportContacts: fields.supportContacts,
      tags: { 'cloudlink-tenancy': { key } },
      integrations: ['miteam-meetings'],
      users: users.map((u) => ({ email: u.email, firstName: u.firstName, lastName: u.lastName, name: u.name, role: u.role === 'Account Admin' ? 'ACCOUNT_ADMIN' : 'USER', verified: true, miteam: u.miteam })),
    });
  }
  const seed: SandboxSeed = {
    partners: [
      {
        partnerId: DEMO_CREDENTIALS.partnerId,
        name: 'Northwind Partner',
        // The partner's own account: the login (PARTNER_ADMIN) and the support contact's user.
        account: {
          accountId: DEMO_CREDENTIALS.partnerAccountId,
          name: 'Northwind Partner',
          users: [
            { email: DEMO_CREDENTIALS.username, name: 'Northwind Admin', role: 'PARTNER_ADMIN', verified: true, password: DEMO_CREDENTIALS.password },
            { email: 'support@northwind.example', name: 'Sam Support', role: 'USER', verified: true },
          ],
        },
      },
    ],
    clients: [{ clientId: DEMO_CREDENTIALS.clientId, clientSecret: DEMO_CREDENTIALS.clientSecret, partnerId: DEMO_CREDENTIALS.partnerId }],
    orders,
  };
  return { tenancy: { apiVersion: 'tenancy.cloudlink/v1', kind: 'Tenancy', partner: { id: DEMO_CREDENTIALS.partnerId }, accounts }, seed, liveAccounts };
}

/** Orders assigned to the live accounts, for a seed where everything is already live. */
export function assignedOrders(g: Generated): NonNullable<SandboxSeed['orders']> {
  return (g.seed.orders ?? []).map((o, i) => ({ ...o, accountId: g.liveAccounts[i]?.accountId ?? null }));
}

/** An in-memory snapshot of the generated tenancy where a fraction `changed` of users differ. */
export function generateLiveSnapshot(g: Generated, changed = 0.1): LiveSnapshot {
  const rand = prng(7);
  const t = '2026-01-01T00:00:00.000Z';
  const accounts = g.tenancy.accounts.map((d, i): LiveAccount => {
    const accountId = g.liveAccounts[i]?.accountId ?? String(i);
    const licenses: License[] = [];
    const users: User[] = d.users.items.map((u, j) => {
      const userId = `${accountId}-${j}`;
      if (rand() < changed ? !u.miteam : u.miteam) licenses.push({ licenseId: `l-${userId}`, accountId, userId, product: 'miteam-meetings', assignedOn: t });
      return { userId, accountId, name: u.name, firstName: u.firstName, lastName: rand() < changed ? `${u.lastName}-old` : u.lastName, email: u.email, role: u.role, verified: true, createdOn: t, modifiedOn: t };
    });
    const optional = { ...(d.address !== undefined ? { address: d.address } : {}), ...(d.city !== undefined ? { city: d.city } : {}), ...(d.postalCode !== undefined ? { postalCode: d.postalCode } : {}) };
    return {
      account: { accountId, name: d.name, partnerId: g.tenancy.partner.id, country: d.country, language: d.language, ...optional, identityKey: d.key, tags: {}, createdOn: t, modifiedOn: t },
      contacts: (d.supportContacts ?? []).map((email, k) => ({ contactId: `c${i}-${k}`, accountId, email, type: 'SUPPORT' })),
      integrations: [{ integrationId: `i${i}`, type: 'miteam-meetings' }],
      users,
      licenses,
    };
  });
  const orders: Order[] = assignedOrders(g).map((o, i) => ({ orderId: `o${i}`, trackingNumber: o.trackingNumber, sapOrderId: null, resellerPo: null, customerPo: null, product: 'miteam-meetings', quantity: o.quantity, orderDate: t, expiresOn: '2027-12-31T00:00:00.000Z', assignedAccountId: o.accountId ?? null, modifiedOn: t }));
  return { partnerId: g.tenancy.partner.id, takenAt: '2026-11-25T00:00:00.000Z', accounts, orders, catalog: CATALOG };
}

/** The tenancy as one YAML file of our format (canonical fields are valid document fields). */
export function tenancyYaml(tenancy: Tenancy): string {
  return stringifyYaml({ apiVersion: tenancy.apiVersion, kind: tenancy.kind, partner: tenancy.partner, accounts: tenancy.accounts });
}
