import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, DEMO_INITECH_ID, startSandbox, type RunningSandbox } from '../../provider/sandbox/index.js';
import { spawnSandbox } from '../helpers/child-sandbox.js';

const APP = { 'x-mitel-app': 'app=test/1;platform=linux' };
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

async function sandbox(options: Parameters<typeof startSandbox>[0] = {}): Promise<RunningSandbox> {
  const s = await startSandbox({ seed: 'demo', ...options });
  closers.push(() => s.close());
  return s;
}

async function call(s: RunningSandbox, method: string, p: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await request(`${s.url}${p}`, {
    method: method as 'GET',
    headers: { ...APP, ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, json: (text ? JSON.parse(text) : undefined) as Record<string, any> };
}

async function login(s: RunningSandbox, form: Record<string, string> = { grant_type: 'password', username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password }) {
  const res = await request(`${s.authUrl}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, any> };
}

const USERS = `/admin/2017-09-01/accounts/${DEMO_INITECH_ID}/users`;

describe('sandbox auth and scoping', () => {
  it('issues tokens for the three grants and refuses bad ones', async () => {
    const s = await sandbox();
    const pw = await login(s);
    expect(pw.status).toBe(200);
    expect(pw.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect((await login(s, { grant_type: 'client_credentials', client_id: DEMO_CREDENTIALS.clientId, client_secret: DEMO_CREDENTIALS.clientSecret })).status).toBe(200);
    expect((await login(s, { grant_type: 'refresh_token', refresh_token: pw.json.refresh_token })).status).toBe(200);
    expect((await login(s, { grant_type: 'refresh_token', refresh_token: pw.json.refresh_token })).json.code).toBe('invalid_grant');
    expect((await login(s, { grant_type: 'password', username: DEMO_CREDENTIALS.username, password: 'wrong' })).status).toBe(401);
    expect((await login(s, { grant_type: 'magic' })).json.code).toBe('unsupported_grant_type');
  });

  it('requires X-Mitel-App and a bearer token; expired tokens say token_expired', async () => {
    let now = Date.now();
    const s = await sandbox({ now: () => new Date(now), faults: { tokenTtlSec: 10 } });
    const token = (await login(s)).json.access_token as string;
    expect((await call(s, 'GET', '/admin/2017-09-01/accounts', { token, headers: { 'x-mitel-app': undefined as unknown as string } })).status).toBe(400);
    expect((await call(s, 'GET', '/admin/2017-09-01/accounts')).status).toBe(401);
    expect((await call(s, 'GET', '/admin/2017-09-01/accounts', { token })).status).toBe(200);
    now += 11_000;
    const expired = await call(s, 'GET', '/admin/2017-09-01/accounts', { token });
    expect([expired.status, expired.json.code]).toEqual([401, 'token_expired']);
  });

  it('answers 404 outside the principal scope', async () => {
    const s = await sandbox();
    const other = (await login(s, { grant_type: 'password', username: 'admin@other.example', password: 'other-partner-password' })).json.access_token as string;
    expect((await call(s, 'GET', USERS, { token: other })).status).toBe(404);
    expect((await call(s, 'GET', '/admin/2017-09-01/partners/p-1234/orders', { token: other })).status).toBe(404);
    const accountAdmin = (await login(s, { grant_type: 'password', ...DEMO_CREDENTIALS.accountAdmin, account_id: DEMO_INITECH_ID } as unknown as Record<string, string>)).json.access_token as string;
    const list = await call(s, 'GET', '/admin/2017-09-01/accounts', { token: accountAdmin });
    expect(list.json._embedded.items.map((a: { name: string }) => a.name)).toEqual(['Initech']);
    expect((await call(s, 'GET', USERS, { token: accountAdmin })).status).toBe(200);
  });
});

describe('sandbox rules', () => {
  it('enforces unique e-mails (409 with the existing id), etags (412) and license capacity (422)', async () => {
    const s = await sandbox();
    const token = (await login(s)).json.access_token as string;
    const dup = await call(s, 'POST', USERS, { token, body: { email: 'Peter.Gibbons@initech.example', firstName: 'P', lastName: 'G' } });
    expect(dup.status).toBe(409);
    expect(dup.json.details[0]).toMatchObject({ field: 'userId' });
    const created = await call(s, 'POST', USERS, { token, body: { email: 'n1@initech.example', firstName: 'N', lastName: '1' } });
    expect(created.status).toBe(201);
    const id = created.json.userId as string;
    expect((await call(s, 'PUT', `${USERS}/${id}`, { token, body: { name: 'X' }, headers: { 'if-match': '"stale"' } })).status).toBe(412);
    expect((await call(s, 'PUT', `${USERS}/${id}`, { token, body: { name: 'X' }, headers: { 'if-match': created.json.etag } })).status).toBe(200);
    const ids = [id];
    for (let i = 2; i <= 4; i += 1) ids.push((await call(s, 'POST', USERS, { token, body: { email: `n${i}@initech.example`, firstName: 'N', lastName: String(i) } })).json.userId);
    const enable = (userId: string) => call(s, 'PUT', `${USERS}/${userId}/licenses/miteam-meetings`, { token });
    for (const u of ids.slice(0, 3)) expect((await enable(u)).status).toBe(200);
    const full = await enable(ids[3] ?? '');
    expect([full.status, full.json.code]).toEqual([422, 'license_exhausted']);
  });

  it('needs the integration before a license, and refuses orders assigned elsewhere', async () => {
    const s = await sandbox();
    const token = (await login(s)).json.access_token as string;
    const acct = (await call(s, 'POST', '/admin/2017-09-01/accounts', { token, body: { name: 'New', country: 'CA', language: 'en-US' } })).json;
    const user = (await call(s, 'POST', `/admin/2017-09-01/accounts/${acct.accountId}/users`, { token, body: { email: 'a@new.example', firstName: 'A', lastName: 'B' } })).json;
    expect((await call(s, 'PUT', `/admin/2017-09-01/accounts/${acct.accountId}/users/${user.userId}/licenses/miteam-meetings`, { token })).status).toBe(409);
    const orders = (await call(s, 'GET', `/admin/2017-09-01/partners/p-1234/orders?$filter=${encodeURIComponent("contains(search, 'SAP-2003')")}`, { token })).json._embedded.items;
    expect(orders.map((o: { trackingNumber: string }) => o.trackingNumber)).toEqual(['TN-1003']);
    const taken = await call(s, 'POST', `/admin/2017-09-01/partners/p-1234/orders/${orders[0].orderId}/assign`, { token, body: { accountId: acct.accountId } });
    expect(taken.status).toBe(409);
    expect((await call(s, 'POST', `/admin/2017-09-01/partners/p-1234/orders/${orders[0].orderId}/unassign`, { token })).status).toBe(409);
  });

  it('paginates with continuation tokens and filters orders', async () => {
    const s = await sandbox();
    s.seed({ accounts: [{ accountId: 'c'.repeat(32), partnerId: 'p-1234', name: 'Many', country: 'US', language: 'en-US', users: Array.from({ length: 250 }, (_, i) => ({ email: `m${i}@many.example`, firstName: 'M', lastName: String(i) })) }] });
    const token = (await login(s)).json.access_token as string;
    let href: string | undefined = `/admin/2017-09-01/accounts/${'c'.repeat(32)}/users?$top=100`;
    const seen: string[] = [];
    const counts: number[] = [];
    while (href) {
      const page: { json: Record<string, any> } = await call(s, 'GET', href, { token });
      counts.push(page.json._embedded.items.length);
      seen.push(...page.json._embedded.items.map((u: { email: string }) => u.email));
      expect(page.json.count).toBe(250);
      href = page.json._links.next?.href;
    }
    expect(counts).toEqual([100, 100, 50]);
    expect(new Set(seen).size).toBe(250);
    expect((await call(s, 'GET', `${USERS}?$top=101`, { token })).status).toBe(400);
    const unassigned = (await call(s, 'GET', `/admin/2017-09-01/partners/p-1234/orders?$filter=${encodeURIComponent("status eq 'unassigned'")}`, { token })).json;
    expect(unassigned.count).toBe(5);
    const soon = new Date(Date.now() + 20 * 86_400_000).toISOString();
    const expiring = (await call(s, 'GET', `/admin/2017-09-01/partners/p-1234/orders?$filter=${encodeURIComponent(`expiresOn lt '${soon}'`)}`, { token })).json;
    expect(expiring._embedded.items.map((o: { trackingNumber: string }) => o.trackingNumber).sort()).toEqual(['TN-1006', 'TN-1007']);
    expect((await call(s, 'GET', `/admin/2017-09-01/partners/p-1234/orders?$filter=${encodeURIComponent("colour eq 'red'")}`, { token })).status).toBe(400);
  });

  it('records welcome and password-reset mails in the outbox and counts requests per route', async () => {
    const s = await sandbox();
    const token = (await login(s)).json.access_token as string;
    const michael = (await call(s, 'GET', `${USERS}?$filter=${encodeURIComponent("email eq 'michael.bolton@initech.example'")}`, { token })).json._embedded.items[0];
    expect((await call(s, 'POST', `${USERS}/${michael.userId}/welcome`, { token })).json.welcomeEmailSentOn).toBeTruthy();
    await call(s, 'POST', `${USERS}/${michael.userId}/password-reset`, { token });
    const outbox = (await call(s, 'GET', '/sandbox/outbox')).json.items;
    expect(outbox.map((m: { type: string; to: string }) => `${m.type} ${m.to}`)).toEqual(['welcome michael.bolton@initech.example', 'password-reset michael.bolton@initech.example']);
    const counts = (await call(s, 'GET', '/sandbox/requests')).json;
    expect(counts['POST /admin/2017-09-01/accounts/{accountId}/users/{userId}/welcome']).toBe(1);
  });

  it('answers 207 per row for bulk users', async () => {
    const s = await sandbox();
    const token = (await login(s)).json.access_token as string;
    const r = await call(s, 'POST', `${USERS}/bulk`, { token, body: { users: [{ email: 'b1@initech.example', firstName: 'B', lastName: '1' }, { email: 'peter.gibbons@initech.example', firstName: 'P', lastName: 'G' }, { email: 'bad', firstName: 'B', lastName: '3' }] } });
    expect(r.status).toBe(207);
    expect(r.json.results.map((x: { status: number }) => x.status)).toEqual([201, 409, 400]);
    expect(r.json.results[1].userId).toBeTruthy();
  });
});

describe('sandbox faults', () => {
  it('rate-limits with 429 and Retry-After, injects 5xx, and drops after commit', async () => {
    const s = await sandbox();
    const token = (await login(s)).json.access_token as string;
    s.setFaults({ rateLimitPerSec: 1, burst: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push(await call(s, 'GET', USERS, { token }));
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 429, 429]);
    expect(Number(statuses[2]?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    s.setFaults({ rateLimitPerSec: 0, errorRate: 1 });
    expect((await call(s, 'GET', USERS, { token })).status).toBeGreaterThanOrEqual(500);
    s.setFaults({ errorRate: 0, dropAfterCommitRate: 1 });
    await expect(call(s, 'POST', USERS, { token, body: { email: 'dropped@initech.example', firstName: 'D', lastName: 'R' } })).rejects.toThrow();
    expect(s.store.userByEmail({ id: 't', partnerId: 'p-1234' }, DEMO_INITECH_ID, 'dropped@initech.example')).toBeDefined();
  });
});

describe('sandbox persistence', () => {
  it('keeps state across restarts', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sbx-'));
    const dataFile = path.join(dir, 'state.json');
    const a = await startSandbox({ seed: 'demo', dataFile });
    a.store.createUser({ id: 't', partnerId: 'p-1234' }, DEMO_INITECH_ID, { email: 'kept@initech.example', firstName: 'K', lastName: 'P' });
    a.seed({});
    await a.close();
    const b = await sandbox({ seed: 'demo', dataFile });
    expect(b.store.userByEmail({ id: 't', partnerId: 'p-1234' }, DEMO_INITECH_ID, 'kept@initech.example')).toBeDefined();
  });

  it('survives kill -9 of a sandbox process with a whole, parseable file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sbx-kill-'));
    const dataFile = path.join(dir, 'state.json');
    const { url, child } = await spawnSandbox(['--data', dataFile]);
    const tokenRes = await request(`${url}/auth/2017-09-01/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'password', username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password }).toString() });
    const token = ((await tokenRes.body.json()) as { access_token: string }).access_token;
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const r = await request(`${url}${USERS}`, { method: 'POST', headers: { ...APP, authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ email: `k${i}@initech.example`, firstName: 'K', lastName: String(i) }) });
        await r.body.text();
      }),
    );
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const dump = JSON.parse(await readFile(dataFile, 'utf8')) as { version: number; accounts: { accountId: string; users: unknown[] }[] };
    expect(dump.version).toBe(1);
    const restarted = await sandbox({ dataFile });
    const users = restarted.state().accounts.find((a) => a.accountId === DEMO_INITECH_ID)?.users.length ?? 0;
    expect(users).toBeGreaterThanOrEqual(3);
    expect(users).toBeLessThanOrEqual(33);
  });
});
