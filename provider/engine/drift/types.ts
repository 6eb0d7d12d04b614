/** The drift report: a refresh-only view of declared vs live state. Versioned, serialisable. */

export const DRIFT_FORMAT_VERSION = 1 as const;

/** (a) A declared object missing or different live. */
export interface DriftDifference {
  address: string;
  kind: string;
  /** What an apply would do to fix it. */
  action: 'create' | 'update' | 'delete';
  /** Attribute by attribute, for updates. */
  attributes: { name: string; declared: unknown; live: unknown }[];
  message: string;
}

/** (b) A live object nobody declared. */
export interface UndeclaredObject {
  kind: 'user' | 'integration' | 'order';
  id: string;
  label: string;
}

/** (c) License use of one account (MiTeam Meetings). */
export interface LicenseUse {
  assigned: number;
  enabled: number;
  free: number;
  overQuota: number;
}

/** (d) An order that expires soon or has expired while still assigned. */
export interface OrderNotice {
  trackingNumber: string;
  quantity: number;
  expiresOn: string;
  status: 'expiring' | 'expired';
  daysLeft: number;
  /** Licenses the account's other orders still provide once this one has expired. */
  licensesLeft: number;
  /** MiTeam users who would hold a license no order provides once it has expired. */
  usersWithoutLicense: number;
}

/** A live account no declaration binds: tagged with a key nobody declares, or (with `--all-accounts`) any. */
export interface UndeclaredAccount {
  accountId: string;
  name: string;
  /** The key in its `cloudlink-tenancy` tag, when it has one. */
  taggedKey?: string;
}

/** (e) A user who never registered. */
export interface PendingUser {
  email: string;
  createdOn: string;
  days: number;
}

export interface AccountDrift {
  key: string;
  name: string;
  accountId: string | null;
  differences: DriftDifference[];
  undeclared: UndeclaredObject[];
  licenses: LicenseUse;
  orders: OrderNotice[];
  pendingUsers: PendingUser[];
  /** Users whose welcome e-mail is recorded unconfirmed (a run died or a send was ambiguous): it may not have gone out. */
  unconfirmedWelcomes: { email: string; since: string }[];
  /** Problems that prevent a plan for this account (e.g. an order assigned elsewhere). */
  problems: string[];
  /** True when (a), (b), over-quota or a problem is present. Expiring orders and pending users are notices. */
  drifted: boolean;
}

export interface DriftReport {
  formatVersion: typeof DRIFT_FORMAT_VERSION;
  generatedAt: string;
  partnerId: string;
  expiringDays: number;
  pendingDays: number;
  accounts: AccountDrift[];
  /** Live accounts tagged with a key no file declares (orphaned by a removed or renamed declaration). */
  orphanedAccounts: UndeclaredAccount[];
  /** With `--all-accounts`: every customer account of the partner nobody declares. */
  undeclaredAccounts?: UndeclaredAccount[];
  summary: {
    accounts: number;
    drifted: number;
    differences: number;
    undeclared: number;
    overQuota: number;
    expiringOrders: number;
    expiredOrders: number;
    pendingUsers: number;
    licensesAssigned: number;
    licensesEnabled: number;
    orphanedAccounts: number;
    unconfirmedWelcomes: number;
  };
}
