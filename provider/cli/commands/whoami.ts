import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../io.js';
import { ExitCode } from '../io.js';
import { connect } from '../tenancy-run.js';
import { flagList, type CommandDocs } from '../options/define.js';
import { TRACE_HTTP_OPTION } from '../options/tenancy-common.js';
import { escapeTerminalValue as tv } from '../../report/escape-terminal.js';
import { renderJson } from '../../report/json.js';

const OPTIONS = {
  format: { type: 'string', value: 'text|json', default: 'text', meaning: 'text: one line per claim; json: the claims as JSON' },
  'trace-http': TRACE_HTTP_OPTION,
} as const;

const DOCS: CommandDocs = { usage: '[options]', options: OPTIONS, examples: ['whoami', 'whoami --format json'] };

/**
 * `cloudlink-tenancy whoami [--format text|json] [--trace-http FILE]`: who the credentials in
 * the environment belong to (the `GET /token` claims): the partner id to write as
 * `partner.id`, the principal's own account, role and e-mail. Never prints a token.
 */
export const whoamiCommand: Command = {
  name: 'whoami',
  summary: 'Show who the CloudLink credentials belong to (partner id, account, role)',
  flags: flagList(OPTIONS),
  docs: DOCS,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseArgs({ args, options: OPTIONS });
    if (values.format !== 'text' && values.format !== 'json') {
      io.stderr.write(`--format "${values.format}" is unknown; use text or json\n`);
      return ExitCode.error;
    }
    const client = connect(io, { 'trace-http': values['trace-http'] });
    if (!client) return ExitCode.error;
    try {
      const p = await client.principal.whoami();
      if (values.format === 'json') io.stdout.write(renderJson(p));
      else {
        const rows: [string, string | undefined][] = [
          ['partner id', p.partnerId],
          ['account id', p.accountId],
          ['role', p.role],
          ['e-mail', p.email],
          ['name', p.name],
          ['principal id', p.principalId],
        ];
        for (const [label, value] of rows) if (value !== undefined) io.stdout.write(`${label.padEnd(13)} ${tv(String(value))}\n`);
        if (p.partnerId) io.stdout.write(`\nWrite this in your tenancy: partner: { id: ${tv(p.partnerId)} }\n`);
      }
      return ExitCode.ok;
    } catch (e) {
      io.stderr.write(`whoami failed: ${tv((e as Error).message)}\n`);
      return ExitCode.error;
    } finally {
      await client.close();
    }
  },
};
