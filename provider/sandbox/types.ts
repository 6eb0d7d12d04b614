/**
 * The sandbox's own record types: the objects it stores and serves, shaped as the CloudLink
 * API contract version 2 (`cloudlink-api.md`) describes them. The sandbox is an independent
 * stand-in for the real service, so it shares no type with the client (`provider/api/`).
 */

/** A JSON value (tag values). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A user's role. */
export type Role = 'USER' | 'ACCOUNT_ADMIN' | 'PARTNER_ADMIN';

/** Audit fields every object carries. `createdBy`/`modifiedBy` name the principal (e-mail or client id). */
export interface Audit {
  createdOn: string;
  createdBy: string;
  modifiedOn: string;
  modifiedBy: string;
}

export interface Address {
  street: string;
  city: string;
  stateOrProvince: string;
  zipCode: string;
  /** ISO 3166 alpha-2 (or '' when unknown). */
  country: string;
}

export interface AccountRecord extends Audit {
  accountId: string;
  /** The numeric "Account ID" the console shows. */
  accountNumber: string;
  name: string;
  /** The partner the account belongs to. A partner's own account carries its own partner id. */
  partnerId: string;
  organizationId: string;
  active: boolean;
  state: string;
  domain: string | null;
  languageCode: string;
  location: { address: Address };
  policyId: string | null;
  userLimit: number | null;
  source: string;
  /** (2.1) The account privileges adding an integration switches on ("Delegated Authentication", "Allow Guest Access"). */
  privileges?: { delegatedAuthentication: boolean; allowGuestAccess: boolean };
  /** Served only with `$expand=tags`. */
  tags: Record<string, JsonValue>;
}

export interface UserRecord extends Audit {
  userId: string;
  uniqueUserId: string;
  accountId: string;
  name: string;
  firstName: string;
  lastName: string;
  displayName: string;
  email: string;
  role: Role;
  emailVerified: boolean;
  userVerified: boolean;
  extension: string | null;
  mobile: string | null;
  phone: string | null;
  siteId: string | null;
  sipAddress: string;
  /** A secret (the real service returns it too). */
  sipPassword: string;
  source: string;
  country: string | null;
  /** Served only with `$expand=tags`. */
  tags: Record<string, JsonValue>;
}

export interface ContactRecord extends Audit {
  contactId: string;
  accountId: string;
  name: string;
  email: string;
  contactType: string;
}

export interface IntegrationRecord extends Audit {
  integrationId: string;
  accountId: string;
  type: string;
  /** Internal, never served: when a requested removal takes effect (removal is asynchronous, `integrationRemovalMs`). */
  removeAt?: string;
}

/** A partner's order (billing `partner-subscriptions`); assigned to an account it is that account's subscription. */
export interface OrderRecord extends Audit {
  subscriptionId: string;
  partnerId: string;
  trackingNumber: string;
  sapOrderId: string | null;
  resellerPo: string | null;
  customerPo: string | null;
  product: string;
  quantity: number;
  orderDate: string;
  /** null = never expires. */
  expiresOn: string | null;
  /** null when unassigned. */
  accountId: string | null;
  /** When it was assigned (the subscription's `startDate`); internal, not part of the order view. */
  assignedOn: string | null;
}

export interface LicenseRecord extends Audit {
  licenseId: string;
  accountId: string;
  userId: string;
  product: string;
  assignedOn: string;
}

export interface PartnerRecord {
  partnerId: string;
  name: string;
  /** The partner's own account (its users are the partner's users); null when it has none. */
  accountId: string | null;
}

/** An API client registered in an account, for the `client_credentials` grant. */
export interface ClientRecord {
  clientId: string;
  clientSecret: string;
  accountId: string;
}

export interface CatalogEntry {
  type: string;
  name: string;
}

export interface OutboxMail {
  type: 'welcome' | 'password-reset';
  to: string;
  accountId: string;
  userId: string;
  sentOn: string;
}

/** Who is calling (the `GET /token` claims, minus the times). */
export interface Principal {
  /** The user id for password logins, the client id for client credentials. */
  principalId: string;
  /** null for a client-credentials principal (it is no user). */
  userId: string | null;
  accountId: string;
  partnerId: string;
  role: Role;
  email: string | null;
  name: string;
}

/** Counters of injected faults (`GET /sandbox/state` → `faultCounts`, `RunningSandbox.faultCounts()`). */
export interface FaultCounts {
  /** 5xx answered before doing anything (`errorRate`). */
  errorBeforeWrite: number;
  /** Writes committed, then answered 5xx (`errorAfterCommitRate`). */
  errorAfterCommit: number;
  /** Writes committed, then the connection destroyed (`dropAfterCommitRate`). */
  dropAfterCommit: number;
  /** Requests refused with 429. */
  rateLimited: number;
}

/** Serialisable form of the whole state (the `--data` file and `GET /sandbox/state`). */
export interface StateDump {
  version: 2;
  partners: PartnerRecord[];
  clients: ClientRecord[];
  /** Login passwords of users (sandbox-only; never served by the API). */
  passwords: { userId: string; password: string }[];
  catalog: CatalogEntry[];
  accounts: AccountRecord[];
  users: UserRecord[];
  contacts: ContactRecord[];
  integrations: IntegrationRecord[];
  orders: OrderRecord[];
  licenses: LicenseRecord[];
  outbox: OutboxMail[];
  /** The last `accountNumber` handed out. */
  accountNumberSeq: number;
}

/** Error names by status, as the contract spells them. */
const ERROR_NAMES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
};

/** An error the API answers with: body `{ name, message }` and nothing else. */
export class ApiFailure extends Error {
  override readonly name: string;
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = ERROR_NAMES[status] ?? (status >= 500 ? 'InternalServerError' : 'BadRequest');
  }
}

/** (2.1) The console's rule on an account with the MiCollab integration [P], the message of a 409 to license writes there. */
export const MICOLLAB_LICENSING_RULE = 'the MiCollab server controls the MiTeam Meetings licensing, and hence the licenses cannot be individually managed';

/** The exact 409 message of a duplicate user e-mail [P]. */
export const DUPLICATE_MESSAGE = 'One or more of the attribute values are already in use';
