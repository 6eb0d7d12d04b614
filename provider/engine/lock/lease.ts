/**
 * The apply lock, one lease per account (Terraform's state lock, on a CloudLink account tag).
 *
 * The contract has no conditional write, so a lease is taken as read → write → (settle) → read
 * back: a run holds the account when the tag, read back, carries its own lease id. A lease is
 * live until its `expiresOn`; the holder renews it every `renewEveryMs` (read: still mine? then
 * write a later `expiresOn`), and releases it (read: still mine? then delete) when the account
 * is done. A lease nobody renewed within its time-to-live (its holder died) is taken over.
 *
 * What remains, that the API cannot prevent: two runs that both read "free" and whose writes
 * land on either side of the first one's read back both believe they hold the account. The
 * settle pause before the read back makes that need a read-to-write gap longer than the pause,
 * and the next renewal ends it (the run whose id is not in the tag any more stops starting calls).
 *
 * Only this narrow store talks to CloudLink (`leaseStoreOf` in ./store.ts); tests pass a fake
 * store and clock.
 */
import { randomUUID } from 'node:crypto';
import type { ApplyLease } from '../../model/live.js';

/** Read, write and remove the lock tag of one account. */
export interface LeaseStore {
  /** The lease in the account's lock tag, or undefined when there is none. */
  read(accountId: string): Promise<ApplyLease | undefined>;
  write(accountId: string, lease: ApplyLease): Promise<void>;
  remove(accountId: string): Promise<void>;
}

/** Time, injectable so tests need not wait. */
export interface LeaseClock {
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts (its timer then no longer keeps the process alive). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const SYSTEM_CLOCK: LeaseClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    }),
};

/** Lease timing and identity. */
export interface LeaseOptions {
  /** Who holds the lease (host, CI run URL), as shown to a run that finds it. */
  holder: string;
  /** How long a lease lives without renewal (default 2 minutes). */
  ttlMs?: number;
  /** How often the holder renews (default a quarter of the TTL). */
  renewEveryMs?: number;
  /** How long to wait for a live lease of another run (default 0: refuse at once). */
  timeoutMs?: number;
  /** Pause between the write and the read back (default 300 ms, never more than a tenth of the TTL). */
  settleMs?: number;
  /** How often a waiting run looks again (default 2 s, never more than a quarter of the TTL). */
  pollMs?: number;
  clock?: LeaseClock;
  /** The lease id (default: a random UUID). */
  id?: string;
}

export const DEFAULT_LEASE_TTL_MS = 120_000;

/** Why a lease was not taken. */
export type LeaseRefusal =
  | { reason: 'held'; lease: ApplyLease; waitedMs: number }
  | { reason: 'failed'; message: string; forbidden: boolean };

/** A lease this run holds: renew it in the background, release it when done. */
export interface HeldLease {
  readonly lease: ApplyLease;
  /** True once a renewal found another run's lease or could not renew before the lease expired. */
  lost(): boolean;
  /** Why it was lost. */
  lostWhy(): string | undefined;
  /** Called once when the lease is lost. */
  onLost(listener: () => void): void;
  /** Stops renewing and removes the tag if it is still this run's. Never throws. */
  release(): Promise<void>;
}

interface Timing {
  ttl: number;
  renew: number;
  timeout: number;
  settle: number;
  poll: number;
  clock: LeaseClock;
}

function timing(o: LeaseOptions): Timing {
  const ttl = o.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  return {
    ttl,
    renew: o.renewEveryMs ?? Math.max(1, Math.floor(ttl / 4)),
    timeout: o.timeoutMs ?? 0,
    settle: o.settleMs ?? Math.min(300, Math.floor(ttl / 10)),
    poll: o.pollMs ?? Math.max(1, Math.min(2000, Math.floor(ttl / 4))),
    clock: o.clock ?? SYSTEM_CLOCK,
  };
}

/** True when the lease was not renewed in time: its holder is gone and it may be taken over. */
export function isExpired(lease: ApplyLease, now: number): boolean {
  const until = Date.parse(lease.expiresOn);
  return Number.isNaN(until) || until <= now;
}

function errorText(e: unknown): { message: string; forbidden: boolean } {
  const code = (e as { code?: unknown }).code;
  return { message: e instanceof Error ? e.message : String(e), forbidden: code === 'forbidden' || code === 'unauthorized' };
}

/**
 * Takes the account's lease, waiting up to `timeoutMs` for another run's live lease to be
 * released or to expire. Resolves to the held lease, or to why not (a live lease of another
 * run, naming it; or a read or write that failed, e.g. 403 for this principal).
 */
export async function acquireLease(store: LeaseStore, accountId: string, options: LeaseOptions): Promise<HeldLease | LeaseRefusal> {
  const t = timing(options);
  const started = t.clock.now();
  const id = options.id ?? randomUUID();
  for (;;) {
    let current: ApplyLease | undefined;
    try {
      current = await store.read(accountId);
      if (!current || current.id === id || isExpired(current, t.clock.now())) {
        const now = t.clock.now();
        const mine: ApplyLease = { id, holder: options.holder, startedOn: new Date(now).toISOString(), expiresOn: new Date(now + t.ttl).toISOString() };
        await store.write(accountId, mine);
        if (t.settle > 0) await t.clock.sleep(t.settle);
        current = await store.read(accountId);
        if (current?.id === id) return holdLease(store, accountId, mine, t);
      }
    } catch (e) {
      return { reason: 'failed', ...errorText(e) };
    }
    const waited = t.clock.now() - started;
    if (!current || waited >= t.timeout) {
      // A lease that vanished between the write and the read back: another run released it; look again at once.
      if (!current) continue;
      return { reason: 'held', lease: current, waitedMs: waited };
    }
    await t.clock.sleep(Math.min(t.poll, Math.max(1, t.timeout - waited)));
  }
}

/** Starts renewing a lease just taken. */
function holdLease(store: LeaseStore, accountId: string, taken: ApplyLease, t: Timing): HeldLease {
  let lease = taken;
  let lostWhy: string | undefined;
  let stopped = false;
  const listeners: (() => void)[] = [];
  const lose = (why: string): void => {
    if (lostWhy !== undefined) return;
    lostWhy = why;
    for (const l of listeners.splice(0)) l();
  };
  const stop = new AbortController();
  const renewing = (async () => {
    while (!stopped && lostWhy === undefined) {
      await t.clock.sleep(t.renew, stop.signal);
      if (stopped) return;
      try {
        const current = await store.read(accountId);
        if (stopped) return;
        if (current?.id !== lease.id) {
          lose(current ? `another run took the account's lease (${current.holder}, lease ${current.id})` : "the account's lease was removed (force-unlock?)");
          return;
        }
        const next = { ...lease, expiresOn: new Date(t.clock.now() + t.ttl).toISOString() };
        await store.write(accountId, next);
        lease = next;
      } catch {
        // Keep trying until the lease would have expired; then another run may take it over.
        if (isExpired(lease, t.clock.now())) lose('the lease could not be renewed before it expired');
      }
    }
  })();
  return {
    get lease() {
      return lease;
    },
    lost: () => lostWhy !== undefined,
    lostWhy: () => lostWhy,
    onLost: (listener) => {
      if (lostWhy !== undefined) listener();
      else listeners.push(listener);
    },
    release: async () => {
      stopped = true;
      stop.abort();
      await renewing.catch(() => undefined);
      try {
        const current = await store.read(accountId);
        if (current?.id === lease.id) await store.remove(accountId);
      } catch {
        // Best effort: an unreleased lease expires after its TTL.
      }
    },
  };
}

/** A value read from the live tag, made safe for a terminal line: control characters become `?`, at most 200 characters. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?').slice(0, 200);
}

/** Who holds a lease and since when, in words (the live values made printable). */
export function describeLease(lease: ApplyLease): string {
  return `${printable(lease.holder)}, since ${printable(lease.startedOn)}, lease ${printable(lease.id)}`;
}

/** The words for a refusal: who holds the account and since when, and how to go on. */
export function describeRefusal(accountLabel: string, r: LeaseRefusal): string {
  if (r.reason === 'held') {
    const waited = r.waitedMs > 0 ? ` (waited ${Math.round(r.waitedMs / 1000)} s)` : '';
    return `${accountLabel} is locked by another apply: ${describeLease(r.lease)}, expires ${printable(r.lease.expiresOn)} unless renewed${waited}; wait with --lock-timeout DURATION, or if that run died, "cloudlink-tenancy force-unlock ${printable(r.lease.id)}"`;
  }
  return r.forbidden
    ? `${accountLabel}: the apply lease cannot be written (${r.message}); this principal may not write account tags. Apply without locking only with --lock=false (unsafe: nothing stops an overlapping apply)`
    : `${accountLabel}: the apply lease could not be taken (${r.message}); nothing was written to this account`;
}
