import { describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, DEMO_INITECH_ID } from '../../provider/sandbox/index.js';
import { ADMIN, call, login, sandbox, token } from './http.js';

const USERS = `${ADMIN}/accounts/${DEMO_INITECH_ID}/users`;

describe('sandbox faults', () => {
  it('rate-limits per principal with 429 and Retry-After', async () => {
    const s = await sandbox();
    const partner = await login(s);
    const peter = await login(s, 'peter.gibbons@initech.example', 'demo-account-password');
    s.setFaults({ rateLimitPerSec: 1, burst: 2 });
    const statuses: number[] = [];
    let retryAfter: unknown;
    for (let i = 0; i < 4; i += 1) {
      const r = await call(s, 'GET', USERS, { token: partner });
      statuses.push(r.status);
      if (r.status === 429) {
        retryAfter = r.headers['retry-after'];
        expect(r.json).toEqual({ name: 'TooManyRequests', message: expect.any(String) });
      }
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // Another principal has its own bucket.
    expect((await call(s, 'GET', USERS, { token: peter })).status).toBe(200);
    expect(s.faultCounts().rateLimited).toBe(2);
    // Controls are never limited.
    for (let i = 0; i < 5; i += 1) expect((await call(s, 'GET', '/sandbox/requests')).status).toBe(200);
  });

  it('errorRate answers 5xx before anything is written', async () => {
    const s = await sandbox();
    const t = await login(s);
    s.setFaults({ errorRate: 1 });
    const r = await call(s, 'POST', USERS, { token: t, body: { email: 'never@initech.example', name: 'Never' } });
    expect(r.status).toBeGreaterThanOrEqual(500);
    expect(Object.keys(r.json).sort()).toEqual(['message', 'name']);
    expect(s.store.userByEmail(DEMO_INITECH_ID, 'never@initech.example')).toBeUndefined();
    expect((await token(s, { grant_type: 'password', username: 'admin@partner.example', password: 'demo-partner-password' })).status).toBeGreaterThanOrEqual(500);
    expect(s.faultCounts().errorBeforeWrite).toBe(2);
    expect((await call(s, 'GET', '/sandbox/state')).status).toBe(200);
  });

  it('errorAfterCommitRate commits the write, then answers 5xx', async () => {
    const s = await sandbox();
    const t = await login(s);
    s.setFaults({ errorAfterCommitRate: 1 });
    const r = await call(s, 'POST', USERS, { token: t, body: { email: 'ambiguous@initech.example', name: 'Ambiguous' } });
    expect(r.status).toBeGreaterThanOrEqual(500);
    expect(s.store.userByEmail(DEMO_INITECH_ID, 'ambiguous@initech.example')).toBeDefined();
    // Reads are not affected; the retry of the create finds the e-mail taken.
    const read = await call(s, 'GET', USERS, { token: t });
    expect(read.status).toBe(200);
    expect(s.faultCounts()).toMatchObject({ errorAfterCommit: 1, dropAfterCommit: 0 });
    s.setFaults({ errorAfterCommitRate: 0 });
    expect((await call(s, 'POST', USERS, { token: t, body: { email: 'ambiguous@initech.example', name: 'Ambiguous' } })).status).toBe(409);
    // A refused write (4xx) did not commit, so it gets no after-commit fault.
    s.setFaults({ errorAfterCommitRate: 1 });
    expect((await call(s, 'POST', USERS, { token: t, body: { email: 'bad' } })).status).toBe(400);
    expect(s.faultCounts().errorAfterCommit).toBe(1);
    expect((await call(s, 'GET', '/sandbox/state')).json.faultCounts).toMatchObject({ errorAfterCommit: 1 });
  });

  it('dropAfterCommitRate commits the write, then destroys the connection without an answer', async () => {
    const s = await sandbox();
    const t = await login(s);
    s.setFaults({ dropAfterCommitRate: 1 });
    await expect(call(s, 'POST', USERS, { token: t, body: { email: 'dropped@initech.example', firstName: 'D' } })).rejects.toThrow();
    expect(s.store.userByEmail(DEMO_INITECH_ID, 'dropped@initech.example')).toBeDefined();
    expect(s.faultCounts().dropAfterCommit).toBe(1);
    expect((await call(s, 'GET', USERS, { token: t })).status).toBe(200);
  });

  it('adds latency and jitter; POST /sandbox/faults validates its input', async () => {
    const s = await sandbox();
    const t = await login(s);
    const set = await call(s, 'POST', '/sandbox/faults', { body: { latencyMs: 120, jitterMs: 10 } });
    expect(set.json).toMatchObject({ latencyMs: 120, jitterMs: 10, errorAfterCommitRate: 0 });
    const started = performance.now();
    await call(s, 'GET', USERS, { token: t });
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    expect((await call(s, 'POST', '/sandbox/faults', { body: { chaos: 1 } })).status).toBe(400);
    expect((await call(s, 'POST', '/sandbox/faults', { body: { errorRate: -1 } })).status).toBe(400);
    expect((await call(s, 'POST', '/sandbox/faults', { body: { tokenTtlSec: 5 } })).status).toBe(200);
    expect((await token(s, { grant_type: 'password', username: 'admin@partner.example', password: 'demo-partner-password' })).json.expires_in).toBe(5);
  });

  it('reset and seed controls', async () => {
    const s = await sandbox();
    expect((await call(s, 'POST', '/sandbox/reset')).status).toBe(204);
    // The seed's logins stay (partners with their own accounts, API clients); its customers go.
    expect(s.state().accounts.map((a) => a.name).sort()).toEqual(['Northwind Partner', 'Other Partner']);
    const demo = await login(s, DEMO_CREDENTIALS.username, DEMO_CREDENTIALS.password);
    expect((await call(s, 'GET', `${ADMIN}/accounts`, { token: demo })).json.count).toBe(1);
    expect((await token(s, { grant_type: 'client_credentials', client_id: DEMO_CREDENTIALS.clientId, client_secret: DEMO_CREDENTIALS.clientSecret, account_id: DEMO_CREDENTIALS.partnerAccountId })).status).toBe(200);
    // ?principals=drop empties the sandbox, logins too.
    expect((await call(s, 'POST', '/sandbox/reset?principals=drop')).status).toBe(204);
    expect(s.state().accounts).toHaveLength(0);
    expect((await token(s, { grant_type: 'password', username: 'admin@partner.example', password: 'demo-partner-password' })).status).toBe(401);
    const seeded = await call(s, 'POST', '/sandbox/seed', {
      body: { partners: [{ partnerId: 'p-5', name: 'Five', account: { name: 'Five', users: [{ email: 'a@five.example', name: 'A', role: 'PARTNER_ADMIN', password: 'pw' }] } }], accounts: [{ partnerId: 'p-5', name: 'Customer Five' }] },
    });
    expect(seeded.status).toBe(204);
    const t = await login(s, 'a@five.example', 'pw');
    expect((await call(s, 'GET', `${ADMIN}/accounts`, { token: t })).json.count).toBe(2);
    expect((await call(s, 'POST', '/sandbox/seed', { body: { accounts: [{ name: 'No partner' }] } })).status).toBe(400);
    expect((await call(s, 'GET', '/sandbox/nothing')).status).toBe(404);
  });
});
