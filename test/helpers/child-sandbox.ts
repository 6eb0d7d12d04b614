/** Runs `cloudlink-tenancy sandbox` (the built CLI) in a child process and waits for its URL. */
import { spawn, type ChildProcess } from 'node:child_process';

export async function spawnSandbox(extraArgs: string[] = []): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['dist/provider/cli/main.js', 'sandbox', '--port', '0', ...extraArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', () => reject(new Error(`the sandbox exited before listening: ${out}`)));
  });
  return { url, child };
}
