/**
 * `cloudlink-tenancy/sandbox`: the local CloudLink sandbox for a partner's own tests (as cdk8s
 * ships `Testing`), kept out of the production entry point `cloudlink-tenancy`, which never
 * loads it. `startSandbox({ port: 0, seed: 'demo' })` serves the CloudLink API contract on
 * loopback; point the `CLOUDLINK_*_URL` variables (or `createCloudLinkClient`) at its URLs.
 * `copyLiveTenant` makes a seed from a live tenant (read-only) for rehearsals.
 */
export { startSandbox, demoSeed, readSeedFile, DEMO_CREDENTIALS, DEMO_PARTNER_ACCOUNT_ID, DEMO_INITECH_ID, DEFAULT_FAULTS } from './index.js';
export type { RunningSandbox, SandboxOptions, SandboxSeed, SeedAccount, SeedUser, SeedOrder, SeedClient, SeedContact, SeedPartner, FaultSettings } from './index.js';
export { copyLiveTenant } from './from-live.js';
export type { LiveCopy, CopyLogin, CopyRequest, LiveTenantReader } from './from-live.js';
