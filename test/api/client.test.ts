/**
 * The real client against the real sandbox over loopback (random port, no mocks): auth and
 * claims, token refresh, rate limits, 5xx, writes that commit and then fail or lose their
 * answer (no duplicates, and proof that ambiguous writes happened), filter refusals,
 * paging, malformed answers, correlation ids and secrets.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { ensureAccount } from '../../provider/engine/apply/ensure-account.js';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CloudLinkError,
  CloudLinkSchemaError,
  createCloudLinkClient,
  fileTraceSink,
  isAmbiguous,
  type CloudLinkClient,
  type TraceEvent,
  type UserFields,
} from '../../provider/api/index.js';
import { DEMO_CREDENTIALS, DEMO_INITECH_ID, type RunningSandbox } from '../../provider/sandbox/index.js';
import { demoClient, sandboxWithClient } from '../helpers/sandbox.js';
import { listenOnLoopback } from '../helpers/loopback.js';

const P = DEMO_CREDENTIALS.partnerId;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

async function setup(...args: Parameters<typeof sandboxWithClient>) {
  const s = await sandboxWithClient(...args);
  closers.push(s.close);
  return s;
}

/** A second client on the same sandbox (other options), closed after the test. */
function clientFor(sandbox: RunningSandbox, extra: Partial<Parameters<typeof createCloudLinkClient>[0]> = {}): CloudLinkClient {
  const c = demoClient(sandbox, extra);
  closers.push(() => c.close());
  return c;
}

interface Dump {
  accounts: { accountId: string; name: string; partnerId: string; tags: Record<string, unknown> }[];
  users: { userId: string; accountId: string; email: string; sipPassword: string }[];
  contacts: { accountId: string; email: string; contactType: string }[];
  orders: { subscriptionId: string; trackingNumber: string; accountId: string | null }[];
  licenses: { accountId: string; userId: string; product: string }[];
  outbox: { type: string; to: string; userId: string }[];
  faultCounts: { errorBeforeWrite: number; errorAfterCommit: number; dropAfterCommit: number; rateLimited: number };
}

/** The sandbox's whole state and fault counters, read over its control API. */
async function dump(sandbox: RunningSandbox): Promise<Dump> {
  const res = await fetch(`${sandbox.url}/sandbox/state`);
  return (await res.json()) as Dump;
}

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

const user = (i: number, domain = 'initech.example'): UserFields => ({ email: `user${i}@${domain}`, firstName: 'U', lastName: String(i), name: `U ${i}`, role: 'User' });

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

/**
 * A workload of every kind of create: accounts (two runs racing on one key), order assigns,
 * users one by one and in a batch, contacts and licenses. Then checks that nothing was
 * duplicated and nothing lost.
 */
async function writeEverything(client: CloudLinkClient, sandbox: RunningSandbox): Promise<void> {
  const fields = (name: string) => ({ name, country: 'US', language: 'en-US', city: 'Austin' });
  const acc = await Promise.all([
    ensureAccount(client, P, fields('Acme A'), 'acme-a'),
    ensureAccount(client, P, fields('Acme B'), 'acme-b'),
    ensureAccount(client, P, fields('Acme B'), 'acme-b'),
    ensureAccount(client, P, fields('Acme C'), 'acme-c'),
  ]);
  expect(acc[1]?.value?.accountId).toBe(acc[2]?.value?.accountId);
  const acmeA = acc[0]?.value?.accountId ?? '';
  const acmeB = acc[1]?.value?.accountId ?? '';

  const orderId = async (tn: string): Promise<string> => (await collect(client.orders.list(P, { search: tn })))[0]?.orderId ?? '';
  const [o1, o2, o5] = await Promise.all([orderId('TN-1001'), orderId('TN-1002'), orderId('TN-1005')]);
  const assigned = await Promise.all([client.orders.assign(P, o1, acmeA), client.orders.assign(P, o2, acmeB), client.orders.assign(P, o5, DEMO_INITECH_ID)]);
  expect(assigned.map((r) => r.value?.assignedAccountId)).toEqual([acmeA, acmeB, DEMO_INITECH_ID]);

  const singles = await Promise.all(Array.from({ length: 20 }, (_, i) => client.users.create(DEMO_INITECH_ID, user(i))));
  expect(singles.every((r) => r.value?.email === `user${singles.indexOf(r)}@initech.example`)).toBe(true);
  const batch = await client.users.createMany(acmeA, Array.from({ length: 60 }, (_, i) => user(i, 'acme.example')));
  expect(batch).toHaveLength(60);
  expect(batch.filter((r) => !r.ok)).toEqual([]);
  expect(batch.map((r) => (r.ok ? r.user.email : ''))).toEqual(Array.from({ length: 60 }, (_, i) => `user${i}@acme.example`));

  const contacts = await Promise.all(Array.from({ length: 6 }, (_, i) => client.contacts.add(acmeA, { email: `c${i}@support.example`, name: `C ${i}`, type: 'SUPPORT' })));
  expect(contacts.every((c) => c.value?.type === 'SUPPORT')).toBe(true);

  await client.integrations.add(acmeA, 'miteam-meetings');
  const licenses = await Promise.all(singles.map((r) => client.billing.enable(DEMO_INITECH_ID, r.value?.userId ?? '', 'miteam-meetings')));
  expect(licenses.every((l) => l.value?.product === 'miteam-meetings')).toBe(true);

  const d = await dump(sandbox);
  for (const key of ['acme-a', 'acme-b', 'acme-c']) {
    expect(d.accounts.filter((a) => (a.tags['cloudlink-tenancy'] as { key?: string } | undefined)?.key === key)).toHaveLength(1);
  }
  expect(d.accounts.filter((a) => a.name.startsWith('Acme '))).toHaveLength(3);
  for (const accountId of [DEMO_INITECH_ID, acmeA]) expect(duplicates(d.users.filter((u) => u.accountId === accountId).map((u) => u.email.toLowerCase()))).toEqual([]);
  expect(d.users.filter((u) => u.accountId === DEMO_INITECH_ID)).toHaveLength(23);
  expect(d.users.filter((u) => u.accountId === acmeA)).toHaveLength(60);
  expect(d.contacts.filter((c) => c.accountId === acmeA)).toHaveLength(6);
  expect(duplicates(d.licenses.map((l) => `${l.userId}/${l.product}`))).toEqual([]);
  expect(d.licenses.filter((l) => l.accountId === DEMO_INITECH_ID)).toHaveLength(22);
  expect(d.orders.filter((o) => [o1, o2, o5].includes(o.subscriptionId)).map((o) => o.accountId).sort()).toEqual([acmeA, acmeB, DEMO_INITECH_ID].sort());
}

/** An HTTP proxy in front of the sandbox that refuses every `$filter` with 400 (a service whose filters differ). */
async function filterRefusingProxy(target: string): Promise<{ url: string; refused: string[] }> {
  const refused: string[] = [];
  const t = new URL(target);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const filter = url.searchParams.get('$filter');
    if (filter !== null) {
      refused.push(`${req.method} ${url.pathname} ${filter.replace(/'(?:[^']|'')*'/g, "'?'")}`);
      res.writeHead(400, { 'content-type': 'application/json', 'x-mitel-correlation-id': 'proxy-refusal' });
      res.end(JSON.stringify({ name: 'BadRequest', message: 'Invalid $filter: not supported here' }));
      return;
    }
    const upstream = httpRequest({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  const listening = await listenOnLoopback(server);
  closers.push(listening.close);
  return { url: listening.url, refused };
}

describe('CloudLink client v2 against the sandbox', () => {
  it('logs in, reads the claims once, and lists the demo tenant in domain types', async () => {
    const { client, sandbox } = await setup();
    const me = await client.principal.whoami();
    expect(me).toMatchObject({ partnerId: P, accountId: DEMO_CREDENTIALS.partnerAccountId, role: 'PARTNER_ADMIN', email: DEMO_CREDENTIALS.username });
    await client.principal.whoami();
    expect(sandbox.requestCounts()['GET /auth/2017-09-01/token']).toBe(1);

    const accounts = await collect(client.accounts.list(P));
    expect(accounts.map((a) => a.name).sort()).toEqual(['Initech', 'Northwind Partner']);
    expect(accounts.every((a) => a.partnerId === P)).toBe(true);
    expect(accounts.find((a) => a.accountId === DEMO_INITECH_ID)).toMatchObject({ accountNumber: '100002', country: 'US', city: 'Austin', postalCode: '73301', language: 'en-US', tags: {} });

    const users = await collect(client.users.list(DEMO_INITECH_ID));
    expect(users.map((u) => u.email).sort()).toEqual(['michael.bolton@initech.example', 'peter.gibbons@initech.example', 'samir.nagheenanajar@initech.example']);
    expect(users.find((u) => u.email.startsWith('peter'))).toMatchObject({ role: 'Account Admin', verified: true, welcomeSentOn: '2026-03-01T09:00:00.000Z' });
    expect(JSON.stringify(users)).not.toMatch(/sipPassword/);
    const licenses = await collect(client.billing.licenses(DEMO_INITECH_ID));
    expect(licenses.map((l) => l.userId).sort()).toEqual(users.filter((u) => !u.email.startsWith('michael')).map((u) => u.userId).sort());
    const subs = await collect(client.billing.subscriptions(DEMO_INITECH_ID));
    expect(subs.map((s) => s.quantity).sort()).toEqual([5, 5]);
    expect((await collect(client.contacts.list(DEMO_INITECH_ID))).map((c) => [c.email, c.type])).toEqual([['support@northwind.example', 'SUPPORT']]);
    expect((await collect(client.integrations.list(DEMO_INITECH_ID))).map((i) => i.type)).toEqual(['miteam-meetings']);
    expect((await client.integrations.catalog()).map((c) => c.type)).toContain('miteam-meetings');
    const unassigned = await collect(client.orders.list(P, { unassigned: true }));
    expect(unassigned.map((o) => o.trackingNumber).sort()).toEqual(['TN-1001', 'TN-1002', 'TN-1004', 'TN-1005', 'TN-1006']);
    expect((await collect(client.orders.list(P, { search: 'SAP-200' }))).map((o) => o.trackingNumber).sort()).toEqual(['TN-1002', 'TN-1003']);
    const soon = new Date(Date.now() + 30 * 86_400_000).toISOString();
    expect((await collect(client.orders.list(P, { expiresBefore: soon }))).map((o) => o.trackingNumber).sort()).toEqual(['TN-1006', 'TN-1007']);
  });

  it('logs in with client credentials and the account id', async () => {
    const { sandbox } = await setup();
    const c = clientFor(sandbox, { credentials: { clientId: DEMO_CREDENTIALS.clientId, clientSecret: DEMO_CREDENTIALS.clientSecret, accountId: DEMO_CREDENTIALS.partnerAccountId } });
    expect(await c.principal.whoami()).toMatchObject({ accountId: DEMO_CREDENTIALS.partnerAccountId, partnerId: P, role: 'PARTNER_ADMIN' });
    const wrong = clientFor(sandbox, { credentials: { clientId: DEMO_CREDENTIALS.clientId, clientSecret: 'not-the-secret', accountId: DEMO_CREDENTIALS.partnerAccountId } });
    const err = (await wrong.accounts.get(DEMO_INITECH_ID).catch((e: unknown) => e)) as CloudLinkError;
    expect(err).toMatchObject({ code: 'unauthorized', status: 401 });
    expect(err.message).toMatch(/correlation id [0-9a-f-]{36}/);
    expect(err.message).not.toContain('not-the-secret');
  });

  it('refreshes an expired token once and repeats the call', async () => {
    let now = Date.now();
    const events: TraceEvent[] = [];
    const { sandbox } = await setup({ now: () => new Date(now), faults: { tokenTtlSec: 60 } });
    const c = clientFor(sandbox, { trace: { write: (e) => events.push(e) } });
    expect(await c.accounts.get(DEMO_INITECH_ID)).toBeDefined();
    now += 120_000;
    expect((await c.accounts.get(DEMO_INITECH_ID))?.name).toBe('Initech');
    expect(events.filter((e) => e.route === '/accounts/{accountId}').map((e) => e.status)).toEqual([200, 401, 200]);
    const grants = events.filter((e) => e.service === 'auth' && e.method === 'POST').map((e) => (e.requestBody as { grant_type: string }).grant_type);
    expect(grants).toEqual(['password', 'refresh_token']);
    expect(c.stats().tokenRequests).toBe(2);
  });

  it('finishes through a 429 storm, honouring Retry-After', async () => {
    const events: TraceEvent[] = [];
    const { sandbox } = await setup({ faults: { rateLimitPerSec: 20, burst: 5 } });
    const c = clientFor(sandbox, { trace: { write: (e) => events.push(e) } });
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => c.users.create(DEMO_INITECH_ID, user(i))));
    expect(results.every((r) => r.outcome === 'created')).toBe(true);
    const limited = events.filter((e) => e.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(c.stats().rateLimited).toBe(limited.length);
    expect((await dump(sandbox)).faultCounts.rateLimited).toBe(limited.length);
    // Every 429 carried Retry-After (seconds), and no request left the client while one was running.
    expect(limited.every((e) => Number(e.responseHeaders?.['retry-after']) >= 1)).toBe(true);
    const pauses = limited.map((e) => ({ from: Date.parse(e.ts), to: Date.parse(e.ts) + Number(e.responseHeaders?.['retry-after']) * 1000 }));
    const sentDuringPause = events.filter((e) => {
      const sent = Date.parse(e.ts) - e.ms;
      return pauses.some((p) => sent > p.from + 15 && sent < p.to - 15);
    });
    expect(sentDuringPause).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('creates everything exactly once under 20 % 5xx', async () => {
    const { client, sandbox } = await setup({ faults: { errorRate: 0.2 } });
    await writeEverything(client, sandbox);
    expect((await dump(sandbox)).faultCounts.errorBeforeWrite).toBeGreaterThan(10);
    expect(client.stats().ambiguous).toBeGreaterThan(0);
  });

  it('creates everything exactly once when writes commit and then answer 5xx', async () => {
    const { client, sandbox } = await setup({ faults: { errorAfterCommitRate: 0.3 } });
    await writeEverything(client, sandbox);
    const d = await dump(sandbox);
    expect(d.faultCounts.errorAfterCommit).toBeGreaterThan(5);
    expect(client.stats().ambiguous).toBeGreaterThanOrEqual(d.faultCounts.errorAfterCommit);
    expect(client.stats().rereads).toBeGreaterThan(0);
  });

  it('creates everything exactly once when writes commit and then lose the connection', async () => {
    const { client, sandbox } = await setup({ faults: { dropAfterCommitRate: 0.3 } });
    await writeEverything(client, sandbox);
    const d = await dump(sandbox);
    expect(d.faultCounts.dropAfterCommit).toBeGreaterThan(5);
    expect(client.stats().ambiguous).toBeGreaterThanOrEqual(d.faultCounts.dropAfterCommit);
    expect(client.stats().rereads).toBeGreaterThan(0);
  });

  it('resolves 409s by re-reading: an existing e-mail is unchanged, a license beyond capacity is refused', async () => {
    const { client } = await setup();
    const r = await client.users.create(DEMO_INITECH_ID, { ...user(0), email: 'PETER.GIBBONS@initech.example' });
    expect(r.outcome).toBe('unchanged');
    expect(r.value?.email).toBe('peter.gibbons@initech.example');
    const rows = await client.users.createMany(DEMO_INITECH_ID, [user(1), { ...user(2), email: 'Samir.Nagheenanajar@initech.example' }, user(3)]);
    expect(rows.map((x) => (x.ok ? x.outcome : x.status))).toEqual(['created', 'unchanged', 'created']);
    await expect(client.users.createMany(DEMO_INITECH_ID, Array.from({ length: 101 }, (_, i) => user(i)))).rejects.toThrow(/at most 100/);

    // Initech: 5 licenses (TN-1003), 2 in use; TN-1007 has expired.
    const peter = await client.users.findByEmail(DEMO_INITECH_ID, 'Peter.Gibbons@INITECH.example');
    expect((await client.billing.enable(DEMO_INITECH_ID, peter?.userId ?? '', 'miteam-meetings')).outcome).toBe('unchanged');
    const ids: string[] = [];
    for (let i = 10; i < 14; i += 1) ids.push((await client.users.create(DEMO_INITECH_ID, user(i))).value?.userId ?? '');
    for (let i = 0; i < 3; i += 1) expect((await client.billing.enable(DEMO_INITECH_ID, ids[i] ?? '', 'miteam-meetings')).outcome).toBe('created');
    const err = (await client.billing.enable(DEMO_INITECH_ID, ids[3] ?? '', 'miteam-meetings').catch((e: unknown) => e)) as CloudLinkError;
    expect(err).toMatchObject({ code: 'conflict', status: 409, transient: false });
    expect(err.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(err.message).toContain(err.correlationId);
    expect(isAmbiguous(err)).toBe(false);
  });

  it('settles two runs racing to create one account on the oldest (the engine\'s ensureAccount over the plain client calls)', async () => {
    const { sandbox } = await setup();
    const a = clientFor(sandbox);
    const b = clientFor(sandbox);
    const fields = { name: 'Racing Ltd', country: 'CA', language: 'fr-CA', postalCode: 'H2X 1Y4' };
    const [ra, rb] = await Promise.all([ensureAccount(a, P, fields, 'racing'), ensureAccount(b, P, fields, 'racing')]);
    expect(ra.value?.accountId).toBe(rb.value?.accountId);
    expect([ra.outcome, rb.outcome].sort()).toEqual(['created', 'unchanged']);
    const d = await dump(sandbox);
    expect(d.accounts.filter((x) => x.name === 'Racing Ltd')).toHaveLength(1);
    // A re-run finds it by its identity tag.
    expect((await ensureAccount(a, P, fields, 'racing')).outcome).toBe('unchanged');
    const acct = await a.accounts.get(ra.value?.accountId ?? '');
    expect(acct).toMatchObject({ identityKey: 'racing', country: 'CA', postalCode: 'H2X 1Y4', language: 'fr-CA' });
    const id = acct?.accountId ?? '';
    // Account writes are one request each; the account is read back here by the test, not by the client.
    const requests = (): number => Object.values(sandbox.requestCounts()).reduce((n, v) => n + v, 0);
    const before = requests();
    expect((await a.accounts.update(id, { city: 'Montréal' })).outcome).toBe('updated');
    expect(await a.accounts.get(id)).toMatchObject({ city: 'Montréal', postalCode: 'H2X 1Y4', identityKey: 'racing' });
    expect((await a.accounts.setTag(id, 'wave', 3)).outcome).toBe('updated');
    expect((await a.accounts.get(id))?.tags).toEqual({ wave: 3 });
    expect((await a.accounts.setTag(id, 'wave', undefined)).outcome).toBe('updated');
    expect((await a.accounts.setTag(id, 'wave', undefined)).outcome).toBe('unchanged');
    expect((await a.accounts.get(id))?.tags).toEqual({});
    expect(requests() - before).toBe(7);
    expect((await a.accounts.delete(acct?.accountId ?? '')).outcome).toBe('deleted');
    expect((await a.accounts.delete(acct?.accountId ?? '')).outcome).toBe('unchanged');
  });

  it('retries a welcome send whose answer was lost (at least once: each lost answer may cost one extra e-mail), and records it', async () => {
    const { client, sandbox } = await setup();
    const [row] = await client.users.createMany(DEMO_INITECH_ID, [user(1)]);
    const userId = row?.ok ? row.user.userId : '';
    const route = 'POST /admin/2017-09-01/accounts/{accountId}/users/{userId}/welcome-email';
    sandbox.setFaults({ dropAfterCommitRate: 1 });
    const err = await client.users.sendWelcome(DEMO_INITECH_ID, userId).catch((e: unknown) => e);
    expect(isAmbiguous(err)).toBe(true);
    sandbox.setFaults({ dropAfterCommitRate: 0 });
    const sends = sandbox.requestCounts()[route] ?? 0;
    expect(sends).toBeGreaterThan(1);
    expect((await dump(sandbox)).outbox.filter((m) => m.userId === userId && m.type === 'welcome')).toHaveLength(sends);
    await client.users.recordWelcome(DEMO_INITECH_ID, userId, '2026-04-01T00:00:00.000Z');
    expect(await client.users.get(DEMO_INITECH_ID, userId)).toMatchObject({ welcomeSentOn: '2026-04-01T00:00:00.000Z' });
    await client.users.resetPassword(DEMO_INITECH_ID, 'user1@initech.example');
    expect((await dump(sandbox)).outbox.filter((m) => m.type === 'password-reset')).toHaveLength(1);
    const renamed = await client.users.update(DEMO_INITECH_ID, userId, { name: 'Renamed', role: 'Account Admin' });
    expect(renamed.value).toMatchObject({ name: 'Renamed', role: 'Account Admin', firstName: 'U' });
    expect((await client.users.delete(DEMO_INITECH_ID, userId)).outcome).toBe('deleted');
    expect(await client.users.get(DEMO_INITECH_ID, userId)).toBeUndefined();
  });

  it('falls back to listing and filtering itself when the service refuses $filter', async () => {
    const { sandbox } = await setup();
    const proxy = await filterRefusingProxy(sandbox.url);
    const prefix = (u: string): string => proxy.url + new URL(u).pathname;
    const c = clientFor(sandbox, { authUrl: prefix(sandbox.authUrl), adminUrl: prefix(sandbox.adminUrl), billingUrl: prefix(sandbox.billingUrl) });
    const direct = clientFor(sandbox);
    expect((await c.users.findByEmail(DEMO_INITECH_ID, 'PETER.gibbons@initech.example'))?.email).toBe('peter.gibbons@initech.example');
    expect(await c.users.findByEmail(DEMO_INITECH_ID, 'nobody@initech.example')).toBeUndefined();
    expect((await collect(c.accounts.list(P))).map((a) => a.name).sort()).toEqual(['Initech', 'Northwind Partner']);
    for (const filter of [{ unassigned: true }, { search: 'SAP-200' }, { expiresBefore: '2030-01-01T00:00:00.000Z' }, {}]) {
      const viaProxy = (await collect(c.orders.list(P, filter))).map((o) => o.orderId).sort();
      expect(viaProxy).toEqual((await collect(direct.orders.list(P, filter))).map((o) => o.orderId).sort());
    }
    const order = (await collect(direct.orders.list(P, { search: 'TN-1004' })))[0];
    expect((await c.orders.get(P, order?.orderId ?? ''))?.trackingNumber).toBe('TN-1004');
    expect((await collect(c.billing.licenses(DEMO_INITECH_ID))).every((l) => l.accountId === DEMO_INITECH_ID)).toBe(true);
    expect((await collect(c.billing.subscriptions(DEMO_INITECH_ID))).length).toBe(2);
    // One refusal per kind of question: the client does not ask again.
    expect(duplicates(proxy.refused)).toEqual([]);
    expect(proxy.refused.length).toBeGreaterThanOrEqual(5);
  });

  it('follows pagination over 5,000 users with 5 list calls (pages of 1,000)', async () => {
    const { client, sandbox } = await setup();
    const big = 'b'.repeat(32);
    sandbox.seed({ accounts: [{ accountId: big, partnerId: P, name: 'Big', users: Array.from({ length: 5000 }, (_, i) => ({ email: `u${i}@big.example`, firstName: 'U', lastName: String(i) })) }] });
    sandbox.resetRequestCounts();
    const seen = new Set<string>();
    let n = 0;
    for await (const u of client.users.list(big)) {
      n += 1;
      seen.add(u.userId);
    }
    expect(n).toBe(5000);
    expect(seen.size).toBe(5000);
    expect(sandbox.requestCounts()['GET /admin/2017-09-01/accounts/{accountId}/users']).toBe(5);
  });

  it('rejects a malformed answer naming the route, the field and the correlation id', async () => {
    const apps = new Set<string>();
    const server = createServer((req, res) => {
      apps.add(String(req.headers['x-mitel-app']));
      res.writeHead(200, { 'content-type': 'application/json', 'x-mitel-correlation-id': 'corr-malformed-1' });
      if (req.url?.includes('/token')) res.end(JSON.stringify({ access_token: 't0k3n-value', token_type: 'Bearer', expires_in: 3600 }));
      else res.end(JSON.stringify({ accountId: 'x', name: 42, sipPassword: 'sip-in-malformed' }));
    });
    const listening = await listenOnLoopback(server);
    closers.push(listening.close);
    const base = listening.url;
    const c = createCloudLinkClient({ authUrl: `${base}/auth`, adminUrl: `${base}/admin`, billingUrl: `${base}/billing`, credentials: { clientId: 'c', clientSecret: 's3cr3t' } });
    closers.push(() => c.close());
    const error = (await c.accounts.get('x').catch((e: unknown) => e)) as CloudLinkError;
    expect(error).toBeInstanceOf(CloudLinkSchemaError);
    expect(error.message).toContain('GET /accounts/{accountId}');
    expect(error.message).toMatch(/\bname\b/);
    expect(error.message).toContain('corr-malformed-1');
    expect(error.message).not.toContain('sip-in-malformed');
    // Every call identified the tool (token call included).
    expect([...apps]).toEqual([`app=cloudlink-tenancy/0.1.0;platform=${os.platform()}/${os.release()}`]);
  });

  it('times out: a GET is retried, a write that timed out is ambiguous, a create still happens once', async () => {
    const { sandbox } = await setup();
    const c = clientFor(sandbox, { timeoutMs: 100, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });
    const peter = await c.users.findByEmail(DEMO_INITECH_ID, 'peter.gibbons@initech.example');
    sandbox.setFaults({ latencyMs: 300 });
    const read = (await c.users.get(DEMO_INITECH_ID, peter?.userId ?? '').catch((e: unknown) => e)) as CloudLinkError;
    expect(read).toMatchObject({ code: 'timeout' });
    expect(isAmbiguous(read)).toBe(false);
    const write = (await c.users.sendWelcome(DEMO_INITECH_ID, peter?.userId ?? '').catch((e: unknown) => e)) as CloudLinkError;
    expect(write).toMatchObject({ code: 'timeout' });
    expect(isAmbiguous(write)).toBe(true);
    expect(write.message).toMatch(/POST \/accounts\/\{accountId\}\/users\/\{userId\}\/welcome-email: timed out after 100 ms.*the write may have happened \(no correlation id: no answer\)/);
    // Latency around the timeout: creates time out, commit late, and are re-read or answered 409.
    sandbox.setFaults({ latencyMs: 40, jitterMs: 100 });
    // About 40 % of attempts time out: 20 creates leave 0 ambiguous with p = 0.6^20 < 1e-4, and
    // 20 attempts per call make giving up (0.4^20 per call) practically impossible.
    const patient = clientFor(sandbox, { timeoutMs: 100, retry: { attempts: 20, baseDelayMs: 20, maxDelayMs: 200 } });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => patient.users.create(DEMO_INITECH_ID, user(i))));
    expect(results.every((r) => r.value?.email.startsWith('user'))).toBe(true);
    sandbox.setFaults({ latencyMs: 0, jitterMs: 0 });
    const d = await dump(sandbox);
    expect(duplicates(d.users.filter((u) => u.accountId === DEMO_INITECH_ID).map((u) => u.email))).toEqual([]);
    expect(d.users.filter((u) => u.accountId === DEMO_INITECH_ID)).toHaveLength(23);
    expect(patient.stats().ambiguous).toBeGreaterThan(0);
  });

  it('puts the correlation id in every error and trace line', async () => {
    const events: TraceEvent[] = [];
    const { sandbox } = await setup();
    const c = clientFor(sandbox, { trace: { write: (e) => events.push(e) } });
    const err = (await c.users.update(DEMO_INITECH_ID, 'no-such-user', { name: 'x' }).catch((e: unknown) => e)) as CloudLinkError;
    expect(err).toMatchObject({ code: 'not_found', status: 404 });
    expect(err.message).toContain(`correlation id ${err.correlationId}`);
    const plain = clientFor(sandbox, { credentials: { username: DEMO_CREDENTIALS.plainUser.username, password: DEMO_CREDENTIALS.plainUser.password } });
    const forbidden = (await plain.users.get(DEMO_INITECH_ID, 'x').catch((e: unknown) => e)) as CloudLinkError;
    expect(forbidden).toMatchObject({ code: 'forbidden', status: 403 });
    expect(forbidden.message).toContain(String(forbidden.correlationId));
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.every((e) => typeof e.correlationId === 'string' && e.correlationId.length > 0)).toBe(true);
    const notFound = events.find((e) => e.status === 404);
    expect(notFound).toMatchObject({ method: 'PUT', service: 'admin', route: '/accounts/{accountId}/users/{userId}', responseBody: { name: 'NotFound' } });
    expect(notFound?.responseHeaders?.['x-mitel-correlation-id']).toBe(notFound?.correlationId);
  });

  it('never writes a sipPassword, password or token into the trace file or an error', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'trace-'));
    const file = path.join(dir, 'trace.jsonl');
    const { sandbox } = await setup({ faults: { errorRate: 0.3, errorAfterCommitRate: 0.2 } });
    const c = clientFor(sandbox, { trace: fileTraceSink(file), retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    const messages: string[] = [];
    const attempt = async (f: () => Promise<unknown>): Promise<void> => {
      try {
        await f();
      } catch (e) {
        messages.push(String((e as Error).message), JSON.stringify(e));
      }
    };
    for (let round = 0; round < 5; round += 1) {
      await attempt(() => collect(c.users.list(DEMO_INITECH_ID)));
      await attempt(() => c.users.findByEmail(DEMO_INITECH_ID, 'peter.gibbons@initech.example'));
      await attempt(() => c.users.create(DEMO_INITECH_ID, user(round)));
      await attempt(() => c.users.create(DEMO_INITECH_ID, { ...user(round), email: 'peter.gibbons@initech.example' }));
      await attempt(() => c.users.createMany(DEMO_INITECH_ID, [user(100 + round), user(200 + round)]));
      await attempt(() => c.users.get(DEMO_INITECH_ID, 'no-such-user'));
      await attempt(() => c.principal.whoami());
    }
    const bad = clientFor(sandbox, { credentials: { username: DEMO_CREDENTIALS.username, password: `${DEMO_CREDENTIALS.password}-wrong` }, trace: fileTraceSink(file), retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });
    await attempt(() => bad.accounts.get(DEMO_INITECH_ID));
    await c.close();
    await bad.close();
    const text = (await readFile(file, 'utf8')) + messages.join('\n');
    const d = await dump(sandbox);
    const sipPasswords = d.users.map((u) => u.sipPassword).filter(Boolean);
    expect(sipPasswords.length).toBeGreaterThan(3);
    for (const secret of [...sipPasswords, DEMO_CREDENTIALS.password, DEMO_CREDENTIALS.clientSecret]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/"(access_token|refresh_token|password|client_secret|authorization)":"(?!\[redacted\])/i);
    expect(text).not.toMatch(/bearer\s+(?!\[redacted\])[A-Za-z0-9_-]{8,}/i);
    expect(text).toContain('"password":"[redacted]"');
    expect(text.split('\n').filter((l) => /"status":5\d\d/.test(l)).length).toBeGreaterThan(0);
    expect(messages.length).toBeGreaterThan(0);
  });
});
