/**
 * The steps plan, apply and drift share: read the declaration (YAML or --from-cdktf), select
 * accounts (--account, --shard), connect from the environment, read a snapshot, diff.
 */
import type { CliIo } from './io.js';
import type { Tenancy } from '../model/types.js';
import type { CloudLinkClient } from '../api/index.js';
import type { LiveSnapshot, Plan } from '../engine/types.js';
import { readDesiredState, reportDiagnostics } from './inputs.js';
import { connectFromEnv } from './connect.js';
import { destroyOnly, parseShard, selectAccounts } from '../engine/select.js';
import { readSnapshot } from '../engine/snapshot.js';
import { verifyPrincipal } from '../engine/principal.js';
import { diffTenancy } from '../engine/diff.js';

/** parseArgs options every tenancy command accepts. */
export const commonOptions = {
  'from-cdktf': { type: 'string' },
  account: { type: 'string', multiple: true },
  shard: { type: 'string' },
  'trace-http': { type: 'string' },
} as const;

/** The flags of `commonOptions`, for `Command.flags`. */
export const commonFlags = ['--from-cdktf', '--account', '--shard', '--trace-http'] as const;

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
export async function loadSelected(io: CliIo, paths: string[], values: CommonValues): Promise<Tenancy | undefined> {
  let shard;
  if (values.shard !== undefined) {
    const parsed = parseShard(values.shard);
    if (typeof parsed === 'string') {
      io.stderr.write(`${parsed}\n`);
      return undefined;
    }
    shard = parsed;
  }
  const loaded = await readDesiredState(io, { paths, fromCdktf: values['from-cdktf'] });
  if (reportDiagnostics(io, loaded.diagnostics) || !loaded.tenancy) {
    io.stderr.write('The declaration has errors; nothing was sent to CloudLink.\n');
    return undefined;
  }
  const destroy = values['destroy-account'];
  if (destroy?.length) return destroyOnly(loaded.tenancy, destroy);
  const { tenancy, unknownKeys } = selectAccounts(loaded.tenancy, { ...(values.account ? { accounts: values.account } : {}), ...(shard ? { shard } : {}) });
  if (unknownKeys.length > 0) {
    io.stderr.write(`--account ${unknownKeys.join(', ')}: no declared account has this key; declared keys are ${loaded.tenancy.accounts.map((a) => a.key).join(', ')}\n`);
    return undefined;
  }
  return tenancy;
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

/**
 * Checks that the credentials belong to the declared partner (before any other call), then
 * reads live state; undefined after printing why the credentials cannot be used.
 */
export async function snapshotAgainstLive(io: CliIo, client: CloudLinkClient, tenancy: Tenancy): Promise<LiveSnapshot | undefined> {
  const { problem } = await verifyPrincipal(client, tenancy.partner.id);
  if (problem) {
    io.stderr.write(`Refused: ${problem}\n`);
    return undefined;
  }
  return readSnapshot(client, tenancy);
}

/** Reads live state (after the principal check) and diffs it; undefined after printing a refusal. */
export async function planAgainstLive(io: CliIo, client: CloudLinkClient, tenancy: Tenancy, options: { maxDeletes?: number; destroyAccounts?: string[] }): Promise<{ plan: Plan; snapshot: LiveSnapshot } | undefined> {
  const snapshot = await snapshotAgainstLive(io, client, tenancy);
  if (!snapshot) return undefined;
  const plan = diffTenancy(tenancy, snapshot, { now: new Date(snapshot.takenAt), ...(options.maxDeletes !== undefined ? { maxDeletes: options.maxDeletes } : {}), ...(options.destroyAccounts ? { destroyAccounts: options.destroyAccounts } : {}) });
  return { plan, snapshot };
}

/** Parses a non-negative integer flag; a message on failure. */
export function intFlag(name: string, value: string | undefined, fallback: number): number | string {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : `--${name} "${value}" is not a whole number ≥ 0`;
}
