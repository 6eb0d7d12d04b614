import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../io.js';
import { ExitCode } from '../io.js';
import { connect } from '../tenancy-run.js';
import { importAccounts } from '../../import/importer.js';
import { renderAccountYaml } from '../../import/render.js';
import { packageRoot } from '../package-root.js';

/**
 * `cloudlink-tenancy import --account ID… | --all [--out DIR] [--partner ID]`: one YAML file per
 * live account (stdout as a multi-document stream without --out). The partner id comes from
 * --partner, else CLOUDLINK_PARTNER_ID, else the imported accounts themselves.
 */
export const importCommand: Command = {
  name: 'import',
  summary: 'Write YAML for existing live accounts',
  flags: ['--account', '--all', '--out', '--partner', '--trace-http'],
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseArgs({
      args,
      options: { account: { type: 'string', multiple: true }, all: { type: 'boolean', default: false }, out: { type: 'string' }, partner: { type: 'string' }, 'trace-http': { type: 'string' } },
    });
    if (!values.all && !values.account?.length) {
      io.stderr.write('say which accounts to import: --account ID (repeatable) or --all\n');
      return ExitCode.error;
    }
    const client = connect(io, values);
    if (!client) return ExitCode.error;
    try {
      const partnerId = values.partner ?? io.env.CLOUDLINK_PARTNER_ID;
      const result = await importAccounts(client, { ...(partnerId ? { partnerId } : {}), ...(values.account ? { accountIds: values.account } : {}), all: values.all });
      for (const id of result.missing) io.stderr.write(`account ${id} was not found (or is not visible to these credentials)\n`);
      const outDir = values.out ? path.resolve(io.cwd, values.out) : undefined;
      const schemaFile = path.join(packageRoot(), 'schemas', 'tenancy.schema.json');
      const now = new Date();
      const written: string[] = [];
      for (const imported of result.accounts) {
        const schemaPath = outDir ? path.relative(outDir, schemaFile) : 'https://cloudlink-tenancy.dev/schemas/tenancy.schema.json';
        const text = renderAccountYaml(imported, { partnerId: result.partnerId, importedAt: now, schemaPath });
        if (outDir) {
          await mkdir(outDir, { recursive: true });
          const file = path.join(outDir, `${imported.key}.yaml`);
          await writeFile(file, text);
          written.push(path.relative(io.cwd, file));
        } else io.stdout.write(`${written.length++ ? '---\n' : ''}${text}`);
      }
      if (outDir) io.stdout.write(`Imported ${result.accounts.length} accounts (${result.accounts.reduce((n, a) => n + a.users.length, 0)} users) into ${values.out}:\n${written.map((w) => `  ${w}\n`).join('')}Check with: cloudlink-tenancy plan ${values.out}  (expect "No changes")\n`);
      return result.missing.length > 0 ? ExitCode.error : ExitCode.ok;
    } catch (e) {
      io.stderr.write(`import failed: ${(e as Error).message}\n`);
      return ExitCode.error;
    } finally {
      await client.close();
    }
  },
};
