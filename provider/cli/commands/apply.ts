import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../io.js';
import { formatDiagnostics } from '../inputs.js';
import { clientDiagnostic } from '../../api/diagnostic.js';
import { ExitCode } from '../io.js';
import { connect, intFlag, loadSelected } from '../tenancy-run.js';
import { flagList } from '../options/define.js';
import { APPLY_OPTIONS, PLAN_APPLY_DRIFT_DOCS } from '../options/plan-apply-drift.js';
import { applyTenancy, type ApplyOutcome } from '../../engine/reconcile.js';
import { NO_LONGER_PLANNED, readPlanFile } from '../../engine/planfile.js';
import type { ApplyReport } from '../../engine/apply/apply.js';
import type { Plan } from '../../engine/types.js';
import { changeLines, plural, planTextChunks } from '../../report/plan-text.js';
import { planExitCode } from './plan.js';
import { progressHooks } from '../progress.js';
import { askLine } from '../prompt.js';
import { interruptOnSigint } from '../interrupt.js';
import { escapeTerminalValue as tv } from '../../report/escape-terminal.js';
import { renderJson } from '../../report/json.js';
import { lockOptionsFromFlags } from './apply-lock.js';

/** The machine-readable result of `apply --format json`. */
function jsonResult(outcome: string, plan: Plan | undefined, report?: ApplyReport, extra: Record<string, unknown> = {}): string {
  const results = (report?.results ?? []).map((r) => ({ address: r.address, kind: r.kind, outcome: r.status, ...(r.verb ? { verb: r.verb } : {}), ...(r.error ? { error: r.error } : {}), ...(r.correlationId ? { correlationId: r.correlationId } : {}) }));
  const summary = report ? { succeeded: report.succeeded, failed: report.failed, skipped: report.skipped, manual: report.manual, interrupted: report.interrupted } : undefined;
  const locked = report?.locked.length ? { locked: report.locked } : {};
  return renderJson({ formatVersion: 1, outcome, partnerId: plan?.partnerId, ...(summary ? { summary } : {}), results, ...locked, ...extra });
}

/** The summary line of an apply, with the right plurals. */
function summaryLine(report: ApplyReport): string {
  const failedAccounts = new Set(report.results.filter((r) => r.status === 'failed').map((r) => r.accountKey));
  const parts = [`${report.succeeded} succeeded`, `${report.failed} failed`, `${report.skipped} skipped`];
  if (report.manual) parts.push(`${report.manual} waiting for the Accounts Console`);
  if (report.interrupted) parts.push(`${report.interrupted} not started`);
  const head = report.interrupted ? 'Apply interrupted' : report.failed + report.skipped ? 'Apply finished with failures' : 'Apply complete';
  const tail = report.interrupted || failedAccounts.size ? ` (${failedAccounts.size ? `${plural(failedAccounts.size, 'account')} with failures: ${[...failedAccounts].map(tv).join(', ')}; ` : ''}re-run apply to converge)` : '';
  return `${head}: ${parts.join(', ')}${tail}.`;
}

/** Per account left for the Accounts Console: its address and the fields to enter (for `--format json`). */
function consoleFields(plan: Plan, report: ApplyReport): { address: string; fields: unknown }[] {
  return report.results.filter((x) => x.status === 'manual').map((m) => ({ address: m.address, fields: plan.changes.find((c) => c.address === m.address)?.after ?? null }));
}

/** What a person enters in the Accounts Console for one waiting account (the fields as the plan shows them). */
function consoleInstructions(plan: Plan, address: string, why: string | undefined): string {
  const change = plan.changes.find((c) => c.address === address);
  const lines = change ? changeLines(change) : [];
  return `waiting for the Accounts Console: ${tv(address)}: ${tv(why ?? '')}\n${lines.map((l) => `${l}\n`).join('')}`;
}

/** Prints the outcome of a run and returns its exit code. */
function report(io: CliIo, outcome: ApplyOutcome, planFile: string | undefined, json: boolean): number {
  const out = (text: string): void => void io.stdout.write(text);
  switch (outcome.kind) {
    case 'refused':
      io.stderr.write(`Refused: ${tv(outcome.message)}\n`);
      if (json) out(jsonResult('refused', undefined, undefined, { message: outcome.message }));
      return ExitCode.error;
    case 'problems':
      if (json) out(jsonResult('problems', outcome.plan, undefined, { problems: outcome.plan.problems }));
      else for (const chunk of planTextChunks(outcome.plan)) out(chunk);
      return planExitCode(outcome.plan);
    case 'declaration-changed':
      io.stderr.write(`Refused: the declaration changed since ${planFile} was made; run plan again and review it.\n`);
      return ExitCode.guard;
    case 'stale':
      io.stderr.write(`Refused: live state changed since ${planFile} was made:\n${outcome.check.stale.map((s) => `  ${tv(s.address)}: ${tv(s.why)}\n`).join('')}Run plan again and review it.\n`);
      if (json) out(jsonResult('stale', outcome.plan, undefined, { stale: outcome.check.stale }));
      return ExitCode.guard;
    case 'cancelled':
      io.stderr.write('Apply cancelled.\n');
      return ExitCode.error;
    case 'nothing':
      if (json) out(jsonResult('nothing', outcome.plan));
      else out(outcome.check?.noLongerPlanned.length ? `Nothing left to apply: ${plural(outcome.check.noLongerPlanned.length, 'change')} of ${planFile} ${NO_LONGER_PLANNED}.\n` : 'No changes. Live state matches the declaration.\n');
      return ExitCode.ok;
    case 'applied': {
      const r = outcome.report;
      const lockedKeys = new Set(r.locked.map((l) => l.accountKey));
      const failures = r.results.filter((x) => (x.status === 'failed' || x.status === 'skipped') && !lockedKeys.has(x.accountKey));
      for (const f of failures) io.stderr.write(`${f.status === 'failed' ? 'FAILED' : 'skipped'} ${tv(f.address)}: ${tv(f.error ?? '')}\n`);
      for (const l of r.locked) io.stderr.write(`Refused: ${tv(l.message)}\n`);
      const outcomeWord = r.interrupted ? 'interrupted' : failures.length ? 'failed' : r.locked.length ? 'locked' : r.manual ? 'waiting' : 'applied';
      if (json) out(jsonResult(outcomeWord, outcome.plan, r, r.manual ? { waitingForConsole: consoleFields(outcome.plan, r) } : {}));
      else {
        if (outcome.check?.noLongerPlanned.length) out(`Skipped ${plural(outcome.check.noLongerPlanned.length, 'change')} of ${planFile} ${NO_LONGER_PLANNED}.\n`);
        for (const m of r.results.filter((x) => x.status === 'manual')) out(consoleInstructions(outcome.plan, m.address, m.error));
        out(`${summaryLine(r)}\n`);
      }
      if (outcome.check?.unplanned.length) io.stderr.write(`Note: ${plural(outcome.check.unplanned.length, 'change')} not in ${planFile} were not applied; run plan again to see them.\n`);
      // Another error wins over a lock refusal (exit 1); a refusal is a guard's (exit 3) and wins
      // over waiting for a person (exit 4).
      if (failures.length > 0 || r.interrupted > 0) return ExitCode.error;
      if (r.locked.length > 0) return ExitCode.guard;
      if (r.manual > 0) {
        io.stderr.write(`Waiting for a person (exit 4): ${plural(r.manual, 'account')} to create in the Accounts Console; run plan and apply again once created.\n`);
        return ExitCode.waiting;
      }
      return ExitCode.ok;
    }
  }
}

/** `cloudlink-tenancy apply PATHS… [--plan plan.json] [--auto-approve] [--max-deletes N] [--parallelism N] [--format text|json]`. */
export const applyCommand: Command = {
  name: 'apply',
  summary: 'Make live state match the declaration (or apply a saved plan)',
  flags: flagList(APPLY_OPTIONS),
  docs: PLAN_APPLY_DRIFT_DOCS.apply,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: APPLY_OPTIONS,
    });
    const maxDeletes = intFlag('max-deletes', values['max-deletes'], 10);
    const parallelism = intFlag('parallelism', values.parallelism, 4, 1);
    const lock = lockOptionsFromFlags(values.lock, values['lock-timeout'], io.env);
    const problems = [maxDeletes, parallelism, ...(typeof lock === 'string' ? [lock] : [])].filter((v): v is string => typeof v === 'string');
    if (values.format !== 'text' && values.format !== 'json') problems.push(`--format "${values.format}" is unknown; use text or json`);
    if (problems.length > 0) {
      io.stderr.write(problems.map((p) => `${p}\n`).join(''));
      return ExitCode.error;
    }
    const json = values.format === 'json';
    let saved: Plan | undefined;
    if (values.plan) {
      const read = await readPlanFile(path.resolve(io.cwd, values.plan), values.plan);
      if (typeof read === 'string') {
        io.stderr.write(`${read}\n`);
        return ExitCode.error;
      }
      saved = read;
    }
    const loaded = await loadSelected(io, positionals, saved ? { ...values, account: saved.accountKeys, shard: undefined } : values);
    if (!loaded) return ExitCode.error;
    const client = connect(io, values, Number(parallelism));
    if (!client) return ExitCode.error;
    const interrupt = interruptOnSigint(io);
    let progress: ReturnType<typeof progressHooks> | undefined;
    try {
      const outcome = await applyTenancy(client, loaded.tenancy, {
        declaredKeys: loaded.declaredKeys,
        maxDeletes: Number(maxDeletes),
        ...(values['destroy-account'] ? { destroyAccounts: values['destroy-account'] } : {}),
        ...(saved ? { saved } : {}),
        confirm: async (plan) => {
          if (!json) for (const chunk of planTextChunks(plan)) io.stdout.write(chunk);
          if (values['auto-approve']) return true;
          if (!io.isTTY) {
            io.stderr.write('Refusing to apply without confirmation: stdin is not a terminal. Pass --auto-approve, or apply a reviewed plan with --plan FILE.\n');
            return false;
          }
          return (await askLine(io, '\nDo you want to apply these changes? Only "yes" is accepted: ')) === 'yes';
        },
        apply: {
          parallelism: Number(parallelism),
          signal: interrupt.signal,
          ...(lock && typeof lock === 'object' ? { lock } : {}),
          hooks: (progress = progressHooks(io, 0)),
        },
      });
      progress.finish();
      return report(io, outcome, values.plan, json);
    } catch (e) {
      io.stderr.write(formatDiagnostics([clientDiagnostic(e, 'apply failed')]));
      return ExitCode.error;
    } finally {
      interrupt.dispose();
      await client.close();
    }
  },
};
