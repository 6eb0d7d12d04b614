/**
 * The CloudLink wire, version 2 (../shared/cloudlink-api.md): zod schemas of every response
 * shape the client reads, and the mapping between those shapes and the domain types of
 * `provider/model/live.ts`. No wire field name leaves this module.
 *
 * Parsing is lenient, like the real service demands: unknown fields are stripped, optional
 * fields may be missing, and fields the real service may send as `null` accept it. Rules
 * marked [A] are assumed (nothing public shows them): each sits on one line here, so a
 * difference found against the real service is a one-line change.
 *
 * Secrets: users carry `sipPassword` [P]. No schema below names it, so zod strips it on
 * parse and it never reaches a domain value.
 */
import { z } from 'zod';
import { REQUESTED_PAGE_SIZE } from './paging.js';
import { isRecord } from '../model/is-record.js';
import {
  IDENTITY_TAG,
  LOCK_TAG,
  type ApplyLease,
  type Account,
  type AccountFields,
  type CatalogEntry,
  type Contact,
  type Integration,
  type JsonValue,
  type License,
  type LiveRole,
  type Order,
  type Principal,
  type Subscription,
  type User,
  type UserFields,
} from '../model/live.js';

/** A string the service may omit or send as null. */
const optString = z.string().nullish();
/** A timestamp (ISO 8601 text); the client does not reinterpret it. */
const optTime = z.string().nullish();
/** A JSON value (tag values). */
const jsonValue = z.unknown();
/** A number that may arrive as numeric text [A]. */
const looseNumber = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);
/** `tags` with `$expand=tags` [P]: `{ "<tagId>": <JSON value> }`. */
const tagsSchema = z.record(z.string(), jsonValue).nullish();
/**
 * A user's `tags` [P]: an object, checked but not copied (`z.record` copies every entry; on a
 * page of 1,000 users that is a third of the page's validation). Only the tool's own tag is
 * read from it (`userFromWire`), by its fixed id.
 */
const userTagsSchema = z.custom<Record<string, unknown>>(isRecord, { message: 'expected an object of tags' }).nullish();

const undef = <T>(v: T | null | undefined): T | undefined => (v === null || v === undefined ? undefined : v);

// ---------------------------------------------------------------------------------------
// Lists, errors, auth

/**
 * One page of a list [P]: `{ count?, _links: { self?, next? }, _embedded: { items } }`. The
 * links are plain strings; `next` is absent (or null) on the last page; `count` may be absent.
 */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    count: z.number().nullish(),
    _links: z.object({ self: optString, next: optString }).nullish(),
    _embedded: z.object({ items: z.array(item) }),
  });
}
/** The parsed page (items already parsed by the item schema). */
export interface WirePage<T> {
  items: T[];
  next?: string;
  count?: number;
}
export function pageFromWire<T>(page: { count?: number | null; _links?: { next?: string | null } | null; _embedded: { items: T[] } }): WirePage<T> {
  const next = undef(page._links?.next);
  const count = undef(page.count);
  return { items: page._embedded.items, ...(next ? { next } : {}), ...(count !== undefined ? { count } : {}) };
}

/** An error body [P]: `{ name, message }`; nothing else is guaranteed (so both are optional here). */
export const errorBodySchema = z.object({ name: optString, message: optString });
export interface WireError {
  name?: string;
  message?: string;
}
export function errorFromWire(json: unknown): WireError | undefined {
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) return undefined;
  const name = undef(parsed.data.name);
  const message = undef(parsed.data.message);
  if (name === undefined && message === undefined) return undefined;
  return { ...(name !== undefined ? { name } : {}), ...(message !== undefined ? { message } : {}) };
}

/** `POST /token` answer [P]. `token_type` is `bearer` in any case. */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', { message: 'expected token_type "bearer"' }),
  expires_in: looseNumber,
  refresh_token: optString,
  scope: optString,
});
export interface Token {
  accessToken: string;
  expiresInSec: number;
  refreshToken?: string;
}
export function tokenFromWire(t: z.infer<typeof tokenResponseSchema>): Token {
  const refresh = undef(t.refresh_token);
  return { accessToken: t.access_token, expiresInSec: t.expires_in, ...(refresh ? { refreshToken: refresh } : {}) };
}

/** The token request bodies (form fields) of the three grants [P]. */
export type TokenGrant =
  | { grant: 'password'; username: string; password: string; accountId?: string }
  | { grant: 'client_credentials'; clientId: string; clientSecret: string; accountId?: string }
  | { grant: 'refresh_token'; refreshToken: string };
export function tokenRequestToWire(g: TokenGrant): Record<string, string> {
  switch (g.grant) {
    case 'password':
      return { grant_type: 'password', username: g.username, password: g.password, ...(g.accountId ? { account_id: g.accountId } : {}) };
    case 'client_credentials':
      return { grant_type: 'client_credentials', client_id: g.clientId, client_secret: g.clientSecret, ...(g.accountId ? { account_id: g.accountId } : {}) };
    case 'refresh_token':
      return { grant_type: 'refresh_token', refresh_token: g.refreshToken };
  }
}

/** `GET /token` claims [P]; the rest (iat, exp, …) is ignored. */
export const claimsSchema = z.object({
  accountId: z.string().min(1),
  partnerId: optString,
  principalId: optString,
  userId: optString,
  role: optString,
  email: optString,
  name: optString,
});
export function principalFromWire(c: z.infer<typeof claimsSchema>): Principal {
  const out: Principal = { accountId: c.accountId };
  for (const k of ['partnerId', 'principalId', 'userId', 'role', 'email', 'name'] as const) {
    const v = undef(c[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Accounts [P fields; POST body A]

const addressSchema = z.object({
  street: optString,
  city: optString,
  stateOrProvince: optString,
  zipCode: optString,
  country: optString,
});

export const accountSchema = z.object({
  accountId: z.string().min(1),
  accountNumber: z.union([z.string(), z.number()]).nullish(),
  name: z.string(),
  partnerId: optString,
  languageCode: optString,
  location: z.object({ address: addressSchema.nullish() }).nullish(),
  tags: tagsSchema,
  createdOn: optTime,
  modifiedOn: optTime,
});
export type WireAccount = z.infer<typeof accountSchema>;

/**
 * The identity tag's value on an account: `{ key }`, `{ key, protect: true }` for a protected
 * account (its live termination protection) [P tag mechanism, A value].
 */
export function identityTagValue(key: string, protect = false): JsonValue {
  return protect ? { key, protect: true } : { key };
}
function identityProtectOf(value: unknown): boolean {
  return !!value && typeof value === 'object' && !Array.isArray(value) && (value as Record<string, unknown>).protect === true;
}
function identityKeyOf(value: unknown): string | undefined {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const key = (value as Record<string, unknown>).key;
    if (typeof key === 'string' && key) return key;
  }
  return undefined;
}

/** The lock tag's value on an account [P tag mechanism, our own value]; anything malformed reads as a lease that expired long ago (it may be taken over). */
export function leaseFromWire(value: unknown): ApplyLease {
  const v = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const text = (k: string, fallback: string): string => (typeof v[k] === 'string' && v[k] ? (v[k] as string) : fallback);
  return { id: text('id', 'unknown'), holder: text('holder', 'unknown'), startedOn: text('startedOn', new Date(0).toISOString()), expiresOn: text('expiresOn', new Date(0).toISOString()) };
}
/** The lock tag's value written for a lease. */
export function leaseToWire(lease: ApplyLease): JsonValue {
  return { id: lease.id, holder: lease.holder, startedOn: lease.startedOn, expiresOn: lease.expiresOn };
}

export function accountFromWire(a: WireAccount): Account {
  const address = a.location?.address ?? undefined;
  // A null-prototype map: a live tag id such as "constructor" is compared as itself, never with Object.prototype.
  const tags = Object.create(null) as Record<string, JsonValue>;
  let identityKey: string | undefined;
  let isProtected = false;
  let lock: ApplyLease | undefined;
  for (const [tagId, value] of Object.entries(a.tags ?? {})) {
    if (tagId === IDENTITY_TAG) {
      identityKey = identityKeyOf(value);
      isProtected = identityProtectOf(value);
    } else if (tagId === LOCK_TAG) lock = leaseFromWire(value);
    else tags[tagId] = value as JsonValue;
  }
  const out: Account = { accountId: a.accountId, name: a.name, tags };
  const set = <K extends keyof Account>(k: K, v: Account[K] | null | undefined): void => {
    if (v !== null && v !== undefined) out[k] = v;
  };
  set('accountNumber', a.accountNumber === null || a.accountNumber === undefined ? undefined : String(a.accountNumber));
  set('partnerId', a.partnerId);
  set('country', address?.country);
  set('address', address?.street);
  set('city', address?.city);
  set('stateOrProvince', address?.stateOrProvince);
  set('postalCode', address?.zipCode);
  set('language', a.languageCode);
  set('identityKey', identityKey);
  if (isProtected) out.protected = true;
  set('lock', lock);
  set('createdOn', a.createdOn);
  set('modifiedOn', a.modifiedOn);
  return out;
}

/**
 * The wire body of an account write: only the fields given; `location.address` only with
 * the address fields given (PUT updates the fields it is given [A]).
 */
export function accountToWire(fields: AccountFields, partnerId?: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (partnerId !== undefined) body.partnerId = partnerId; // POST body carries the partner [A]
  if (fields.name !== undefined) body.name = fields.name;
  if (fields.language !== undefined) body.languageCode = fields.language;
  const address: Record<string, string> = {};
  if (fields.address !== undefined) address.street = fields.address;
  if (fields.city !== undefined) address.city = fields.city;
  if (fields.stateOrProvince !== undefined) address.stateOrProvince = fields.stateOrProvince;
  if (fields.postalCode !== undefined) address.zipCode = fields.postalCode;
  if (fields.country !== undefined) address.country = fields.country;
  if (Object.keys(address).length > 0) body.location = { address };
  return body;
}

// ---------------------------------------------------------------------------------------
// Contacts [P]

export const contactSchema = z.object({
  contactId: z.string().min(1),
  accountId: optString,
  name: optString,
  email: z.string(),
  contactType: optString,
});
export function contactFromWire(c: z.infer<typeof contactSchema>, accountId: string): Contact {
  const out: Contact = { contactId: c.contactId, accountId: undef(c.accountId) ?? accountId, email: c.email };
  if (c.name !== null && c.name !== undefined) out.name = c.name;
  if (c.contactType !== null && c.contactType !== undefined) out.type = c.contactType;
  return out;
}
export function contactToWire(c: { email: string; name?: string; type: string }): Record<string, unknown> {
  return { email: c.email, ...(c.name !== undefined ? { name: c.name } : {}), contactType: c.type };
}

// ---------------------------------------------------------------------------------------
// Integrations [A]

export const integrationSchema = z.object({ integrationId: z.string().min(1), type: z.string() });
export function integrationFromWire(i: z.infer<typeof integrationSchema>): Integration {
  return { integrationId: i.integrationId, type: i.type };
}
export function integrationToWire(type: string): Record<string, unknown> {
  return { type };
}
export const catalogEntrySchema = z.object({ type: z.string(), name: optString });
export function catalogEntryFromWire(c: z.infer<typeof catalogEntrySchema>): CatalogEntry {
  return { type: c.type, name: undef(c.name) ?? c.type };
}
/** The catalogue answer [A]: a list envelope, or a bare array. */
export const catalogSchema = z.union([pageSchema(catalogEntrySchema), z.array(catalogEntrySchema)]);

// ---------------------------------------------------------------------------------------
// Billing [resource names P, shapes A]

export const orderSchema = z.object({
  subscriptionId: z.string().min(1),
  partnerId: optString,
  trackingNumber: optString,
  sapOrderId: optString,
  resellerPo: optString,
  customerPo: optString,
  product: z.string(),
  quantity: looseNumber,
  orderDate: optTime,
  expiresOn: optTime,
  accountId: optString,
  modifiedOn: optTime,
});
export function orderFromWire(o: z.infer<typeof orderSchema>): Order {
  const out: Order = {
    orderId: o.subscriptionId,
    trackingNumber: o.trackingNumber ?? '',
    sapOrderId: o.sapOrderId ?? null,
    resellerPo: o.resellerPo ?? null,
    customerPo: o.customerPo ?? null,
    product: o.product,
    quantity: o.quantity,
    expiresOn: o.expiresOn ?? null,
    assignedAccountId: o.accountId ?? null,
  };
  if (o.partnerId) out.partnerId = o.partnerId;
  if (o.orderDate) out.orderDate = o.orderDate;
  if (o.modifiedOn) out.modifiedOn = o.modifiedOn;
  return out;
}
/** Assign (`accountId`) or unassign (`null`) an order [A]. */
export function orderAssignmentToWire(accountId: string | null): Record<string, unknown> {
  return { accountId };
}
/** The fields the order search looks in (`substringof`) [A]. */
export const ORDER_SEARCH_FIELDS = ['trackingNumber', 'sapOrderId', 'resellerPo', 'customerPo'] as const;

export const subscriptionSchema = z.object({
  subscriptionId: z.string().min(1),
  accountId: z.string().min(1),
  product: z.string(),
  quantity: looseNumber,
  used: looseNumber.nullish(),
  startDate: optTime,
  expiresOn: optTime,
});
export function subscriptionFromWire(s: z.infer<typeof subscriptionSchema>): Subscription {
  const out: Subscription = {
    subscriptionId: s.subscriptionId,
    accountId: s.accountId,
    product: s.product,
    quantity: s.quantity,
    used: s.used ?? 0,
    expiresOn: s.expiresOn ?? null,
  };
  if (s.startDate) out.startDate = s.startDate;
  return out;
}

export const licenseSchema = z.object({
  licenseId: z.string().min(1),
  accountId: z.string().min(1),
  userId: z.string().min(1),
  product: z.string(),
  assignedOn: optTime,
});
export function licenseFromWire(l: z.infer<typeof licenseSchema>): License {
  return { licenseId: l.licenseId, accountId: l.accountId, userId: l.userId, product: l.product, ...(l.assignedOn ? { assignedOn: l.assignedOn } : {}) };
}
export function licenseToWire(accountId: string, userId: string, product: string): Record<string, unknown> {
  return { accountId, userId, product };
}

// ---------------------------------------------------------------------------------------
// Users [P]

const ROLE_FROM_WIRE = { USER: 'User', ACCOUNT_ADMIN: 'Account Admin', PARTNER_ADMIN: 'Partner Admin' } as const satisfies Record<string, LiveRole>;
const ROLE_TO_WIRE = { User: 'USER', 'Account Admin': 'ACCOUNT_ADMIN', 'Partner Admin': 'PARTNER_ADMIN' } as const satisfies Record<LiveRole, string>;

/** The wire role; upper-cased before matching, so `user` reads as `USER`. */
const wireRoleSchema = z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(['USER', 'ACCOUNT_ADMIN', 'PARTNER_ADMIN']));

export const userSchema = z.object({
  userId: z.string().min(1),
  accountId: optString,
  email: z.string(),
  name: optString,
  displayName: optString,
  firstName: optString,
  lastName: optString,
  role: wireRoleSchema.nullish(),
  userVerified: z.boolean().nullish(),
  country: optString,
  tags: userTagsSchema,
  createdOn: optTime,
  modifiedOn: optTime,
  // sipPassword [P] is deliberately absent: zod strips it.
});
export type WireUser = z.infer<typeof userSchema>;

/** The optional text fields of `userSchema` (each a string, null or absent). */
const USER_OPTIONAL_TEXT = ['accountId', 'name', 'displayName', 'firstName', 'lastName', 'country', 'createdOn', 'modifiedOn'] as const;
const WIRE_ROLES: ReadonlySet<unknown> = new Set(['USER', 'ACCOUNT_ADMIN', 'PARTNER_ADMIN']);

/**
 * A user row in its plain shape, checked in place: every field `userSchema` reads is of the type
 * it allows and the role is already one of the wire roles in capitals. Returns the row itself
 * (no copy: `userFromWire` reads only those fields, so `sipPassword` and the other fields go no
 * further), or undefined for anything else, which then goes through `userSchema`. Guarantee
 * (test/wire/user-row.test.ts): whenever it returns a row, `userSchema` accepts that row and
 * `userFromWire` maps both to the same user.
 */
export function plainWireUser(v: unknown): WireUser | undefined {
  if (!isRecord(v)) return undefined;
  if (typeof v.userId !== 'string' || v.userId === '' || typeof v.email !== 'string') return undefined;
  for (const f of USER_OPTIONAL_TEXT) {
    const x = v[f];
    if (x !== undefined && x !== null && typeof x !== 'string') return undefined;
  }
  if (v.role !== undefined && v.role !== null && !WIRE_ROLES.has(v.role)) return undefined;
  if (v.userVerified !== undefined && v.userVerified !== null && typeof v.userVerified !== 'boolean') return undefined;
  const tags = v.tags;
  if (tags !== undefined && tags !== null && !isRecord(tags)) return undefined;
  return v as WireUser;
}

/**
 * A row of a user list: `plainWireUser` when the row is in its plain shape (a page of 1,000
 * users is checked without copying 1,000 objects), else `userSchema`, whose issues (with their
 * paths) are the row's.
 */
export const userRowSchema = z.unknown().transform((v, ctx): WireUser => {
  const plain = plainWireUser(v);
  if (plain) return plain;
  const parsed = userSchema.safeParse(v);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

/** The tool's user tag `cloudlink-tenancy`: `{ welcomeSentOn, unconfirmed?, claim? }` (our own value; the tag sub-resource is [P]). */
export function welcomeTagValue(sentOn: string, unconfirmed?: boolean, claim?: string): JsonValue {
  return { welcomeSentOn: sentOn, ...(unconfirmed ? { unconfirmed: true } : {}), ...(claim ? { claim } : {}) };
}

export function userFromWire(u: WireUser, accountId: string): User {
  const out: User = {
    userId: u.userId,
    accountId: undef(u.accountId) ?? accountId,
    email: u.email,
    name: undef(u.name) ?? undef(u.displayName) ?? '',
    firstName: u.firstName ?? '',
    lastName: u.lastName ?? '',
    role: ROLE_FROM_WIRE[u.role ?? 'USER'],
    verified: u.userVerified === true,
  };
  if (u.country) out.country = u.country;
  const tag = u.tags?.[IDENTITY_TAG];
  if (tag && typeof tag === 'object' && !Array.isArray(tag)) {
    const t = tag as Record<string, unknown>;
    if (typeof t.welcomeSentOn === 'string' && t.welcomeSentOn) out.welcomeSentOn = t.welcomeSentOn;
    if (t.unconfirmed === true) out.welcomeUnconfirmed = true;
    if (typeof t.claim === 'string' && t.claim) out.welcomeClaim = t.claim;
  }
  if (u.createdOn) out.createdOn = u.createdOn;
  if (u.modifiedOn) out.modifiedOn = u.modifiedOn;
  return out;
}

/** The wire body of a user write: only the fields given. */
export function userToWire(fields: Partial<UserFields>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (fields.email !== undefined) body.email = fields.email;
  if (fields.name !== undefined) body.name = fields.name;
  if (fields.firstName !== undefined) body.firstName = fields.firstName;
  if (fields.lastName !== undefined) body.lastName = fields.lastName;
  if (fields.role !== undefined) body.role = ROLE_TO_WIRE[fields.role];
  if (fields.country !== undefined) body.country = fields.country;
  return body;
}

/** The batch request [P]: `{ operations: [{ op: 'add', body }] }`. */
export function batchAddToWire(users: UserFields[]): Record<string, unknown> {
  return { operations: users.map((u) => ({ op: 'add', body: userToWire(u) })) };
}
/** The batch answer [P]: one result per operation, in order. */
export const batchAnswerSchema = z.object({
  operations: z.array(z.object({ statusCode: looseNumber, headers: z.record(z.string(), z.unknown()).nullish(), body: z.unknown().optional() })),
});
/** One parsed batch row: a user, or the row's error. */
export type BatchRow = { status: number; user: User } | { status: number; error: WireError; correlationId?: string };
export function batchRowsFromWire(answer: z.infer<typeof batchAnswerSchema>, accountId: string): BatchRow[] {
  return answer.operations.map((op) => {
    const header = op.headers?.['x-mitel-correlation-id'];
    const correlationId = typeof header === 'string' ? header : undefined;
    if (op.statusCode >= 200 && op.statusCode < 300) {
      const parsed = userSchema.safeParse(op.body);
      if (parsed.success) return { status: op.statusCode, user: userFromWire(parsed.data, accountId) };
      return { status: op.statusCode, error: { message: 'the row answered success without a user' }, ...(correlationId ? { correlationId } : {}) };
    }
    return { status: op.statusCode, error: errorFromWire(op.body) ?? {}, ...(correlationId ? { correlationId } : {}) };
  });
}

/** The password-reset body [P, one public sample]. */
export function passwordResetToWire(accountId: string, email: string): Record<string, unknown> {
  return { email, action: 'forgot', accountId };
}

// ---------------------------------------------------------------------------------------
// Queries [P syntax; which fields are filterable A]

/** The `$expand` value that brings an object's tags along [P]. */
export const EXPAND_TAGS = 'tags';
/** The query of a list's first page [P]: `$top` = `REQUESTED_PAGE_SIZE` (paging.ts; the service may serve fewer [A]), then `$filter` and `$expand` when given. */
export function pageQueryToWire(filter?: string, expand?: string): Record<string, string> {
  return { $top: String(REQUESTED_PAGE_SIZE), ...(filter ? { $filter: filter } : {}), ...(expand ? { $expand: expand } : {}) };
}
/** The query of a single read with the object's tags [P]: `$expand=tags`. */
export function tagsQueryToWire(): Record<string, string> {
  return { $expand: EXPAND_TAGS };
}
/** The query of an account delete that removes it for good [P]: `hard=true`. */
export function hardDeleteQueryToWire(): Record<string, string> {
  return { hard: 'true' };
}

/** An OData string literal. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
export const filters = {
  accountsOfPartner: (partnerId: string) => `partnerId eq ${odataString(partnerId)}`,
  accountsNamed: (partnerId: string, name: string) => `partnerId eq ${odataString(partnerId)} and name eq ${odataString(name)}`,
  userByEmail: (email: string) => `email eq ${odataString(email)}`,
  byAccount: (accountId: string) => `accountId eq ${odataString(accountId)}`,
  orderById: (orderId: string) => `subscriptionId eq ${odataString(orderId)}`,
  ordersOfPartner: (partnerId: string) => `partnerId eq ${odataString(partnerId)}`,
  unassignedOrders: () => 'accountId eq null',
  ordersExpiringBefore: (iso: string) => `expiresOn lt ${odataString(iso)}`,
  orderSearch: (text: string) => `(${ORDER_SEARCH_FIELDS.map((f) => `substringof(${f},${odataString(text)})`).join(' or ')})`,
};
