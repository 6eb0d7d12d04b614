/**
 * E-mail checks shared by the YAML loader and the bulk-import template reader, so both
 * accept and refuse exactly the same addresses (the console's rule: one `@`, a non-empty
 * local part without spaces, a dotted domain of letters, digits and hyphens).
 */

const EMAIL_PATTERN =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** The canonical form of an e-mail: trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** True when the (already trimmed) address passes the console's e-mail check. */
export function isValidEmail(email: string): boolean {
  if (email.length > 254) return false;
  const at = email.lastIndexOf('@');
  if (at < 1 || at > 64) return false;
  if (email.startsWith('.') || email.includes('..') || email.slice(0, at).endsWith('.')) return false;
  return EMAIL_PATTERN.test(email);
}
