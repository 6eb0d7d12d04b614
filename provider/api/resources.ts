/**
 * The CloudLink resources as they travel over the wire (see ../shared/cloudlink-api.md).
 *
 * These zod schemas are the single definition of the live objects: the client validates
 * every response with them, the sandbox serves objects of these types, and the engine
 * reads snapshots made of them. A field added here is added everywhere.
 *
 * Extensions to the shared contract (documented in README "API extensions"):
 * - a user object carries `licenses` (the products enabled for it), so a snapshot of an
 *   account's users and their MiTeam toggles costs one list call per 100 users (no N+1).
 */
import { z } from 'zod';

/** ISO 8601 timestamp in UTC, as CloudLink writes them. */
const timestamp = z.string().min(1);

/** Fields every CloudLink object carries. */
const tracked = {
  createdOn: timestamp,
  modifiedOn: timestamp,
  etag: z.string().min(1),
};

/** Role values on the wire; the YAML says `User` / `Account Admin`. */
export const wireRoleSchema = z.enum(['USER', 'ACCOUNT_ADMIN']);
export type WireRole = z.infer<typeof wireRoleSchema>;

export const accountSchema = z.object({
  accountId: z.string().min(1),
  name: z.string(),
  partnerId: z.string().nullable(),
  country: z.string(),
  address: z.string().optional().default(''),
  city: z.string().optional().default(''),
  postalCode: z.string().optional().default(''),
  language: z.string(),
  supportContacts: z.array(z.string()).optional().default([]),
  tags: z.record(z.string(), z.string()).optional().default({}),
  ...tracked,
});
/** A customer (or partner) account as CloudLink returns it. */
export type Account = z.infer<typeof accountSchema>;

/** The writable fields of an account (POST body; PUT merges the fields given). */
export interface AccountInput {
  name: string;
  country: string;
  address?: string;
  city?: string;
  postalCode?: string;
  language: string;
  supportContacts?: string[];
  tags?: Record<string, string>;
}

export const integrationSchema = z.object({
  integrationId: z.string().min(1),
  type: z.string(),
  enabled: z.boolean(),
  ...tracked,
});
/** An integration added to an account (e.g. MiTeam Meetings). */
export type Integration = z.infer<typeof integrationSchema>;

export const catalogEntrySchema = z.object({
  type: z.string(),
  name: z.string(),
  licensed: z.boolean(),
});
/** One entry of the integration catalogue. */
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

export const orderSchema = z.object({
  orderId: z.string().min(1),
  trackingNumber: z.string(),
  sapOrderId: z.string().nullable().optional().default(null),
  resellerPo: z.string().nullable().optional().default(null),
  customerPo: z.string().nullable().optional().default(null),
  product: z.string(),
  quantity: z.number().int().nonnegative(),
  orderDate: timestamp,
  expiresOn: timestamp.nullable(),
  assignedAccountId: z.string().nullable(),
  ...tracked,
});
/** A purchased license order of the partner. */
export type Order = z.infer<typeof orderSchema>;

export const licenseSchema = z.object({
  product: z.string(),
  assignedOn: timestamp,
});
/** A product license enabled for one user. */
export type License = z.infer<typeof licenseSchema>;

export const userStatusSchema = z.enum(['pending', 'active']);

export const userSchema = z.object({
  userId: z.string().min(1),
  accountId: z.string().min(1),
  name: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  country: z.string().nullable().optional().default(null),
  role: wireRoleSchema,
  status: userStatusSchema,
  welcomeEmailSentOn: timestamp.nullable().optional().default(null),
  licenses: z.array(licenseSchema).optional().default([]),
  ...tracked,
});
/** A user of a customer account. */
export type User = z.infer<typeof userSchema>;

/** The writable fields of a user (POST body; PUT merges the fields given). */
export interface UserInput {
  email: string;
  firstName: string;
  lastName: string;
  name: string;
  country?: string | null;
  role: WireRole;
}

export const bulkRowResultSchema = z.object({
  status: z.number().int(),
  userId: z.string().optional(),
  error: z
    .object({ code: z.string(), message: z.string() })
    .passthrough()
    .optional(),
});
/** One row of a 207 bulk-users answer. */
export type BulkRowResult = z.infer<typeof bulkRowResultSchema>;

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number(),
  refresh_token: z.string().optional(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

export const apiErrorBodySchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.array(z.record(z.string(), z.unknown())).optional(),
});
/** The error body every failing CloudLink call returns. */
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

/** Builds the schema of one page of a list answer. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    count: z.number().int().nonnegative(),
    _embedded: z.object({ items: z.array(item) }),
    _links: z.object({
      self: z.object({ href: z.string() }).optional(),
      next: z.object({ href: z.string() }).optional(),
    }),
  });
}

/** The product code of the MiTeam Meetings license and integration. */
export const MITEAM_PRODUCT = 'miteam-meetings';

/** Tag written on every account the tool creates, holding the declaration's key. */
export const TENANCY_KEY_TAG = 'tenancy-key';
