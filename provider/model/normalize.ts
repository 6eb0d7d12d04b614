/**
 * Turns validated documents into the canonical model: e-mails trimmed and lower-cased,
 * `name` defaulted to "first last", defaults applied; names and attributes kept exactly as written
 * (YAML already drops the spaces around an unquoted value). Pure; never throws on valid input.
 */
import type { z } from 'zod';
import type { AccountDocument, orderSelectorSchema, UserDocument } from './schema.js';
import type { AccountCreation, DesiredAccount, DesiredUser, OrderSelector, SourceLocation, UsersPolicy, WelcomeEmailPolicy } from './types.js';
import { normalizeEmail } from './email.js';
import { OPTIONAL_ACCOUNT_FIELDS } from './live.js';

/** The tenancy-wide defaults of the spec, after merging every file. */
export interface TenancyDefaults {
  usersPolicy: UsersPolicy;
  welcomeEmail: WelcomeEmailPolicy;
  accountCreation: AccountCreation;
}

/** The defaults when no file sets them (tenancy-spec.md). */
export const BUILTIN_DEFAULTS: TenancyDefaults = { usersPolicy: 'additive', welcomeEmail: 'onEnable', accountCreation: 'console' };

/**
 * The display name the console derives: "first last" from what is given (either may be absent).
 * Empty only when neither is given (then the user must have a `name`).
 */
export function defaultUserName(firstName: string, lastName: string): string {
  return [firstName, lastName].filter((part) => part !== '').join(' ');
}

/**
 * Canonical form of one declared user: first and last names are strings (empty when not given),
 * `name` defaults to "first last". Names are kept exactly as written (never trimmed), so a live
 * name with surrounding spaces, imported in quotes, plans no change.
 */
export function normalizeUser(user: UserDocument, source?: SourceLocation, miteamSource?: SourceLocation): DesiredUser {
  const firstName = user.firstName ?? '';
  const lastName = user.lastName ?? '';
  const result: DesiredUser = {
    email: normalizeEmail(user.email),
    firstName,
    lastName,
    name: user.name ?? defaultUserName(firstName, lastName),
    role: user.role ?? 'User',
    miteam: user.miteam ?? false,
  };
  if (user.country !== undefined) result.country = user.country;
  if (source) result.source = source;
  if (miteamSource) result.miteamSource = miteamSource;
  return result;
}

/** One order selector as written in YAML. */
type OrderDocument = z.infer<typeof orderSelectorSchema>;

/** The order selectors of `orders`, written as a list or as `{ policy, items }`. */
export function orderItems(orders: AccountDocument['orders']): OrderDocument[] {
  if (orders === undefined) return [];
  return Array.isArray(orders) ? orders : (orders.items ?? []);
}

/** Canonical form of an order selector (exactly one field, validated by the schema). */
export function normalizeOrder(order: OrderDocument): OrderSelector {
  if (order.trackingNumber !== undefined) return { trackingNumber: order.trackingNumber };
  if (order.sapOrderId !== undefined) return { sapOrderId: order.sapOrderId };
  if (order.customerPo !== undefined) return { customerPo: order.customerPo };
  return { resellerPo: order.resellerPo ?? '' };
}

/** Where the parts of an account were declared, when it came from a file. */
export interface AccountSources {
  account?: SourceLocation;
  users?: (SourceLocation | undefined)[];
  /** Where each user's `miteam` key is, in order (undefined where it is not written). */
  miteam?: (SourceLocation | undefined)[];
  /** Where each support contact entry is, in order. */
  contacts?: (SourceLocation | undefined)[];
}

/** Canonical form of one declared account; `extraUsers` (from CSV) are appended after the items. */
export function normalizeAccount(
  account: AccountDocument,
  defaults: TenancyDefaults,
  sources: AccountSources = {},
  extraUsers: DesiredUser[] = [],
): DesiredAccount {
  const items = (account.users?.items ?? []).map((u, i) => normalizeUser(u, sources.users?.[i], sources.miteam?.[i]));
  const result: DesiredAccount = {
    key: account.key,
    // Exactly as written, like the optional attributes below (see normalizeUser).
    name: account.name,
    country: account.country,
    language: account.language,
    // A null-prototype map: a tag id such as "constructor" never meets an inherited property.
    tags: Object.assign(Object.create(null) as Record<string, string>, account.tags),
    protect: account.protect ?? false,
    integrations: [...new Set(account.integrations ?? [])],
    orders: orderItems(account.orders).map(normalizeOrder),
    ordersPolicy: (Array.isArray(account.orders) ? undefined : account.orders?.policy) ?? 'additive',
    users: { policy: account.users?.policy ?? defaults.usersPolicy, items: [...items, ...extraUsers] },
    welcomeEmail: account.welcomeEmail ?? defaults.welcomeEmail,
    accountCreation: defaults.accountCreation,
  };
  for (const field of OPTIONAL_ACCOUNT_FIELDS) {
    const value = account[field];
    if (value !== undefined) result[field] = value;
  }
  if (account.previousKeys?.length) result.previousKeys = [...new Set(account.previousKeys)];
  if (account.supportContacts) result.supportContacts = account.supportContacts.map((c) => c.trim());
  const contactSources = sources.contacts?.filter((x): x is SourceLocation => x !== undefined);
  if (contactSources?.length === account.supportContacts?.length && contactSources?.length) result.supportContactSources = contactSources;
  if (account.adopt?.accountId !== undefined) result.adopt = { accountId: account.adopt.accountId.trim() };
  else if (account.adopt?.accountNumber !== undefined) result.adopt = { accountNumber: account.adopt.accountNumber.trim() };
  if (sources.account) result.source = sources.account;
  return result;
}

/** A short label of an order selector, e.g. `trackingNumber TN-1001`. */
export function describeOrder(order: OrderSelector): string {
  const [field, value] = Object.entries(order)[0] ?? ['order', '?'];
  return `${field} ${String(value)}`;
}
