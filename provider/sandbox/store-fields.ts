/**
 * Validation of incoming account, contact and user bodies: reads the writable fields of a
 * request body and throws a 400 `ApiFailure` on the first broken rule. Unknown and
 * read-only fields are ignored, never rejected.
 */
import { ApiFailure, type Address, type ContactRecord, type Role, type UserRecord } from './types.js';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const COUNTRY = /^[A-Z]{2}$/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Z]{2})?$/;
const ROLES: readonly Role[] = ['USER', 'ACCOUNT_ADMIN', 'PARTNER_ADMIN'];

/** The writable account fields of a body, as `accountFields` read them. */
export interface AccountFieldsIn {
  name?: string;
  languageCode?: string;
  address?: Partial<Address>;
  domain?: string | null;
  policyId?: string | null;
  userLimit?: number | null;
  source?: string;
  active?: boolean;
}

/** A string field: undefined when absent, null when allowed and given, else 400 unless a string. */
const optString = (body: Record<string, unknown>, field: string, nullable = false): string | null | undefined => {
  const v = body[field];
  if (v === undefined) return undefined;
  if (v === null && nullable) return null;
  if (typeof v !== 'string') throw new ApiFailure(400, `${field} must be a string${nullable ? ' or null' : ''}`);
  return v;
};

/**
 * Reads the writable account fields; unknown and read-only fields (ids, tags, contacts) are
 * ignored. `creating` makes `name` required. Throws a 400 `ApiFailure` on the first broken rule.
 */
export function accountFields(body: Record<string, unknown>, creating: boolean): AccountFieldsIn {
  const out: AccountFieldsIn = {};
  const name = optString(body, 'name');
  if (name !== undefined && name !== null) {
    if (!name.trim()) throw new ApiFailure(400, 'name must not be empty');
    out.name = name;
  } else if (creating) throw new ApiFailure(400, 'name is required');
  const languageCode = optString(body, 'languageCode');
  if (languageCode !== undefined && languageCode !== null) {
    if (!LANGUAGE.test(languageCode)) throw new ApiFailure(400, 'languageCode must look like en-US');
    out.languageCode = languageCode;
  }
  if (body.location !== undefined) {
    const location = body.location;
    if (typeof location !== 'object' || location === null || Array.isArray(location)) throw new ApiFailure(400, 'location must be an object');
    const address = (location as Record<string, unknown>).address;
    if (address !== undefined) {
      if (typeof address !== 'object' || address === null || Array.isArray(address)) throw new ApiFailure(400, 'location.address must be an object');
      const a: Partial<Address> = {};
      for (const k of ['street', 'city', 'stateOrProvince', 'zipCode', 'country'] as const) {
        const v = (address as Record<string, unknown>)[k];
        if (v === undefined) continue;
        if (typeof v !== 'string') throw new ApiFailure(400, `location.address.${k} must be a string`);
        a[k] = v;
      }
      if (a.country !== undefined && a.country !== '' && !COUNTRY.test(a.country)) throw new ApiFailure(400, 'location.address.country must be ISO 3166 alpha-2 (e.g. US)');
      out.address = a;
    }
  }
  const domain = optString(body, 'domain', true);
  if (domain !== undefined) out.domain = domain;
  const policyId = optString(body, 'policyId', true);
  if (policyId !== undefined) out.policyId = policyId;
  const source = optString(body, 'source');
  if (source !== undefined && source !== null) out.source = source;
  if (body.userLimit !== undefined) {
    if (body.userLimit !== null && (typeof body.userLimit !== 'number' || !Number.isInteger(body.userLimit) || body.userLimit < 0)) throw new ApiFailure(400, 'userLimit must be a non-negative integer or null');
    out.userLimit = body.userLimit as number | null;
  }
  if (body.active !== undefined) {
    if (typeof body.active !== 'boolean') throw new ApiFailure(400, 'active must be true or false');
    out.active = body.active;
  }
  return out;
}

/** The `email` field: undefined when absent (400 when `creating`), else a valid e-mail address or 400. */
function emailField(body: Record<string, unknown>, creating: boolean): string | undefined {
  const email = optString(body, 'email');
  if (email !== undefined && email !== null) {
    if (!EMAIL.test(email)) throw new ApiFailure(400, 'email is not a valid e-mail address');
    return email;
  }
  if (creating) throw new ApiFailure(400, 'email is required');
  return undefined;
}

/** Reads the writable contact fields; `creating` makes `email` required. Throws a 400 `ApiFailure` on the first broken rule. */
export function contactFields(body: Record<string, unknown>, creating: boolean): Partial<Pick<ContactRecord, 'name' | 'email' | 'contactType'>> {
  const out: Partial<Pick<ContactRecord, 'name' | 'email' | 'contactType'>> = {};
  const email = emailField(body, creating);
  if (email !== undefined) out.email = email;
  const name = optString(body, 'name');
  if (name !== undefined && name !== null) out.name = name;
  const contactType = optString(body, 'contactType');
  if (contactType !== undefined && contactType !== null) out.contactType = contactType;
  return out;
}

/** The writable user fields of a body, as `userFields` read them. */
export type UserFieldsIn = Partial<Pick<UserRecord, 'email' | 'name' | 'firstName' | 'lastName' | 'displayName' | 'role' | 'country' | 'extension' | 'mobile' | 'phone' | 'siteId' | 'source'>>;

/**
 * Reads the writable user fields (console rules); read-only fields (ids, verified flags, SIP,
 * tags) are ignored. `creating` makes `email` and one of the names required. Throws a 400
 * `ApiFailure` on the first broken rule.
 */
export function userFields(body: Record<string, unknown>, creating: boolean): UserFieldsIn {
  const out: UserFieldsIn = {};
  const email = emailField(body, creating);
  if (email !== undefined) out.email = email;
  for (const k of ['name', 'firstName', 'lastName', 'displayName', 'source'] as const) {
    const v = optString(body, k);
    if (v !== undefined && v !== null) out[k] = v;
  }
  for (const k of ['extension', 'mobile', 'phone', 'siteId'] as const) {
    const v = optString(body, k, true);
    if (v !== undefined) out[k] = v;
  }
  if (creating && !(out.name?.trim() || out.firstName?.trim() || out.lastName?.trim())) throw new ApiFailure(400, 'At least one of name, firstName or lastName is required');
  if (body.role !== undefined) {
    if (typeof body.role !== 'string' || !ROLES.includes(body.role as Role)) throw new ApiFailure(400, `role must be one of ${ROLES.join(', ')}`);
    out.role = body.role as Role;
  }
  if (body.country !== undefined) {
    if (body.country !== null && (typeof body.country !== 'string' || !COUNTRY.test(body.country))) throw new ApiFailure(400, 'country must be ISO 3166 alpha-2 (e.g. US) or null');
    out.country = body.country as string | null;
  }
  return out;
}
