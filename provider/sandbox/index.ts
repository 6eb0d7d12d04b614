/**
 * The local CloudLink sandbox: `startSandbox()` serves version 2 of the CloudLink API
 * contract (`cloudlink-api.md`) on loopback, in-process, on any port (0 = random),
 * optionally persisted to a file: auth under `/auth/2017-09-01`, admin under
 * `/admin/2017-09-01`, billing under `/billing/2019-03-01`, controls under `/sandbox/`.
 * It is an independent stand-in for the real service: it imports nothing from `provider/api/`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SandboxStore } from './store.js';
import type { FaultCounts, StateDump } from './types.js';
import { DEFAULT_FAULTS, type FaultSettings } from './faults.js';
import { SandboxHandler } from './server.js';
import { readState, StateSaver } from './persistence.js';
import { demoSeed, type SandboxSeed } from './seed.js';
import { ADMIN_PREFIX, AUTH_PREFIX, BILLING_PREFIX } from './routes.js';
import { sandboxProfile, type SandboxProfile } from './profile.js';

export type { FaultSettings } from './faults.js';
export type { SandboxProfile } from './profile.js';
export { DEFAULT_PROFILE, STRICT_PROFILE } from './profile.js';
export { DEFAULT_FAULTS } from './faults.js';
export { DEMO_CREDENTIALS, DEMO_INITECH_ID, DEMO_PARTNER_ACCOUNT_ID, demoSeed, readSeedFile, DEFAULT_CATALOG } from './seed.js';
export type { SandboxSeed, SeedAccount, SeedUser, SeedOrder, SeedClient, SeedContact, SeedPartner } from './seed.js';
export type {
  StateDump,
  OutboxMail,
  FaultCounts,
  Principal,
  Role,
  AccountRecord,
  UserRecord,
  ContactRecord,
  IntegrationRecord,
  OrderRecord,
  LicenseRecord,
  PartnerRecord,
  ClientRecord,
  CatalogEntry,
  JsonValue,
} from './types.js';
export { ApiFailure, DUPLICATE_MESSAGE, MICOLLAB_LICENSING_RULE } from './types.js';
export { SandboxStore } from './store.js';
export { sandboxRoutes, AUTH_PREFIX, ADMIN_PREFIX, BILLING_PREFIX } from './routes.js';

export interface SandboxOptions {
  port?: number;
  host?: string;
  /** Seed applied when the state is empty (a fresh sandbox, or a data file that does not exist yet). */
  seed?: SandboxSeed | 'demo';
  /** Persist state to this file (atomic writes); existing state is loaded on start. */
  dataFile?: string;
  faults?: Partial<FaultSettings>;
  now?: () => Date;
  /** (2.1) `strict` serves what a stricter real service might (`profile.ts`); default: the sandbox as it always was. */
  profile?: SandboxProfile['name'];
}

/** A running sandbox. `close()` flushes persistence and frees the port. */
export interface RunningSandbox {
  url: string;
  authUrl: string;
  adminUrl: string;
  billingUrl: string;
  close(): Promise<void>;
  /** Requests per `"METHOD /prefix/template"` (unknown routes: `"METHOD unknown"`). */
  requestCounts(): Record<string, number>;
  /** Clears the request counters and the fault counters. */
  resetRequestCounts(): void;
  /** How many faults were injected (errorBeforeWrite, errorAfterCommit, dropAfterCommit, rateLimited). */
  faultCounts(): FaultCounts;
  setFaults(patch: Partial<FaultSettings>): FaultSettings;
  state(): StateDump;
  seed(seed: SandboxSeed): void;
  /** Direct access to the state, for tests that change the tenant "behind the tool's back". */
  store: SandboxStore;
}

/** Starts a sandbox and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const now = options.now ?? (() => new Date());
  const store = new SandboxStore(now);
  const saver = options.dataFile ? new StateSaver(options.dataFile, () => store.dump()) : undefined;
  const existing: StateDump | undefined = options.dataFile ? await readState(options.dataFile) : undefined;
  if (existing) store.restore(existing);
  const seed = options.seed === 'demo' ? demoSeed() : options.seed;
  if (!existing && seed) store.seed(seed);
  // What POST /sandbox/reset keeps: the seed's logins (partners and clients), not its customers.
  const principals: SandboxSeed | undefined = seed ? { ...(seed.partners ? { partners: seed.partners } : {}), ...(seed.clients ? { clients: seed.clients } : {}) } : undefined;
  const handler = new SandboxHandler({ store, now, faults: { ...DEFAULT_FAULTS, ...options.faults }, profile: sandboxProfile(options.profile), onWrite: () => saver?.schedule(), ...(principals ? { principals } : {}) });
  if (saver && !existing) saver.schedule();
  const server: Server = createServer((req, res) => void handler.handle(req, res));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  return {
    url,
    authUrl: `${url}${AUTH_PREFIX}`,
    adminUrl: `${url}${ADMIN_PREFIX}`,
    billingUrl: `${url}${BILLING_PREFIX}`,
    store,
    requestCounts: () => ({ ...handler.counts }),
    resetRequestCounts: () => handler.resetCounts(),
    faultCounts: () => ({ ...handler.faultCounts }),
    setFaults: (patch) => handler.setFaults(patch),
    state: () => store.dump(),
    seed: (seed) => {
      store.seed(seed);
      saver?.schedule();
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await saver?.flush();
    },
  };
}
