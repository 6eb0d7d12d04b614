import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../io.js';
import { ExitCode } from '../io.js';
import { tenancyJsonSchemaText } from '../../model/json-schema.js';
import { flagList, type CommandDocs } from '../options/define.js';

const OPTIONS = {
  out: { type: 'string', value: 'FILE', meaning: 'write the schema to FILE', shownDefault: 'stdout' },
} as const;

const DOCS: CommandDocs = { usage: '[options]', options: OPTIONS, examples: ['schema --out schemas/tenancy.schema.json'] };

/** `cloudlink-tenancy schema [--out FILE]`: the JSON Schema of the tenancy format. */
export const schemaCommand: Command = {
  name: 'schema',
  summary: 'Print the JSON Schema of the tenancy format',
  flags: flagList(OPTIONS),
  docs: DOCS,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseArgs({ args, options: OPTIONS });
    const text = tenancyJsonSchemaText();
    if (values.out) {
      await writeFile(path.resolve(io.cwd, values.out), text);
      io.stderr.write(`Wrote ${values.out}\n`);
    } else io.stdout.write(text);
    return ExitCode.ok;
  },
};
