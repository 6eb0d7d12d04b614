import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../io.js';
import { ExitCode } from '../io.js';
import { tenancyJsonSchemaText } from '../../model/json-schema.js';

/** `cloudlink-tenancy schema [--out FILE]`: the JSON Schema of the tenancy format. */
export const schemaCommand: Command = {
  name: 'schema',
  summary: 'Print the JSON Schema of the tenancy format',
  flags: ['--out'],
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
    const text = tenancyJsonSchemaText();
    if (values.out) {
      await writeFile(path.resolve(io.cwd, values.out), text);
      io.stderr.write(`Wrote ${values.out}\n`);
    } else io.stdout.write(text);
    return ExitCode.ok;
  },
};
