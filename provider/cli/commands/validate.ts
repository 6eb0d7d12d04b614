import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../io.js';
import { ExitCode, paint } from '../io.js';
import { formatDiagnostics, readDesiredState } from '../inputs.js';
import { flagList, type CommandDocs } from '../options/define.js';
import type { Diagnostic } from '../../model/types.js';
import { escapeTerminalValue as tv } from '../../report/escape-terminal.js';
import { renderJson } from '../../report/json.js';
import { plural } from '../../report/plan-text.js';

const OPTIONS = {
  'from-cdktf': { type: 'string', value: 'DIR', meaning: 'check the tenancy.json files of a cdktf synth output folder instead of YAML paths', shownDefault: 'YAML paths' },
  format: { type: 'string', value: 'text|json', default: 'text', meaning: 'text: file:line:col: message lines on stderr; json: one JSON document on stdout' },
} as const;

const DOCS: CommandDocs = {
  usage: 'PATHS… [options]',
  options: OPTIONS,
  examples: ['validate examples/yaml', 'validate tenancy/ --format json > diagnostics.json'],
};

/** The machine-readable result of `validate --format json` (versioned). */
export interface ValidateJson {
  formatVersion: 1;
  valid: boolean;
  errors: number;
  warnings: number;
  diagnostics: Diagnostic[];
  summary?: { partnerId: string; accounts: number; users: number };
}

function colored(io: CliIo, diagnostics: readonly Diagnostic[]): string {
  const c = paint(io);
  return formatDiagnostics(diagnostics)
    .split('\n')
    .map((line, i) => {
      const d = diagnostics[i];
      if (!d || line === '') return line;
      return d.severity === 'error' ? c.red(line) : c.yellow(line);
    })
    .join('\n');
}

/** `cloudlink-tenancy validate PATHS… [--from-cdktf DIR] [--format text|json]`: load and check, no network. */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'Load and check tenancy files; no network',
  flags: flagList(OPTIONS),
  docs: DOCS,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
    if (values.format !== 'text' && values.format !== 'json') {
      io.stderr.write(`--format "${values.format}" is unknown; use text or json\n`);
      return ExitCode.error;
    }
    const result = await readDesiredState(io, { paths: positionals, fromCdktf: values['from-cdktf'] });
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    const valid = errors === 0 && result.tenancy !== undefined;
    const users = result.tenancy?.accounts.reduce((n, a) => n + a.users.items.length, 0) ?? 0;
    if (values.format === 'json') {
      const doc: ValidateJson = {
        formatVersion: 1,
        valid,
        errors,
        warnings: result.diagnostics.length - errors,
        diagnostics: result.diagnostics.map((d) => ({ severity: d.severity, message: d.message, ...(d.file !== undefined ? { file: d.file } : {}), ...(d.line !== undefined ? { line: d.line } : {}), ...(d.column !== undefined ? { column: d.column } : {}) })),
        ...(result.tenancy ? { summary: { partnerId: result.tenancy.partner.id, accounts: result.tenancy.accounts.length, users } } : {}),
      };
      io.stdout.write(renderJson(doc));
      return valid ? ExitCode.ok : ExitCode.error;
    }
    io.stderr.write(colored(io, result.diagnostics));
    const c = paint(io);
    if (!valid || !result.tenancy) {
      io.stderr.write(c.red(`Invalid: ${errors} error${errors === 1 ? '' : 's'}. Nothing was sent to CloudLink.\n`));
      return ExitCode.error;
    }
    io.stdout.write(`${c.green('Valid')}: ${plural(result.tenancy.accounts.length, 'account')}, ${plural(users, 'user')} (partner ${tv(result.tenancy.partner.id)}).\n`);
    return ExitCode.ok;
  },
};
