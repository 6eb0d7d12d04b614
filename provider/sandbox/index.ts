/**
 * The local CloudLink sandbox: `startSandbox()` serves the CloudLink API contract on
 * loopback (auth under `/auth/2017-09-01`, admin under `/admin/2017-09-01`, controls under
 * `/sandbox/`), in-process, on any port (0 = random), optionally persisted to a file.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SandboxStore, type StateDump } from './store.js';
import { DEFAULT_FAULTS, type FaultSettings } from './faults.js';
import { SandboxHandler } from './server.js';
import { readState, StateSaver } from './persistence.js';
import { demoSeed, type SandboxSeed } from './seed.js';

export type { FaultSettings } from './faults.js';
export { DEFAULT_FAULTS } from './faults.js';
export { DEMO_CREDENTIALS, DEMO_INITECH_ID, demoSeed, readSeedFile, DEFAULT_CATALOG } from './seed.js';
export type { SandboxSeed, SeedAccount, SeedUser, SeedOrder, SeedAdmin, SeedClient } from './seed.js';
export type { StateDump, OutboxMail } from './store.js';

export interface SandboxOptions {
  port?: number;
  host?: string;
  /** Seed applied when the state is empty (a fresh sandbox, or a data file that does not exist yet). */
  seed?: SandboxSeed | 'demo';
  /** Persist state to this file (atomic writes); existing state is loaded on start. */
  dataFile?: string;
  faults?: Partial<FaultSettings>;
  now?: () => Date;
}

/** A running sandbox. `close()` flushes persistence and frees the port. */
export interface RunningSandbox {
  url: string;
  authUrl: string;
  adminUrl: string;
  close(): Promise<void>;
  requestCounts(): Record<string, number>;
  resetRequestCounts(): void;
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
  else if (options.seed) store.seed(options.seed === 'demo' ? demoSeed() : options.seed);
  const handler = new SandboxHandler({ store, now, faults: { ...DEFAULT_FAULTS, ...options.faults }, onWrite: () => saver?.schedule() });
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
    authUrl: `${url}/auth/2017-09-01`,
    adminUrl: `${url}/admin/2017-09-01`,
    store,
    requestCounts: () => ({ ...handler.counts }),
    resetRequestCounts: () => {
      for (const k of Object.keys(handler.counts)) delete handler.counts[k];
    },
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
