/**
 * `cloudlink-tenancy/cli`: the command line in-process. `runCli(argv, io)` runs any command
 * with the given streams and environment and resolves to its exit code. It carries every
 * command, `sandbox` and `demo` included, so it loads the sandbox; the library root does not.
 */
export { runCli } from './run.js';
export type { CliIo, Command } from './io.js';
export { ExitCode } from './io.js';
