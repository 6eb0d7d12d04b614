/**
 * The narrow interface the engine, importer and one-off commands use to talk to CloudLink,
 * in domain types only (`provider/model/live.ts`): no wire field name crosses it.
 *
 * `provider/api/client.ts` (one client per service under `client/`) implements it over HTTP
 * (retries, rate budget, creates that re-read by natural key after an ambiguous failure);
 * unit tests may implement it with small fakes. Nothing outside `provider/api` talks HTTP.
 */
import type {
  Account,
  AccountFields,
  CatalogEntry,
  Contact,
  Integration,
  JsonValue,
  License,
  Order,
  Principal,
  Subscription,
  User,
  UserFields,
} from '../model/live.js';

/** What a write did. A create that found the object already there reports `unchanged`. */
export type WriteOutcome = 'created' | 'updated' | 'unchanged' | 'deleted';

/** The result of a write: what happened and the object as it now is (absent after a delete). */
export interface WriteResult<T> {
  outcome: WriteOutcome;
  value?: T;
  /** The `x-mitel-correlation-id` of the write's answer, when the client has it (updates and tag writes). */
  correlationId?: string;
}

/** Filters of the partner's order list (the console's Orders page). */
export interface OrderListFilter {
  /** Only orders not assigned to any account. */
  unassigned?: boolean;
  /** Only orders expiring before this ISO date. */
  expiresBefore?: string;
  /** Text searched in tracking number, SAP order id, reseller PO and customer PO. */
  search?: string;
}

/** One row of a batch user create: the user, or the error that row got. */
export type BatchCreateRow =
  | { ok: true; outcome: 'created' | 'unchanged'; user: User }
  | { ok: false; status: number; message: string; correlationId?: string };

/** The principal the credentials belong to. */
export interface PrincipalApi {
  /** The `GET /token` claims, read once after login and cached. */
  whoami(): Promise<Principal>;
}

/** Accounts visible to the principal. */
export interface AccountsApi {
  /**
   * Every account the principal sees under the partner (its own account included), with
   * their tags, following pagination.
   */
  list(partnerId: string): AsyncIterable<Account>;
  /** The partner's accounts with exactly this name (filtered on the server when it can), with their tags. */
  named(partnerId: string, name: string): AsyncIterable<Account>;
  get(accountId: string): Promise<Account | undefined>;
  /**
   * Creates an account (`POST /accounts`) and tags it with `identityKey` (and `protect`, the
   * live termination protection). Idempotent: after
   * an ambiguous failure it looks the account up by identity tag, then by exact name under
   * the partner, before any second POST. It does not look before creating, nor settle races
   * between runs: the engine's `ensureAccount` does (`provider/engine/apply/ensure-account.ts`).
   */
  create(partnerId: string, fields: AccountFields & { name: string }, identityKey: string, protect?: boolean): Promise<WriteResult<Account>>;
  /** Writes the fields given (others stay as they are). One request: the account is not read back. */
  update(accountId: string, fields: AccountFields): Promise<WriteResult<Account>>;
  /** Deletes for good; already gone is `unchanged`. */
  delete(accountId: string): Promise<WriteResult<Account>>;
  /** Writes the tool's identity tag `{ key }` (`{ key, protect: true }` when protected). One request: the account is not read back. */
  setIdentity(accountId: string, key: string, protect?: boolean): Promise<WriteResult<Account>>;
  /** Writes (value) or removes (undefined) one ordinary tag. One request: the account is not read back. */
  setTag(accountId: string, tagId: string, value: JsonValue | undefined): Promise<WriteResult<Account>>;
}

export interface ContactsApi {
  list(accountId: string): AsyncIterable<Contact>;
  /** Adds a contact; one with that e-mail and type already there is `unchanged` (re-read after an ambiguous failure). */
  add(accountId: string, contact: { email: string; name?: string; type: string }): Promise<WriteResult<Contact>>;
  remove(accountId: string, contactId: string): Promise<WriteResult<Contact>>;
}

export interface IntegrationsApi {
  list(accountId: string): AsyncIterable<Integration>;
  /** Adds an integration; one of that type already there is `unchanged`. */
  add(accountId: string, type: string): Promise<WriteResult<Integration>>;
  remove(accountId: string, integrationId: string): Promise<WriteResult<Integration>>;
  catalog(): Promise<CatalogEntry[]>;
}

export interface OrdersApi {
  /** The partner's orders (billing `partner-subscriptions`), filtered on the server when it can, else locally. */
  list(partnerId: string, filter?: OrderListFilter): AsyncIterable<Order>;
  get(partnerId: string, orderId: string): Promise<Order | undefined>;
  /** Assigns an order; already assigned to this account is `unchanged`; to another is an error (409). */
  assign(partnerId: string, orderId: string, accountId: string): Promise<WriteResult<Order>>;
  /** Unassigns an order; refused (409) while a license of it is in use. */
  unassign(partnerId: string, orderId: string): Promise<WriteResult<Order>>;
}

export interface BillingApi {
  /** The account's subscriptions (assigned orders). */
  subscriptions(accountId: string): AsyncIterable<Subscription>;
  /** Every license held in the account (one list per account, no per-user call). */
  licenses(accountId: string): AsyncIterable<License>;
  /**
   * Gives the user a license of the product. Idempotent: a user who already holds it is
   * `unchanged` (re-read by user and product after an ambiguous failure or a 409).
   */
  enable(accountId: string, userId: string, product: string): Promise<WriteResult<License>>;
  /** Frees a license; already gone is `unchanged`. */
  disable(licenseId: string): Promise<WriteResult<License>>;
}

export interface UsersApi {
  /** Every user of the account, with the tool's tag, following pagination. */
  list(accountId: string): AsyncIterable<User>;
  get(accountId: string, userId: string): Promise<User | undefined>;
  /** The user with this e-mail (compared case-insensitively), filtered on the server when it can. */
  findByEmail(accountId: string, email: string): Promise<User | undefined>;
  /** Creates one user. Idempotent: after an ambiguous failure or a 409 the user is looked up by e-mail. */
  create(accountId: string, fields: UserFields): Promise<WriteResult<User>>;
  /**
   * Creates up to 100 users in one batch call; one row per input, in order, rows
   * independent. After an ambiguous failure of the batch (or of a row) the account's users
   * are re-read and only the missing ones are created again.
   */
  createMany(accountId: string, inputs: UserFields[]): Promise<BatchCreateRow[]>;
  /** Writes the fields given (others stay as they are). */
  update(accountId: string, userId: string, fields: Partial<UserFields>): Promise<WriteResult<User>>;
  delete(accountId: string, userId: string): Promise<WriteResult<User>>;
  /**
   * Sends the welcome e-mail (one POST, retried after an ambiguous failure too: at least once,
   * at worst one extra e-mail per ambiguous answer). Does not look at or write the tag: see `recordWelcome`.
   */
  sendWelcome(accountId: string, userId: string): Promise<void>;
  /**
   * Writes the user's `cloudlink-tenancy` tag: the welcome e-mail was sent (`unconfirmed`:
   * claimed by run `claim` and about to be sent, or sent ambiguously).
   */
  recordWelcome(accountId: string, userId: string, sentOn: string, unconfirmed?: boolean, claim?: string): Promise<void>;
  /** Removes that record (a claim whose send definitely failed). */
  clearWelcome(accountId: string, userId: string): Promise<void>;
  /** Starts the console's password reset for the user's e-mail. */
  resetPassword(accountId: string, email: string): Promise<void>;
}

/** Everything the engine needs from CloudLink. */
export interface CloudLinkApi {
  principal: PrincipalApi;
  accounts: AccountsApi;
  contacts: ContactsApi;
  integrations: IntegrationsApi;
  orders: OrdersApi;
  billing: BillingApi;
  users: UsersApi;
}
