/** The apply lease (provider/engine/lock/lease.ts) against a fake store and a manual clock. */
import { describe, expect, it } from 'vitest';
import { acquireLease, describeRefusal, isExpired, type HeldLease, type LeaseClock, type LeaseRefusal, type LeaseStore } from '../../provider/engine/lock/lease.js';
import { parseDuration, holderFromEnv } from '../../provider/engine/lock/holder.js';
import type { ApplyLease } from '../../provider/model/live.js';
import { CloudLinkError } from '../../provider/api/errors.js';
import { accountFromWire } from '../../provider/api/wire.js';

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Virtual time: `sleep` waits until `advance` passes its deadline. */
class ManualClock implements LeaseClock {
  t = Date.parse('2026-12-01T09:00:00.000Z');
  private timers: { at: number; resolve: () => void }[] = [];
  now(): number {
    return this.t;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      this.timers.push({ at: this.t + ms, resolve });
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  }
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await flush();
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.resolve();
      await flush();
      await flush();
    }
    this.t = end;
    await flush();
  }
}

function fakeStore() {
  const tags = new Map<string, ApplyLease>();
  const calls: string[] = [];
  const store: LeaseStore & { afterWrite?: (accountId: string) => void; failWrite?: Error } = {
    read: async (id) => (calls.push('read'), tags.get(id) ? { ...(tags.get(id) as ApplyLease) } : undefined),
    write: async (id, lease) => {
      calls.push('write');
      if (store.failWrite) throw store.failWrite;
      tags.set(id, { ...lease });
      store.afterWrite?.(id);
    },
    remove: async (id) => void (calls.push('remove'), tags.delete(id)),
  };
  return { store, tags, calls };
}

const other = (clock: ManualClock, ttl = 120_000): ApplyLease => ({ id: 'theirs', holder: 'ci-7 (pid 42) https://github.com/acme/t/actions/runs/9', startedOn: new Date(clock.now() - 1000).toISOString(), expiresOn: new Date(clock.now() + ttl).toISOString() });
const held = (r: HeldLease | LeaseRefusal): HeldLease => {
  if ('reason' in r) throw new Error(`not held: ${JSON.stringify(r)}`);
  return r;
};

describe('acquireLease', () => {
  it('takes a free account as read → write → read back, renews it, and releases it', async () => {
    const clock = new ManualClock();
    const { store, tags, calls } = fakeStore();
    const got = acquireLease(store, 'A1', { holder: 'me', clock, ttlMs: 120_000, id: 'mine' });
    await clock.advance(300);
    const lease = held(await got);
    expect(calls).toEqual(['read', 'write', 'read']);
    expect(tags.get('A1')).toEqual({ id: 'mine', holder: 'me', startedOn: '2026-12-01T09:00:00.000Z', expiresOn: '2026-12-01T09:02:00.000Z' });
    await clock.advance(30_000);
    expect(tags.get('A1')?.expiresOn).toBe('2026-12-01T09:02:30.300Z');
    expect(lease.lost()).toBe(false);
    await lease.release();
    expect(tags.has('A1')).toBe(false);
  });

  it('refuses at once (timeout 0) an account whose live lease another run holds, naming the holder and since when', async () => {
    const clock = new ManualClock();
    const { store, tags } = fakeStore();
    tags.set('A1', other(clock));
    const r = await acquireLease(store, 'A1', { holder: 'me', clock });
    expect(r).toMatchObject({ reason: 'held', lease: { id: 'theirs' } });
    expect(tags.get('A1')?.id).toBe('theirs');
    const text = describeRefusal('account acme (A1)', r as LeaseRefusal);
    expect(text).toContain('ci-7 (pid 42) https://github.com/acme/t/actions/runs/9');
    expect(text).toContain('since 2026-12-01T08:59:59.000Z');
    expect(text).toContain('force-unlock theirs');
  });

  it('takes over a lease that expired (its holder died)', async () => {
    const clock = new ManualClock();
    const { store, tags } = fakeStore();
    tags.set('A1', { ...other(clock), expiresOn: new Date(clock.now() - 1).toISOString() });
    const got = acquireLease(store, 'A1', { holder: 'me', clock, id: 'mine' });
    await clock.advance(300);
    expect(held(await got).lease.id).toBe('mine');
    expect(tags.get('A1')?.id).toBe('mine');
  });

  it('waits up to the timeout for a live lease, and takes the account once it is released', async () => {
    const clock = new ManualClock();
    const { store, tags } = fakeStore();
    tags.set('A1', other(clock));
    const got = acquireLease(store, 'A1', { holder: 'me', clock, timeoutMs: 60_000, id: 'mine' });
    await clock.advance(10_000);
    tags.delete('A1');
    await clock.advance(5_000);
    expect(held(await got).lease.id).toBe('mine');
  });

  it('refuses after waiting the whole timeout for a lease that stays live', async () => {
    const clock = new ManualClock();
    const { store, tags } = fakeStore();
    tags.set('A1', other(clock, 10 * 60_000));
    const got = acquireLease(store, 'A1', { holder: 'me', clock, timeoutMs: 20_000 });
    await clock.advance(25_000);
    expect(await got).toMatchObject({ reason: 'held', waitedMs: 20_000 });
  });

  it('loses to a run whose write lands between its write and its read back', async () => {
    const clock = new ManualClock();
    const { store, tags } = fakeStore();
    store.afterWrite = (id) => {
      store.afterWrite = undefined;
      tags.set(id, other(clock));
    };
    const got = acquireLease(store, 'A1', { holder: 'me', clock, id: 'mine' });
    await clock.advance(300);
    expect(await got).toMatchObject({ reason: 'held', lease: { id: 'theirs' } });
  });

  it('notices at its next renewal that another run took the lease, and does not remove that lease on release', async () => {
    const clock = new ManualClock();
    const { store, tags } = fakeStore();
    const got = acquireLease(store, 'A1', { holder: 'me', clock, ttlMs: 8000, id: 'mine' });
    await clock.advance(300);
    const lease = held(await got);
    let told = 0;
    lease.onLost(() => (told += 1));
    tags.set('A1', other(clock));
    await clock.advance(2000);
    expect(lease.lost()).toBe(true);
    expect(told).toBe(1);
    expect(lease.lostWhy()).toContain('ci-7');
    await lease.release();
    expect(tags.get('A1')?.id).toBe('theirs');
  });

  it('says when the lease cannot be written for this principal (403), pointing at --lock=false', async () => {
    const clock = new ManualClock();
    const { store } = fakeStore();
    store.failWrite = new CloudLinkError('forbidden', 'PUT /accounts/{accountId}/tags/{tagId} answered 403', false, { status: 403 });
    const r = await acquireLease(store, 'A1', { holder: 'me', clock });
    expect(r).toMatchObject({ reason: 'failed', forbidden: true });
    expect(describeRefusal('account acme (A1)', r as LeaseRefusal)).toContain('--lock=false');
  });
});

describe('lease helpers', () => {
  it('expiry, durations and the holder', () => {
    expect(isExpired({ id: 'x', holder: 'h', startedOn: '', expiresOn: '2026-01-01T00:00:00Z' }, Date.parse('2026-01-01T00:00:01Z'))).toBe(true);
    expect(isExpired({ id: 'x', holder: 'h', startedOn: '', expiresOn: 'garbage' }, 0)).toBe(true);
    expect([parseDuration('0'), parseDuration('30s'), parseDuration('5m'), parseDuration('1h'), parseDuration('250ms'), parseDuration('2'), parseDuration('soon')]).toEqual([0, 30_000, 300_000, 3_600_000, 250, 2000, undefined]);
    expect(holderFromEnv({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/t', GITHUB_RUN_ID: '9' }, 'ci-7', 42)).toBe('ci-7 (pid 42) https://github.com/acme/t/actions/runs/9');
    expect(holderFromEnv({ CI_JOB_URL: 'https://gitlab.example/j/1' }, 'h', 1)).toBe('h (pid 1) https://gitlab.example/j/1');
    expect(holderFromEnv({}, 'h', 1)).toBe('h (pid 1)');
  });
});

describe('the lock tag on the wire', () => {
  it('reads as the account\'s lease, never as one of its tags (so diff, drift and import never see it)', () => {
    const lease = { id: 'L1', holder: 'h', startedOn: '2026-12-01T09:00:00.000Z', expiresOn: '2026-12-01T09:02:00.000Z' };
    const a = accountFromWire({ accountId: 'A1', name: 'Acme', tags: { 'cloudlink-tenancy': { key: 'acme' }, 'cloudlink-tenancy-lock': lease, costCentre: 'CC-1' } });
    expect(a.tags).toEqual({ costCentre: 'CC-1' });
    expect(a.lock).toEqual(lease);
    // A malformed value is a lease that expired long ago: it may be taken over.
    const broken = accountFromWire({ accountId: 'A1', name: 'Acme', tags: { 'cloudlink-tenancy-lock': 'garbage' } });
    expect(broken.lock && isExpired(broken.lock, Date.now())).toBe(true);
  });
});
