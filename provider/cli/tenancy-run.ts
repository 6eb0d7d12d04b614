/**
 * The steps plan, apply and drift share, as CLI glue around the reconcile service
 * (`provider/engine/reconcile.ts`): flags to a selection, printing diagnostics, a client from
 * the environment, number flags that say how to fix them.
 */
import type { CliIo } from './io.js';
import type { CloudLinkClient } from '../api/index.js';
import { reportDiagnostics } from './inputs.js';
import { connectFromEnv } from './connect.js';
import { parseShard, type Shard } from '../engine/select.js';
import { loadSelection, type Loaded } from '../engine/reconcile.js';

export interface CommonValues {
  'from-cdktf'?: string | undefined;
  account?: string[] | undefined;
  shard?: string | undefined;
  'trace-http'?: string | undefined;
  /** Accounts to delete (cdktf destroy); replaces --account/--shard selection. */
  'destroy-account'?: string[] | undefined;
}

/**
 * Loads and selects the declared tenancy; undefined after printing diagnostics. With
 * `--destroy-account` the tenancy is reduced to those accounts (declared ones keep their
 * `protect`, removed ones become tag-only stubs) before any other selection could hide them.
 */
export async function loadSelected(io: CliIo, paths: string[], values: CommonValues): Promise<(Loaded & { tenancy: NonNullable<Loaded['tenancy']> }) | undefined> {
  let shard: Shard | undefined;
  if (values.shard !== undefined) {
    const parsed = parseShard(values.shard);
    if (typeof parsed === 'string') {
      io.stderr.write(`${parsed}\n`);
      return undefined;
    }
    shard = parsed;
  }
  const loaded = await loadSelection({
    paths,
    cwd: io.cwd,
    ...(values['from-cdktf'] !== undefined ? { fromCdktf: values['from-cdktf'] } : {}),
    ...(values.account ? { accounts: values.account } : {}),
    ...(shard ? { shard } : {}),
    ...(values['destroy-account']?.length ? { destroyAccounts: values['destroy-account'] } : {}),
  });
  if (reportDiagnostics(io, loaded.diagnostics) || !loaded.tenancy) {
    io.stderr.write('The declaration has errors; nothing was sent to CloudLink.\n');
    return undefined;
  }
  return { ...loaded, tenancy: loaded.tenancy };
}

/** A client from the environment; undefined after printing what to set. */
export function connect(io: CliIo, values: CommonValues, parallelism?: number): CloudLinkClient | undefined {
  const client = connectFromEnv(io, { traceFile: values['trace-http'], ...(parallelism ? { parallelism } : {}) });
  if (Array.isArray(client)) {
    reportDiagnostics(io, client);
    return undefined;
  }
  return client;
}

/** Parses a whole-number flag of at least `min` (default 0); a message on failure. */
export function intFlag(name: string, value: string | undefined, fallback: number, min = 0): number | string {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n >= min ? n : `--${name} "${value}" is not a whole number ≥ ${min}; write it as digits, e.g. --${name} ${Math.max(min, fallback)}`;
}
