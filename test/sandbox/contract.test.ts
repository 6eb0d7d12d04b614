/** The sandbox serves the client's route table, drives dispatch from its own table, and serves nothing of version 1. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { routes as clientRoutes, servicePrefixes } from '../../provider/api/routes.js';
import { DEMO_INITECH_ID, DEMO_PARTNER_ACCOUNT_ID, sandboxRoutes } from '../../provider/sandbox/index.js';
import { ADMIN, AUTH, BILLING, call, login, sandbox, type Reply } from './http.js';

describe('sandbox contract', () => {
  it('serves every route of provider/api/routes.ts with the same method and path', () => {
    const served = new Set(sandboxRoutes.map((r) => `${r.method} ${r.path}`));
    const missing = Object.entries(clientRoutes)
      .map(([name, r]) => [name, `${r.method} ${servicePrefixes[r.service]}${r.template}`] as const)
      .filter(([, key]) => !served.has(key));
    expect(missing).toEqual([]);
    expect(served.size).toBe(sandboxRoutes.length);
  });

  it('dispatches exactly the routes of its table (each one counted under its template)', async () => {
    const s = await sandbox();
    const t = await login(s);
    const fill = (p: string): string => p.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'accountId' ? DEMO_INITECH_ID : name === 'email' ? 'x%40y.example' : 'zzz'));
    for (const r of sandboxRoutes) {
      const reply = await call(s, r.method, fill(r.path), { token: t, ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { body: {} }) });
      expect(reply.status, `${r.method} ${r.path}`).not.toBe(500);
    }
    const counts = s.requestCounts();
    for (const r of sandboxRoutes) expect(counts[`${r.method} ${r.path}`], `${r.method} ${r.path}`).toBeGreaterThanOrEqual(1);
    expect(Object.keys(counts).filter((k) => k.endsWith('unknown'))).toEqual([]);
    // Version-1 routes are gone.
    const v1 = [
      ['POST', `${ADMIN}/accounts/${DEMO_INITECH_ID}/users/bulk`],
      ['GET', `${ADMIN}/partners/p-1234/orders`],
      ['GET', `${ADMIN}/integrations/catalog`],
      ['PUT', `${ADMIN}/accounts/${DEMO_INITECH_ID}/users/x/licenses/miteam-meetings`],
      ['POST', `${ADMIN}/accounts/${DEMO_INITECH_ID}/users/x/welcome`],
      ['POST', `${ADMIN}/accounts/${DEMO_INITECH_ID}/users/x/password-reset`],
    ] as const;
    for (const [method, p] of v1) {
      const r = await call(s, method, p, { token: t, ...(method === 'GET' ? {} : { body: {} }) });
      expect([p, r.status, r.json.name]).toEqual([p, 404, 'NotFound']);
    }
  });

  it('imports nothing from provider/api', async () => {
    const dir = path.resolve('provider/sandbox');
    for (const file of await readdir(dir)) {
      const text = await readFile(path.join(dir, file), 'utf8');
      expect(text, file).not.toMatch(/from\s+['"][^'"]*\/api\//);
      expect(text, file).not.toMatch(/import\(\s*['"][^'"]*\/api\//);
    }
  });

  it('never sends an ETag header or a version-1 field, anywhere', async () => {
    const s = await sandbox();
    const t = await login(s);
    const replies: Reply[] = [];
    const go = async (method: string, p: string, body?: unknown) => {
      const r = await call(s, method, p, { token: t, ...(body !== undefined ? { body } : {}), headers: { 'if-match': '"stale"' } });
      replies.push(r);
      return r;
    };
    const users = `${ADMIN}/accounts/${DEMO_INITECH_ID}/users`;
    await go('GET', `${AUTH}/token`);
    await go('GET', `${ADMIN}/accounts?$expand=tags`);
    await go('GET', `${ADMIN}/accounts/${DEMO_INITECH_ID}?$expand=tags`);
    await go('GET', `${ADMIN}/accounts/${DEMO_INITECH_ID}/contacts`);
    await go('GET', `${ADMIN}/accounts/${DEMO_INITECH_ID}/integrations`);
    await go('GET', `${ADMIN}/integrations`);
    await go('GET', `${ADMIN}/partners/p-1234`);
    const list = await go('GET', `${users}?$expand=tags&$top=1`);
    const created = await go('POST', users, { email: 'new@initech.example', name: 'New' });
    await go('PUT', `${users}/${created.json.userId as string}`, { name: 'Newer' });
    await go('PATCH', users, { operations: [{ op: 'add', body: { email: 'n2@initech.example', name: 'N2' } }, { op: 'add', body: { email: 'bad' } }] });
    await go('POST', users, { email: 'new@initech.example', name: 'Dup' });
    await go('PUT', `${ADMIN}/accounts/${DEMO_INITECH_ID}`, { name: 'Initech' });
    await go('POST', `${ADMIN}/accounts`, { name: 'Acme' });
    await go('GET', `${ADMIN}/accounts/${DEMO_PARTNER_ACCOUNT_ID}/users`);
    await go('GET', `${BILLING}/partner-subscriptions`);
    await go('GET', `${BILLING}/subscriptions`);
    await go('GET', `${BILLING}/licenses`);
    await go('GET', `${ADMIN}/accounts/${'0'.repeat(32)}`);
    expect(list.status).toBe(200);
    const forbiddenKeys = new Set(['etag', 'code', 'details', 'href', 'status', 'results', 'licenses', 'welcomeEmailSentOn', 'assignedAccountId', 'orderId', 'supportContacts', 'postalCode', 'language', 'tenancy-key', 'enabled', 'licensed']);
    const accountV1 = ['country', 'address', 'city'];
    const walk = (value: unknown, where: string): void => {
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${where}[${i}]`));
      else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
          expect(forbiddenKeys.has(k), `${where}.${k}`).toBe(false);
          walk(v, `${where}.${k}`);
        }
        if ('accountNumber' in value) for (const k of accountV1) expect(value, where).not.toHaveProperty(k);
      }
    };
    for (const r of replies) {
      expect(r.headers.etag).toBeUndefined();
      expect(r.headers['x-request-id']).toBeUndefined();
      expect(r.status).not.toBe(412);
      walk(r.json, r.text.slice(0, 40));
      if (r.json?._links) {
        expect(typeof r.json._links.self).toBe('string');
        if (r.json._links.next !== undefined) expect(typeof r.json._links.next).toBe('string');
      }
      if (r.status >= 400) expect(Object.keys(r.json).sort()).toEqual(['message', 'name']);
    }
  });
});
