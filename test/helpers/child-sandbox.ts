/**
 * Runs the `cloudlink-tenancy sandbox` command in a child process and waits for its URL.
 *
 * By default the child runs the command from source (this file re-executed under tsx, see
 * the bottom), so it never serves a stale build; `{ built: true }` runs the built CLI
 * (`dist/provider/cli/main.js`, e.g. for benchmarks after `npm run build`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface ChildSandbox {
  url: string;
  authUrl: string;
  adminUrl: string;
  billingUrl: string;
  child: ChildProcess;
}

export async function spawnSandbox(extraArgs: string[] = [], options: { built?: boolean } = {}): Promise<ChildSandbox> {
  const args = options.built
    ? ['dist/provider/cli/main.js', 'sandbox', '--port', '0', ...extraArgs]
    : ['--import', 'tsx', fileURLToPath(import.meta.url), '--port', '0', ...extraArgs];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const out = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (c: Buffer) => {
      text += c.toString();
      if (/CLOUDLINK_BILLING_URL=\S+/.test(text)) resolve(text);
    });
    child.once('exit', () => reject(new Error(`the sandbox exited before listening: ${text}`)));
  });
  const find = (re: RegExp): string => {
    const m = re.exec(out)?.[1];
    if (!m) throw new Error(`the sandbox did not print ${re.source}: ${out}`);
    return m;
  };
  return {
    url: find(/listening on (http:\/\/\S+)/),
    authUrl: find(/CLOUDLINK_AUTH_URL=(\S+)/),
    adminUrl: find(/CLOUDLINK_ADMIN_URL=(\S+)/),
    billingUrl: find(/CLOUDLINK_BILLING_URL=(\S+)/),
    child,
  };
}

// Entry point of the child: `node --import tsx test/helpers/child-sandbox.ts [sandbox flags]`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { sandboxCommand } = await import('../../provider/cli/commands/sandbox.js');
  const { processIo } = await import('../../provider/cli/io.js');
  process.exitCode = await sandboxCommand.run(process.argv.slice(2), processIo());
}
