/**
 * The canonical desired-state model: what the YAML loader and the cdktf constructs both
 * produce, and what the engine diffs against live state.
 *
 * Guarantees once a value of `Tenancy` exists (the loader/normaliser only returns one
 * when there are no error diagnostics):
 * - e-mails are trimmed and lower-cased, unique within their account;
 * - every user has `name` (defaulted to "first last") and `role`;
 * - account defaults (users policy, welcome e-mail policy) are applied;
 * - account keys are unique; no order selector is claimed by two accounts;
 * - users from `fromCsv` are merged into `users.items`;
 * - accounts and users keep declaration order (the engine sorts where it needs to).
 */

/** The role of a user, spelled as in the console. */
export type UserRole = 'User' | 'Account Admin';

/** additive: never remove undeclared live users; authoritative: remove them (guards apply). */
export type UsersPolicy = 'additive' | 'authoritative';

/** console: a missing account is created by a person in the Accounts Console (Mitel's advice); api: by `POST /accounts`. */
export type AccountCreation = 'console' | 'api';

/** Selects the live account to adopt. */
export type AdoptSelector = { accountId: string } | { accountNumber: string };

/** When the welcome e-mail is sent: on user create, when MiTeam is enabled, or never. */
export type WelcomeEmailPolicy = 'onCreate' | 'onEnable' | 'never';

/** Where a declaration came from, for diagnostics. Absent for objects built in code. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** Selects one partner order; exactly one field is set. */
export type OrderSelector =
  | { trackingNumber: string }
  | { sapOrderId: string }
  | { customerPo: string }
  | { resellerPo: string };

export interface DesiredUser {
  email: string;
  firstName: string;
  lastName: string;
  name: string;
  country?: string;
  role: UserRole;
  miteam: boolean;
  source?: SourceLocation;
  /** Where `miteam` itself was written, when it was (a YAML key); else the user's `source` (e.g. its CSV row). */
  miteamSource?: SourceLocation;
}

export interface DesiredUsers {
  policy: UsersPolicy;
  items: DesiredUser[];
}

export interface DesiredAccount {
  /** Stable key in the repository; written to CloudLink only as the `tenancy-key` tag. */
  key: string;
  name: string;
  country: string;
  /** Optional attributes: absent means "not managed" (never compared, never written). */
  address?: string;
  city?: string;
  postalCode?: string;
  stateOrProvince?: string;
  language: string;
  /** Support contacts (e-mails); absent means the account's contacts are not managed. */
  supportContacts?: string[];
  /** Where each support contact entry was declared (same order), when it came from a file. */
  supportContactSources?: SourceLocation[];
  /** Declared tags; only these tag ids are compared and written. */
  tags: Record<string, string>;
  /** Bind to an existing account by its id or by the "Account ID" number the console shows. */
  adopt?: AdoptSelector;
  /** How a missing account comes to exist: made by hand in the Accounts Console (default) or by the API. */
  accountCreation: AccountCreation;
  protect: boolean;
  /** Keys this account had before (a declared rename, like Terraform's `moved`). */
  previousKeys?: string[];
  integrations: string[];
  orders: OrderSelector[];
  /** additive: never unassign; authoritative: unassign live orders of the account not listed. */
  ordersPolicy: UsersPolicy;
  users: DesiredUsers;
  welcomeEmail: WelcomeEmailPolicy;
  source?: SourceLocation;
}

export interface Tenancy {
  apiVersion: 'tenancy.cloudlink/v1';
  kind: 'Tenancy';
  partner: { id: string };
  accounts: DesiredAccount[];
  /**
   * The declared accounts a run left out (`--account`, `--shard`, `--destroy-account`): never
   * planned, but bound too, so binding stays one-to-one across the whole declaration.
   */
  unselected?: DesiredAccount[];
}

/** A problem found in the user's input. Only bugs throw; user mistakes become these. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** A stable machine code (e.g. `max_deletes`, `order_conflict`, a client error code); callers switch on it. */
  code?: string;
  /** What is wrong and how to fix it (the summary people read). */
  message: string;
  /** More context: the correlation id of a CloudLink answer, the objects involved. */
  detail?: string;
  /** The plan address it concerns, when it comes from the planner. */
  address?: string;
  /** Where in the declaration (file, line, column), when it comes from a file. */
  file?: string;
  line?: number;
  column?: number;
}
