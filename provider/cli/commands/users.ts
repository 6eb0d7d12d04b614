import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../io.js';
import { ExitCode } from '../io.js';
import { connect, loadSelected } from '../tenancy-run.js';
import { matchAccount } from '../../engine/match.js';
import { collect, customerAccounts } from '../../engine/snapshot.js';
import { verifyPrincipal } from '../../engine/principal.js';
import { ensureWelcome } from '../../engine/welcome.js';
import { normalizeEmail } from '../../model/email.js';
import type { User } from '../../model/live.js';

const OPERATIONS = ['send-welcome', 'reset-password'] as const;

/**
 * `cloudlink-tenancy users send-welcome|reset-password (--account KEY PATHS…|--account-id ID)
 * (--email E…|--all-pending) [--force]`: the console's one-off user operations, through the same
 * client (retries, rate budget, trace). Prints one line per user; exit 1 when any failed.
 */
export const usersCommand: Command = {
  name: 'users',
  summary: 'One-off operations: send-welcome, reset-password',
  flags: ['--account', '--account-id', '--email', '--all-pending', '--force', '--from-cdktf', '--trace-http'],
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        account: { type: 'string' },
        'account-id': { type: 'string' },
        email: { type: 'string', multiple: true },
        'all-pending': { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        'from-cdktf': { type: 'string' },
        'trace-http': { type: 'string' },
      },
    });
    const [operation, ...paths] = positionals;
    if (!operation || !(OPERATIONS as readonly string[]).includes(operation)) {
      io.stderr.write('usage: cloudlink-tenancy users send-welcome|reset-password (--account KEY PATHS… | --account-id ID) (--email E… | --all-pending) [--force]\n');
      return ExitCode.error;
    }
    if (!values.email?.length && !values['all-pending']) {
      io.stderr.write('say which users: --email E (repeatable) or --all-pending\n');
      return ExitCode.error;
    }
    if (!values.account === !values['account-id']) {
      io.stderr.write('say which account: --account KEY (with the tenancy files) or --account-id ID\n');
      return ExitCode.error;
    }
    let tenancy;
    if (values.account) {
      tenancy = await loadSelected(io, paths, { account: [values.account], 'from-cdktf': values['from-cdktf'] });
      if (!tenancy) return ExitCode.error;
    }
    const client = connect(io, { 'trace-http': values['trace-http'] });
    if (!client) return ExitCode.error;
    try {
      let accountId = values['account-id'];
      const declared = tenancy?.accounts[0];
      if (declared && tenancy) {
        const { principal, problem } = await verifyPrincipal(client, tenancy.partner.id);
        if (problem) {
          io.stderr.write(`${problem}\n`);
          return ExitCode.error;
        }
        const live = customerAccounts(await collect(client.accounts.list(tenancy.partner.id)), principal.accountId);
        const m = matchAccount(declared, live, tenancy.partner.id);
        if (m.kind !== 'matched') {
          io.stderr.write(m.kind === 'problem' ? `${m.problem.message}\n` : `account "${declared.key}" does not exist live yet; apply first\n`);
          return ExitCode.error;
        }
        accountId = m.account.accountId;
      }
      if (!accountId) return ExitCode.error;
      const targets: (User | string)[] = [];
      if (values['all-pending']) {
        for await (const u of client.users.list(accountId)) if (!u.verified) targets.push(u);
      }
      for (const e of values.email ?? []) targets.push((await client.users.findByEmail(accountId, normalizeEmail(e))) ?? normalizeEmail(e));
      let failed = 0;
      for (const t of targets) {
        if (typeof t === 'string') {
          failed += 1;
          io.stderr.write(`no user ${t} in account ${accountId}\n`);
          continue;
        }
        try {
          if (operation === 'send-welcome') {
            const outcome = await ensureWelcome(client, accountId, t.userId, { force: values.force });
            if (outcome === 'unchanged') {
              io.stdout.write(`skipped ${t.email} (${t.userId}): welcome e-mail already sent on ${t.welcomeSentOn ?? 'an earlier run'}; --force sends it again\n`);
              continue;
            }
            io.stdout.write(`sent welcome e-mail to ${t.email} (${t.userId})\n`);
          } else {
            await client.users.resetPassword(accountId, t.email);
            io.stdout.write(`sent password-reset e-mail to ${t.email} (${t.userId})\n`);
          }
        } catch (e) {
          failed += 1;
          io.stderr.write(`FAILED ${t.email}: ${(e as Error).message}\n`);
        }
      }
      if (targets.length === 0) io.stdout.write('no users matched; nothing sent\n');
      return failed > 0 ? ExitCode.error : ExitCode.ok;
    } finally {
      await client.close();
    }
  },
};
