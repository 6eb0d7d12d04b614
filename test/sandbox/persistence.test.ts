import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, DEMO_INITECH_ID, startSandbox } from '../../provider/sandbox/index.js';
import { spawnSandbox } from '../helpers/child-sandbox.js';
import { ADMIN, BILLING, call, login, q, sandbox } from './http.js';

const USERS = `${ADMIN}/accounts/${DEMO_INITECH_ID}/users`;

describe('sandbox persistence', () => {
  it('keeps state across restarts (users, tags, licenses, orders, outbox, account numbers)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sbx-'));
    const dataFile = path.join(dir, 'state.json');
    const a = await startSandbox({ seed: 'demo', dataFile });
    const t = await login(a);
    const user = (await call(a, 'POST', USERS, { token: t, body: { email: 'kept@initech.example', name: 'Kept' } })).json;
    await call(a, 'PUT', `${USERS}/${user.userId as string}/tags/cloudlink-tenancy`, { token: t, body: { welcomeSentOn: '2026-11-25T00:00:00.000Z' } });
    await call(a, 'POST', `${BILLING}/licenses`, { token: t, body: { accountId: DEMO_INITECH_ID, userId: user.userId, product: 'miteam-meetings' } });
    await call(a, 'POST', `${USERS}/${user.userId as string}/welcome-email`, { token: t });
    const acme = (await call(a, 'POST', `${ADMIN}/accounts`, { token: t, body: { name: 'Acme' } })).json;
    await a.close();
    const b = await sandbox({ seed: 'demo', dataFile });
    const t2 = await login(b);
    const kept = (await call(b, 'GET', `${USERS}?$expand=tags&${q("email eq 'kept@initech.example'")}`, { token: t2 })).json._embedded.items[0];
    expect(kept).toMatchObject({ userId: user.userId, sipPassword: user.sipPassword, tags: { 'cloudlink-tenancy': { welcomeSentOn: '2026-11-25T00:00:00.000Z' } } });
    expect(b.store.licenses(DEMO_INITECH_ID).map((l) => l.userId)).toContain(user.userId);
    expect(b.state().outbox).toHaveLength(2); // the single POST's welcome e-mail (contract 2.1) and the explicit one
    const next = (await call(b, 'POST', `${ADMIN}/accounts`, { token: t2, body: { name: 'Globex' } })).json;
    expect(Number(next.accountNumber)).toBe(Number(acme.accountNumber) + 1);
  });

  it('refuses a version-1 state file with a clear message', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sbx-v1-'));
    const dataFile = path.join(dir, 'state.json');
    await writeFile(dataFile, JSON.stringify({ version: 1, accounts: [] }));
    await expect(startSandbox({ dataFile })).rejects.toThrow(/version 1 is not version 2/);
  });

  it('survives kill -9 of a sandbox process with a whole, parseable file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sbx-kill-'));
    const dataFile = path.join(dir, 'state.json');
    const child = await spawnSandbox(['--data', dataFile]);
    try {
      expect(child.billingUrl).toBe(`${child.url}/billing/2019-03-01`);
      const tokenRes = await request(`${child.authUrl}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password }).toString(),
      });
      const token = ((await tokenRes.body.json()) as { access_token: string }).access_token;
      await Promise.all(
        Array.from({ length: 30 }, async (_, i) => {
          const r = await request(`${child.url}${USERS}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ email: `k${i}@initech.example`, firstName: 'K', lastName: String(i) }) });
          await r.body.text();
        }),
      );
    } finally {
      child.child.kill('SIGKILL');
      await new Promise((r) => child.child.once('exit', r));
    }
    const dump = JSON.parse(await readFile(dataFile, 'utf8')) as { version: number; users: { accountId: string }[] };
    expect(dump.version).toBe(2);
    const restarted = await sandbox({ dataFile });
    const users = restarted.state().users.filter((u) => u.accountId === DEMO_INITECH_ID).length;
    expect(users).toBeGreaterThanOrEqual(3);
    expect(users).toBeLessThanOrEqual(33);
  });
});
