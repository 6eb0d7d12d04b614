import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../io.js';
import { ExitCode } from '../io.js';
import { connect } from '../tenancy-run.js';
import { flagList, type CommandDocs } from '../options/define.js';
import { TRACE_HTTP_OPTION } from '../options/tenancy-common.js';
import { accountsHoldingLease, leaseStoreOf } from '../../engine/lock/store.js';
import { describeLease, printable } from '../../engine/lock/lease.js';

const OPTIONS = {
  'trace-http': TRACE_HTTP_OPTION,
} as const;

const DOCS: CommandDocs = { usage: 'LEASE_ID [options]', options: OPTIONS, examples: ['force-unlock 3f2a9c1e-5b7d-4e0a-9c8b-1d2e3f4a5b6c'] };

/**
 * `cloudlink-tenancy force-unlock LEASE_ID`: removes an apply lease (the account tag
 * `cloudlink-tenancy-lock`) left by a run that died, as Terraform's `force-unlock`. The id is
 * the one a refused apply names. Only that lease is removed: a tag holding another id is left alone.
 */
export const forceUnlockCommand: Command = {
  name: 'force-unlock',
  summary: 'Remove an apply lease left by a run that died (the id a refused apply names)',
  flags: flagList(OPTIONS),
  docs: DOCS,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
    const [leaseId, ...rest] = positionals;
    if (!leaseId || rest.length > 0) {
      io.stderr.write('usage: cloudlink-tenancy force-unlock LEASE_ID (the lease id a refused apply names)\n');
      return ExitCode.error;
    }
    const client = connect(io, { 'trace-http': values['trace-http'] });
    if (!client) return ExitCode.error;
    try {
      const { partnerId } = await client.principal.whoami();
      if (!partnerId) {
        io.stderr.write('force-unlock: the credentials carry no partner id (a partner admin or partner client is needed)\n');
        return ExitCode.error;
      }
      const holding = await accountsHoldingLease(client, partnerId, leaseId);
      if (holding.length === 0) {
        io.stderr.write(`force-unlock: no account of partner ${printable(partnerId)} carries lease ${printable(leaseId)} (released or taken over already?)\n`);
        return ExitCode.error;
      }
      const store = leaseStoreOf(client);
      for (const a of holding) {
        const now = await store.read(a.accountId);
        if (now?.id !== leaseId) {
          io.stdout.write(`account ${printable(a.name)} (${a.accountId}): lease ${printable(leaseId)} is gone already\n`);
          continue;
        }
        await store.remove(a.accountId);
        io.stdout.write(`removed the apply lease of account ${printable(a.name)} (${a.accountId}): ${describeLease(now)}\n`);
      }
      return ExitCode.ok;
    } catch (e) {
      io.stderr.write(`force-unlock failed: ${(e as Error).message}\n`);
      return ExitCode.error;
    } finally {
      await client.close();
    }
  },
};
