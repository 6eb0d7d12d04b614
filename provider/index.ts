/**
 * cloudlink-tenancy: the library's public surface.
 */
export * from './model/types.js';
export * from './api/resources.js';
export * from './api/client-types.js';
export { runCli } from './cli/run.js';
export type { CliIo, Command } from './cli/io.js';
export { ExitCode } from './cli/io.js';
