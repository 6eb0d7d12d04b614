/**
 * Declared and live attributes side by side, and their difference. Only attributes written in
 * the declaration are compared (optional ones left out are not managed). Pure.
 */
import { OPTIONAL_ACCOUNT_FIELDS, type Account, type User } from '../../model/live.js';
import type { DesiredAccount, DesiredUser } from '../../model/types.js';
import type { AccountAttributes, JsonValue, UserAttributes } from '../types.js';

/** The declared account attributes (the ones the plan compares and writes). */
export function declaredAccountFields(d: DesiredAccount): AccountAttributes {
  const out: AccountAttributes = { name: d.name, country: d.country, language: d.language };
  for (const f of OPTIONAL_ACCOUNT_FIELDS) {
    const v = d[f];
    if (v !== undefined) out[f] = v;
  }
  return out;
}

/** The same attributes of a live account (null where the service has no value). */
export function liveAccountFields(a: Account): AccountAttributes {
  const out: AccountAttributes = { name: a.name, country: a.country ?? null, language: a.language ?? null };
  for (const f of OPTIONAL_ACCOUNT_FIELDS) out[f] = a[f] ?? null;
  return out;
}

/** The declared user attributes (country only when declared). */
export function userFields(u: DesiredUser): UserAttributes {
  return { email: u.email, firstName: u.firstName, lastName: u.lastName, name: u.name, role: u.role, ...(u.country !== undefined ? { country: u.country } : {}) };
}

/** A live user's attributes in the plan's vocabulary. */
export function liveUserFields(u: User): UserAttributes {
  return { email: u.email.toLowerCase(), firstName: u.firstName, lastName: u.lastName, name: u.name, role: u.role, ...(u.country !== undefined ? { country: u.country } : {}) };
}

/** True when a live user already has every declared attribute (the hot path: no allocation). */
export function userMatches(u: DesiredUser, have: User): boolean {
  return (
    have.email.toLowerCase() === u.email &&
    have.firstName === u.firstName &&
    have.lastName === u.lastName &&
    have.name === u.name &&
    have.role === u.role &&
    (u.country === undefined || have.country === u.country)
  );
}

/** Whether two attribute values are equal as the plan compares them (missing equals null; objects by their JSON). */
export function sameAttribute(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  return JSON.stringify(x) === JSON.stringify(y);
}

/** The attributes of `want` that differ in `have`, as before/after maps; undefined when none. */
export function differing<T extends object>(want: T, have: Partial<Record<keyof T, unknown>>): { before: Partial<T>; after: Partial<T> } | undefined {
  let before: Record<string, unknown> | undefined;
  let after: Record<string, unknown> | undefined;
  for (const k of Object.keys(want) as (keyof T & string)[]) {
    const v = (want[k] ?? null) as JsonValue;
    // Own keys only: "constructor" or "toString" in `want` never meets an inherited property of `have`.
    const h = (Object.hasOwn(have, k) ? have[k] : undefined) as JsonValue | undefined;
    if (!sameAttribute(v, h)) {
      (before ??= {})[k] = h ?? null;
      (after ??= {})[k] = v;
    }
  }
  return before && after ? { before: before as Partial<T>, after: after as Partial<T> } : undefined;
}
