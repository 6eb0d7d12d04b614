import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../io.js';
import { ExitCode } from '../io.js';
import { flagList, type CommandDocs } from '../options/define.js';
import { readPlanFile } from '../../engine/planfile.js';
import { renderPlan } from './plan.js';

const FORMATS = ['text', 'markdown', 'json'] as const;

const OPTIONS = {
  format: { type: 'string', value: 'text|markdown|json', default: 'text', meaning: 'how the saved plan is printed, as plan prints it (markdown is the PR comment form)' },
} as const;

const DOCS: CommandDocs = { usage: 'PLAN.json [options]', options: OPTIONS, examples: ['show plan.json', 'show plan.json --format markdown'] };

/** `cloudlink-tenancy show PLAN.json [--format text|markdown|json]`: renders a saved plan (terraform show); no network. */
export const showCommand: Command = {
  name: 'show',
  summary: 'Print a saved plan (plan --out FILE) as text, Markdown or JSON; no network',
  flags: flagList(OPTIONS),
  docs: DOCS,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
    if (!(FORMATS as readonly string[]).includes(values.format)) {
      io.stderr.write(`--format "${values.format}" is unknown; use text, markdown or json\n`);
      return ExitCode.error;
    }
    const [file, ...extra] = positionals;
    if (file === undefined || extra.length > 0) {
      io.stderr.write(`show takes one saved plan file (made by "cloudlink-tenancy plan PATHS… --out plan.json"), e.g. cloudlink-tenancy show plan.json${extra.length ? `; got ${positionals.length} paths` : ''}\n`);
      return ExitCode.error;
    }
    const plan = await readPlanFile(path.resolve(io.cwd, file), file);
    if (typeof plan === 'string') {
      io.stderr.write(`${plan}\n`);
      return ExitCode.error;
    }
    io.stdout.write(renderPlan(plan, values.format));
    return ExitCode.ok;
  },
};
