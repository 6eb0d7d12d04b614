import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../io.js';
import { ExitCode } from '../io.js';
import { commonFlags, commonOptions, connect, intFlag, loadSelected, planAgainstLive } from '../tenancy-run.js';
import { hasChanges } from '../../engine/diff.js';
import { applyPlan } from '../../engine/apply.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../../engine/types.js';
import { renderPlanText } from '../../report/plan-text.js';
import { planExitCode } from './plan.js';
import { progressHooks } from '../progress.js';
import { askLine } from '../prompt.js';

async function readPlanFile(io: CliIo, file: string): Promise<Plan | string> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path.resolve(io.cwd, file), 'utf8'));
  } catch (e) {
    return `cannot read the saved plan ${file}: ${(e as Error).message}`;
  }
  const plan = data as Partial<Plan>;
  if (plan.formatVersion !== PLAN_FORMAT_VERSION || !Array.isArray(plan.changes) || typeof plan.liveDigest !== 'string') {
    return `${file} is not a plan of format ${PLAN_FORMAT_VERSION}; make it again with "cloudlink-tenancy plan --out ${file}"`;
  }
  return plan as Plan;
}

/** `cloudlink-tenancy apply PATHS… [--plan plan.json] [--auto-approve] [--max-deletes N] [--parallelism N]`. */
export const applyCommand: Command = {
  name: 'apply',
  summary: 'Make live state match the declaration (or apply a saved plan)',
  flags: [...commonFlags, '--plan', '--auto-approve', '--max-deletes', '--parallelism', '--destroy-account'],
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ...commonOptions,
        plan: { type: 'string' },
        'auto-approve': { type: 'boolean', default: false },
        'max-deletes': { type: 'string' },
        parallelism: { type: 'string' },
        'destroy-account': { type: 'string', multiple: true },
      },
    });
    const maxDeletes = intFlag('max-deletes', values['max-deletes'], 10);
    const parallelism = intFlag('parallelism', values.parallelism, 4);
    for (const v of [maxDeletes, parallelism]) {
      if (typeof v === 'string') {
        io.stderr.write(`${v}\n`);
        return ExitCode.error;
      }
    }
    let saved: Plan | undefined;
    if (values.plan) {
      const read = await readPlanFile(io, values.plan);
      if (typeof read === 'string') {
        io.stderr.write(`${read}\n`);
        return ExitCode.error;
      }
      saved = read;
    }
    const tenancy = await loadSelected(io, positionals, saved ? { ...values, account: saved.accountKeys, shard: undefined } : values);
    if (!tenancy) return ExitCode.error;
    const client = connect(io, values, Number(parallelism));
    if (!client) return ExitCode.error;
    try {
      const planned = await planAgainstLive(io, client, tenancy, { maxDeletes: Number(maxDeletes), ...(values['destroy-account'] ? { destroyAccounts: values['destroy-account'] } : {}) });
      if (!planned) return ExitCode.error;
      const fresh = planned.plan;
      let plan = fresh;
      if (saved) {
        if (saved.inputsDigest !== fresh.inputsDigest) {
          io.stderr.write(`Refused: the declaration changed since ${values.plan} was made (inputs digest differs); run plan again and review it.\n`);
          return ExitCode.guard;
        }
        if (saved.liveDigest !== fresh.liveDigest) {
          io.stderr.write(`Refused: live state changed since ${values.plan} was made (an object it touches was modified, added or removed); run plan again and review it.\n`);
          return ExitCode.guard;
        }
        plan = saved;
      }
      if (plan.problems.length > 0) {
        io.stdout.write(renderPlanText(plan));
        return planExitCode(plan);
      }
      if (!hasChanges(plan)) {
        io.stdout.write('No changes. Live state matches the declaration.\n');
        return ExitCode.ok;
      }
      if (!saved) io.stdout.write(renderPlanText(plan));
      if (!values['auto-approve'] && !saved) {
        if (!io.isTTY) {
          io.stderr.write('Refusing to apply without confirmation: stdin is not a terminal. Pass --auto-approve, or apply a reviewed plan with --plan FILE.\n');
          return ExitCode.error;
        }
        const answer = await askLine(io, '\nDo you want to apply these changes? Only "yes" is accepted: ');
        if (answer !== 'yes') {
          io.stderr.write('Apply cancelled.\n');
          return ExitCode.error;
        }
      }
      const todo = plan.changes.filter((c) => c.action !== 'noop').length;
      const progress = progressHooks(io, todo);
      const report = await applyPlan(client, plan, { parallelism: Number(parallelism), hooks: progress });
      progress.finish();
      const failures = report.results.filter((r) => r.status === 'failed' || r.status === 'skipped');
      for (const f of failures) io.stderr.write(`${f.status === 'failed' ? 'FAILED' : 'skipped'} ${f.address}: ${f.error ?? ''}\n`);
      for (const m of report.results.filter((r) => r.status === 'manual')) io.stdout.write(`waiting for the Accounts Console: ${m.address}: ${m.error ?? ''}\n`);
      const accountsFailed = new Set(failures.map((f) => f.accountKey));
      io.stdout.write(`Apply ${failures.length ? 'finished with failures' : 'complete'}: ${report.succeeded} succeeded, ${report.failed} failed, ${report.skipped} skipped${report.manual ? `, ${report.manual} waiting for the Accounts Console` : ''}${accountsFailed.size ? ` (accounts with failures: ${[...accountsFailed].join(', ')}; re-run apply to converge)` : ''}.\n`);
      return failures.length > 0 ? ExitCode.error : ExitCode.ok;
    } catch (e) {
      io.stderr.write(`apply failed: ${(e as Error).message}\n`);
      return ExitCode.error;
    } finally {
      await client.close();
    }
  },
};
