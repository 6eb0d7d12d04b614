import type { Command } from './io.js';
import { applyCommand } from './commands/apply.js';
import { csvToYamlCommand } from './commands/csv-to-yaml.js';
import { demoCommand } from './commands/demo.js';
import { driftCommand } from './commands/drift.js';
import { importCommand } from './commands/import.js';
import { ordersCommand } from './commands/orders.js';
import { planCommand } from './commands/plan.js';
import { sandboxCommand } from './commands/sandbox.js';
import { schemaCommand } from './commands/schema.js';
import { usersCommand } from './commands/users.js';
import { validateCommand } from './commands/validate.js';
import { whoamiCommand } from './commands/whoami.js';
import { PLAN_APPLY_DRIFT_DOCS } from './options/plan-apply-drift.js';

/** A command with its help definitions attached, unless it carries its own. */
function documented(command: Command, docs: NonNullable<Command['docs']>): Command {
  return command.docs ? command : { ...command, docs };
}

/** Every command of the CLI, in the order `--help` lists them. */
export const commands: readonly Command[] = [
  validateCommand,
  documented(planCommand, PLAN_APPLY_DRIFT_DOCS.plan),
  documented(applyCommand, PLAN_APPLY_DRIFT_DOCS.apply),
  documented(driftCommand, PLAN_APPLY_DRIFT_DOCS.drift),
  ordersCommand,
  importCommand,
  usersCommand,
  whoamiCommand,
  csvToYamlCommand,
  sandboxCommand,
  schemaCommand,
  demoCommand,
];
