import path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import type { CliIo, Command } from '../io.js';
import { ExitCode } from '../io.js';
import { readUsersTemplate } from '../../load/users-csv.js';
import { reportDiagnostics } from '../inputs.js';

/** `cloudlink-tenancy csv-to-yaml FILE [--miteam]`: the console's bulk-import template as YAML `users.items`. */
export const csvToYamlCommand: Command = {
  name: 'csv-to-yaml',
  summary: "Convert the console's bulk-import template (CSV) into YAML users",
  flags: ['--miteam'],
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { miteam: { type: 'boolean', default: false } } });
    const [file] = positionals;
    if (!file || positionals.length > 1) {
      io.stderr.write('usage: cloudlink-tenancy csv-to-yaml FILE.csv [--miteam]   (--miteam turns MiTeam on for rows without a MiTeam column)\n');
      return ExitCode.error;
    }
    const result = await readUsersTemplate(path.resolve(io.cwd, file), { defaultMiteam: values.miteam });
    const shown = result.diagnostics.map((d) => ({ ...d, file }));
    if (reportDiagnostics(io, shown)) return ExitCode.error;
    const items = result.users.map(({ source: _s, ...u }) => ({ email: u.email, firstName: u.firstName, lastName: u.lastName, name: u.name, ...(u.country ? { country: u.country } : {}), role: u.role, miteam: u.miteam }));
    io.stdout.write(`# users from ${path.basename(file)} (${items.length}); paste under an account's users:\n${stringify({ items })}`);
    return ExitCode.ok;
  },
};
