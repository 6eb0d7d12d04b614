import { afterEach } from 'vitest';
import { createCloudLinkClient, type CloudLinkClient } from '../../provider/api/index.js';
import type { ClientOptions } from '../../provider/api/index.js';
import { DEMO_CREDENTIALS, startSandbox, type RunningSandbox, type SandboxOptions } from '../../provider/sandbox/index.js';
import { runCli } from '../../provider/cli/run.js';
import { captureIo } from './io.js';

/** What one in-process CLI run printed and returned. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** A real client of the sandbox as the demo partner admin, with short retry delays (options override). */
export function demoClient(sandbox: Pick<RunningSandbox, 'authUrl' | 'adminUrl' | 'billingUrl'>, client: Partial<ClientOptions> = {}): CloudLinkClient {
  return createCloudLinkClient({
    authUrl: sandbox.authUrl,
    adminUrl: sandbox.adminUrl,
    billingUrl: sandbox.billingUrl,
    credentials: { username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password },
    requestsPerSecond: 10_000,
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    ...client,
  });
}

/** A sandbox on a random loopback port plus a real client pointed at it (short retry delays), and `cli()` to run commands against it in-process. */
export async function sandboxWithClient(
  options: SandboxOptions = {},
  client: Partial<ClientOptions> = {},
): Promise<{ sandbox: RunningSandbox; client: CloudLinkClient; env: NodeJS.ProcessEnv; cli(...argv: string[]): Promise<CliRun>; close(): Promise<void> }> {
  const sandbox = await startSandbox({ seed: 'demo', ...options });
  const c = demoClient(sandbox, client);
  const env = {
    CLOUDLINK_AUTH_URL: sandbox.authUrl,
    CLOUDLINK_ADMIN_URL: sandbox.adminUrl,
    CLOUDLINK_BILLING_URL: sandbox.billingUrl,
    CLOUDLINK_USERNAME: DEMO_CREDENTIALS.username,
    CLOUDLINK_PASSWORD: DEMO_CREDENTIALS.password,
    CLOUDLINK_RATE: '10000',
  };
  return {
    sandbox,
    client: c,
    env,
    cli: async (...argv) => {
      const io = captureIo({ env });
      const code = await runCli(argv, io);
      return { code, out: io.out(), err: io.err() };
    },
    close: async () => {
      await c.close();
      await sandbox.close();
    },
  };
}

/**
 * For a test file: `const setup = sandboxPerTest()` at the top, then `await setup()` in a test
 * gives a fresh `sandboxWithClient()` that is closed after that test.
 */
export function sandboxPerTest(options: SandboxOptions = {}): () => ReturnType<typeof sandboxWithClient> {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (closers.length) await closers.pop()?.();
  });
  return async () => {
    const s = await sandboxWithClient(options);
    closers.push(s.close);
    return s;
  };
}
