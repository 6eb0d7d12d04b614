import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../io.js';
import { ExitCode, paint } from '../io.js';
import { connect } from '../tenancy-run.js';
import { readDesiredState, reportDiagnostics } from '../inputs.js';
import { flagList, type CommandDocs } from '../options/define.js';
import { TRACE_HTTP_OPTION } from '../options/tenancy-common.js';
import { collect, customerAccounts } from '../../engine/snapshot.js';
import { bindAccounts, keysOf } from '../../engine/plan/bind.js';
import { verifyPrincipal } from '../../engine/principal.js';
import { MITEAM_PRODUCT, type Subscription } from '../../model/live.js';
import { orderRows } from '../../report/orders-rows.js';
import { renderOrdersText } from '../../report/orders-text.js';
import { renderOrdersCsv, renderOrdersJson } from '../../report/orders-export.js';
import { escapeTerminalValue as tv } from '../../report/escape-terminal.js';

/** Days `--expiring` looks ahead when no number follows it. */
export const DEFAULT_EXPIRING_DAYS = 30;

const OPTIONS = {
  unassigned: { type: 'boolean', default: false, meaning: 'only orders not assigned to any account' },
  expiring: {
    type: 'string',
    value: '[DAYS]',
    meaning: `only orders expiring within DAYS (${DEFAULT_EXPIRING_DAYS} when no number follows), each with how many MiTeam users of its account would be left without a license`,
    shownDefault: 'off',
  },
  search: { type: 'string', value: 'TEXT', meaning: 'only orders where TEXT (any case) appears in the tracking number, SAP order id, a PO, the account key or name, the order date or the expiry date', shownDefault: 'all orders' },
  format: { type: 'string', value: 'text|json|csv', default: 'text', meaning: 'text: a table like the console; json: versioned JSON; csv: one header row' },
  'from-cdktf': { type: 'string', value: 'DIR', meaning: 'name assigned accounts by the keys declared in a cdktf synth output folder (instead of YAML PATHS)', shownDefault: 'account names only' },
  'trace-http': TRACE_HTTP_OPTION,
} as const;

const DOCS: CommandDocs = {
  usage: '[PATHS…] [options]',
  options: OPTIONS,
  examples: ['orders tenancy/ --expiring 60', 'orders --unassigned --format csv > unassigned.csv', 'orders --search PO-ACME'],
};

/** `--expiring` takes an optional number: `--expiring`, `--expiring 60`, `--expiring=60`. */
function normalizeExpiring(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--expiring') {
      const next = args[i + 1];
      if (next !== undefined && /^-?\d+(\.\d+)?$/.test(next)) {
        out.push(`--expiring=${next}`);
        i += 1;
      } else out.push(`--expiring=${DEFAULT_EXPIRING_DAYS}`);
    } else out.push(arg);
  }
  return out;
}

/**
 * `cloudlink-tenancy orders [PATHS…] [--unassigned] [--expiring [DAYS]] [--search TEXT]
 * [--format text|json|csv]`: the console's Orders page. With tenancy files (or --from-cdktf),
 * assigned accounts are named by their declared key too. Reads only.
 */
export const ordersCommand: Command = {
  name: 'orders',
  summary: "List the partner's orders like the console's Orders page (assignment, expiry, licenses)",
  flags: flagList(OPTIONS),
  docs: DOCS,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args: normalizeExpiring(args), allowPositionals: true, options: OPTIONS });
    if (!['text', 'json', 'csv'].includes(values.format)) {
      io.stderr.write(`--format "${values.format}" is unknown; use text, json or csv\n`);
      return ExitCode.error;
    }
    let expiringDays: number | undefined;
    if (values.expiring !== undefined) {
      expiringDays = Number(values.expiring);
      if (!Number.isInteger(expiringDays) || expiringDays < 0) {
        io.stderr.write(`--expiring "${values.expiring}" is not a whole number of days ≥ 0; write e.g. --expiring 60\n`);
        return ExitCode.error;
      }
    }
    const declared = positionals.length > 0 || values['from-cdktf'] !== undefined;
    let tenancy;
    if (declared) {
      const loaded = await readDesiredState(io, { paths: positionals, fromCdktf: values['from-cdktf'] });
      if (reportDiagnostics(io, loaded.diagnostics) || !loaded.tenancy) {
        io.stderr.write('The declaration has errors; nothing was read from CloudLink.\n');
        return ExitCode.error;
      }
      tenancy = loaded.tenancy;
    }
    const client = connect(io, { 'trace-http': values['trace-http'] });
    if (!client) return ExitCode.error;
    try {
      let principal;
      if (tenancy) {
        const verified = await verifyPrincipal(client, tenancy.partner.id);
        if (verified.problem) {
          io.stderr.write(`Refused: ${tv(verified.problem)}\n`);
          return ExitCode.error;
        }
        principal = verified.principal;
      } else principal = await client.principal.whoami();
      const partnerId = tenancy?.partner.id ?? principal.partnerId;
      if (!partnerId) {
        io.stderr.write('these credentials carry no partner id (GET /token has no partnerId claim); use the credentials of a partner admin or a partner client\n');
        return ExitCode.error;
      }
      const now = new Date();
      const [orders, listed] = await Promise.all([collect(client.orders.list(partnerId, values.unassigned ? { unassigned: true } : {})), collect(client.accounts.list(partnerId))]);
      const accounts = customerAccounts(listed, principal.accountId);
      const accountKeys = new Map<string, string>();
      const bindings = tenancy ? bindAccounts(tenancy.accounts, accounts, partnerId, keysOf(tenancy.accounts)) : [];
      for (const b of bindings) if (b.kind === 'matched') accountKeys.set(b.accountId, b.key);
      const holders = [...new Set(orders.map((o) => o.assignedAccountId).filter((id): id is string => id !== null))];
      const subscriptions: Subscription[] = [];
      const licensesHeld = new Map<string, number>();
      for (const accountId of holders) {
        subscriptions.push(...(await collect(client.billing.subscriptions(accountId))));
        if (expiringDays !== undefined) {
          const held = (await collect(client.billing.licenses(accountId))).filter((l) => l.product === MITEAM_PRODUCT).length;
          licensesHeld.set(accountId, held);
        }
      }
      const rows = orderRows(
        { orders, accountNames: new Map(listed.map((a) => [a.accountId, a.name])), accountKeys, subscriptions, licensesHeld, now },
        { unassigned: values.unassigned, ...(expiringDays !== undefined ? { expiringDays } : {}), ...(values.search ? { search: values.search } : {}) },
      );
      if (values.format === 'json') io.stdout.write(renderOrdersJson(rows, { partnerId, generatedAt: now.toISOString() }));
      else if (values.format === 'csv') io.stdout.write(renderOrdersCsv(rows));
      else io.stdout.write(renderOrdersText(rows, paint(io)));
      return ExitCode.ok;
    } catch (e) {
      io.stderr.write(`orders failed: ${tv((e as Error).message)}\n`);
      return ExitCode.error;
    } finally {
      await client.close();
    }
  },
};
