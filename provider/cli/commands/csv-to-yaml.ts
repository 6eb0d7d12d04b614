import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Document } from 'yaml';
import type { CliIo, Command } from '../io.js';
import { ExitCode } from '../io.js';
import { readUsersTemplate } from '../../load/users-csv.js';
import { reportDiagnostics } from '../inputs.js';
import { safeYamlText } from '../../import/render.js';
import { escapeTerminalValue } from '../../report/escape-terminal.js';
import { defaultUserName } from '../../model/normalize.js';
import type { DesiredUser } from '../../model/types.js';
import { flagList, type CommandDocs } from '../options/define.js';

const OPTIONS = {
  miteam: { type: 'boolean', default: false, meaning: 'turn MiTeam on for rows of a template without a MiTeam column' },
} as const;

const DOCS: CommandDocs = {
  usage: 'FILE.csv|FILE.xlsx [options]',
  options: OPTIONS,
  examples: ['csv-to-yaml users.xlsx --miteam', 'csv-to-yaml examples/yaml/users/acme.csv'],
};

/** One user as YAML writes it: names only when given, `name` only when it is not the default. */
function yamlUser(u: DesiredUser): Record<string, unknown> {
  return {
    email: u.email,
    ...(u.firstName ? { firstName: u.firstName } : {}),
    ...(u.lastName ? { lastName: u.lastName } : {}),
    ...(u.name !== defaultUserName(u.firstName, u.lastName) || (!u.firstName && !u.lastName) ? { name: u.name } : {}),
    ...(u.country ? { country: u.country } : {}),
    role: u.role,
    miteam: u.miteam,
  };
}

/** `cloudlink-tenancy csv-to-yaml FILE [--miteam]`: the console's bulk-import template (CSV or Excel) as YAML `users.items`. */
export const csvToYamlCommand: Command = {
  name: 'csv-to-yaml',
  summary: "Convert the console's bulk-import template (CSV or Excel .xlsx) into YAML users",
  flags: flagList(OPTIONS),
  docs: DOCS,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
    const [file] = positionals;
    if (!file || positionals.length > 1) {
      io.stderr.write('usage: cloudlink-tenancy csv-to-yaml FILE.csv|FILE.xlsx [--miteam]   (--miteam turns MiTeam on for rows without a MiTeam column)\n');
      return ExitCode.error;
    }
    const full = path.resolve(io.cwd, file);
    if (!existsSync(full)) {
      // The loader's message speaks of paths relative to a YAML file; here there is none.
      io.stderr.write(`${file}: the file does not exist (looked for ${full}); check the path, which is relative to the current folder\n`);
      return ExitCode.error;
    }
    const result = await readUsersTemplate(full, { defaultMiteam: values.miteam, relativeTo: 'the working directory' });
    const shown = result.diagnostics.map((d) => ({ ...d, file }));
    if (reportDiagnostics(io, shown)) return ExitCode.error;
    const doc = new Document({ items: result.users.map(yamlUser) });
    io.stdout.write(`# users from ${escapeTerminalValue(path.basename(file))} (${result.users.length}); paste under an account's users:\n${safeYamlText(doc, { lineWidth: 0 })}`);
    return ExitCode.ok;
  },
};
