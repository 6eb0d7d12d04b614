/**
 * Conformance of the client's route table (provider/api/routes.ts) with the sandbox: every
 * route the client calls is served by the sandbox with the same method and full path
 * (service prefix + template), both in the sandbox's own table and over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, servicePrefixes, DEFAULT_BASE_URLS, expandRoute } from '../../provider/api/routes.js';
import { sandboxRoutes } from '../../provider/sandbox/routes.js';
import { DEMO_CREDENTIALS, startSandbox, type RunningSandbox } from '../../provider/sandbox/index.js';

const clientRoutes = Object.entries(routes).map(([name, r]) => ({ name, method: r.method as string, path: `${servicePrefixes[r.service]}${r.template}` }));
const key = (r: { method: string; path: string }): string => `${r.method} ${r.path}`;

describe('route table conformance', () => {
  it('every client route is in the sandbox table with the same method and full path', () => {
    const served = new Set(sandboxRoutes.map(key));
    const missing = clientRoutes.filter((r) => !served.has(key(r))).map((r) => `${r.name}: ${key(r)}`);
    expect(missing).toEqual([]);
  });

  it('each sandbox prefix ends with the version path of the real base URL', () => {
    for (const service of ['auth', 'admin', 'billing'] as const) {
      expect(servicePrefixes[service].endsWith(new URL(DEFAULT_BASE_URLS[service]).pathname)).toBe(true);
    }
  });

  describe('over HTTP', () => {
    let sandbox: RunningSandbox;
    let token: string;
    let unknownRoute: (method: string, path: string) => string;

    beforeAll(async () => {
      sandbox = await startSandbox({ seed: 'demo' });
      const res = await fetch(`${sandbox.authUrl}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'password', username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password }),
      });
      expect(res.status).toBe(200);
      token = ((await res.json()) as { access_token: string }).access_token;
      // What the sandbox answers for a route it does not know, as a template over method and path.
      const probePath = `${servicePrefixes.admin}/no-such-route-4711`;
      const probe = await fetch(`${sandbox.url}${probePath}`, { headers: { authorization: `Bearer ${token}` } });
      expect(probe.status).toBe(404);
      const probeText = await probe.text();
      const template = probeText.split(probePath).join('\u0000PATH\u0000').split('GET').join('\u0000METHOD\u0000');
      unknownRoute = (method, path) => template.split('\u0000PATH\u0000').join(path).split('\u0000METHOD\u0000').join(method);
    });
    afterAll(async () => {
      await sandbox?.close();
    });

    it.each(clientRoutes)('$name: $method $path is answered by a route handler', async ({ method, path }) => {
      const dummy = new Proxy({} as Record<string, string>, { get: (_t, p) => (p === 'email' ? 'nobody@example.invalid' : `dummy-${String(p)}`) });
      const concrete = expandRoute(path, dummy);
      const res = await fetch(`${sandbox.url}${concrete}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-mitel-app': 'app=conformance-test/1;platform=test/1' },
        ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }),
      });
      const text = await res.text();
      const isUnknownRoute = res.status === 404 && text === unknownRoute(method, new URL(`${sandbox.url}${concrete}`).pathname);
      expect(isUnknownRoute, `${method} ${concrete} answered ${res.status} ${text}`).toBe(false);
    });
  });
});
