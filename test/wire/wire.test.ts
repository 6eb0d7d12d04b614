/**
 * The v2 wire shapes, parsed from fixtures shaped like real CloudLink answers, mapped to
 * the domain types (provider/api/wire.ts). Unknown fields are ignored, optional ones may be
 * missing, and `sipPassword` never survives a parse.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  accountFromWire,
  accountSchema,
  accountToWire,
  batchAddToWire,
  batchAnswerSchema,
  batchRowsFromWire,
  catalogEntryFromWire,
  catalogSchema,
  claimsSchema,
  contactFromWire,
  contactSchema,
  errorFromWire,
  filters,
  integrationFromWire,
  integrationSchema,
  licenseFromWire,
  licenseSchema,
  orderFromWire,
  orderSchema,
  pageFromWire,
  pageSchema,
  principalFromWire,
  subscriptionFromWire,
  subscriptionSchema,
  tokenFromWire,
  tokenRequestToWire,
  tokenResponseSchema,
  userFromWire,
  userSchema,
  userToWire,
  welcomeTagValue,
} from '../../provider/api/wire.js';
import { redact, scrub, isAmbiguous, CloudLinkError } from '../../provider/api/errors.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(dir, name), 'utf8'));

describe('wire v2: accounts', () => {
  it('maps an account with every documented field', () => {
    const a = accountFromWire(accountSchema.parse(fixture('account-full.json')));
    expect(a).toEqual({
      accountId: '7a1c2f0e-8b7d-4d6e-9a51-3c0b2d4e5f60',
      accountNumber: '104233',
      name: 'Initech',
      partnerId: 'p-1234',
      country: 'US',
      address: '4120 Freidrich Lane',
      city: 'Austin',
      stateOrProvince: 'TX',
      postalCode: '78744',
      language: 'en-US',
      identityKey: 'initech',
      tags: { 'cost-centre': 'CC-42', flags: { pilot: true, wave: 2 } },
      createdOn: '2024-03-01T10:00:00.000Z',
      modifiedOn: '2025-01-15T08:30:00.000Z',
    });
  });

  it('tolerates missing and null fields, never inventing values', () => {
    const a = accountFromWire(accountSchema.parse(fixture('account-sparse.json')));
    expect(a).toEqual({ accountId: 'acc-sparse', accountNumber: '000981', name: 'Sparse Co', country: 'CA', tags: {} });
    expect('language' in a).toBe(false);
  });

  it('writes only the fields given, the address only with address fields', () => {
    expect(accountToWire({ name: 'X', language: 'fr-CA' })).toEqual({ name: 'X', languageCode: 'fr-CA' });
    expect(accountToWire({ postalCode: 'H2X 1Y4', country: 'CA' })).toEqual({ location: { address: { zipCode: 'H2X 1Y4', country: 'CA' } } });
    expect(accountToWire({ name: 'New', address: '1 Main St', city: 'Ottawa', stateOrProvince: 'ON' }, 'p-1')).toEqual({
      partnerId: 'p-1',
      name: 'New',
      location: { address: { street: '1 Main St', city: 'Ottawa', stateOrProvince: 'ON' } },
    });
  });

  it('ignores a malformed identity tag (it is never an ordinary tag)', () => {
    const a = accountFromWire(accountSchema.parse({ accountId: 'a', name: 'n', tags: { 'cloudlink-tenancy': 'old-v1-string' } }));
    expect(a.identityKey).toBeUndefined();
    expect(a.tags).toEqual({});
  });
});

describe('wire v2: users', () => {
  it('maps a user, strips sipPassword and every extra field', () => {
    const raw = fixture('user-with-secret.json');
    const u = userFromWire(userSchema.parse(raw), 'ignored-fallback');
    expect(u).toEqual({
      userId: 'u-42',
      accountId: '7a1c2f0e-8b7d-4d6e-9a51-3c0b2d4e5f60',
      email: 'Peter.Gibbons@initech.example',
      name: 'Peter Gibbons',
      firstName: 'Peter',
      lastName: 'Gibbons',
      role: 'Account Admin',
      verified: true,
      country: 'US',
      welcomeSentOn: '2025-02-01T09:00:00.000Z',
      welcomeUnconfirmed: true,
      createdOn: '2024-03-02T10:00:00.000Z',
      modifiedOn: '2024-03-03T10:00:00.000Z',
    });
    const text = JSON.stringify(u) + JSON.stringify(userSchema.parse(raw));
    expect(text).not.toContain('sip-SECRET');
    expect(text).not.toContain('sipPassword');
  });

  it('parses a list page with string links and no count', () => {
    const page = pageFromWire(pageSchema(userSchema).parse(fixture('users-page.json')));
    expect(page.count).toBeUndefined();
    expect(page.next).toBe('https://admin.api.mitel.io/2017-09-01/accounts/acc-1/users?$top=2&$skiptoken=abc');
    const users = page.items.map((w) => userFromWire(w, 'acc-1'));
    expect(users.map((u) => [u.userId, u.role, u.verified, u.firstName, u.welcomeSentOn])).toEqual([
      ['u-1', 'User', false, 'A', undefined],
      ['u-2', 'Partner Admin', false, '', undefined],
    ]);
    expect(JSON.stringify(users)).not.toContain('sip-SECRET');
    const last = pageFromWire(pageSchema(accountSchema).parse(fixture('last-page.json')));
    expect(last).toMatchObject({ count: 1 });
    expect(last.next).toBeUndefined();
  });

  it('writes roles and fields the wire way', () => {
    expect(userToWire({ email: 'a@b.example', firstName: 'A', role: 'Account Admin' })).toEqual({ email: 'a@b.example', firstName: 'A', role: 'ACCOUNT_ADMIN' });
    expect(userToWire({ role: 'Partner Admin' })).toEqual({ role: 'PARTNER_ADMIN' });
    expect(batchAddToWire([{ email: 'x@y.example', name: 'X', role: 'User' }])).toEqual({ operations: [{ op: 'add', body: { email: 'x@y.example', name: 'X', role: 'USER' } }] });
    expect(welcomeTagValue('2025-01-01T00:00:00Z')).toEqual({ welcomeSentOn: '2025-01-01T00:00:00Z' });
    expect(welcomeTagValue('2025-01-01T00:00:00Z', true)).toEqual({ welcomeSentOn: '2025-01-01T00:00:00Z', unconfirmed: true });
  });

  it('parses a batch answer row by row, without the secret', () => {
    const rows = batchRowsFromWire(batchAnswerSchema.parse(fixture('batch-answer.json')), 'acc-1');
    expect(rows[0]).toMatchObject({ status: 201, user: { userId: 'u-new', role: 'User' } });
    expect(rows[1]).toEqual({ status: 409, error: { name: 'ConflictError', message: 'One or more of the attribute values are already in use' }, correlationId: 'corr-row-2' });
    expect(rows[2]).toMatchObject({ status: 503, error: { message: 'try later' } });
    expect(JSON.stringify(rows)).not.toContain('sip-SECRET');
  });
});

describe('wire v2: auth, errors', () => {
  it('reads a token answer with token_type "bearer" in any case', () => {
    expect(tokenFromWire(tokenResponseSchema.parse(fixture('token.json')))).toEqual({ accessToken: 'eyJhbGciOi.fake.token', expiresInSec: 3600, refreshToken: 'refresh-fake-token' });
    expect(tokenResponseSchema.safeParse({ access_token: 't', token_type: 'Bearer', expires_in: 60 }).success).toBe(true);
    expect(tokenResponseSchema.safeParse({ access_token: 't', token_type: 'mac', expires_in: 60 }).success).toBe(false);
  });

  it('builds the three grants', () => {
    expect(tokenRequestToWire({ grant: 'password', username: 'u', password: 'p', accountId: 'a' })).toEqual({ grant_type: 'password', username: 'u', password: 'p', account_id: 'a' });
    expect(tokenRequestToWire({ grant: 'client_credentials', clientId: 'c', clientSecret: 's', accountId: 'a' })).toEqual({ grant_type: 'client_credentials', client_id: 'c', client_secret: 's', account_id: 'a' });
    expect(tokenRequestToWire({ grant: 'refresh_token', refreshToken: 'r' })).toEqual({ grant_type: 'refresh_token', refresh_token: 'r' });
  });

  it('maps token claims to the principal, ignoring the rest', () => {
    expect(principalFromWire(claimsSchema.parse(fixture('claims.json')))).toEqual({ accountId: 'acc-partner', partnerId: 'p-1234', principalId: 'pr-1', userId: 'u-admin', role: 'PARTNER_ADMIN', email: 'admin@partner.example', name: 'Pat Admin' });
  });

  it('reads a { name, message } error', () => {
    expect(errorFromWire(fixture('error.json'))).toEqual({ name: 'ConflictError', message: 'One or more of the attribute values are already in use' });
    expect(errorFromWire('not json')).toBeUndefined();
    expect(errorFromWire({ message: 'only a message' })).toEqual({ message: 'only a message' });
  });

  it('redacts sipPassword, passwords, tokens, secrets and authorization everywhere', () => {
    const value = redact({ user: { sipPassword: 'sip1', password: 'p', access_token: 'a', refresh_token: 'r', client_secret: 's', headers: { Authorization: 'Bearer x' } }, keep: 'ok' });
    expect(JSON.stringify(value)).toBe('{"user":{"sipPassword":"[redacted]","password":"[redacted]","access_token":"[redacted]","refresh_token":"[redacted]","client_secret":"[redacted]","headers":{"Authorization":"[redacted]"}},"keep":"ok"}');
    const text = scrub('bad {"sipPassword":"abc123"} password=hunter2 Authorization: Bearer eyJ.x.y known-secret-1', ['known-secret-1']);
    expect(text).not.toMatch(/abc123|hunter2|eyJ\.x\.y|known-secret-1/);
  });

  it('isAmbiguous: 5xx, timeouts and cut connections of writes only', () => {
    expect(isAmbiguous(new CloudLinkError('transient', 'x', true, { status: 503, method: 'POST' }))).toBe(true);
    expect(isAmbiguous(new CloudLinkError('transient', 'x', true, { status: 503, method: 'GET' }))).toBe(false);
    expect(isAmbiguous(new CloudLinkError('timeout', 'x', true, { method: 'PATCH', sent: true }))).toBe(true);
    expect(isAmbiguous(new CloudLinkError('network', 'x', true, { method: 'POST', sent: true }))).toBe(true);
    expect(isAmbiguous(new CloudLinkError('network', 'x', true, { method: 'POST', sent: false }))).toBe(false);
    expect(isAmbiguous(new CloudLinkError('conflict', 'x', false, { status: 409, method: 'POST' }))).toBe(false);
    expect(isAmbiguous(new Error('x'))).toBe(false);
  });
});

describe('wire v2: billing, contacts, integrations', () => {
  it('maps orders (partner-subscriptions)', () => {
    const orders = pageFromWire(pageSchema(orderSchema).parse(fixture('orders-page.json'))).items.map(orderFromWire);
    expect(orders[0]).toEqual({
      orderId: 'sub-1',
      partnerId: 'p-1234',
      trackingNumber: 'TRK-1001',
      sapOrderId: 'SAP-2003',
      resellerPo: 'RPO-7',
      customerPo: null,
      product: 'miteam-meetings',
      quantity: 5,
      orderDate: '2024-01-01T00:00:00.000Z',
      expiresOn: '2026-01-01T00:00:00.000Z',
      assignedAccountId: 'acc-1',
      modifiedOn: '2024-02-01T00:00:00.000Z',
    });
    expect(orders[1]).toMatchObject({ orderId: 'sub-2', quantity: 10, sapOrderId: null, expiresOn: null, assignedAccountId: null });
  });

  it('maps subscriptions and licenses', () => {
    expect(pageFromWire(pageSchema(subscriptionSchema).parse(fixture('subscriptions-page.json'))).items.map(subscriptionFromWire)).toEqual([
      { subscriptionId: 'sub-1', accountId: 'acc-1', product: 'miteam-meetings', quantity: 5, used: 2, startDate: '2024-01-01T00:00:00.000Z', expiresOn: '2026-01-01T00:00:00.000Z' },
    ]);
    expect(pageFromWire(pageSchema(licenseSchema).parse(fixture('licenses-page.json'))).items.map(licenseFromWire)).toEqual([
      { licenseId: 'lic-1', accountId: 'acc-1', userId: 'u-1', product: 'miteam-meetings', assignedOn: '2024-05-05T00:00:00.000Z' },
    ]);
  });

  it('maps contacts (contactType → type) and integrations', () => {
    expect(pageFromWire(pageSchema(contactSchema).parse(fixture('contacts-page.json'))).items.map((c) => contactFromWire(c, 'acc-1'))).toEqual([
      { contactId: 'c-1', accountId: 'acc-1', name: 'Support Desk', email: 'support@partner.example', type: 'SUPPORT' },
      { contactId: 'c-2', accountId: 'acc-1', email: 'billing@partner.example' },
    ]);
    expect(pageFromWire(pageSchema(integrationSchema).parse(fixture('integrations-page.json'))).items.map(integrationFromWire)).toEqual([{ integrationId: 'int-1', type: 'miteam-meetings' }]);
    const catalog = catalogSchema.parse(fixture('catalog-page.json'));
    const entries = (Array.isArray(catalog) ? catalog : catalog._embedded.items).map(catalogEntryFromWire);
    expect(entries).toEqual([
      { type: 'miteam-meetings', name: 'MiTeam Meetings' },
      { type: 'new-thing', name: 'new-thing' },
    ]);
  });

  it('builds OData filters with quotes escaped', () => {
    expect(filters.userByEmail("o'neil@x.example")).toBe("email eq 'o''neil@x.example'");
    expect(filters.accountsOfPartner('p-1')).toBe("partnerId eq 'p-1'");
    expect(filters.orderSearch('SAP')).toBe("(substringof(trackingNumber,'SAP') or substringof(sapOrderId,'SAP') or substringof(resellerPo,'SAP') or substringof(customerPo,'SAP'))");
  });
});
