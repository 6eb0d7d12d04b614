import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../io.js';
import { formatDiagnostics } from '../inputs.js';
import { clientDiagnostic } from '../../api/diagnostic.js';
import { ExitCode } from '../io.js';
import { connect, intFlag, loadSelected } from '../tenancy-run.js';
import { flagList } from '../options/define.js';
import { PLAN_APPLY_DRIFT_DOCS, PLAN_OPTIONS } from '../options/plan-apply-drift.js';
import { hasChanges } from '../../engine/plan/diff.js';
import { planTenancy } from '../../engine/reconcile.js';
import { writePlanFile } from '../../engine/planfile.js';
import type { Plan } from '../../engine/types.js';
import { renderPlanText, planTextChunks } from '../../report/plan-text.js';
import { renderPlanMarkdown } from '../../report/plan-markdown.js';
import { escapeTerminalValue as tv } from '../../report/escape-terminal.js';
import { renderJson } from '../../report/json.js';
import { shellLine, shellWord } from '../shell-words.js';

/** The exit code a plan earns: 1 errors, 3 guards, 2 changes, 0 nothing to do. */
export function planExitCode(plan: Plan): number {
  if (plan.problems.some((p) => !p.guard)) return ExitCode.error;
  if (plan.problems.length > 0) return ExitCode.guard;
  return hasChanges(plan) ? ExitCode.changes : ExitCode.ok;
}

/** Renders a plan in one of the formats. */
export function renderPlan(plan: Plan, format: string): string {
  if (format === 'json') return renderJson(plan);
  if (format === 'markdown') return renderPlanMarkdown(plan);
  return renderPlanText(plan);
}

/** `cloudlink-tenancy plan PATHS… [--out plan.json] [--format text|markdown|json] [--account KEY] [--shard i/n] [--max-deletes N]`. */
export const planCommand: Command = {
  name: 'plan',
  summary: 'Read live state and print the ordered changes',
  flags: flagList(PLAN_OPTIONS),
  docs: PLAN_APPLY_DRIFT_DOCS.plan,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: PLAN_OPTIONS,
    });
    if (!['text', 'markdown', 'json'].includes(values.format)) {
      io.stderr.write(`--format "${values.format}" is unknown; use text, markdown or json\n`);
      return ExitCode.error;
    }
    const maxDeletes = intFlag('max-deletes', values['max-deletes'], 10);
    if (typeof maxDeletes === 'string') {
      io.stderr.write(`${maxDeletes}\n`);
      return ExitCode.error;
    }
    const loaded = await loadSelected(io, positionals, values);
    if (!loaded) return ExitCode.error;
    const client = connect(io, values);
    if (!client) return ExitCode.error;
    try {
      const planned = await planTenancy(client, loaded.tenancy, { declaredKeys: loaded.declaredKeys, maxDeletes, ...(values['destroy-account'] ? { destroyAccounts: values['destroy-account'] } : {}) });
      if (planned.kind === 'refused') {
        io.stderr.write(`Refused: ${tv(planned.message)}\n`);
        return ExitCode.error;
      }
      const { plan } = planned;
      if (values.format === 'text') for (const chunk of planTextChunks(plan)) io.stdout.write(chunk);
      else io.stdout.write(renderPlan(plan, values.format));
      if (values.out) {
        if (plan.problems.length > 0) io.stderr.write(`Not writing ${values.out}: the plan has problems to fix first.\n`);
        else {
          await writePlanFile(path.resolve(io.cwd, values.out), plan);
          const source = values['from-cdktf'] !== undefined ? ['--from-cdktf', values['from-cdktf']] : positionals;
          io.stderr.write(`Saved the plan to ${values.out}; review it with: cloudlink-tenancy show ${shellWord(values.out)}; apply exactly it with: cloudlink-tenancy apply --plan ${shellLine([values.out, ...source])}\n`);
        }
      }
      return planExitCode(plan);
    } catch (e) {
      io.stderr.write(formatDiagnostics([clientDiagnostic(e, 'plan failed')]));
      return ExitCode.error;
    } finally {
      await client.close();
    }
  },
};
