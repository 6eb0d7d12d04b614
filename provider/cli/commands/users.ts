import { existsSync } from 'node:fs';
import path from 'node:path';
import { writePrivateFile } from '../../fs/write-private-file.js';
import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../io.js';
import { ExitCode } from '../io.js';
import { connect, loadSelected } from '../tenancy-run.js';
import { readBindings } from '../../engine/snapshot.js';
import { verifyPrincipal } from '../../engine/principal.js';
import { ensureWelcome } from '../../engine/apply/welcome.js';
import { policyWantsWelcome, welcomeRecorded, welcomeStillDue } from '../../engine/plan/users.js';
import { normalizeEmail } from '../../model/email.js';
import { MITEAM_PRODUCT, type User } from '../../model/live.js';
import type { DesiredAccount } from '../../model/types.js';
import type { CloudLinkApi } from '../../api/client-types.js';
import { flagList, type CommandDocs } from '../options/define.js';
import { TRACE_HTTP_OPTION } from '../options/tenancy-common.js';
import { templateFileContent } from '../../load/users-template-file.js';
import { TEMPLATE_COLUMNS } from '../../load/users-template.js';
import { escapeTerminalValue as tv } from '../../report/escape-terminal.js';

const OPERATIONS = ['send-welcome', 'reset-password', 'template'] as const;

const OPTIONS = {
  account: { type: 'string', value: 'KEY', meaning: 'the declared account (give its tenancy PATHS too)', shownDefault: 'none: give --account or --account-id' },
  'account-id': { type: 'string', value: 'ID', meaning: 'the live account by its id, without tenancy files', shownDefault: 'none' },
  email: { type: 'string', multiple: true, value: 'E', meaning: 'the user with this e-mail', shownDefault: 'none: give --email or --all-pending' },
  'all-pending': { type: 'boolean', default: false, meaning: 'send-welcome: every user the declared welcomeEmail policy names (onEnable: MiTeam users) who has not registered and has no welcome e-mail recorded; with --account-id, unregistered users holding a MiTeam license; reset-password: every unregistered user' },
  'dry-run': { type: 'boolean', default: false, meaning: 'list who would get an e-mail; send nothing' },
  force: { type: 'boolean', default: false, meaning: 'send-welcome: send even if a welcome e-mail is recorded; template: overwrite --out' },
  out: { type: 'string', value: 'FILE', meaning: 'template: write the console template to FILE (.xlsx or .csv)', shownDefault: 'CSV on stdout' },
  'from-cdktf': { type: 'string', value: 'DIR', meaning: 'read the declaration from a cdktf synth output folder instead of YAML PATHS', shownDefault: 'YAML paths' },
  'trace-http': TRACE_HTTP_OPTION,
} as const;

const DOCS: CommandDocs = {
  usage: 'send-welcome|reset-password (--account KEY PATHS… | --account-id ID) (--email E… | --all-pending) [options] | template [--out FILE]',
  options: OPTIONS,
  examples: ['users send-welcome tenancy/ --account acme --all-pending', 'users reset-password --account-id 8f14e45fceea167a5a36dedd4bea2543 --email alice@acme.example', 'users template --out users.xlsx'],
};

/** `users template [--out FILE] [--force]`: the console's bulk-import template, to fill in and point fromXlsx/fromCsv at. */
async function writeTemplate(io: CliIo, out: string | undefined, force: boolean): Promise<number> {
  if (!out) {
    io.stdout.write((await templateFileContent(false)).toString('utf8'));
    return ExitCode.ok;
  }
  const xlsx = /\.xlsx$/i.test(out);
  if (!xlsx && !/\.csv$/i.test(out)) {
    io.stderr.write(`--out ${out}: name the template .xlsx (Excel) or .csv\n`);
    return ExitCode.error;
  }
  const target = path.resolve(io.cwd, out);
  if (!force && existsSync(target)) {
    io.stderr.write(`Refusing to overwrite ${out}; pass --force to replace it\n`);
    return ExitCode.error;
  }
  await writePrivateFile(target, await templateFileContent(xlsx));
  io.stdout.write(`Wrote ${out}: the console's template (${TEMPLATE_COLUMNS.join(', ')}). Fill in one row per user, then point users.${xlsx ? 'fromXlsx' : 'fromCsv'} at it.\n`);
  return ExitCode.ok;
}

/** Every unregistered user of the account. */
async function unregistered(api: CloudLinkApi, accountId: string): Promise<User[]> {
  const out: User[] = [];
  for await (const u of api.users.list(accountId)) if (!u.verified) out.push(u);
  return out;
}

/**
 * The users `send-welcome --all-pending` mails: those the declared policy names (as the plan
 * does: `onCreate` every declared user, `onEnable` declared MiTeam users, `never` nobody) who
 * have not registered and have no welcome recorded (`force`: recorded ones too). Without a
 * declaration: unregistered users holding a MiTeam license.
 */
async function pendingWelcomes(api: CloudLinkApi, accountId: string, declared: DesiredAccount | undefined, force: boolean): Promise<User[]> {
  const wanted = new Map((declared?.users.items ?? []).map((u) => [u.email, policyWantsWelcome(declared?.welcomeEmail ?? 'never', u.miteam)]));
  const licensed = new Set<string>();
  if (!declared) for await (const l of api.billing.licenses(accountId)) if (l.product === MITEAM_PRODUCT) licensed.add(l.userId);
  const out: User[] = [];
  for await (const u of api.users.list(accountId)) {
    const named = declared ? wanted.get(normalizeEmail(u.email)) === true : licensed.has(u.userId);
    if (named && (force ? !u.verified : welcomeStillDue(u))) out.push(u);
  }
  return out;
}

/**
 * `cloudlink-tenancy users send-welcome|reset-password (--account KEY PATHS…|--account-id ID)
 * (--email E…|--all-pending) [--force]`: the console's one-off user operations, through the same
 * client (retries, rate budget, trace). Prints one line per user; exit 1 when any failed.
 * `users template [--out FILE.xlsx|FILE.csv]` writes the console's bulk-import template.
 */
export const usersCommand: Command = {
  name: 'users',
  summary: 'One-off operations: send-welcome, reset-password; template writes the bulk-import template',
  flags: flagList(OPTIONS),
  docs: DOCS,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
    const [operation, ...paths] = positionals;
    if (!operation || !(OPERATIONS as readonly string[]).includes(operation)) {
      io.stderr.write('usage: cloudlink-tenancy users send-welcome|reset-password (--account KEY PATHS… | --account-id ID) (--email E… | --all-pending) [--force], or users template [--out FILE.xlsx|FILE.csv]\n');
      return ExitCode.error;
    }
    if (operation === 'template') return writeTemplate(io, values.out, values.force);
    if (!values.email?.length && !values['all-pending']) {
      io.stderr.write('say which users: --email E (repeatable) or --all-pending\n');
      return ExitCode.error;
    }
    if (!values.account === !values['account-id']) {
      io.stderr.write('say which account: --account KEY (with the tenancy files) or --account-id ID\n');
      return ExitCode.error;
    }
    let loaded;
    if (values.account) {
      loaded = await loadSelected(io, paths, { account: [values.account], 'from-cdktf': values['from-cdktf'] });
      if (!loaded) return ExitCode.error;
    }
    const tenancy = loaded?.tenancy;
    const client = connect(io, { 'trace-http': values['trace-http'] });
    if (!client) return ExitCode.error;
    try {
      let accountId = values['account-id'];
      const declared = tenancy?.accounts[0];
      if (declared && tenancy) {
        const { problem } = await verifyPrincipal(client, tenancy.partner.id);
        if (problem) {
          io.stderr.write(`${tv(problem)}\n`);
          return ExitCode.error;
        }
        const [b] = (await readBindings(client, tenancy, loaded?.declaredKeys)).bindings;
        if (b?.kind !== 'matched') {
          io.stderr.write(b?.kind === 'problem' ? `${b.problem.message}\n` : `account "${declared.key}" does not exist live yet; apply first\n`);
          return ExitCode.error;
        }
        accountId = b.accountId;
      }
      if (!accountId) return ExitCode.error;
      const targets: (User | string)[] = [];
      if (values['all-pending']) targets.push(...(operation === 'send-welcome' ? await pendingWelcomes(client, accountId, declared, values.force) : await unregistered(client, accountId)));
      for (const e of values.email ?? []) targets.push((await client.users.findByEmail(accountId, normalizeEmail(e))) ?? normalizeEmail(e));
      let failed = 0;
      for (const t of targets) {
        if (typeof t === 'string') {
          failed += 1;
          io.stderr.write(`no user ${tv(t)} in account ${tv(accountId)}\n`);
          continue;
        }
        try {
          if (operation === 'send-welcome') {
            if (t.verified && !values.force) {
              io.stdout.write(`skipped ${tv(t.email)} (${tv(t.userId)}): registered already; --force sends the welcome e-mail anyway\n`);
              continue;
            }
            if (welcomeRecorded(t) && !values.force) {
              io.stdout.write(`skipped ${tv(t.email)} (${tv(t.userId)}): welcome e-mail already sent on ${tv(t.welcomeSentOn ?? 'an earlier run')}; --force sends it again\n`);
              continue;
            }
            if (values['dry-run']) {
              io.stdout.write(`would send welcome e-mail to ${tv(t.email)} (${tv(t.userId)})\n`);
              continue;
            }
            await ensureWelcome(client, t, { force: true });
            io.stdout.write(`sent welcome e-mail to ${tv(t.email)} (${tv(t.userId)})\n`);
          } else if (values['dry-run']) {
            io.stdout.write(`would send password-reset e-mail to ${tv(t.email)} (${tv(t.userId)})\n`);
          } else {
            await client.users.resetPassword(accountId, t.email);
            io.stdout.write(`sent password-reset e-mail to ${tv(t.email)} (${tv(t.userId)})\n`);
          }
        } catch (e) {
          failed += 1;
          io.stderr.write(`FAILED ${tv(t.email)}: ${tv((e as Error).message)}\n`);
        }
      }
      if (targets.length === 0) io.stdout.write('no users matched; nothing sent\n');
      return failed > 0 ? ExitCode.error : ExitCode.ok;
    } finally {
      await client.close();
    }
  },
};
