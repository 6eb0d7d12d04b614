import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, DEMO_INITECH_ID, DEMO_PARTNER_ACCOUNT_ID } from '../../provider/sandbox/index.js';
import { ADMIN, AUTH, BILLING, call, login, sandbox, token } from './http.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('sandbox auth', () => {
  it('issues tokens for the three grants, JSON or form, and refuses bad ones with { name, message }', async () => {
    const s = await sandbox();
    const pw = await token(s, { grant_type: 'password', username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password });
    expect(pw.status).toBe(200);
    expect(Object.keys(pw.json).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
    expect(pw.json).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    const json = await call(s, 'POST', `${AUTH}/token`, { body: { grant_type: 'password', username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password, account_id: DEMO_PARTNER_ACCOUNT_ID } });
    expect(json.status).toBe(200);
    const client = await token(s, { grant_type: 'client_credentials', client_id: DEMO_CREDENTIALS.clientId, client_secret: DEMO_CREDENTIALS.clientSecret, account_id: DEMO_PARTNER_ACCOUNT_ID });
    expect(client.status).toBe(200);
    expect((await token(s, { grant_type: 'client_credentials', client_id: DEMO_CREDENTIALS.clientId, client_secret: DEMO_CREDENTIALS.clientSecret, account_id: DEMO_INITECH_ID })).status).toBe(401);
    expect((await token(s, { grant_type: 'client_credentials', client_id: DEMO_CREDENTIALS.clientId, client_secret: 'nope' })).status).toBe(401);
    const refreshed = await token(s, { grant_type: 'refresh_token', refresh_token: pw.json.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.access_token).not.toBe(pw.json.access_token);
    const reused = await token(s, { grant_type: 'refresh_token', refresh_token: pw.json.refresh_token });
    expect(reused.status).toBe(401);
    expect(reused.json).toEqual({ name: 'Unauthorized', message: expect.any(String) });
    expect((await token(s, { grant_type: 'password', username: DEMO_CREDENTIALS.username, password: 'wrong' })).status).toBe(401);
    expect((await token(s, { grant_type: 'password', username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password, account_id: DEMO_INITECH_ID })).status).toBe(401);
    const magic = await token(s, { grant_type: 'magic' });
    expect(magic.status).toBe(400);
    expect(magic.json.name).toBe('BadRequest');
  });

  it('answers GET /token with the claims of each kind of principal', async () => {
    const s = await sandbox();
    const partner = await call(s, 'GET', `${AUTH}/token`, { token: await login(s) });
    expect(partner.status).toBe(200);
    expect(partner.json).toMatchObject({ accountId: DEMO_PARTNER_ACCOUNT_ID, partnerId: 'p-1234', role: 'PARTNER_ADMIN', email: DEMO_CREDENTIALS.username, name: 'Northwind Admin' });
    expect(partner.json.userId).toMatch(/^[0-9a-f]{32}$/);
    expect(partner.json.principalId).toBe(partner.json.userId);
    expect(partner.json.exp - partner.json.iat).toBe(3600);
    const admin = await call(s, 'GET', `${AUTH}/token`, { token: await login(s, DEMO_CREDENTIALS.accountAdmin.username, DEMO_CREDENTIALS.accountAdmin.password) });
    expect(admin.json).toMatchObject({ accountId: DEMO_INITECH_ID, partnerId: 'p-1234', role: 'ACCOUNT_ADMIN', email: 'peter.gibbons@initech.example' });
    const clientToken = (await token(s, { grant_type: 'client_credentials', client_id: DEMO_CREDENTIALS.clientId, client_secret: DEMO_CREDENTIALS.clientSecret, account_id: DEMO_PARTNER_ACCOUNT_ID })).json.access_token;
    const client = await call(s, 'GET', `${AUTH}/token`, { token: clientToken });
    expect(client.json).toMatchObject({ accountId: DEMO_PARTNER_ACCOUNT_ID, partnerId: 'p-1234', role: 'PARTNER_ADMIN', principalId: 'demo-client', userId: null });
    expect((await call(s, 'GET', `${AUTH}/token`)).status).toBe(401);
    expect((await call(s, 'GET', `${AUTH}/token`, { token: 'made-up' })).status).toBe(401);
  });

  it('expires tokens after tokenTtlSec (401), and the refresh token still works', async () => {
    let now = Date.now();
    const s = await sandbox({ now: () => new Date(now), faults: { tokenTtlSec: 10 } });
    const r = await token(s, { grant_type: 'password', username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password });
    expect(r.json.expires_in).toBe(10);
    expect((await call(s, 'GET', `${ADMIN}/accounts`, { token: r.json.access_token })).status).toBe(200);
    now += 11_000;
    const expired = await call(s, 'GET', `${ADMIN}/accounts`, { token: r.json.access_token });
    expect(expired.status).toBe(401);
    expect(expired.json.name).toBe('Unauthorized');
    const fresh = await token(s, { grant_type: 'refresh_token', refresh_token: r.json.refresh_token });
    expect((await call(s, 'GET', `${ADMIN}/accounts`, { token: fresh.json.access_token })).status).toBe(200);
  });

  it('puts x-mitel-correlation-id on every response, success, error, unknown route and controls alike', async () => {
    const s = await sandbox();
    const t = await login(s);
    const replies = [
      await call(s, 'GET', `${ADMIN}/accounts`, { token: t }),
      await call(s, 'GET', `${ADMIN}/accounts`),
      await call(s, 'GET', `${ADMIN}/nowhere`, { token: t }),
      await call(s, 'GET', '/sandbox/state'),
      await token(s, { grant_type: 'nope' }),
    ];
    const ids = replies.map((r) => r.headers['x-mitel-correlation-id']);
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
    expect(replies[2]?.status).toBe(404);
    expect(replies[2]?.json).toEqual({ name: 'NotFound', message: expect.any(String) });
  });

  it('does not require X-Mitel-App', async () => {
    const s = await sandbox();
    const res = await request(`${s.adminUrl}/accounts`, { headers: { authorization: `Bearer ${await login(s)}` } });
    await res.body.text();
    expect(res.statusCode).toBe(200);
  });
});

describe('sandbox scope', () => {
  it('lets a partner admin see its own account and its customers, not the other partner’s', async () => {
    const s = await sandbox();
    const t = await login(s);
    const names = (await call(s, 'GET', `${ADMIN}/accounts`, { token: t })).json._embedded.items.map((a: { name: string }) => a.name).sort();
    expect(names).toEqual(['Initech', 'Northwind Partner']);
    const other = await login(s, DEMO_CREDENTIALS.otherPartner.username, DEMO_CREDENTIALS.otherPartner.password);
    expect((await call(s, 'GET', `${ADMIN}/accounts/${DEMO_INITECH_ID}`, { token: other })).status).toBe(404);
    expect((await call(s, 'GET', `${ADMIN}/accounts/${DEMO_INITECH_ID}/users`, { token: other })).status).toBe(404);
    expect((await call(s, 'GET', `${ADMIN}/partners/p-1234`, { token: other })).status).toBe(404);
    expect((await call(s, 'GET', `${ADMIN}/partners/p-9999`, { token: other })).json).toEqual({ partnerId: 'p-9999', name: 'Other Partner', accountId: 'bb22cc33dd44ee55ff66778899001122' });
    const orders = (await call(s, 'GET', `${BILLING}/partner-subscriptions`, { token: other })).json;
    expect(orders.count).toBe(0);
  });

  it('keeps an account admin to its account: 404 elsewhere, 403 on partner-level operations', async () => {
    const s = await sandbox();
    const t = await login(s, DEMO_CREDENTIALS.accountAdmin.username, DEMO_CREDENTIALS.accountAdmin.password);
    const list = await call(s, 'GET', `${ADMIN}/accounts`, { token: t });
    expect(list.json._embedded.items.map((a: { name: string }) => a.name)).toEqual(['Initech']);
    expect((await call(s, 'GET', `${ADMIN}/accounts/${DEMO_INITECH_ID}/users`, { token: t })).status).toBe(200);
    expect((await call(s, 'GET', `${ADMIN}/accounts/${DEMO_PARTNER_ACCOUNT_ID}`, { token: t })).status).toBe(404);
    const create = await call(s, 'POST', `${ADMIN}/accounts`, { token: t, body: { name: 'Nope' } });
    expect([create.status, create.json.name]).toEqual([403, 'Forbidden']);
    expect((await call(s, 'GET', `${BILLING}/partner-subscriptions`, { token: t })).status).toBe(403);
    expect((await call(s, 'GET', `${ADMIN}/partners/p-1234`, { token: t })).status).toBe(403);
    expect((await call(s, 'DELETE', `${ADMIN}/accounts/${DEMO_INITECH_ID}`, { token: t })).status).toBe(403);
    const subs = await call(s, 'GET', `${BILLING}/subscriptions`, { token: t });
    expect(subs.status).toBe(200);
    expect(new Set(subs.json._embedded.items.map((x: { accountId: string }) => x.accountId))).toEqual(new Set([DEMO_INITECH_ID]));
  });

  it('lets a USER log in but answers 403 on admin and billing routes', async () => {
    const s = await sandbox();
    const t = await login(s, DEMO_CREDENTIALS.plainUser.username, DEMO_CREDENTIALS.plainUser.password);
    expect((await call(s, 'GET', `${AUTH}/token`, { token: t })).json.role).toBe('USER');
    expect((await call(s, 'GET', `${ADMIN}/accounts/${DEMO_INITECH_ID}`, { token: t })).status).toBe(403);
    expect((await call(s, 'GET', `${BILLING}/licenses`, { token: t })).status).toBe(403);
  });

  it('refuses to delete a partner’s own account', async () => {
    const s = await sandbox();
    const r = await call(s, 'DELETE', `${ADMIN}/accounts/${DEMO_PARTNER_ACCOUNT_ID}`, { token: await login(s) });
    expect(r.status).toBe(403);
  });
});
