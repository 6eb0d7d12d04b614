import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../io.js';
import { ExitCode } from '../io.js';
import { clientOptionsFromEnv, createReadProbe, fileTraceSink } from '../../api/index.js';
import { runDoctor } from '../../doctor/checks.js';
import { renderDoctorJson, renderDoctorMarkdown, renderDoctorText } from '../../doctor/render.js';
import { reportDiagnostics } from '../inputs.js';
import { flagList, type CommandDocs } from '../options/define.js';
import { TRACE_HTTP_OPTION } from '../options/tenancy-common.js';

const OPTIONS = {
  format: { type: 'string', value: 'text|markdown|json', default: 'text', meaning: 'text: a table; markdown or json: a report to attach to a support request' },
  'trace-http': TRACE_HTTP_OPTION,
} as const;

const DOCS: CommandDocs = { usage: '[options]', options: OPTIONS, examples: ['doctor', 'doctor --format markdown > doctor.md'] };

/**
 * `cloudlink-tenancy doctor [--format text|markdown|json] [--trace-http FILE]`: checks, with
 * reads only, what the tool assumes of the CloudLink service the environment's credentials
 * reach (every readable route of the route table, page size, `count`, filters, tags, billing,
 * Retry-After, token lifetime, clock skew). Exit 0 when nothing is refuted, 2 when something is.
 */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Check, with reads only, what the tool assumes of this CloudLink service',
  flags: flagList(OPTIONS),
  docs: DOCS,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseArgs({ args, options: OPTIONS });
    const format = values.format;
    if (format !== 'text' && format !== 'markdown' && format !== 'json') {
      io.stderr.write(`--format "${format}" is unknown; use text, markdown or json\n`);
      return ExitCode.error;
    }
    const options = clientOptionsFromEnv(io.env);
    if (Array.isArray(options)) {
      reportDiagnostics(io, options);
      return ExitCode.error;
    }
    const traceFile = values['trace-http'] ?? io.env.CLOUDLINK_TRACE_FILE;
    const probe = createReadProbe({ ...options, ...(traceFile ? { trace: fileTraceSink(traceFile) } : {}) });
    try {
      const report = await runDoctor(probe);
      io.stdout.write(format === 'json' ? renderDoctorJson(report) : format === 'markdown' ? renderDoctorMarkdown(report) : renderDoctorText(report));
      return report.refuted > 0 ? ExitCode.changes : ExitCode.ok;
    } catch (e) {
      io.stderr.write(`doctor failed: ${(e as Error).message}\n`);
      return ExitCode.error;
    } finally {
      await probe.close();
    }
  },
};
