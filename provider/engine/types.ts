/**
 * The data the reconcile engine works on: live snapshots in, plans out.
 *
 * Everything here is plain, JSON-serialisable data. A plan written with `--out` and read back
 * with `apply --plan` is exactly this shape (`planfile.ts` reads and writes it). A change is a
 * typed record, discriminated by `kind`: its `id` says which live object it touches, `before`
 * and `after` are typed attribute values, and `reason` is for people only: apply never reads it.
 */
import type { Account, CatalogEntry, Contact, Integration, License, LiveRole, Order, Principal, User } from '../model/live.js';
import type { Diagnostic } from '../model/types.js';

export type { JsonValue } from '../model/live.js';

/** The version of the plan file format; bumped on any incompatible change (2: CloudLink API v2, typed changes). */
export const PLAN_FORMAT_VERSION = 2 as const;

/**
 * What a change does. `noop` entries are kept so a plan can say what it checked: one per
 * account, integration and order, and one `account.<key>.users` entry counting the declared
 * users that already match (not one per user, so a 100,000-user plan stays small).
 */
export type ChangeAction = 'create' | 'update' | 'delete' | 'noop';

/** What kind of object a change touches. */
export type ChangeKind = 'account' | 'contact' | 'integration' | 'order' | 'user' | 'license' | 'welcome';

/** Fields every change has. */
interface ChangeBase {
  /** Stable and unique within a plan, e.g. `account.acme.user["alice@acme.example"].license.miteam-meetings`. */
  address: string;
  /** The declared account key this change belongs to. */
  accountKey: string;
  action: ChangeAction;
  /** Why the planner chose this action (matching rule, policy). For people; apply never reads it. */
  reason: string;
  /** Addresses that must be applied successfully before this one. */
  dependsOn: string[];
  /**
   * The state of the touched object when the plan was made (its `modifiedOn`, a license id,
   * …; null when it did not exist). `apply --plan` refuses a change whose object moved.
   */
  stamp: string | null;
}

/** The attributes of an account a plan compares and writes (null: not set live). */
export interface AccountAttributes {
  name?: string;
  country?: string | null;
  language?: string | null;
  address?: string | null;
  city?: string | null;
  postalCode?: string | null;
  stateOrProvince?: string | null;
  /** The key in the `cloudlink-tenancy` identity tag. */
  identityKey?: string | null;
  /** Whether the identity tag marks the account protected (live termination protection). */
  protect?: boolean;
  /** Declared tag ids and their values (null: absent live). */
  tags?: Record<string, string | null>;
  /** On an account delete: how many users go with it (counted by `--max-deletes`). */
  users?: number;
}

export interface AccountChange extends ChangeBase {
  kind: 'account';
  id: { accountId?: string };
  before: AccountAttributes | null;
  after: AccountAttributes | null;
  /** Set when the account was found under a previous key (a rename): that key. */
  previousKey?: string;
  /** A person makes this change in the Accounts Console (`accountCreation: console`); apply makes no call. */
  manual?: 'console';
  /** Set when the change writes the identity tag: the `protect` value written with the key. */
  protect?: boolean;
  /**
   * On a `manual: 'console'` create: the account's other changes, planned as if the account
   * existed, shown to reviewers as waiting for it. Data only: apply never reads or acts on
   * them (the next plan, once the account exists, plans them afresh).
   */
  waiting?: Change[];
}

export interface ContactAttributes {
  email: string;
  type: string;
  /** The partner user's name, when the declaration named one. */
  name?: string;
}

export interface ContactChange extends ChangeBase {
  kind: 'contact';
  id: { accountId?: string; contactId?: string };
  before: ContactAttributes | null;
  after: ContactAttributes | null;
}

export interface IntegrationChange extends ChangeBase {
  kind: 'integration';
  id: { accountId?: string; integrationId?: string };
  before: { type: string } | null;
  after: { type: string } | null;
}

export interface OrderAttributes {
  trackingNumber: string;
  quantity: number;
  /** Whether the order is assigned to this account. */
  assigned: boolean;
}

/** `create` assigns an order to the account, `delete` unassigns it. */
export interface OrderChange extends ChangeBase {
  kind: 'order';
  id: { accountId?: string; orderId: string };
  before: OrderAttributes | null;
  after: OrderAttributes | null;
}

/** The attributes of a user a plan compares and writes (country only when declared). */
export interface UserAttributes {
  email?: string;
  firstName?: string;
  lastName?: string;
  name?: string;
  role?: LiveRole;
  country?: string | null;
}

export interface UserChange extends ChangeBase {
  kind: 'user';
  /** `email` is the user's identity (absent on the per-account summary noop). */
  id: { accountId?: string; userId?: string; email?: string };
  before: UserAttributes | null;
  after: UserAttributes | null;
  /** On the `account.<key>.users` noop: how many declared users already match. */
  matched?: number;
}

/** A license toggle is an update of the user's `miteam` attribute, never a deletion. */
export interface LicenseChange extends ChangeBase {
  kind: 'license';
  id: { accountId?: string; userId?: string; email: string; product: string; licenseId?: string };
  before: { miteam: boolean } | null;
  after: { miteam: boolean } | null;
}

export interface WelcomeChange extends ChangeBase {
  kind: 'welcome';
  id: { accountId?: string; userId?: string; email: string };
  before: null;
  after: { sent: true } | null;
}

/** One change of a plan. */
export type Change = AccountChange | ContactChange | IntegrationChange | OrderChange | UserChange | LicenseChange | WelcomeChange;

/**
 * A plan-time problem: a guard refusal (exit 3) or an error that stops the plan (exit 1).
 * It is a `Diagnostic` (the one shape loader, planner and client problems share) with a
 * required code and the guard flag.
 */
export interface PlanProblem extends Omit<Diagnostic, 'code' | 'severity'> {
  severity: 'error';
  code:
    | 'protected_account'
    | 'max_deletes'
    | 'license_shortfall'
    | 'order_conflict'
    | 'order_not_found'
    | 'order_ambiguous'
    | 'order_in_use'
    | 'unknown_integration'
    | 'adopt_not_found'
    | 'account_ambiguous'
    | 'account_bound_twice'
    | 'account_name_taken'
    | 'destroy_refused'
    | 'contact_unresolved'
    | 'micollab_licensing';
  /** True for guard refusals (exit 3), false for plain errors (exit 1). */
  guard: boolean;
  accountKey?: string;
  /** The declared object it is about (file, line, column), when known. */
  source?: { file: string; line: number; column: number };
}

/** A plan: versioned, serialisable, self-describing. */
export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  createdAt: string;
  partnerId: string;
  /** SHA-256 of the canonical desired state the plan was made from. */
  inputsDigest: string;
  /** Account keys covered (after `--account` / `--shard` selection). */
  accountKeys: string[];
  changes: Change[];
  problems: PlanProblem[];
}

/** How a declared account was bound to a live one (matched once, in the snapshot). */
export type AccountBinding =
  | { key: string; kind: 'matched'; accountId: string; rule: 'adopt' | 'tag' | 'previous-key' | 'name'; previousKey?: string; liveName?: string }
  | { key: string; kind: 'missing'; near?: NearMatch[] }
  | { key: string; kind: 'problem'; problem: PlanProblem };

/** A live account whose name is close to a declared one (listed so a person can put it in `adopt`). */
export interface NearMatch {
  accountId: string;
  accountNumber?: string;
  name: string;
  /** The key of its identity tag, when it has one. */
  identityKey?: string;
}

/** One live account with everything the engine compares. */
export interface LiveAccount {
  account: Account;
  contacts: Contact[];
  integrations: Integration[];
  users: User[];
  /** Every license held in the account (billing), one per user and product. */
  licenses: License[];
}

/** Live state as read from CloudLink at one moment. */
export interface LiveSnapshot {
  partnerId: string;
  /** Who the credentials belong to; its own account (the partner's) is never a customer account. */
  principal?: Principal;
  takenAt: string;
  /** Every customer account of the partner (without their details). */
  allAccounts?: Account[];
  /** The declared accounts' bindings to live accounts, in declaration order. */
  bindings?: AccountBinding[];
  /** Details of the live accounts bound to declared ones. */
  accounts: LiveAccount[];
  /** Users of the partner's own account (support contacts may name them). */
  partnerUsers?: User[];
  /** Every order of the partner (assigned or not). */
  orders: Order[];
  catalog: CatalogEntry[];
}
