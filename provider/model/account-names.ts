/**
 * How account names are compared when an account is bound by name (tenancy-spec.md,
 * "Identity"): without regard to case, to surrounding spaces and to runs of spaces, so a
 * declared "Hooli Inc" finds a live "Hooli Inc " or "hooli  inc". Pure.
 */

/**
 * The comparable form of an account name: Unicode NFC, every run of white space (tabs and
 * no-break spaces included) one space, no leading or trailing space, lower case (locale
 * independent). Two names are the same account name when these are equal.
 */
export function accountNameKey(name: string): string {
  return name.normalize('NFC').replace(/\s+/gu, ' ').trim().toLowerCase();
}

/** Levenshtein distance, stopping early once it exceeds `limit`. */
function distanceWithin(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(v);
      best = Math.min(best, v);
    }
    if (best > limit) return limit + 1;
    prev = row;
  }
  return prev[b.length] ?? limit + 1;
}

/**
 * True when two names are close without being the same account name: one contains the other
 * as whole words ("Hooli" and "Hooli Inc"), or they differ by at most two characters ("Hooli
 * Inc." and "Hooli Inc"; one for names of five characters or fewer). Listed in the plan as
 * candidates for `adopt`, never bound.
 */
export function isNearName(a: string, b: string): boolean {
  return areNearKeys(accountNameKey(a), accountNameKey(b));
}

/** `isNearName` on names already passed through `accountNameKey` (to compare one name with many). */
export function areNearKeys(x: string, y: string): boolean {
  if (!x || !y || x === y) return false;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  if (short.length >= 3 && ` ${long} `.includes(` ${short} `)) return true;
  const limit = short.length <= 5 ? 1 : 2;
  return distanceWithin(x, y, limit) <= limit;
}
