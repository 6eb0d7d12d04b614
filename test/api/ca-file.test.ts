import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientOptionsFromEnv, createCloudLinkClient } from '../../provider/api/index.js';

const OPENSSL = ['/usr/bin/openssl', '/bin/openssl'].find((p) => existsSync(p));

describe.skipIf(!OPENSSL)('CLOUDLINK_CA_FILE', () => {
  it('trusts a private CA only when it is given', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ca-'));
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync(OPENSSL ?? 'openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const t = '2026-01-01T00:00:00.000Z';
    const server = createServer({ key: await readFile(key), cert: await readFile(cert) }, (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url?.endsWith('/token')) res.end(JSON.stringify({ access_token: 'tok', token_type: 'Bearer', expires_in: 3600 }));
      else res.end(JSON.stringify({ accountId: 'a1', name: 'Over TLS', partnerId: 'p', languageCode: 'en-US', location: { address: { country: 'CA' } }, createdOn: t, modifiedOn: t }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const env = { CLOUDLINK_CLIENT_ID: 'c', CLOUDLINK_CLIENT_SECRET: 's', CLOUDLINK_AUTH_URL: `${base}/auth`, CLOUDLINK_ADMIN_URL: `${base}/admin` };
      const trusted = clientOptionsFromEnv({ ...env, CLOUDLINK_CA_FILE: cert });
      if (Array.isArray(trusted)) throw new Error('env not accepted');
      const good = createCloudLinkClient({ ...trusted, retry: { attempts: 1 } });
      expect(await good.accounts.get('a1')).toMatchObject({ name: 'Over TLS', country: 'CA', language: 'en-US' });
      await good.close();
      const untrusted = clientOptionsFromEnv(env);
      if (Array.isArray(untrusted)) throw new Error('env not accepted');
      const bad = createCloudLinkClient({ ...untrusted, retry: { attempts: 1 } });
      await expect(bad.accounts.get('a1')).rejects.toMatchObject({ code: 'network' });
      await bad.close();
    } finally {
      server.close();
    }
  });

  it('names the variable to set when credentials are missing or half set', () => {
    expect(clientOptionsFromEnv({})).toEqual([expect.objectContaining({ message: expect.stringContaining('set CLOUDLINK_USERNAME and CLOUDLINK_PASSWORD, or CLOUDLINK_CLIENT_ID and CLOUDLINK_CLIENT_SECRET') })]);
    expect(clientOptionsFromEnv({ CLOUDLINK_USERNAME: 'u' })).toEqual([expect.objectContaining({ message: 'CLOUDLINK_USERNAME is set but CLOUDLINK_PASSWORD is not; set both' })]);
    expect(clientOptionsFromEnv({ CLOUDLINK_CLIENT_ID: 'c', CLOUDLINK_CLIENT_SECRET: 's', CLOUDLINK_RATE: 'fast' })).toEqual([expect.objectContaining({ message: expect.stringContaining('CLOUDLINK_RATE "fast"') })]);
    const ok = clientOptionsFromEnv({ CLOUDLINK_CLIENT_ID: 'c', CLOUDLINK_CLIENT_SECRET: 's' });
    expect(ok).toMatchObject({ authUrl: 'https://authentication.api.mitel.io/2017-09-01', adminUrl: 'https://admin.api.mitel.io/2017-09-01', billingUrl: 'https://billing.api.mitel.io/2019-03-01', requestsPerSecond: 40 });
    expect(clientOptionsFromEnv({ CLOUDLINK_CLIENT_ID: 'c', CLOUDLINK_CLIENT_SECRET: 's', CLOUDLINK_ACCOUNT_ID: 'acc-1', CLOUDLINK_BILLING_URL: 'https://billing.example/2019-03-01' })).toMatchObject({
      billingUrl: 'https://billing.example/2019-03-01',
      credentials: { clientId: 'c', clientSecret: 's', accountId: 'acc-1' },
    });
    expect(clientOptionsFromEnv({ CLOUDLINK_USERNAME: 'u', CLOUDLINK_PASSWORD: 'p', CLOUDLINK_ACCOUNT_ID: 'acc-1' })).toMatchObject({ credentials: { username: 'u', password: 'p', accountId: 'acc-1' } });
    expect(ok).not.toHaveProperty('retry');
    expect(clientOptionsFromEnv({ CLOUDLINK_CLIENT_ID: 'c', CLOUDLINK_CLIENT_SECRET: 's', CLOUDLINK_RETRIES: '1' })).toMatchObject({ retry: { attempts: 1 } });
    for (const bad of ['0', '2.5', 'many', '21']) {
      expect(clientOptionsFromEnv({ CLOUDLINK_CLIENT_ID: 'c', CLOUDLINK_CLIENT_SECRET: 's', CLOUDLINK_RETRIES: bad })).toEqual([
        expect.objectContaining({ message: `CLOUDLINK_RETRIES "${bad}" is not a whole number of attempts from 1 to 20 (1 = no retry; default 8)` }),
      ]);
    }
    expect(clientOptionsFromEnv({ CLOUDLINK_CLIENT_ID: 'c', CLOUDLINK_CLIENT_SECRET: 's', CLOUDLINK_BILLING_URL: 'billing.example' })).toEqual([expect.objectContaining({ message: expect.stringContaining('CLOUDLINK_BILLING_URL') })]);
  });
});
