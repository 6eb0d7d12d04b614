import { describe, expect, it } from 'vitest';
import { DEMO_INITECH_ID, DEMO_PARTNER_ACCOUNT_ID } from '../../provider/sandbox/index.js';
import { ADMIN, BILLING, call, login, q, sandbox } from './http.js';

const USERS = `${ADMIN}/accounts/${DEMO_INITECH_ID}/users`;
const DUP = 'One or more of the attribute values are already in use';

describe('sandbox accounts', () => {
  it('creates an account with generated ids, updates only the given fields (address merged), and tags it', async () => {
    const s = await sandbox();
    const t = await login(s);
    const created = await call(s, 'POST', `${ADMIN}/accounts`, {
      token: t,
      body: { name: 'Acme', languageCode: 'en-US', location: { address: { street: '1 Road', city: 'Ottawa', stateOrProvince: 'ON', zipCode: 'K1A 0B1', country: 'CA' } }, accountId: 'ignored', partnerId: 'p-9999', tags: { x: 1 } },
    });
    expect(created.status).toBe(201);
    const a = created.json;
    expect(a.accountId).toMatch(/^[0-9a-f]{32}$/);
    expect(a.accountNumber).toMatch(/^\d+$/);
    expect(a).toMatchObject({ name: 'Acme', partnerId: 'p-1234', active: true, state: 'ACTIVE', languageCode: 'en-US', createdBy: 'admin@partner.example', modifiedBy: 'admin@partner.example' });
    expect(typeof a.organizationId).toBe('string');
    expect(a.createdOn).toBe(a.modifiedOn);
    expect(a).not.toHaveProperty('tags');
    const id = a.accountId as string;
    await new Promise((r) => setTimeout(r, 5));
    const updated = await call(s, 'PUT', `${ADMIN}/accounts/${id}`, { token: t, body: { location: { address: { city: 'Toronto' } } } });
    expect(updated.status).toBe(200);
    expect(updated.json.location.address).toEqual({ street: '1 Road', city: 'Toronto', stateOrProvince: 'ON', zipCode: 'K1A 0B1', country: 'CA' });
    expect(updated.json.name).toBe('Acme');
    expect(updated.json.modifiedOn > a.modifiedOn).toBe(true);
    expect((await call(s, 'PUT', `${ADMIN}/accounts/${id}`, { token: t, body: { name: '' } })).status).toBe(400);
    expect((await call(s, 'PUT', `${ADMIN}/accounts/${id}`, { token: t, body: { location: { address: { country: 'Canada' } } } })).status).toBe(400);
    expect((await call(s, 'POST', `${ADMIN}/accounts`, { token: t, body: { languageCode: 'en-US' } })).status).toBe(400);
    expect((await call(s, 'POST', `${ADMIN}/accounts`, { token: t, rawBody: '{not json' })).status).toBe(400);

    expect((await call(s, 'PUT', `${ADMIN}/accounts/${id}/tags/cloudlink-tenancy`, { token: t, body: { key: 'acme' } })).status).toBe(204);
    expect((await call(s, 'PUT', `${ADMIN}/accounts/${id}/tags/cost-centre`, { token: t, body: 'CC-9' })).status).toBe(204);
    const tagged = await call(s, 'GET', `${ADMIN}/accounts/${id}?$expand=tags`, { token: t });
    expect(tagged.json.tags).toEqual({ 'cloudlink-tenancy': { key: 'acme' }, 'cost-centre': 'CC-9' });
    expect((await call(s, 'DELETE', `${ADMIN}/accounts/${id}/tags/cost-centre`, { token: t })).status).toBe(204);
    expect((await call(s, 'DELETE', `${ADMIN}/accounts/${id}/tags/cost-centre`, { token: t })).status).toBe(404);
    expect((await call(s, 'GET', `${ADMIN}/accounts/${id}?$expand=tags`, { token: t })).json.tags).toEqual({ 'cloudlink-tenancy': { key: 'acme' } });
    const found = await call(s, 'GET', `${ADMIN}/accounts?${q(`accountNumber eq '${a.accountNumber as string}'`)}`, { token: t });
    expect(found.json._embedded.items.map((x: { accountId: string }) => x.accountId)).toEqual([id]);
  });

  it('deletes an account (plain or ?hard=true) with its users, contacts, integrations, licenses and tags, and frees its orders', async () => {
    const s = await sandbox();
    const t = await login(s);
    const order = s.store.order('TN-1003');
    expect(order?.accountId).toBe(DEMO_INITECH_ID);
    expect(s.store.licenses(DEMO_INITECH_ID)).toHaveLength(2);
    expect((await call(s, 'DELETE', `${ADMIN}/accounts/${DEMO_INITECH_ID}?hard=true`, { token: t })).status).toBe(204);
    expect((await call(s, 'GET', `${ADMIN}/accounts/${DEMO_INITECH_ID}`, { token: t })).status).toBe(404);
    expect((await call(s, 'GET', USERS, { token: t })).status).toBe(404);
    expect(s.store.order('TN-1003')?.accountId).toBeNull();
    expect(s.store.order('TN-1007')?.accountId).toBeNull();
    expect(s.store.licenses()).toHaveLength(0);
    const dump = s.state();
    expect(dump.users.some((u) => u.accountId === DEMO_INITECH_ID)).toBe(false);
    expect(dump.contacts.some((c) => c.accountId === DEMO_INITECH_ID)).toBe(false);
    expect(dump.integrations.some((i) => i.accountId === DEMO_INITECH_ID)).toBe(false);
    const acme = (await call(s, 'POST', `${ADMIN}/accounts`, { token: t, body: { name: 'Temp' } })).json;
    expect((await call(s, 'DELETE', `${ADMIN}/accounts/${acme.accountId as string}`, { token: t })).status).toBe(204);
    expect(s.store.account(acme.accountId)).toBeUndefined();
  });
});

describe('sandbox contacts, partners and integrations', () => {
  it('serves the seeded support contact and contact CRUD', async () => {
    const s = await sandbox();
    const t = await login(s);
    const base = `${ADMIN}/accounts/${DEMO_INITECH_ID}/contacts`;
    const seeded = (await call(s, 'GET', base, { token: t })).json._embedded.items;
    expect(seeded).toEqual([expect.objectContaining({ accountId: DEMO_INITECH_ID, name: 'Sam Support', email: 'support@northwind.example', contactType: 'SUPPORT' })]);
    const created = await call(s, 'POST', base, { token: t, body: { name: 'Jane Partner', email: 'jane.partner@northwind.example', contactType: 'SUPPORT' } });
    expect(created.status).toBe(201);
    const id = created.json.contactId as string;
    expect((await call(s, 'GET', `${base}/${id}`, { token: t })).json.email).toBe('jane.partner@northwind.example');
    expect((await call(s, 'PUT', `${base}/${id}`, { token: t, body: { name: 'Jane P.' } })).json).toMatchObject({ name: 'Jane P.', email: 'jane.partner@northwind.example' });
    expect((await call(s, 'POST', base, { token: t, body: { name: 'X', email: 'not-an-email' } })).status).toBe(400);
    expect((await call(s, 'DELETE', `${base}/${id}`, { token: t })).status).toBe(204);
    expect((await call(s, 'GET', `${base}/${id}`, { token: t })).status).toBe(404);
  });

  it('serves the partner with its own account, whose users are the partner users', async () => {
    const s = await sandbox();
    const t = await login(s);
    const partner = await call(s, 'GET', `${ADMIN}/partners/p-1234`, { token: t });
    expect(partner.json).toEqual({ partnerId: 'p-1234', name: 'Northwind Partner', accountId: DEMO_PARTNER_ACCOUNT_ID });
    const users = (await call(s, 'GET', `${ADMIN}/accounts/${DEMO_PARTNER_ACCOUNT_ID}/users`, { token: t })).json._embedded.items;
    expect(users.map((u: { name: string; role: string }) => `${u.name}/${u.role}`).sort()).toEqual(['Jane Partner/PARTNER_ADMIN', 'Northwind Admin/PARTNER_ADMIN', 'Sam Support/USER']);
    expect((await call(s, 'GET', `${ADMIN}/partners/p-0000`, { token: t })).status).toBe(404);
    const bad = await call(s, 'POST', USERS, { token: t, body: { email: 'x@initech.example', name: 'X', role: 'PARTNER_ADMIN' } });
    expect(bad.status).toBe(400);
  });

  it('serves the integration catalogue and account integrations (unknown type 400, duplicate 409, in use 409)', async () => {
    const s = await sandbox();
    const t = await login(s);
    const catalog = await call(s, 'GET', `${ADMIN}/integrations`, { token: t });
    expect(catalog.json._embedded.items).toEqual([
      { type: 'miteam-meetings', name: 'MiTeam Meetings' },
      { type: 'cloudlink-chat', name: 'CloudLink Chat' },
      { type: 'micollab', name: 'MiCollab' },
    ]);
    const base = `${ADMIN}/accounts/${DEMO_INITECH_ID}/integrations`;
    const list = (await call(s, 'GET', base, { token: t })).json._embedded.items;
    expect(list).toEqual([expect.objectContaining({ type: 'miteam-meetings', integrationId: expect.any(String), createdOn: expect.any(String), modifiedOn: expect.any(String) })]);
    expect((await call(s, 'POST', base, { token: t, body: { type: 'fax-machine' } })).status).toBe(400);
    expect((await call(s, 'POST', base, { token: t, body: { type: 'miteam-meetings' } })).status).toBe(409);
    const chat = await call(s, 'POST', base, { token: t, body: { type: 'cloudlink-chat' } });
    expect(chat.status).toBe(201);
    expect((await call(s, 'DELETE', `${base}/${chat.json.integrationId as string}`, { token: t })).status).toBe(204);
    const inUse = await call(s, 'DELETE', `${base}/${list[0].integrationId as string}`, { token: t });
    expect(inUse.status).toBe(409);
  });
});

describe('sandbox users', () => {
  it('creates users with v2 fields, unverified, with a SIP secret; a single POST sends a welcome e-mail, a batch add none (contract 2.1)', async () => {
    const s = await sandbox();
    const t = await login(s);
    const r = await call(s, 'POST', USERS, { token: t, body: { email: 'Milton.Waddams@initech.example', firstName: 'Milton', lastName: 'Waddams', country: 'US', extension: '1234' } });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ accountId: DEMO_INITECH_ID, name: 'Milton Waddams', displayName: 'Milton Waddams', role: 'USER', emailVerified: false, userVerified: false, extension: '1234', country: 'US', email: 'Milton.Waddams@initech.example' });
    for (const k of ['userId', 'uniqueUserId', 'sipAddress', 'sipPassword', 'createdOn', 'createdBy', 'modifiedOn', 'modifiedBy', 'mobile', 'phone', 'siteId', 'source']) expect(r.json).toHaveProperty(k);
    expect(typeof r.json.sipPassword).toBe('string');
    expect(r.json.sipPassword.length).toBeGreaterThan(8);
    expect((await call(s, 'GET', '/sandbox/outbox')).json.items).toMatchObject([{ type: 'welcome', userId: r.json.userId }]);
    expect((await call(s, 'GET', `${USERS}/${r.json.userId as string}`, { token: t })).json.email).toBe('Milton.Waddams@initech.example');
    const batch = await call(s, 'PATCH', USERS, { token: t, body: { operations: [{ op: 'add', body: { email: 'bob.porter@initech.example', name: 'Bob Porter' } }] } });
    expect(batch.json.operations[0].statusCode).toBe(201);
    expect((await call(s, 'GET', '/sandbox/outbox')).json.items).toHaveLength(1);
  });

  it('applies the console rules (400) and the unique e-mail rule (409 with the exact message, no id)', async () => {
    const s = await sandbox();
    const t = await login(s);
    const dup = await call(s, 'POST', USERS, { token: t, body: { email: 'PETER.gibbons@initech.example', firstName: 'P' } });
    expect(dup.status).toBe(409);
    expect(dup.json).toEqual({ name: 'Conflict', message: DUP });
    expect((await call(s, 'POST', USERS, { token: t, body: { email: 'nameless@initech.example' } })).status).toBe(400);
    expect((await call(s, 'POST', USERS, { token: t, body: { email: 'nameless@initech.example', firstName: '  ' } })).status).toBe(400);
    expect((await call(s, 'POST', USERS, { token: t, body: { email: 'not an email', name: 'X' } })).status).toBe(400);
    expect((await call(s, 'POST', USERS, { token: t, body: { email: 'x@initech.example', name: 'X', role: 'BOSS' } })).status).toBe(400);
    expect((await call(s, 'POST', USERS, { token: t, body: { email: 'onlylast@initech.example', lastName: 'Only' } })).status).toBe(201);
    // The same e-mail in another account is fine.
    const acme = (await call(s, 'POST', `${ADMIN}/accounts`, { token: t, body: { name: 'Acme' } })).json;
    expect((await call(s, 'POST', `${ADMIN}/accounts/${acme.accountId as string}/users`, { token: t, body: { email: 'peter.gibbons@initech.example', name: 'Peter' } })).status).toBe(201);
    // Update: only given fields; e-mail change to a taken one is 409; clearing every name is 400.
    const michael = s.store.userByEmail(DEMO_INITECH_ID, 'michael.bolton@initech.example');
    const put = await call(s, 'PUT', `${USERS}/${michael?.userId ?? ''}`, { token: t, body: { firstName: 'Mike', userVerified: true, sipPassword: 'x' } });
    expect(put.json).toMatchObject({ firstName: 'Mike', lastName: 'Bolton', userVerified: false });
    expect(put.json.sipPassword).not.toBe('x');
    const taken = await call(s, 'PUT', `${USERS}/${michael?.userId ?? ''}`, { token: t, body: { email: 'Samir.Nagheenanajar@initech.example' } });
    expect(taken.json).toEqual({ name: 'Conflict', message: DUP });
    expect((await call(s, 'PUT', `${USERS}/${michael?.userId ?? ''}`, { token: t, body: { name: '', firstName: '', lastName: '' } })).status).toBe(400);
    expect((await call(s, 'PUT', `${USERS}/${'0'.repeat(32)}`, { token: t, body: { name: 'X' } })).status).toBe(404);
  });

  it('answers a batch PATCH with one independent result per operation, in order', async () => {
    const s = await sandbox();
    const t = await login(s);
    const samir = s.store.userByEmail(DEMO_INITECH_ID, 'samir.nagheenanajar@initech.example');
    const michael = s.store.userByEmail(DEMO_INITECH_ID, 'michael.bolton@initech.example');
    const r = await call(s, 'PATCH', USERS, {
      token: t,
      body: {
        operations: [
          { op: 'add', body: { email: 'b1@initech.example', firstName: 'B', lastName: '1' } },
          { op: 'add', body: { email: 'peter.gibbons@initech.example', firstName: 'P' } },
          { op: 'add', body: { email: 'bad' } },
          { op: 'replace', id: samir?.userId, body: { lastName: 'N.' } },
          { op: 'remove', id: michael?.userId },
          { op: 'remove', id: michael?.userId },
          { op: 'replace', body: { name: 'no id' } },
          { op: 'explode' },
        ],
      },
    });
    expect(r.status).toBe(200);
    const ops = r.json.operations as { statusCode: number; headers: object; body: Record<string, unknown> | null }[];
    expect(ops.map((o) => o.statusCode)).toEqual([201, 409, 400, 200, 204, 404, 400, 400]);
    for (const o of ops) expect(o.headers).toEqual({});
    expect(ops[0]?.body).toMatchObject({ email: 'b1@initech.example', userVerified: false });
    expect(ops[1]?.body).toEqual({ name: 'Conflict', message: DUP });
    expect(ops[3]?.body).toMatchObject({ lastName: 'N.', firstName: 'Samir' });
    expect(ops[4]?.body).toBeNull();
    expect(ops[5]?.body).toMatchObject({ name: 'NotFound' });
    expect(s.store.userByEmail(DEMO_INITECH_ID, 'b1@initech.example')).toBeDefined();
    expect(s.store.userByEmail(DEMO_INITECH_ID, 'michael.bolton@initech.example')).toBeUndefined();
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ op: 'add', body: { email: `x${i}@initech.example`, name: 'X' } }));
    expect((await call(s, 'PATCH', USERS, { token: t, body: { operations: tooMany } })).status).toBe(400);
    expect(s.store.userByEmail(DEMO_INITECH_ID, 'x0@initech.example')).toBeUndefined();
    expect((await call(s, 'PATCH', USERS, { token: t, body: { operations: 'all' } })).status).toBe(400);
  });

  it('writes and deletes user tags (JSON values), served with $expand=tags', async () => {
    const s = await sandbox();
    const t = await login(s);
    const michael = s.store.userByEmail(DEMO_INITECH_ID, 'michael.bolton@initech.example');
    const tag = `${USERS}/${michael?.userId ?? ''}/tags/cloudlink-tenancy`;
    expect((await call(s, 'PUT', tag, { token: t, body: { welcomeSentOn: '2026-11-25T10:00:00.000Z' } })).status).toBe(204);
    expect((await call(s, 'GET', `${USERS}/${michael?.userId ?? ''}?$expand=tags`, { token: t })).json.tags).toEqual({ 'cloudlink-tenancy': { welcomeSentOn: '2026-11-25T10:00:00.000Z' } });
    expect((await call(s, 'PUT', tag, { token: t })).status).toBe(400);
    expect((await call(s, 'DELETE', tag, { token: t })).status).toBe(204);
    expect((await call(s, 'DELETE', tag, { token: t })).status).toBe(404);
    expect((await call(s, 'PUT', `${USERS}/${'0'.repeat(32)}/tags/x`, { token: t, body: 1 })).status).toBe(404);
  });

  it('records welcome and password-reset e-mails in the outbox (202) and counts requests per route template', async () => {
    const s = await sandbox();
    const t = await login(s);
    const michael = s.store.userByEmail(DEMO_INITECH_ID, 'michael.bolton@initech.example');
    const welcome = await call(s, 'POST', `${USERS}/${michael?.userId ?? ''}/welcome-email`, { token: t });
    expect(welcome.status).toBe(202);
    const reset = await call(s, 'PUT', `${ADMIN}/users/${encodeURIComponent('Michael.Bolton@initech.example')}/password`, { token: t, body: { email: 'Michael.Bolton@initech.example', action: 'forgot', accountId: DEMO_INITECH_ID } });
    expect(reset.status).toBe(202);
    expect((await call(s, 'PUT', `${ADMIN}/users/michael.bolton%40initech.example/password`, { token: t, body: { action: 'remember', accountId: DEMO_INITECH_ID } })).status).toBe(400);
    expect((await call(s, 'PUT', `${ADMIN}/users/nobody%40initech.example/password`, { token: t, body: { email: 'nobody@initech.example', action: 'forgot', accountId: DEMO_INITECH_ID } })).status).toBe(404);
    expect((await call(s, 'POST', `${USERS}/${'0'.repeat(32)}/welcome-email`, { token: t })).status).toBe(404);
    const outbox = (await call(s, 'GET', '/sandbox/outbox')).json.items;
    expect(outbox).toEqual([
      { type: 'welcome', to: 'michael.bolton@initech.example', accountId: DEMO_INITECH_ID, userId: michael?.userId, sentOn: expect.any(String) },
      { type: 'password-reset', to: 'michael.bolton@initech.example', accountId: DEMO_INITECH_ID, userId: michael?.userId, sentOn: expect.any(String) },
    ]);
    const counts = (await call(s, 'GET', '/sandbox/requests')).json;
    expect(counts[`POST ${ADMIN}/accounts/{accountId}/users/{userId}/welcome-email`]).toBe(2);
    expect(counts[`PUT ${ADMIN}/users/{email}/password`]).toBe(3);
    expect(s.requestCounts()[`POST /auth/2017-09-01/token`]).toBe(1);
  });

  it('deleting a user frees its licenses', async () => {
    const s = await sandbox();
    const t = await login(s);
    const samir = s.store.userByEmail(DEMO_INITECH_ID, 'samir.nagheenanajar@initech.example');
    expect(s.store.licenses(DEMO_INITECH_ID).filter((l) => l.userId === samir?.userId)).toHaveLength(1);
    expect((await call(s, 'DELETE', `${USERS}/${samir?.userId ?? ''}`, { token: t })).status).toBe(204);
    const licenses = (await call(s, 'GET', `${BILLING}/licenses?${q(`accountId eq '${DEMO_INITECH_ID}'`)}`, { token: t })).json._embedded.items;
    expect(licenses.map((l: { userId: string }) => l.userId)).not.toContain(samir?.userId);
    expect(licenses).toHaveLength(1);
  });
});
