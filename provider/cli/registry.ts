import type { Command } from './io.js';
import { applyCommand } from './commands/apply.js';
import { csvToYamlCommand } from './commands/csv-to-yaml.js';
import { demoCommand } from './commands/demo.js';
import { doctorCommand } from './commands/doctor.js';
import { driftCommand } from './commands/drift.js';
import { importCommand } from './commands/import.js';
import { ordersCommand } from './commands/orders.js';
import { planCommand } from './commands/plan.js';
import { sandboxCommand } from './commands/sandbox.js';
import { schemaCommand } from './commands/schema.js';
import { showCommand } from './commands/show.js';
import { usersCommand } from './commands/users.js';
import { validateCommand } from './commands/validate.js';
import { whoamiCommand } from './commands/whoami.js';
import { forceUnlockCommand } from './commands/force-unlock.js';

/** Every command of the CLI, in the order `--help` lists them. */
export const commands: readonly Command[] = [
  validateCommand,
  planCommand,
  applyCommand,
  showCommand,
  driftCommand,
  ordersCommand,
  importCommand,
  usersCommand,
  whoamiCommand,
  doctorCommand,
  csvToYamlCommand,
  sandboxCommand,
  schemaCommand,
  demoCommand,
  forceUnlockCommand,
];
