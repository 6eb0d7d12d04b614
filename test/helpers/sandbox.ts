import { createCloudLinkClient, type CloudLinkClient } from '../../provider/api/index.js';
import type { ClientOptions } from '../../provider/api/index.js';
import { DEMO_CREDENTIALS, startSandbox, type RunningSandbox, type SandboxOptions } from '../../provider/sandbox/index.js';

/** A sandbox on a random loopback port plus a real client pointed at it (short retry delays). */
export async function sandboxWithClient(
  options: SandboxOptions = {},
  client: Partial<ClientOptions> = {},
): Promise<{ sandbox: RunningSandbox; client: CloudLinkClient; env: NodeJS.ProcessEnv; close(): Promise<void> }> {
  const sandbox = await startSandbox({ seed: 'demo', ...options });
  const c = createCloudLinkClient({
    authUrl: sandbox.authUrl,
    adminUrl: sandbox.adminUrl,
    credentials: { username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password },
    requestsPerSecond: 10_000,
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    ...client,
  });
  const env = {
    CLOUDLINK_AUTH_URL: sandbox.authUrl,
    CLOUDLINK_ADMIN_URL: sandbox.adminUrl,
    CLOUDLINK_USERNAME: DEMO_CREDENTIALS.username,
    CLOUDLINK_PASSWORD: DEMO_CREDENTIALS.password,
    CLOUDLINK_RATE: '10000',
  };
  return {
    sandbox,
    client: c,
    env,
    close: async () => {
      await c.close();
      await sandbox.close();
    },
  };
}
