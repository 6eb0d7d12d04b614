/**
 * The user-list row check: `plainWireUser` (the fast path, checked in place) never accepts a row
 * `userSchema` refuses, and a row it accepts maps to the same user as `userSchema`'s copy; rows it
 * leaves to `userSchema` are still read or refused (with the field's path) through the list.
 */
import { describe, expect, it } from 'vitest';
import { pageSchema, plainWireUser, userFromWire, userRowSchema, userSchema } from '../../provider/api/wire.js';

const base = {
  userId: 'u1',
  uniqueUserId: 'x1',
  accountId: 'a1',
  name: 'Ada Lovelace',
  firstName: 'Ada',
  lastName: 'Lovelace',
  displayName: 'Ada L.',
  email: 'ada@example.com',
  role: 'USER',
  emailVerified: true,
  userVerified: false,
  extension: null,
  sipAddress: 'x@sip.example',
  sipPassword: 'secret-sip',
  source: 'api',
  country: null,
  createdOn: '2026-12-01T00:00:00Z',
  modifiedOn: '2026-12-01T00:00:00Z',
  tags: { 'cloudlink-tenancy': { welcomeSentOn: '2026-12-01T00:00:00Z', unconfirmed: true } },
};

/** Variations of one field at a time: types each field may and may not have. */
const FIELDS = ['userId', 'accountId', 'email', 'name', 'displayName', 'firstName', 'lastName', 'role', 'userVerified', 'country', 'tags', 'createdOn', 'modifiedOn', 'sipPassword'] as const;
const VALUES: unknown[] = [undefined, null, '', 'text', 'USER', 'user', 'ACCOUNT_ADMIN', 'Partner_Admin', 'GUEST', 0, 1, true, false, [], ['x'], {}, { a: 1 }, { 'cloudlink-tenancy': { welcomeSentOn: 'then', claim: 'c' } }];

function variants(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [base, { ...base, role: undefined, tags: undefined, userVerified: undefined }];
  for (const f of FIELDS)
    for (const v of VALUES) {
      const row: Record<string, unknown> = { ...base };
      if (v === undefined) delete row[f];
      else row[f] = v;
      out.push(row);
    }
  // Two fields at once, each of a few values.
  for (const a of FIELDS)
    for (const b of FIELDS)
      for (const v of [null, 'user', 7, {}])
        if (a < b) out.push({ ...base, [a]: v, [b]: v });
  return out;
}

describe('user rows of a list', () => {
  const rows = variants();

  it(`the fast path accepts only what userSchema accepts, and maps it to the same user (${rows.length} rows)`, () => {
    let fast = 0;
    for (const row of rows) {
      const plain = plainWireUser(row);
      const zod = userSchema.safeParse(row);
      if (plain === undefined) {
        // The only rows userSchema accepts that the fast path leaves to it: a role not in capitals.
        if (zod.success) expect(['user', 'Partner_Admin'], JSON.stringify(row)).toContain(row.role);
        continue;
      }
      fast += 1;
      expect(zod.success, JSON.stringify(row)).toBe(true);
      if (zod.success) expect(userFromWire(plain, 'acct')).toEqual(userFromWire(zod.data, 'acct'));
    }
    expect(fast).toBeGreaterThan(100);
  });

  it('a row the fast path leaves to userSchema is read the same, or refused with its path', () => {
    for (const row of rows) {
      const zod = userSchema.safeParse(row);
      const page = pageSchema(userRowSchema).safeParse({ _embedded: { items: [base, row] } });
      expect(page.success, JSON.stringify(row)).toBe(zod.success);
      if (page.success && zod.success) expect(userFromWire(page.data._embedded.items[1] as never, 'acct')).toEqual(userFromWire(zod.data, 'acct'));
      if (!page.success && !zod.success) expect(page.error.issues[0]?.path.slice(0, 3)).toEqual(['_embedded', 'items', 1]);
    }
  });

  it('a lower-case role is read through userSchema (upper-cased), an unknown role is refused at its field', () => {
    const page = pageSchema(userRowSchema).safeParse({ _embedded: { items: [{ ...base, role: 'account_admin' }] } });
    expect(page.success && userFromWire(page.data._embedded.items[0] as never, 'acct').role).toBe('Account Admin');
    const bad = pageSchema(userRowSchema).safeParse({ _embedded: { items: [{ ...base, role: 'GUEST' }] } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['_embedded', 'items', 0, 'role']);
  });

  it('the mapped user carries no sipPassword either way', () => {
    const plain = plainWireUser(base);
    expect(plain).toBeDefined();
    expect(JSON.stringify(userFromWire(plain as never, 'acct'))).not.toContain('secret-sip');
  });
});
