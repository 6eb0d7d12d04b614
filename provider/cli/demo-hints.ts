/**
 * The demo's "Next:" lines. They must be safe to paste into the shell the demo ran in, which
 * may hold a partner's real `CLOUDLINK_*` credentials: a `plan` or `apply` hint would then go to
 * production. So without a running sandbox the hints never talk to a service; with
 * `--keep-running` they start by pointing the shell at the sandbox (exports and unsets).
 */
import { DEMO_CREDENTIALS } from '../sandbox/index.js';
import { shellWord } from './shell-words.js';

/** The variables that would send a command elsewhere than the sandbox (or log in as someone else). */
export const FOREIGN_VARIABLES = ['CLOUDLINK_CLIENT_ID', 'CLOUDLINK_CLIENT_SECRET', 'CLOUDLINK_ACCOUNT_ID', 'CLOUDLINK_CA_FILE'] as const;

/** The shell's environment without the variables that would take the demo's own runs elsewhere. */
export function withoutForeignVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const name of FOREIGN_VARIABLES) delete out[name];
  return out;
}

/** Where a sandbox answers. */
export interface SandboxUrls {
  url: string;
  authUrl: string;
  adminUrl: string;
  billingUrl: string;
}

/** True when the shell holds CloudLink settings of its own (a real tenant's, perhaps). */
function shellHasCloudLink(env: NodeJS.ProcessEnv): boolean {
  return Object.keys(env).some((k) => k.startsWith('CLOUDLINK_') && env[k] !== undefined && env[k] !== '');
}

/**
 * The lines after the demo. `running` is the sandbox when it stays up (`--keep-running`), else
 * undefined (it has stopped, so nothing that needs a service is suggested).
 */
export function demoNextLines(examples: string, env: NodeJS.ProcessEnv, running?: SandboxUrls): string[] {
  const dir = shellWord(examples);
  const warn = shellHasCloudLink(env) ? ['', 'Note: this shell has CLOUDLINK_* variables set; plan, apply and drift in it go to the service they name, not to a sandbox.'] : [];
  if (!running) {
    return [
      'Next (the demo sandbox has stopped; none of these talks to CloudLink):',
      `  npx cloudlink-tenancy validate ${dir}     # check the declaration offline`,
      '  npx cloudlink-tenancy demo --keep-running   # the demo again, leaving its sandbox up with the commands to try against it',
      '  npx cloudlink-tenancy sandbox --data .sandbox/state.json   # a sandbox of your own; it prints the variables to export',
      '  npx cloudlink-tenancy --help',
      ...warn,
    ];
  }
  return [
    `Sandbox still running on ${running.url}; Ctrl-C stops it. In another shell, point the CLI at it first:`,
    `  unset ${FOREIGN_VARIABLES.join(' ')}`,
    `  export CLOUDLINK_AUTH_URL=${running.authUrl} CLOUDLINK_ADMIN_URL=${running.adminUrl} CLOUDLINK_BILLING_URL=${running.billingUrl}`,
    `  export CLOUDLINK_USERNAME=${DEMO_CREDENTIALS.username} CLOUDLINK_PASSWORD=${DEMO_CREDENTIALS.password}   # the sandbox's demo login, not a real secret`,
    'then:',
    `  npx cloudlink-tenancy plan ${dir} --format markdown   # the PR comment form`,
    `  npx cloudlink-tenancy drift ${dir}`,
    '  npx cloudlink-tenancy --help',
    ...warn,
  ];
}
