import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writePrivateFile } from '../../fs/write-private-file.js';
import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../io.js';
import { ExitCode } from '../io.js';
import { connect } from '../tenancy-run.js';
import { importAccounts } from '../../import/importer.js';
import { renderAccountYaml } from '../../import/render.js';
import { packageRoot } from '../package-root.js';
import { flagList, type CommandDocs } from '../options/define.js';
import { TRACE_HTTP_OPTION } from '../options/tenancy-common.js';
import { escapeTerminalValue as tv } from '../../report/escape-terminal.js';
import { plural } from '../../report/plan-text.js';

const OPTIONS = {
  account: { type: 'string', multiple: true, value: 'ID', meaning: 'import this live account: its accountId, or the account number the Accounts Console shows', shownDefault: 'none: give --account or --all' },
  all: { type: 'boolean', default: false, meaning: "import every customer account of the partner" },
  out: { type: 'string', value: 'DIR', meaning: 'write one KEY.yaml per account into DIR', shownDefault: 'stdout, as a multi-document stream' },
  force: { type: 'boolean', default: false, meaning: 'overwrite files that already exist in --out DIR' },
  partner: { type: 'string', value: 'ID', meaning: 'the partner id written as partner.id', shownDefault: 'CLOUDLINK_PARTNER_ID, else the accounts\' own' },
  'trace-http': TRACE_HTTP_OPTION,
} as const;

const DOCS: CommandDocs = {
  usage: '(--account ID… | --all) [options]',
  options: OPTIONS,
  examples: ['import --all --out tenancy/imported', 'import --account 8f14e45fceea167a5a36dedd4bea2543', 'import --account 100002'],
};

/** The published location of the schema (its `$id`), for output with no repository around it. */
export const SCHEMA_URL = 'https://cloudlink-tenancy.dev/schemas/tenancy.schema.json';

/** The folder holding `.git` (or, failing that, `package.json`) above `dir`, else undefined. */
function repositoryRoot(dir: string): string | undefined {
  let fallback: string | undefined;
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return d;
    if (!fallback && existsSync(path.join(d, 'package.json'))) fallback = d;
    if (path.dirname(d) === d) return fallback;
  }
}

const inside = (root: string, file: string): boolean => {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

/**
 * The `$schema` reference for files written into `dir`: a path relative to `dir` to a schema
 * inside the same repository (its own `schemas/`, the installed package's, or this package
 * when it is that repository), so it works on every clone; else the schema's URL. Never a
 * path that leaves the repository (such as an npx cache).
 */
export function schemaReference(dir: string): string {
  const root = repositoryRoot(dir);
  if (!root) return SCHEMA_URL;
  const candidates = [
    path.join(root, 'schemas', 'tenancy.schema.json'),
    path.join(root, 'node_modules', 'cloudlink-tenancy', 'schemas', 'tenancy.schema.json'),
    path.join(packageRoot(), 'schemas', 'tenancy.schema.json'),
  ];
  const found = candidates.find((f) => inside(root, f) && existsSync(f) && !path.relative(root, f).split(path.sep).includes('.npm'));
  return found ? path.relative(path.resolve(dir), found).split(path.sep).join('/') : SCHEMA_URL;
}

/**
 * `cloudlink-tenancy import --account ID… | --all [--out DIR] [--force] [--partner ID]`: one YAML
 * file per live account (stdout as a multi-document stream without --out). Existing files in
 * --out are never overwritten without --force. The partner id comes from --partner, else
 * CLOUDLINK_PARTNER_ID, else the imported accounts themselves.
 */
export const importCommand: Command = {
  name: 'import',
  summary: 'Write YAML for existing live accounts',
  flags: flagList(OPTIONS),
  docs: DOCS,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseArgs({ args, options: OPTIONS });
    if (!values.all && !values.account?.length) {
      io.stderr.write('say which accounts to import: --account ID (repeatable) or --all\n');
      return ExitCode.error;
    }
    const client = connect(io, values);
    if (!client) return ExitCode.error;
    try {
      const partnerId = values.partner ?? io.env.CLOUDLINK_PARTNER_ID;
      const result = await importAccounts(client, { ...(partnerId ? { partnerId } : {}), ...(values.account ? { accountIds: values.account } : {}), all: values.all });
      for (const id of result.missing) io.stderr.write(`account ${tv(id)} was not found: no account visible to these credentials has this accountId or account number\n`);
      const outDir = values.out ? path.resolve(io.cwd, values.out) : undefined;
      if (outDir && !values.force) {
        const existing = result.accounts.map((a) => path.join(outDir, `${a.key}.yaml`)).filter((f) => existsSync(f));
        if (existing.length > 0) {
          io.stderr.write(`Refusing to overwrite ${existing.map((f) => path.relative(io.cwd, f)).join(', ')}; nothing was written. Pass --force to overwrite, or choose another --out folder.\n`);
          return ExitCode.error;
        }
      }
      const schemaPath = schemaReference(outDir ?? io.cwd);
      const now = new Date();
      const written: string[] = [];
      for (const imported of result.accounts) {
        const text = renderAccountYaml(imported, { partnerId: result.partnerId, importedAt: now, schemaPath });
        if (outDir) {
          await mkdir(outDir, { recursive: true });
          const file = path.join(outDir, `${imported.key}.yaml`);
          await writePrivateFile(file, text);
          written.push(path.relative(io.cwd, file));
        } else io.stdout.write(`${written.length++ ? '---\n' : ''}${text}`);
      }
      if (outDir) io.stdout.write(`Imported ${plural(result.accounts.length, 'account')} (${plural(result.accounts.reduce((n, a) => n + a.users.length, 0), 'user')}) into ${values.out}:\n${written.map((w) => `  ${w}\n`).join('')}Check with: cloudlink-tenancy plan ${values.out}  (expect "No changes")\n`);
      return result.missing.length > 0 ? ExitCode.error : ExitCode.ok;
    } catch (e) {
      io.stderr.write(`import failed: ${tv((e as Error).message)}\n`);
      return ExitCode.error;
    } finally {
      await client.close();
    }
  },
};
