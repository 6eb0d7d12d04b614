/**
 * Live CloudLink objects as the engine sees them: our own domain types, independent of the
 * wire. `provider/api/wire.ts` maps every response to these types (and every write back to
 * the wire), so a field renamed by the service is a change in that one module, never here.
 *
 * Guarantees: no secret (passwords, tokens, `sipPassword`) is ever part of these values;
 * optional attributes the service did not send are `undefined`, never invented.
 */

/** A JSON value (tag values, plan attributes). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The product code of the MiTeam Meetings license and integration. */
export const MITEAM_PRODUCT = 'miteam-meetings';

/** (2.1) The MiCollab integration's type: on an account with it, MiCollab assigns the MiTeam Meetings licenses [A type name]. */
export const MICOLLAB_INTEGRATION = 'micollab';

/** (2.1) The console's rule on such an account [P: Mitel's documentation], quoted where the tool refuses a MiTeam toggle there. */
export const MICOLLAB_LICENSING_RULE = 'the MiCollab server controls the MiTeam Meetings licensing, and hence the licenses cannot be individually managed';

/**
 * (2.1) The account tag in which apply records the integration removals it requested, because
 * removal is asynchronous and a removed integration may still be listed for a while (our own
 * value; the tag sub-resource is [P]): `{ "<integrationId>": { "type", "requestedOn" } }`.
 */
export const REMOVALS_TAG = 'cloudlink-tenancy-removals';

/**
 * The tag the tool writes on what it manages. On an account its value is `{ key }` (the
 * declaration's account key), `{ key, protect: true }` for a protected account; on a user it is `{ welcomeSentOn }` once the tool sent the
 * welcome e-mail.
 */
export const IDENTITY_TAG = 'cloudlink-tenancy';

/**
 * The account tag holding an apply's lease (the apply lock, `provider/engine/lock/`): the
 * tool's own record, never declared, never drift, never imported.
 */
export const LOCK_TAG = 'cloudlink-tenancy-lock';

/** The value of the lock tag: who holds the account's apply lease, since when, until when (ISO times). */
export interface ApplyLease {
  id: string;
  holder: string;
  startedOn: string;
  expiresOn: string;
}

/** A live user's role, spelled as the console spells it. */
export type LiveRole = 'User' | 'Account Admin' | 'Partner Admin';

/** A customer (or the partner's own) account: its writable fields and what the service keeps. */
export interface Account extends AccountFields {
  accountId: string;
  /** The numeric "Account ID" people see in the console. */
  accountNumber?: string;
  name: string;
  partnerId?: string;
  /** The key from the tool's identity tag (`cloudlink-tenancy: { key }`), when present. */
  identityKey?: string;
  /**
   * True when the identity tag says `protect: true`: the account is never deleted, whichever
   * declaration, key or flag asks, until a bound declaration's `protect: false` is applied.
   */
  protected?: boolean;
  /** Every other tag of the account (the identity and lock tags excluded). */
  tags: Record<string, JsonValue>;
  /** The apply lease in the lock tag, when one is there (a malformed value reads as an expired lease). */
  lock?: ApplyLease;
  createdOn?: string;
  modifiedOn?: string;
}

/** The writable attributes of an account. Absent means "leave as it is". */
export interface AccountFields {
  name?: string;
  /** ISO 3166 alpha-2. */
  country?: string;
  /** Street address (the console's "Address"). */
  address?: string;
  city?: string;
  stateOrProvince?: string;
  postalCode?: string;
  /** BCP 47 language code (the console's "Default Language"). */
  language?: string;
}

/** The optional account attributes: managed only when declared, imported only when set live. */
export const OPTIONAL_ACCOUNT_FIELDS = ['address', 'city', 'postalCode', 'stateOrProvince'] as const;

/** Every writable account attribute. */
export const ACCOUNT_FIELDS = ['name', 'country', 'language', ...OPTIONAL_ACCOUNT_FIELDS] as const;

/** A contact of an account (support contacts are `type: 'SUPPORT'`). */
export interface Contact {
  contactId: string;
  accountId: string;
  name?: string;
  email: string;
  type?: string;
}

/** An integration added to an account (e.g. MiTeam Meetings). */
export interface Integration {
  integrationId: string;
  type: string;
}

/** One entry of the integration catalogue. */
export interface CatalogEntry {
  type: string;
  name: string;
}

/** A purchased license order of the partner (billing `partner-subscriptions`). */
export interface Order {
  orderId: string;
  partnerId?: string;
  trackingNumber: string;
  sapOrderId: string | null;
  resellerPo: string | null;
  customerPo: string | null;
  product: string;
  quantity: number;
  orderDate?: string;
  /** ISO time; null when it never expires. */
  expiresOn: string | null;
  /** The account holding it; null when unassigned. */
  assignedAccountId: string | null;
  modifiedOn?: string;
}

/** An order as an account's subscription (billing `subscriptions`). */
export interface Subscription {
  subscriptionId: string;
  accountId: string;
  product: string;
  quantity: number;
  used: number;
  startDate?: string;
  expiresOn: string | null;
}

/** A product license held by one user (billing `licenses`). */
export interface License {
  licenseId: string;
  accountId: string;
  userId: string;
  product: string;
  assignedOn?: string;
}

/** A user of an account. */
export interface User {
  userId: string;
  accountId: string;
  /** As the service spells it; compare lower-cased. */
  email: string;
  name: string;
  firstName: string;
  lastName: string;
  role: LiveRole;
  /** True once the user registered (the console's "verified"). */
  verified: boolean;
  /** The console's region flag. */
  country?: string;
  /** When the tool recorded sending the welcome e-mail (user tag `cloudlink-tenancy`). */
  welcomeSentOn?: string;
  /** True while that record is a claim or followed an ambiguous send (the e-mail may not have gone out). */
  welcomeUnconfirmed?: boolean;
  /** The run that claimed the send, while unconfirmed. */
  welcomeClaim?: string;
  createdOn?: string;
  modifiedOn?: string;
}

/** The writable attributes of a user. On update, absent means "leave as it is". */
export interface UserFields {
  email: string;
  name?: string;
  firstName?: string;
  lastName?: string;
  role?: LiveRole;
  country?: string;
}

/** Who the credentials belong to (`GET /token` claims). */
export interface Principal {
  accountId: string;
  partnerId?: string;
  principalId?: string;
  userId?: string;
  role?: string;
  email?: string;
  name?: string;
}
