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
  address: string;
  city: string;
  postalCode: string;
  language: string;
  supportContacts: string[];
  tags: Record<string, string>;
  adopt?: { accountId: string };
  protect: boolean;
  integrations: string[];
  orders: OrderSelector[];
  users: DesiredUsers;
  welcomeEmail: WelcomeEmailPolicy;
  source?: SourceLocation;
}

export interface Tenancy {
  apiVersion: 'tenancy.cloudlink/v1';
  kind: 'Tenancy';
  partner: { id: string };
  accounts: DesiredAccount[];
}

/** A problem found in the user's input. Only bugs throw; user mistakes become these. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  message: string;
  file?: string;
  line?: number;
  column?: number;
}
