/**
 * The data the reconcile engine works on: live snapshots in, plans out.
 *
 * Everything here is plain, JSON-serialisable data. A plan written with `--out` and read
 * back with `apply --plan` is exactly this shape. Apply reads only `action`, `kind`,
 * `after`, `target` and `dependsOn`; `reason` is for people.
 */
import type { Account, CatalogEntry, Contact, Integration, JsonValue, License, Order, Principal, User } from '../model/live.js';

export type { JsonValue } from '../model/live.js';

/** The version of the plan file format; bumped on any incompatible change (2: CloudLink API v2 identities). */
export const PLAN_FORMAT_VERSION = 2 as const;

/**
 * What a change does. `noop` entries are kept so a plan can say what it checked: one per
 * account, integration and order, and one `account.<key>.users` entry counting the declared
 * users that already match (not one per user, so a 100,000-user plan stays small).
 */
export type ChangeAction = 'create' | 'update' | 'delete' | 'noop';

/** What kind of object a change touches; also its position in the apply order. */
export type ChangeKind = 'account' | 'contact' | 'integration' | 'order' | 'user' | 'license' | 'welcome';

/** The live identifiers an apply needs to act on an existing object (never secrets). */
export interface ChangeTarget {
  accountId?: string;
  userId?: string;
  orderId?: string;
  integrationId?: string;
  contactId?: string;
  licenseId?: string;
}

/**
 * One change of a plan. `address` is stable and unique within a plan, e.g.
 * `account.acme`, `account.acme.integration.miteam-meetings`, `account.acme.order.TN-1001`,
 * `account.acme.user["alice@acme.example"]`, `account.acme.user["alice@acme.example"].license.miteam-meetings`,
 * `account.acme.user["alice@acme.example"].welcome`.
 */
export interface Change {
  address: string;
  kind: ChangeKind;
  /** The declared account key this change belongs to. */
  accountKey: string;
  action: ChangeAction;
  /** Attributes before (null for create); for updates only the attributes that differ plus identity. */
  before: { [key: string]: JsonValue } | null;
  /** Attributes after (null for delete). */
  after: { [key: string]: JsonValue } | null;
  /** Human explanation (matching rule used, policy that caused a delete, ...). Apply never reads it. */
  reason: string;
  /** Addresses that must be applied successfully before this one. */
  dependsOn: string[];
  target?: ChangeTarget;
  /**
   * Set when a person makes this change by hand (an account created in the Accounts Console,
   * as Mitel recommends): apply never calls the API for it and reports it as waiting.
   */
  manual?: 'console';
}

/** A plan-time problem: a guard refusal (exit 3) or an error that stops the plan (exit 1). */
export interface PlanProblem {
  code:
    | 'protected_account'
    | 'max_deletes'
    | 'license_shortfall'
    | 'order_conflict'
    | 'order_not_found'
    | 'order_ambiguous'
    | 'unknown_integration'
    | 'adopt_not_found'
    | 'account_ambiguous'
    | 'contact_unresolved';
  /** True for guard refusals (exit 3), false for plain errors (exit 1). */
  guard: boolean;
  accountKey?: string;
  /** Says what is wrong and how to fix it. */
  message: string;
}

/** A plan: versioned, serialisable, self-describing. */
export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  createdAt: string;
  partnerId: string;
  /** SHA-256 of the canonical desired state the plan was made from. */
  inputsDigest: string;
  /** SHA-256 of the live objects the plan touches (ids + modifiedOn); `apply --plan` recomputes it. */
  liveDigest: string;
  /** Account keys covered (after `--account` / `--shard` selection). */
  accountKeys: string[];
  changes: Change[];
  problems: PlanProblem[];
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
  accounts: LiveAccount[];
  /** Every order of the partner (assigned or not). */
  orders: Order[];
  catalog: CatalogEntry[];
}
