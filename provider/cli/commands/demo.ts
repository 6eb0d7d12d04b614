import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../io.js';
import { ExitCode } from '../io.js';
import { runCli } from '../run.js';
import { packageRoot } from '../package-root.js';
import { DEMO_CREDENTIALS, startSandbox } from '../../sandbox/index.js';
import { flagList, type CommandDocs } from '../options/define.js';
import { demoNextLines, withoutForeignVariables } from '../demo-hints.js';

const OPTIONS = {
  'keep-running': { type: 'boolean', default: false, meaning: 'keep the embedded sandbox running after the demo, until Ctrl-C' },
} as const;

const DOCS: CommandDocs = { usage: '[options]', options: OPTIONS, examples: ['demo', 'demo --keep-running'] };

/**
 * `cloudlink-tenancy demo` (= `npm start`): the main job end to end against an embedded
 * sandbox: validate, plan, apply, plan again (no changes), drift report.
 */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'Plan and apply the examples against an embedded sandbox, then a drift report',
  flags: flagList(OPTIONS),
  docs: DOCS,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseArgs({ args, options: OPTIONS });
    const root = packageRoot();
    const examples = path.relative(io.cwd, path.join(root, 'examples', 'yaml')) || '.';
    const sandbox = await startSandbox({ seed: 'demo' });
    const env = {
      ...withoutForeignVariables(io.env),
      CLOUDLINK_AUTH_URL: sandbox.authUrl,
      CLOUDLINK_ADMIN_URL: sandbox.adminUrl,
      CLOUDLINK_BILLING_URL: sandbox.billingUrl,
      CLOUDLINK_USERNAME: DEMO_CREDENTIALS.username,
      CLOUDLINK_PASSWORD: DEMO_CREDENTIALS.password,
      // The sandbox is local: a request budget above the 40 req/s meant for the real service.
      CLOUDLINK_RATE: io.env.CLOUDLINK_RATE ?? '200',
    };
    const sub: CliIo = { ...io, env, isTTY: false };
    const step = async (title: string, argv: string[], ok: number[]): Promise<number> => {
      io.stdout.write(`\n=== ${title}\n$ cloudlink-tenancy ${argv.join(' ')}\n\n`);
      const code = await runCli(argv, sub);
      io.stdout.write(`(exit ${code})\n`);
      if (!ok.includes(code)) throw new Error(`"${argv.join(' ')}" exited ${code}`);
      return code;
    };
    try {
      io.stdout.write(`Embedded CloudLink sandbox on ${sandbox.url} with the demo partner p-1234 (customer Initech already live).\n`);
      await step('1. Validate the declaration (no network)', ['validate', examples], [0]);
      await step('2. Plan against the sandbox', ['plan', examples], [2]);
      await step('3. Apply', ['apply', examples, '--auto-approve'], [0]);
      await step('4. Plan again: nothing left to do', ['plan', examples], [0]);
      await step('5. Drift report', ['drift', examples], [0, 2]);
      const outbox = sandbox.state().outbox;
      io.stdout.write(
        [
          '',
          `Done. The sandbox sent ${outbox.length} welcome e-mails (see /sandbox/outbox).`,
          ...demoNextLines(examples, io.env, values['keep-running'] ? sandbox : undefined),
          '',
        ].join('\n'),
      );
      if (values['keep-running']) {
        await new Promise<void>((resolve) => process.once('SIGINT', resolve));
      }
      return ExitCode.ok;
    } catch (e) {
      io.stderr.write(`demo failed: ${(e as Error).message}\n`);
      return ExitCode.error;
    } finally {
      await sandbox.close();
    }
  },
};
