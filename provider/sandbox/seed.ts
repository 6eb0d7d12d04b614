/**
 * The sandbox's seed format (JSON or YAML, also posted to `/sandbox/seed`) and the demo
 * fixture every example, test and `npm start` uses.
 *
 * Format (every list optional; ids are generated when absent):
 *   partners: [{ partnerId, name, account?: <account> }]   # account = the partner's own account;
 *                                                           # its users are the partner's users
 *   clients:  [{ clientId, clientSecret, accountId? | partnerId? }]  # client_credentials, bound to
 *                                                           # an account (partnerId = its own account)
 *   accounts: [<account> with partnerId]                    # customer accounts
 *   orders:   [{ partnerId, trackingNumber, quantity, product?, sapOrderId?, resellerPo?, customerPo?,
 *                orderDate?, expiresOn? | expiresInDays?, accountId? (assigned to) , subscriptionId? }]
 *   catalog:  [{ type, name }]
 * <account> = { accountId?, accountNumber?, name, languageCode?, location?: { address?: {...} },
 *   domain?, policyId?, userLimit?, source?, tags?, integrations?: [type],
 *   supportContacts?: [e-mail] (contacts of type SUPPORT, named after the partner user with that e-mail),
 *   contacts?: [{ name?, email, contactType? }], users?: [<user>] }
 * <user> = { email, name?, firstName?, lastName?, role?, country?, password? (can log in),
 *   verified? (userVerified), miteam? (a miteam-meetings license),
 *   welcomeSentOn? (user tag `cloudlink-tenancy: { welcomeSentOn }`), tags?, extension?, mobile?, phone? }
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { Address, CatalogEntry, JsonValue, Role } from './types.js';

export interface SeedUser {
  userId?: string;
  email: string;
  name?: string;
  firstName?: string;
  lastName?: string;
  role?: Role;
  country?: string | null;
  /** `userVerified` (the user registered). Default false. */
  verified?: boolean;
  /** A password makes the user able to log in (password grant). Sandbox only. */
  password?: string;
  /** Shorthand for a `miteam-meetings` license. */
  miteam?: boolean;
  /** Shorthand for the user tag `cloudlink-tenancy: { welcomeSentOn }`. */
  welcomeSentOn?: string;
  tags?: Record<string, JsonValue>;
  extension?: string | null;
  mobile?: string | null;
  phone?: string | null;
  createdOn?: string;
}

export interface SeedContact {
  contactId?: string;
  name?: string;
  email: string;
  /** Default `SUPPORT`. */
  contactType?: string;
}

/** An account to seed (a customer account; the partner's own account goes under `partners[].account`). */
export interface SeedAccount {
  accountId?: string;
  accountNumber?: string;
  /** Required for customer accounts; a partner's own account takes its partner's id. */
  partnerId?: string;
  name: string;
  languageCode?: string;
  location?: { address?: Partial<Address> };
  domain?: string | null;
  policyId?: string | null;
  userLimit?: number | null;
  source?: string;
  active?: boolean;
  tags?: Record<string, JsonValue>;
  integrations?: string[];
  /** E-mails of support contacts (contactType SUPPORT), named after the partner's user with that e-mail. */
  supportContacts?: string[];
  contacts?: SeedContact[];
  users?: SeedUser[];
}

export interface SeedPartner {
  partnerId: string;
  name: string;
  /** The partner's own account: its users are the partner's users (partner admins, support staff). */
  account?: Omit<SeedAccount, 'partnerId'>;
}

/** An API client for the `client_credentials` grant, bound to an account (`partnerId`: the partner's own account). */
export interface SeedClient {
  clientId: string;
  clientSecret: string;
  accountId?: string;
  partnerId?: string;
}

export interface SeedOrder {
  subscriptionId?: string;
  partnerId: string;
  trackingNumber: string;
  sapOrderId?: string | null;
  resellerPo?: string | null;
  customerPo?: string | null;
  product?: string;
  quantity: number;
  orderDate?: string;
  /** Absolute expiry (ISO), or null for none. */
  expiresOn?: string | null;
  /** Relative expiry in days from the seeding moment (negative = already expired). */
  expiresInDays?: number;
  /** The account it is assigned to (null/absent = unassigned). */
  accountId?: string | null;
}

/** Everything the sandbox can be seeded with. Missing lists mean "none". */
export interface SandboxSeed {
  partners?: SeedPartner[];
  clients?: SeedClient[];
  accounts?: SeedAccount[];
  orders?: SeedOrder[];
  catalog?: CatalogEntry[];
}

/** The integration catalogue the sandbox serves by default. */
export const DEFAULT_CATALOG: CatalogEntry[] = [
  { type: 'miteam-meetings', name: 'MiTeam Meetings' },
  { type: 'cloudlink-chat', name: 'CloudLink Chat' },
  { type: 'micollab', name: 'MiCollab' },
];

/** The id of the demo's pre-existing customer account, Initech. */
export const DEMO_INITECH_ID = '8f14e45fceea167a5a36dedd4bea2543';

/** The id of the demo partner's own account ("Northwind Partner"). */
export const DEMO_PARTNER_ACCOUNT_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

/** The demo credentials (sandbox only; never real secrets). */
export const DEMO_CREDENTIALS = {
  partnerId: 'p-1234',
  /** A PARTNER_ADMIN user of the partner's own account. */
  username: 'admin@partner.example',
  password: 'demo-partner-password',
  /** A client of the partner's own account (client_credentials, acts as PARTNER_ADMIN). */
  clientId: 'demo-client',
  clientSecret: 'demo-client-secret',
  partnerAccountId: DEMO_PARTNER_ACCOUNT_ID,
  /** An ACCOUNT_ADMIN of Initech (Peter Gibbons). */
  accountAdmin: { username: 'peter.gibbons@initech.example', password: 'demo-account-password', accountId: DEMO_INITECH_ID },
  /** A plain USER of Initech (may log in; 403 on admin and billing routes). */
  plainUser: { username: 'samir.nagheenanajar@initech.example', password: 'demo-user-password', accountId: DEMO_INITECH_ID },
  /** A PARTNER_ADMIN of the other partner p-9999. */
  otherPartner: { partnerId: 'p-9999', username: 'admin@other.example', password: 'other-partner-password' },
} as const;

/** The demo fixture: partner p-1234 (own account with 3 partner users), Initech (3 users), orders TN-1001..TN-1007, and partner p-9999. */
export function demoSeed(): SandboxSeed {
  const p = DEMO_CREDENTIALS.partnerId;
  const order = (n: number, quantity: number, extra: Partial<SeedOrder> = {}): SeedOrder => ({
    partnerId: p,
    trackingNumber: `TN-100${n}`,
    product: 'miteam-meetings',
    quantity,
    orderDate: `2026-0${n}-15T00:00:00.000Z`,
    expiresInDays: 365,
    ...extra,
  });
  const welcomed = '2026-03-01T09:00:00.000Z';
  return {
    partners: [
      {
        partnerId: p,
        name: 'Northwind Partner',
        account: {
          accountId: DEMO_PARTNER_ACCOUNT_ID,
          accountNumber: '100001',
          name: 'Northwind Partner',
          languageCode: 'en-US',
          location: { address: { street: '500 Harbour Road', city: 'Seattle', stateOrProvince: 'WA', zipCode: '98101', country: 'US' } },
          users: [
            { email: DEMO_CREDENTIALS.username, name: 'Northwind Admin', firstName: 'Northwind', lastName: 'Admin', role: 'PARTNER_ADMIN', verified: true, password: DEMO_CREDENTIALS.password },
            { email: 'jane.partner@northwind.example', name: 'Jane Partner', firstName: 'Jane', lastName: 'Partner', role: 'PARTNER_ADMIN', verified: true },
            { email: 'support@northwind.example', name: 'Sam Support', firstName: 'Sam', lastName: 'Support', role: 'USER', verified: true },
          ],
        },
      },
      {
        partnerId: DEMO_CREDENTIALS.otherPartner.partnerId,
        name: 'Other Partner',
        account: {
          accountId: 'bb22cc33dd44ee55ff66778899001122',
          accountNumber: '100003',
          name: 'Other Partner',
          languageCode: 'en-GB',
          location: { address: { country: 'GB' } },
          users: [{ email: DEMO_CREDENTIALS.otherPartner.username, name: 'Other Admin', role: 'PARTNER_ADMIN', verified: true, password: DEMO_CREDENTIALS.otherPartner.password }],
        },
      },
    ],
    clients: [{ clientId: DEMO_CREDENTIALS.clientId, clientSecret: DEMO_CREDENTIALS.clientSecret, partnerId: p }],
    accounts: [
      {
        accountId: DEMO_INITECH_ID,
        accountNumber: '100002',
        partnerId: p,
        name: 'Initech',
        languageCode: 'en-US',
        location: { address: { street: '1 Initech Way', city: 'Austin', zipCode: '73301', country: 'US' } },
        supportContacts: ['support@northwind.example'],
        integrations: ['miteam-meetings'],
        users: [
          { email: 'peter.gibbons@initech.example', firstName: 'Peter', lastName: 'Gibbons', role: 'ACCOUNT_ADMIN', verified: true, miteam: true, welcomeSentOn: welcomed, password: DEMO_CREDENTIALS.accountAdmin.password },
          { email: 'samir.nagheenanajar@initech.example', firstName: 'Samir', lastName: 'Nagheenanajar', role: 'USER', verified: true, miteam: true, welcomeSentOn: welcomed, password: DEMO_CREDENTIALS.plainUser.password },
          { email: 'michael.bolton@initech.example', firstName: 'Michael', lastName: 'Bolton', role: 'USER', verified: false, miteam: false },
        ],
      },
      {
        accountId: 'aa11bb22cc33dd44ee55ff6677889900',
        accountNumber: '100004',
        partnerId: DEMO_CREDENTIALS.otherPartner.partnerId,
        name: 'Other Customer',
        languageCode: 'en-GB',
        location: { address: { country: 'GB' } },
      },
    ],
    orders: [
      order(1, 10, { resellerPo: 'RPO-1001' }),
      order(2, 25, { sapOrderId: 'SAP-2002' }),
      order(3, 5, { sapOrderId: 'SAP-2003', accountId: DEMO_INITECH_ID }),
      order(4, 10, { customerPo: 'PO-ACME-77' }),
      order(5, 50),
      order(6, 5, { expiresInDays: 10 }),
      order(7, 5, { expiresInDays: -30, accountId: DEMO_INITECH_ID }),
    ],
  };
}

/** Reads a seed file (`.json`, `.yaml` or `.yml`). Throws with the file name on malformed input. */
export async function readSeedFile(file: string): Promise<SandboxSeed> {
  const text = await readFile(file, 'utf8');
  const data: unknown = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error(`${file}: a seed file is a mapping with partners, clients, accounts, orders, catalog`);
  for (const key of Object.keys(data)) {
    if (!['partners', 'clients', 'accounts', 'orders', 'catalog'].includes(key)) throw new Error(`${file}: unknown seed key "${key}" (known: partners, clients, accounts, orders, catalog)`);
  }
  return data as SandboxSeed;
}
