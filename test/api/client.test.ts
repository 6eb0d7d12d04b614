import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCloudLinkClient, CloudLinkSchemaError, type TraceEvent } from '../../provider/api/index.js';
import { DEMO_CREDENTIALS, DEMO_INITECH_ID } from '../../provider/sandbox/index.js';
import { sandboxWithClient } from '../helpers/sandbox.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

async function setup(...args: Parameters<typeof sandboxWithClient>) {
  const s = await sandboxWithClient(...args);
  closers.push(s.close);
  return s;
}

const user = (i: number) => ({ email: `user${i}@initech.example`, firstName: 'U', lastName: String(i), name: `U ${i}`, role: 'USER' as const });

describe('CloudLink client against the sandbox', () => {
  it('lists the demo users with their licenses', async () => {
    const { client } = await setup();
    const users = [];
    for await (const u of client.users.list(DEMO_INITECH_ID)) users.push(u);
    expect(users.map((u) => u.email).sort()).toEqual(['michael.bolton@initech.example', 'peter.gibbons@initech.example', 'samir.nagheenanajar@initech.example']);
    expect(users.find((u) => u.email.startsWith('peter'))?.licenses[0]?.product).toBe('miteam-meetings');
  });

  it('follows pagination over 5,000 users with 50 list calls', async () => {
    const { client, sandbox } = await setup();
    sandbox.seed({
      accounts: [{ accountId: 'b'.repeat(32), partnerId: 'p-1234', name: 'Big', country: 'US', language: 'en-US', users: Array.from({ length: 5000 }, (_, i) => ({ email: `u${i}@big.example`, firstName: 'U', lastName: String(i) })) }],
    });
    sandbox.resetRequestCounts();
    let n = 0;
    const seen = new Set<string>();
    for await (const u of client.users.list('b'.repeat(32))) {
      n += 1;
      seen.add(u.userId);
    }
    expect(n).toBe(5000);
    expect(seen.size).toBe(5000);
    expect(sandbox.requestCounts()['GET /admin/2017-09-01/accounts/{accountId}/users']).toBe(50);
  });

  it('refreshes an expired token mid-run', async () => {
    let now = Date.now();
    const { client, sandbox } = await setup({ now: () => new Date(now), faults: { tokenTtlSec: 60 } });
    expect(await client.accounts.get(DEMO_INITECH_ID)).toBeDefined();
    now += 120_000;
    expect((await client.accounts.get(DEMO_INITECH_ID))?.name).toBe('Initech');
    expect(sandbox.requestCounts()['POST /auth/2017-09-01/token']).toBeGreaterThanOrEqual(2);
  });

  it('finishes through a 429 storm, honouring Retry-After', async () => {
    const { client, sandbox } = await setup({ faults: { rateLimitPerSec: 20, burst: 5 } });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => client.users.create(DEMO_INITECH_ID, user(i))));
    expect(results.every((r) => r.outcome === 'created')).toBe(true);
    expect(client.stats().rateLimited).toBeGreaterThan(0);
    expect(sandbox.requestCounts()['429']).toBe(client.stats().rateLimited);
  });

  it('completes under 20 % 5xx', async () => {
    const { client, sandbox } = await setup({ faults: { errorRate: 0.2 } });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => client.users.create(DEMO_INITECH_ID, user(i))));
    expect(results).toHaveLength(40);
    const emails = sandbox.state().accounts.find((a) => a.accountId === DEMO_INITECH_ID)?.users.map((u) => u.email) ?? [];
    expect(new Set(emails).size).toBe(emails.length);
    expect(emails.length).toBe(43);
  });

  it('creates exactly one user per e-mail under drop-after-commit', async () => {
    const { client, sandbox } = await setup({ faults: { dropAfterCommitRate: 0.5 } });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => client.users.create(DEMO_INITECH_ID, user(i))));
    expect(results.every((r) => r.value?.email.startsWith('user'))).toBe(true);
    const emails = sandbox.state().accounts.find((a) => a.accountId === DEMO_INITECH_ID)?.users.map((u) => u.email) ?? [];
    expect(emails.length).toBe(43);
    expect(sandbox.requestCounts().dropped).toBeGreaterThan(0);
  });

  it('treats a 409 with the existing id as already done', async () => {
    const { client } = await setup();
    const r = await client.users.create(DEMO_INITECH_ID, { ...user(0), email: 'PETER.GIBBONS@initech.example' });
    expect(r.outcome).toBe('unchanged');
    expect(r.value?.email).toBe('peter.gibbons@initech.example');
  });

  it('sends a welcome e-mail once even when the answer is lost', async () => {
    const { client, sandbox } = await setup();
    const created = await client.users.create(DEMO_INITECH_ID, user(1));
    sandbox.setFaults({ dropAfterCommitRate: 1 });
    const sent = await client.users.sendWelcome(DEMO_INITECH_ID, created.value?.userId ?? '');
    expect(sent.value?.welcomeEmailSentOn).toBeTruthy();
    expect(sandbox.state().outbox.filter((m) => m.to === 'user1@initech.example')).toHaveLength(1);
  });

  it('refuses license enabling beyond capacity with license_exhausted', async () => {
    const { client } = await setup();
    // Initech: 5 licenses (SAP-2003), 2 in use.
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) ids.push((await client.users.create(DEMO_INITECH_ID, user(i))).value?.userId ?? '');
    for (let i = 0; i < 3; i += 1) await client.users.enableLicense(DEMO_INITECH_ID, ids[i] ?? '', 'miteam-meetings');
    await expect(client.users.enableLicense(DEMO_INITECH_ID, ids[3] ?? '', 'miteam-meetings')).rejects.toMatchObject({ code: 'license_exhausted', status: 422, transient: false });
  });

  it('rejects a malformed answer with the route and field', async () => {
    const server = createServer((req, res) => {
      if (req.url?.includes('/token')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 't0k3n-value', token_type: 'Bearer', expires_in: 3600 }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ accountId: 'x', name: 42 }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    closers.push(() => new Promise((r) => server.close(() => r())));
    const client = createCloudLinkClient({ authUrl: `http://127.0.0.1:${port}/auth`, adminUrl: `http://127.0.0.1:${port}/admin`, credentials: { clientId: 'c', clientSecret: 's3cr3t' } });
    closers.push(() => client.close());
    const error = await client.accounts.get('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudLinkSchemaError);
    expect((error as Error).message).toContain('GET /accounts/{accountId}');
    expect((error as Error).message).toContain('name');
  });

  it('never writes a secret or token into the trace or errors', async () => {
    const events: TraceEvent[] = [];
    const secret = 'Very-Distinctive-Secret-4711';
    const { client, sandbox } = await setup({ faults: { errorRate: 0.3 } }, { trace: { write: (e) => events.push(e) } });
    sandbox.seed({ admins: [{ username: 'tracer@partner.example', password: secret, partnerId: 'p-1234' }] });
    await client.close();
    const traced = createCloudLinkClient({ authUrl: sandbox.authUrl, adminUrl: sandbox.adminUrl, credentials: { username: 'tracer@partner.example', password: secret }, retry: { baseDelayMs: 1, maxDelayMs: 5 }, trace: { write: (e) => events.push(e) } });
    closers.push(() => traced.close());
    for (let i = 0; i < 10; i += 1) await traced.users.create(DEMO_INITECH_ID, user(i));
    const bad = createCloudLinkClient({ authUrl: sandbox.authUrl, adminUrl: sandbox.adminUrl, credentials: { username: 'tracer@partner.example', password: `${secret}-wrong` }, trace: { write: (e) => events.push(e) } });
    closers.push(() => bad.close());
    const err = await bad.accounts.get(DEMO_INITECH_ID).catch((e: unknown) => e);
    const text = JSON.stringify(events) + String((err as Error).message);
    expect(events.some((e) => e.route === 'POST /token')).toBe(true);
    expect(text).not.toContain(secret);
    expect(text).not.toMatch(/"access_token":"[^[]/);
    expect(text).toContain('[redacted]');
    expect(DEMO_CREDENTIALS.password).toBeTruthy();
  });
});
