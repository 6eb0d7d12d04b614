import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../io.js';
import { ExitCode } from '../io.js';
import { DEMO_CREDENTIALS, readSeedFile, startSandbox, type RunningSandbox, type SandboxSeed } from '../../sandbox/index.js';
import { copyLiveTenant, type CopyLogin } from '../../sandbox/from-live.js';
import { connect } from '../tenancy-run.js';
import { flagList, type CommandDocs } from '../options/define.js';
import { escapeTerminalValue as tv } from '../../report/escape-terminal.js';
import { plural } from '../../report/plan-text.js';

const OPTIONS = {
  port: { type: 'string', value: 'P', default: '8787', meaning: 'the port to listen on (0 picks a free one)' },
  host: { type: 'string', value: 'H', default: '127.0.0.1', meaning: 'the address to listen on' },
  data: { type: 'string', value: 'FILE', meaning: 'keep the state in FILE (atomic writes; survives restarts); an existing FILE wins over any seed', shownDefault: 'memory only' },
  seed: { type: 'string', value: 'FILE|demo|none', default: 'demo', meaning: 'what a fresh sandbox starts with: a seed file (JSON or YAML), the demo tenant, or nothing' },
  'seed-from-live': {
    type: 'boolean',
    default: false,
    meaning: 'start from a copy of the live tenant the CLOUDLINK_* credentials reach (read once, read-only; no password, token or sipPassword copied)',
  },
  account: { type: 'string', multiple: true, value: 'ID|NUMBER|KEY|NAME', meaning: 'with --seed-from-live: copy only this customer account', shownDefault: 'every customer account' },
  'trace-http': { type: 'string', value: 'FILE', meaning: 'with --seed-from-live: append one JSON line per HTTP attempt to FILE', shownDefault: 'CLOUDLINK_TRACE_FILE, else none' },
  profile: { type: 'string', value: 'default|strict', default: 'default', meaning: 'strict serves what a stricter real service might: pages of at most 50, no count on user lists, the user $filter refused, billing subscriptions absent (rehearse `doctor` against it)' },
} as const;

const DOCS: CommandDocs = {
  usage: '[options]',
  options: OPTIONS,
  examples: ['sandbox --port 8787 --data .sandbox/state.json', 'sandbox --seed-from-live --account acme --port 0'],
};

/** The sandbox's start, with a busy port or an unusable address said plainly (no stack). */
async function start(io: CliIo, options: Parameters<typeof startSandbox>[0] & { port: number; host: string }): Promise<RunningSandbox | undefined> {
  try {
    return await startSandbox(options);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') io.stderr.write(`port ${options.port} on ${options.host} is already in use (another sandbox?); stop that process or pick another with --port (0 picks a free one)\n`);
    else if (code === 'EACCES') io.stderr.write(`port ${options.port} needs privileges on this machine; use a port above 1023, e.g. --port 8787\n`);
    else if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') io.stderr.write(`cannot listen on ${options.host}: no such local address; use 127.0.0.1 or ::1\n`);
    else io.stderr.write(`the sandbox could not start: ${(e as Error).message}\n`);
    return undefined;
  }
}

function credentialsText(login: CopyLogin | undefined): string[] {
  if (login) {
    return [
      `  unset CLOUDLINK_CLIENT_ID CLOUDLINK_CLIENT_SECRET CLOUDLINK_ACCOUNT_ID`,
      `  export CLOUDLINK_USERNAME=${login.username}`,
      `  export CLOUDLINK_PASSWORD=${login.password}   # made for this copy; not a live secret`,
      '',
      `Partner ${login.partnerId}: plan and apply your tenancy against this copy first to see exactly what would happen live.`,
    ];
  }
  return [
    `  export CLOUDLINK_USERNAME=${DEMO_CREDENTIALS.username}`,
    `  export CLOUDLINK_PASSWORD=${DEMO_CREDENTIALS.password}   # sandbox demo password, not a real secret`,
    '',
    `Or, with the demo seed, client credentials (partner p-1234's own account ${DEMO_CREDENTIALS.partnerAccountId}):`,
    `  export CLOUDLINK_CLIENT_ID=${DEMO_CREDENTIALS.clientId}`,
    `  export CLOUDLINK_CLIENT_SECRET=${DEMO_CREDENTIALS.clientSecret}   # sandbox demo secret`,
    `  export CLOUDLINK_ACCOUNT_ID=${DEMO_CREDENTIALS.partnerAccountId}`,
  ];
}

/**
 * `cloudlink-tenancy sandbox [--port P] [--host H] [--data FILE] [--seed FILE|demo|none]
 * [--seed-from-live [--account ID…]]`: runs until SIGINT/SIGTERM.
 */
export const sandboxCommand: Command = {
  name: 'sandbox',
  summary: 'Run the local CloudLink sandbox (demo tenant, a seed file, or a copy of live)',
  flags: flagList(OPTIONS),
  docs: DOCS,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseArgs({ args, options: OPTIONS });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.stderr.write(`--port "${values.port}" is not a port number; use 0..65535 (0 picks a free port)\n`);
      return ExitCode.error;
    }
    if (values.profile !== 'default' && values.profile !== 'strict') {
      io.stderr.write(`--profile "${values.profile}" is unknown; use default or strict\n`);
      return ExitCode.error;
    }
    const profile = values.profile;
    if (values.account?.length && !values['seed-from-live']) {
      io.stderr.write('--account chooses accounts to copy; use it with --seed-from-live\n');
      return ExitCode.error;
    }
    let seed: SandboxSeed | 'demo' | undefined;
    let login: CopyLogin | undefined;
    if (values['seed-from-live']) {
      const client = connect(io, { 'trace-http': values['trace-http'] });
      if (!client) return ExitCode.error;
      try {
        io.stderr.write('Reading the live tenant (read-only)…\n');
        const copy = await copyLiveTenant(client, { ...(values.account ? { accounts: values.account } : {}) });
        if (copy.unknownSelectors.length > 0) {
          io.stderr.write(`--account ${copy.unknownSelectors.join(', ')}: no customer account has this id, account number, key or name\n`);
          return ExitCode.error;
        }
        seed = copy.seed;
        login = copy.login;
        io.stderr.write(`Copied ${plural(copy.counts.accounts, 'account')}, ${plural(copy.counts.users, 'user')}, ${plural(copy.counts.licenses, 'MiTeam license')}, ${plural(copy.counts.orders, 'order')} (no passwords, tokens or SIP passwords).\n`);
      } catch (e) {
        io.stderr.write(`cannot copy the live tenant: ${tv((e as Error).message)}\n`);
        return ExitCode.error;
      } finally {
        await client.close();
      }
    } else {
      try {
        seed = values.seed === 'none' ? undefined : values.seed === 'demo' ? 'demo' : await readSeedFile(values.seed);
      } catch (e) {
        io.stderr.write(`cannot read seed file ${values.seed}: ${(e as Error).message}\n`);
        return ExitCode.error;
      }
    }
    const sandbox = await start(io, { port, host: values.host, profile, ...(seed ? { seed } : {}), ...(values.data ? { dataFile: values.data } : {}) });
    if (!sandbox) return ExitCode.error;
    io.stdout.write(
      [
        `CloudLink sandbox listening on ${sandbox.url}${values.data ? ` (state in ${values.data})` : ' (memory only)'}${login ? ', holding a copy of the live tenant' : ''}${profile === 'strict' ? ', strict profile' : ''}`,
        '',
        'Use it with:',
        `  export CLOUDLINK_AUTH_URL=${sandbox.authUrl}`,
        `  export CLOUDLINK_ADMIN_URL=${sandbox.adminUrl}`,
        `  export CLOUDLINK_BILLING_URL=${sandbox.billingUrl}`,
        ...credentialsText(login),
        '',
        `Controls: ${sandbox.url}/sandbox/state, /sandbox/outbox, /sandbox/requests, POST /sandbox/faults, POST /sandbox/seed, POST /sandbox/reset (keeps the seed's logins; ?principals=drop empties everything). Ctrl-C stops.`,
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
