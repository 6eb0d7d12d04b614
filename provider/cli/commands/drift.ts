import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writePrivateFile } from '../../fs/write-private-file.js';
import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../io.js';
import { formatDiagnostics } from '../inputs.js';
import { clientDiagnostic } from '../../api/diagnostic.js';
import { ExitCode } from '../io.js';
import { connect, intFlag, loadSelected } from '../tenancy-run.js';
import { flagList } from '../options/define.js';
import { DRIFT_OPTIONS, PLAN_APPLY_DRIFT_DOCS } from '../options/plan-apply-drift.js';
import { driftTenancy } from '../../engine/reconcile.js';
import type { DriftReport } from '../../engine/drift/types.js';
import { renderDriftText } from '../../report/drift-text.js';
import { renderDriftMarkdown } from '../../report/drift-markdown.js';
import { renderDriftJunit } from '../../report/drift-junit.js';
import { renderDriftHtml } from '../../report/drift-html.js';
import { escapeTerminalValue as tv } from '../../report/escape-terminal.js';
import { renderJson } from '../../report/json.js';

/** Drift formats and the file name each gets when several are written to a folder. */
export const DRIFT_FORMATS = {
  text: { file: 'drift.txt', render: renderDriftText },
  markdown: { file: 'drift.md', render: (r: DriftReport) => renderDriftMarkdown(r) },
  json: { file: 'drift.json', render: (r: DriftReport) => renderJson(r) },
  junit: { file: 'drift-junit.xml', render: renderDriftJunit },
  html: { file: 'drift.html', render: renderDriftHtml },
} as const;
type DriftFormat = keyof typeof DRIFT_FORMATS;
const FORMAT_NAMES = Object.keys(DRIFT_FORMATS) as DriftFormat[];

/**
 * `cloudlink-tenancy drift PATHS… [--format text|markdown|json|junit|html[,…]] [--out FILE|DIR]
 * [--expiring-days N] [--pending-days N]`: a refresh-only report; exit 0 clean, 2 drift, 1 error.
 * With several formats, `--out` is a folder receiving drift.txt, drift.md, drift.json, drift-junit.xml, drift.html.
 * `--out-junit FILE`, `--out-html FILE` (one per format) write that format to that file in addition.
 */
export const driftCommand: Command = {
  name: 'drift',
  summary: 'Report differences between declared and live state; changes nothing',
  flags: flagList(DRIFT_OPTIONS),
  docs: PLAN_APPLY_DRIFT_DOCS.drift,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: DRIFT_OPTIONS,
    });
    const formats = values.format.split(',').map((f) => f.trim());
    const unknown = formats.filter((f) => !(f in DRIFT_FORMATS));
    if (unknown.length > 0 || formats.length === 0) {
      io.stderr.write(`--format ${unknown.join(',')} is unknown; use text, markdown, json, junit or html (comma-separated for several)\n`);
      return ExitCode.error;
    }
    if (formats.length > 1 && !values.out) {
      io.stderr.write('several --format values need --out DIR (a folder for the report files)\n');
      return ExitCode.error;
    }
    const expiringDays = intFlag('expiring-days', values['expiring-days'], 30);
    const pendingDays = intFlag('pending-days', values['pending-days'], 14);
    for (const v of [expiringDays, pendingDays]) {
      if (typeof v === 'string') {
        io.stderr.write(`${v}\n`);
        return ExitCode.error;
      }
    }
    const loaded = await loadSelected(io, positionals, values);
    if (!loaded) return ExitCode.error;
    const client = connect(io, values);
    if (!client) return ExitCode.error;
    try {
      const drifted = await driftTenancy(client, loaded.tenancy, { declaredKeys: loaded.declaredKeys, expiringDays: Number(expiringDays), pendingDays: Number(pendingDays), allAccounts: values['all-accounts'] === true });
      if (drifted.kind === 'refused') {
        io.stderr.write(`Refused: ${tv(drifted.message)}\n`);
        return ExitCode.error;
      }
      const { report } = drifted;
      for (const f of FORMAT_NAMES) {
        const file = values[`out-${f}`];
        if (!file) continue;
        const target = path.resolve(io.cwd, file);
        await mkdir(path.dirname(target), { recursive: true });
        await writePrivateFile(target, DRIFT_FORMATS[f].render(report));
        io.stderr.write(`Wrote ${file}\n`);
      }
      if (formats.length > 1 && values.out) {
        const dir = path.resolve(io.cwd, values.out);
        await mkdir(dir, { recursive: true });
        for (const f of formats as DriftFormat[]) await writePrivateFile(path.join(dir, DRIFT_FORMATS[f].file), DRIFT_FORMATS[f].render(report));
        io.stderr.write(`Wrote ${formats.map((f) => path.join(values.out ?? '', DRIFT_FORMATS[f as DriftFormat].file)).join(', ')}\n`);
        io.stdout.write(renderDriftText(report));
      } else {
        const text = DRIFT_FORMATS[formats[0] as DriftFormat].render(report);
        if (values.out) {
          await mkdir(path.dirname(path.resolve(io.cwd, values.out)), { recursive: true });
          await writePrivateFile(path.resolve(io.cwd, values.out), text);
          io.stderr.write(`Wrote ${values.out}\n`);
        } else io.stdout.write(text);
      }
      return report.summary.drifted > 0 || report.orphanedAccounts.length > 0 ? ExitCode.changes : ExitCode.ok;
    } catch (e) {
      io.stderr.write(formatDiagnostics([clientDiagnostic(e, 'drift failed')]));
      return ExitCode.error;
    } finally {
      await client.close();
    }
  },
};
