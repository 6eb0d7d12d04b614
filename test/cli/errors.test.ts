import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../provider/cli/run.js';
import { startSandbox } from '../../provider/sandbox/index.js';
import { captureIo } from '../helpers/io.js';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('errors that help', () => {
  it('an unreachable URL names the host and the cause, and the retries show on stderr', async () => {
    const port = await closedPort();
    const base = `http://127.0.0.1:${port}`;
    const io = captureIo({ env: { CLOUDLINK_AUTH_URL: `${base}/auth`, CLOUDLINK_ADMIN_URL: `${base}/admin`, CLOUDLINK_BILLING_URL: `${base}/billing`, CLOUDLINK_USERNAME: 'u@x.example', CLOUDLINK_PASSWORD: 'distinctive-secret-9', CLOUDLINK_RETRIES: '3' } });
    expect(await runCli(['whoami'], io)).toBe(1);
    const err = io.err();
    expect(err).toContain(`connection to 127.0.0.1:${port} refused (ECONNREFUSED)`);
    // CLOUDLINK_RETRIES=3: two retries are shown, then the third attempt gives up.
    expect(err.match(/retrying POST \/token \(attempt \d of 3\) in \d+ ms: connection to 127\.0\.0\.1:\d+ refused/g)).toHaveLength(2);
    expect(err).toMatch(/could not reach 127\.0\.0\.1:\d+: .*\(after 3 attempts\)/);
    expect(err).not.toContain('distinctive-secret-9');
  }, 30_000);

  it('a DNS failure says DNS and names the host', async () => {
    const io = captureIo({ env: { CLOUDLINK_AUTH_URL: 'http://no-such-host.invalid/auth', CLOUDLINK_ADMIN_URL: 'http://no-such-host.invalid/admin', CLOUDLINK_BILLING_URL: 'http://no-such-host.invalid/billing', CLOUDLINK_USERNAME: 'u@x.example', CLOUDLINK_PASSWORD: 'p', CLOUDLINK_RETRIES: '1' } });
    expect(await runCli(['whoami'], io)).toBe(1);
    expect(io.err()).toMatch(/DNS lookup of no-such-host\.invalid failed \((ENOTFOUND|EAI_AGAIN)\)/);
  }, 30_000);

  it('sandbox --port on a busy port says so, without a stack trace', async () => {
    const busy = await startSandbox({ port: 0 });
    try {
      const port = new URL(busy.url).port;
      const io = captureIo({ env: {} });
      expect(await runCli(['sandbox', '--port', port, '--seed', 'none'], io)).toBe(1);
      expect(io.err()).toBe(`port ${port} on 127.0.0.1 is already in use (another sandbox?); stop that process or pick another with --port (0 picks a free one)\n`);
    } finally {
      await busy.close();
    }
  });
});
