/**
 * Paging of lists (contract 2.1, Lists): the client asks for REQUESTED_PAGE_SIZE, follows the
 * page size served, reads the pages of a list with `count` and `$skip` paging concurrently,
 * and stays correct when `count` is absent, pages are smaller than asked, or the list changes
 * while it is read (no row twice, no row that stayed in the list missed). The real client
 * against the real sandbox, with a loopback proxy in front where the service must differ.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { REQUESTED_PAGE_SIZE, skipPageUrls } from '../../provider/api/paging.js';
import { pageQueryToWire } from '../../provider/api/wire.js';
import { isPaged } from '../../provider/api/paged-rows.js';
import { firstOf } from '../../provider/api/client/reads.js';
import { collect } from '../../provider/engine/snapshot.js';
import { DEMO_CREDENTIALS, type RunningSandbox } from '../../provider/sandbox/index.js';
import { demoClient, sandboxWithClient } from '../helpers/sandbox.js';
import { listenOnLoopback } from '../helpers/loopback.js';

const P = DEMO_CREDENTIALS.partnerId;
const BIG = 'b'.repeat(32);
const USERS_ROUTE = 'GET /admin/2017-09-01/accounts/{accountId}/users';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

async function bigAccount(users: number) {
  const s = await sandboxWithClient();
  closers.push(s.close);
  s.sandbox.seed({ accounts: [{ accountId: BIG, partnerId: P, name: 'Big', users: Array.from({ length: users }, (_, i) => ({ email: `u${i}@big.example`, firstName: 'U', lastName: String(i) })) }] });
  s.sandbox.resetRequestCounts();
  return s;
}

interface ProxyHooks {
  /** Rewrites the path and query of a request before it goes upstream. */
  request?(path: string): string;
  /** Called when a users list request arrives (before it goes upstream). */
  onList?(url: URL): void;
  /** Rewrites a list answer's JSON body. */
  body?(json: Record<string, unknown>): Record<string, unknown>;
  /** How long a list answer is held before it goes back (default 20 ms). */
  holdMs?: number;
}

/** A loopback proxy in front of the sandbox that counts users-list requests in flight and can rewrite them. */
async function proxy(sandbox: RunningSandbox, hooks: ProxyHooks = {}) {
  const t = new URL(sandbox.url);
  const stats = { inFlight: 0, maxInFlight: 0, lists: 0 };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const isList = req.method === 'GET' && /\/accounts\/[^/]+\/users$/.test(url.pathname);
    if (isList) {
      stats.lists += 1;
      stats.inFlight += 1;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      hooks.onList?.(url);
    }
    const upstream = httpRequest({ host: t.hostname, port: t.port, method: req.method, path: isList && hooks.request ? hooks.request(req.url ?? '/') : req.url, headers: req.headers }, (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        let body = Buffer.concat(chunks);
        // Let the other pages' requests arrive before this one answers, so overlap shows.
        const answer = (): void => {
          if (isList && hooks.body && up.statusCode === 200) {
            const text = JSON.stringify(hooks.body(JSON.parse(body.toString('utf8')) as Record<string, unknown>)).replaceAll(`${t.origin}`, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
            body = Buffer.from(text);
          } else if (isList) {
            body = Buffer.from(body.toString('utf8').replaceAll(`${t.origin}`, `http://127.0.0.1:${(server.address() as AddressInfo).port}`));
          }
          const headers = { ...up.headers, 'content-length': String(body.length) };
          res.writeHead(up.statusCode ?? 502, headers);
          res.end(body);
          if (isList) stats.inFlight -= 1;
        };
        if (isList) setTimeout(answer, hooks.holdMs ?? 20);
        else answer();
      });
    });
    req.pipe(upstream);
  });
  const listening = await listenOnLoopback(server);
  closers.push(listening.close);
  const base = listening.url;
  const client = demoClient(sandbox, { authUrl: base + new URL(sandbox.authUrl).pathname, adminUrl: base + new URL(sandbox.adminUrl).pathname, billingUrl: base + new URL(sandbox.billingUrl).pathname });
  closers.push(() => client.close());
  return { client, stats };
}

async function ids(rows: AsyncIterable<{ userId: string }>): Promise<string[]> {
  const out: string[] = [];
  for await (const r of rows) out.push(r.userId);
  return out;
}

describe('skipPageUrls', () => {
  const next = 'https://admin.example/2017-09-01/accounts/a/users?$top=1000&$expand=tags&$skip=1000';
  it.each([
    ['count and a $skip that follows the served page', next, 1000, 3500, ['1000', '2000', '3000']],
    ['pages smaller than asked: steps by what was served', next.replace('$skip=1000', '$skip=50'), 50, 160, ['50', '100', '150']],
    ['no count', next, 1000, undefined, undefined],
    ['an opaque $skiptoken', 'https://admin.example/x?$top=1000&$skiptoken=abc', 1000, 3500, undefined],
    ['a $skip that does not follow the served page', next, 900, 3500, undefined],
    ['nothing served', next, 0, 3500, undefined],
  ])('%s', (_what, link, served, count, skips) => {
    const urls = skipPageUrls(link, served, count);
    expect(urls?.map((u) => new URL(u).searchParams.get('$skip'))).toEqual(skips);
    // Only the offset changes: the rest of the link stays as the service wrote it.
    for (const u of urls ?? []) expect(u.replace(/\$skip=\d+/, '')).toBe(link.replace(/\$skip=\d+/, ''));
  });
});

describe('list paging against the sandbox', () => {
  it('asks for a large page in one setting and reads 5,000 users in 5 calls, pages in flight at once', async () => {
    expect(pageQueryToWire().$top).toBe(String(REQUESTED_PAGE_SIZE));
    const { sandbox } = await bigAccount(5000);
    const { client, stats } = await proxy(sandbox);
    const got = await ids(client.users.list(BIG));
    expect(got).toHaveLength(5000);
    expect(new Set(got).size).toBe(5000);
    expect(sandbox.requestCounts()[USERS_ROUTE]).toBe(5);
    expect(stats.maxInFlight).toBeGreaterThan(1);
  });

  it('hands over whole pages: collect gets the same 5,000 rows as reading row by row, and firstOf reads one page', async () => {
    const { sandbox } = await bigAccount(5000);
    const { client } = await proxy(sandbox);
    const rows = client.users.list(BIG);
    expect(isPaged(rows)).toBe(true);
    const byRow = await ids(rows);
    expect((await collect(client.users.list(BIG))).map((u) => u.userId)).toEqual(byRow);
    sandbox.resetRequestCounts();
    expect(await firstOf(client.users.list(BIG))).toBeDefined();
    expect(sandbox.requestCounts()[USERS_ROUTE]).toBe(1);
  });

  it('sends every page after the first at once: 2,000 users in pages of 100 are 1 call, then 19 in flight together', async () => {
    const { sandbox } = await bigAccount(2000);
    const { client, stats } = await proxy(sandbox, { request: (p) => p.replace(/(\$|%24)top=\d+/, '$1top=100'), holdMs: 300 });
    const got = await ids(client.users.list(BIG));
    expect(new Set(got).size).toBe(2000);
    expect(stats.lists).toBe(20);
    expect(stats.maxInFlight).toBe(19);
  });

  it('follows next page by page when the list has no count and pages are smaller than asked', async () => {
    const { sandbox } = await bigAccount(1000);
    const { client, stats } = await proxy(sandbox, {
      request: (p) => p.replace(/(\$|%24)top=\d+/, '$1top=50'),
      body: ({ count: _count, ...rest }) => rest,
    });
    const got = await ids(client.users.list(BIG));
    expect(new Set(got).size).toBe(1000);
    expect(got).toHaveLength(1000);
    expect(stats.lists).toBe(20);
    expect(stats.maxInFlight).toBe(1);
  });

  it.each([
    ['a user deleted at the front', 'delete'],
    ['a user added', 'add'],
  ] as const)('yields every row once when the list changes while it is read (%s)', async (_what, change) => {
    const { sandbox } = await bigAccount(3000);
    const before = sandbox.store.users(BIG).map((u) => u.userId);
    let changed = false;
    const { client, stats } = await proxy(sandbox, {
      onList: (url) => {
        if (changed || url.searchParams.get('$skip') === null) return;
        changed = true;
        if (change === 'delete') sandbox.store.deleteUser(BIG, before[0] ?? '');
        else sandbox.store.createUser(BIG, { email: 'late@big.example', firstName: 'Late' });
      },
    });
    const got = await ids(client.users.list(BIG));
    expect(changed).toBe(true);
    expect(new Set(got).size).toBe(got.length);
    // Every user that was there all along is read (the deleted one may or may not be).
    const after = new Set(sandbox.store.users(BIG).map((u) => u.userId));
    for (const id of after) if (before.includes(id)) expect(got).toContain(id);
    // The concurrent pages were dropped and next was followed from the first page.
    expect(stats.lists).toBeGreaterThan(3);
  });
});
