/**
 * The narrow interface the engine, importer and one-off commands use to talk to CloudLink.
 *
 * `provider/api/client.ts` implements it over HTTP (retries, rate budget, idempotent
 * creates); unit tests may implement it with small fakes. Nothing outside `provider/api`
 * talks HTTP.
 */
import type {
  Account,
  AccountInput,
  BulkRowResult,
  CatalogEntry,
  Integration,
  Order,
  User,
  UserInput,
} from './resources.js';

/** What a write did. A create that found the object already there reports `unchanged`. */
export type WriteOutcome = 'created' | 'updated' | 'unchanged' | 'deleted';

/** The result of a write: what happened and the object as it now is (absent after a delete). */
export interface WriteResult<T> {
  outcome: WriteOutcome;
  value?: T;
}

/** Filters the partner's order list understands. */
export interface OrderListFilter {
  /** Only orders not assigned to any account. */
  unassigned?: boolean;
  /** Only orders expiring before this ISO date. */
  expiresBefore?: string;
  /** Contains-search over tracking number, SAP id, POs and assigned account. */
  search?: string;
}

/** Optional precondition for PUT/DELETE: the etag the caller last saw. */
export interface Precondition {
  ifMatch?: string;
}

/** Accounts visible to the principal. */
export interface AccountsApi {
  /** Every account of the partner (customer accounts), following pagination. */
  list(partnerId: string): AsyncIterable<Account>;
  get(accountId: string): Promise<Account | undefined>;
  /**
   * Creates an account. Idempotent: after a lost response or 5xx the client looks the
   * account up by its natural key (the `tenancy-key` tag, else the exact name under the
   * partner) and returns it as `unchanged` instead of creating a second one.
   */
  create(partnerId: string, input: AccountInput): Promise<WriteResult<Account>>;
  update(accountId: string, patch: Partial<AccountInput>, pre?: Precondition): Promise<WriteResult<Account>>;
  delete(accountId: string, pre?: Precondition): Promise<WriteResult<Account>>;
}

export interface IntegrationsApi {
  list(accountId: string): AsyncIterable<Integration>;
  /** Adds an integration; if one of that type already exists it is returned as `unchanged`. */
  add(accountId: string, type: string): Promise<WriteResult<Integration>>;
  remove(accountId: string, integrationId: string): Promise<WriteResult<Integration>>;
  catalog(): Promise<CatalogEntry[]>;
}

export interface OrdersApi {
  list(partnerId: string, filter?: OrderListFilter): AsyncIterable<Order>;
  get(partnerId: string, orderId: string): Promise<Order | undefined>;
  /** Assigns an order; already assigned to this account is `unchanged`; to another is an error (409). */
  assign(partnerId: string, orderId: string, accountId: string): Promise<WriteResult<Order>>;
  unassign(partnerId: string, orderId: string): Promise<WriteResult<Order>>;
}

export interface UsersApi {
  /** Every user of the account (with their licenses), following pagination, $top=100. */
  list(accountId: string): AsyncIterable<User>;
  findByEmail(accountId: string, email: string): Promise<User | undefined>;
  /**
   * Creates a user. Idempotent: a 409 carrying the existing id, or a lost response after
   * which a lookup by e-mail finds the user, is reported as `unchanged` with that user.
   */
  create(accountId: string, input: UserInput): Promise<WriteResult<User>>;
  /** Creates up to 100 users in one call; one result per row, rows independent. */
  bulkCreate(accountId: string, inputs: UserInput[]): Promise<BulkRowResult[]>;
  update(accountId: string, userId: string, patch: Partial<UserInput>, pre?: Precondition): Promise<WriteResult<User>>;
  delete(accountId: string, userId: string, pre?: Precondition): Promise<WriteResult<User>>;
  enableLicense(accountId: string, userId: string, product: string): Promise<WriteResult<User>>;
  disableLicense(accountId: string, userId: string, product: string): Promise<WriteResult<User>>;
  /**
   * Sends the welcome e-mail at most once: a user whose `welcomeEmailSentOn` is already set is
   * `unchanged` (another run sent it) unless `resend` is asked for.
   */
  sendWelcome(accountId: string, userId: string, options?: { resend?: boolean }): Promise<WriteResult<User>>;
  resetPassword(accountId: string, userId: string): Promise<WriteResult<User>>;
}

/** Everything the engine needs from CloudLink. */
export interface CloudLinkApi {
  accounts: AccountsApi;
  integrations: IntegrationsApi;
  orders: OrdersApi;
  users: UsersApi;
}
