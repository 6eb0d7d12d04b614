/**
 * The sandbox's seed format (JSON or YAML, also posted to `/sandbox/seed`) and the demo
 * fixture every example, test and `npm start` uses.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { AccountInput, CatalogEntry, WireRole } from '../api/resources.js';

export interface SeedUser {
  userId?: string;
  email: string;
  firstName: string;
  lastName: string;
  name?: string;
  country?: string | null;
  role?: WireRole;
  status?: 'pending' | 'active';
  /** MiTeam Meetings license enabled. */
  miteam?: boolean;
  welcomeEmailSentOn?: string | null;
  createdOn?: string;
}

/** An account to seed: the writable account fields plus its id, partner, integrations and users. */
export interface SeedAccount extends AccountInput {
  accountId?: string;
  partnerId: string;
  integrations?: string[];
  users?: SeedUser[];
}

export interface SeedOrder {
  orderId?: string;
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
  assignedAccountId?: string | null;
}

/** A principal that can log in. Partner admins have `partnerId`; account admins have `accountId`. */
export interface SeedAdmin {
  username: string;
  password: string;
  partnerId?: string;
  accountId?: string;
}

export interface SeedClient {
  clientId: string;
  clientSecret: string;
  partnerId: string;
}

/** Everything the sandbox can be seeded with. Missing lists mean "none". */
export interface SandboxSeed {
  partners?: { partnerId: string; name: string }[];
  admins?: SeedAdmin[];
  clients?: SeedClient[];
  accounts?: SeedAccount[];
  orders?: SeedOrder[];
  catalog?: CatalogEntry[];
}

/** The integration catalogue the sandbox serves by default. */
export const DEFAULT_CATALOG: CatalogEntry[] = [
  { type: 'miteam-meetings', name: 'MiTeam Meetings', licensed: true },
  { type: 'cloudlink-chat', name: 'CloudLink Chat', licensed: false },
];

/** The demo partner's credentials (sandbox only; never real secrets). */
export const DEMO_CREDENTIALS = {
  partnerId: 'p-1234',
  username: 'admin@partner.example',
  password: 'demo-partner-password',
  clientId: 'demo-client',
  clientSecret: 'demo-client-secret',
  accountAdmin: { username: 'it-admin@initech.example', password: 'demo-account-password', accountId: '8f14e45fceea167a5a36dedd4bea2543' },
} as const;

/** The id of the demo's pre-existing customer account, Initech. */
export const DEMO_INITECH_ID = '8f14e45fceea167a5a36dedd4bea2543';

/** The demo fixture: partner p-1234 with Initech (3 users) and orders TN-1001..TN-1007. */
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
  return {
    partners: [
      { partnerId: p, name: 'Northwind Partner' },
      { partnerId: 'p-9999', name: 'Other Partner' },
    ],
    admins: [
      { username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password, partnerId: p },
      { username: 'admin@other.example', password: 'other-partner-password', partnerId: 'p-9999' },
      { ...DEMO_CREDENTIALS.accountAdmin },
    ],
    clients: [{ clientId: DEMO_CREDENTIALS.clientId, clientSecret: DEMO_CREDENTIALS.clientSecret, partnerId: p }],
    accounts: [
      {
        accountId: DEMO_INITECH_ID,
        partnerId: p,
        name: 'Initech',
        country: 'US',
        address: '1 Initech Way',
        city: 'Austin',
        postalCode: '73301',
        language: 'en-US',
        supportContacts: ['support@northwind.example'],
        integrations: ['miteam-meetings'],
        users: [
          { email: 'peter.gibbons@initech.example', firstName: 'Peter', lastName: 'Gibbons', role: 'ACCOUNT_ADMIN', status: 'active', miteam: true, welcomeEmailSentOn: '2026-03-01T09:00:00.000Z' },
          { email: 'samir.nagheenanajar@initech.example', firstName: 'Samir', lastName: 'Nagheenanajar', role: 'USER', status: 'active', miteam: true, welcomeEmailSentOn: '2026-03-01T09:00:00.000Z' },
          { email: 'michael.bolton@initech.example', firstName: 'Michael', lastName: 'Bolton', role: 'USER', status: 'pending', miteam: false },
        ],
      },
      { accountId: 'aa11bb22cc33dd44ee55ff6677889900', partnerId: 'p-9999', name: 'Other Customer', country: 'GB', language: 'en-GB' },
    ],
    orders: [
      order(1, 10, { resellerPo: 'RPO-1001' }),
      order(2, 25, { sapOrderId: 'SAP-2002' }),
      order(3, 5, { sapOrderId: 'SAP-2003', assignedAccountId: DEMO_INITECH_ID }),
      order(4, 10, { customerPo: 'PO-ACME-77' }),
      order(5, 50),
      order(6, 5, { expiresInDays: 10 }),
      order(7, 5, { expiresInDays: -30, assignedAccountId: DEMO_INITECH_ID }),
    ],
  };
}

/** Reads a seed file (`.json`, `.yaml` or `.yml`). Throws with the file name on malformed input. */
export async function readSeedFile(file: string): Promise<SandboxSeed> {
  const text = await readFile(file, 'utf8');
  const data: unknown = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  if (typeof data !== 'object' || data === null) throw new Error(`${file}: a seed file is a mapping with partners, admins, clients, accounts, orders`);
  return data as SandboxSeed;
}
