import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../io.js';
import { ExitCode } from '../io.js';
import { DEMO_CREDENTIALS, readSeedFile, startSandbox, type SandboxSeed } from '../../sandbox/index.js';

/** `cloudlink-tenancy sandbox [--port P] [--host H] [--data FILE] [--seed FILE|demo|none]`: runs until SIGINT/SIGTERM. */
export const sandboxCommand: Command = {
  name: 'sandbox',
  summary: 'Run the local CloudLink sandbox',
  flags: ['--port', '--host', '--data', '--seed'],
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseArgs({
      args,
      options: { port: { type: 'string', default: '8787' }, host: { type: 'string', default: '127.0.0.1' }, data: { type: 'string' }, seed: { type: 'string', default: 'demo' } },
    });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.stderr.write(`--port "${values.port}" is not a port number; use 0..65535 (0 picks a free port)\n`);
      return ExitCode.error;
    }
    let seed: SandboxSeed | 'demo' | undefined;
    try {
      seed = values.seed === 'none' ? undefined : values.seed === 'demo' ? 'demo' : await readSeedFile(values.seed);
    } catch (e) {
      io.stderr.write(`cannot read seed file ${values.seed}: ${(e as Error).message}\n`);
      return ExitCode.error;
    }
    const sandbox = await startSandbox({ port, host: values.host, ...(seed ? { seed } : {}), ...(values.data ? { dataFile: values.data } : {}) });
    io.stdout.write(
      [
        `CloudLink sandbox listening on ${sandbox.url}${values.data ? ` (state in ${values.data})` : ' (memory only)'}`,
        '',
        'Use it with:',
        `  export CLOUDLINK_AUTH_URL=${sandbox.authUrl}`,
        `  export CLOUDLINK_ADMIN_URL=${sandbox.adminUrl}`,
        `  export CLOUDLINK_BILLING_URL=${sandbox.billingUrl}`,
        `  export CLOUDLINK_USERNAME=${DEMO_CREDENTIALS.username}`,
        `  export CLOUDLINK_PASSWORD=${DEMO_CREDENTIALS.password}   # sandbox demo password, not a real secret`,
        '',
        `Or, with the demo seed, client credentials (partner p-1234's own account ${DEMO_CREDENTIALS.partnerAccountId}):`,
        `  export CLOUDLINK_CLIENT_ID=${DEMO_CREDENTIALS.clientId}`,
        `  export CLOUDLINK_CLIENT_SECRET=${DEMO_CREDENTIALS.clientSecret}   # sandbox demo secret`,
        `  export CLOUDLINK_ACCOUNT_ID=${DEMO_CREDENTIALS.partnerAccountId}`,
        '',
        `Controls: ${sandbox.url}/sandbox/state, /sandbox/outbox, /sandbox/requests, POST /sandbox/faults, POST /sandbox/seed, POST /sandbox/reset. Ctrl-C stops.`,
        '',
      ].join('\n'),
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await sandbox.close();
    return ExitCode.ok;
  },
};
