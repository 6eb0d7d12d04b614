/**
 * The apply lock as the apply uses it: take one account's lease (../lock/lease.ts), then bring
 * the plan up to date with what a previous holder did since the plan was read. Under the lease
 * nobody else writes the account, but a run that held it between this run's snapshot and its
 * lease may have created users and sent welcome e-mails: one list of the account's users (with
 * their tags) turns those changes into `unchanged`, so a welcome e-mail is never sent twice
 * because a plan was old. The list is read from the moment this run's lease is written (while
 * it settles and is read back), and used only if the read back shows the lease is this run's.
 */
import type { CloudLinkApi } from '../../api/client-types.js';
import type { Change } from '../types.js';
import { acquireLease, describeRefusal, type HeldLease, type LeaseOptions, type LeaseStore } from '../lock/lease.js';
import type { User } from '../../model/live.js';
import { collect } from '../snapshot.js';
import { leaseStoreOf } from '../lock/store.js';
import { welcomeStillDue } from '../plan/users.js';
import type { AccountContext } from './changes.js';
import type { ChangeResult } from './result.js';

/** How the apply locks: the lease options, and the store (default: the account's lock tag through the client). */
export interface ApplyLockOptions extends Omit<LeaseOptions, 'id'> {
  store?: LeaseStore;
}

/** An account the apply did not write because its lease could not be taken. */
export interface LockRefused {
  accountKey: string;
  accountId: string;
  /** Another run holds it (`held`), or the lease could not be read or written (`failed`, e.g. 403). */
  reason: 'held' | 'failed';
  message: string;
  holder?: string;
  since?: string;
  leaseId?: string;
}

/**
 * Takes the lease of `ctx.accountId`; on success records the planned user creates and welcome
 * e-mails a previous holder did already (via `done`) and returns the held lease.
 */
export async function takeAccountLease(
  api: CloudLinkApi,
  lock: ApplyLockOptions,
  changes: readonly Change[],
  ctx: AccountContext,
  done: (c: Change, r: ChangeResult) => void,
  onLost: (why: string) => void,
): Promise<HeldLease | { refused: LockRefused }> {
  const accountId = ctx.accountId ?? '';
  const accountKey = changes[0]?.accountKey ?? '';
  const todo = changes.filter((c) => (c.kind === 'welcome' || (c.kind === 'user' && c.action === 'create')) && c.action !== 'noop');
  // The users are read once this run's lease is written, while it settles and is read back: no
  // other run writes the account from then on unless it holds the lease (and then this run does
  // not, and drops the list). A run that waits writes again later: the list is read again then.
  const store = lock.store ?? leaseStoreOf(api);
  let usersRead: Promise<LiveUsers> | undefined;
  let acquiring = true;
  const reading: LeaseStore = {
    read: (id) => store.read(id),
    remove: (id) => store.remove(id),
    write: async (id, lease) => {
      await store.write(id, lease);
      if (acquiring && todo.length > 0) usersRead = readLiveUsers(api, accountId);
    },
  };
  const got = await acquireLease(reading, accountId, lock);
  acquiring = false;
  if ('reason' in got) {
    const message = describeRefusal(`account ${accountKey} (${accountId})`, got);
    return { refused: { accountKey, accountId, reason: got.reason, message, ...(got.reason === 'held' ? { holder: got.lease.holder, since: got.lease.startedOn, leaseId: got.lease.id } : {}) } };
  }
  got.onLost(() => onLost(`the apply lease of account ${accountKey} was lost: ${got.lostWhy() ?? ''}`));
  if (todo.length === 0) return got;
  const live = await (usersRead ?? readLiveUsers(api, accountId));
  if ('error' in live) {
    // Without the fresh list the plan's welcome e-mails may be stale: send none this time (the next run does).
    const e = live.error;
    for (const c of todo) if (c.kind === 'welcome') done(c, { address: c.address, accountKey: c.accountKey, kind: c.kind, status: 'failed', error: `not sent: the account's users could not be re-read after taking the lease (${e instanceof Error ? e.message : String(e)}); re-run apply` });
    return got;
  }
  for (const u of live.users.values()) ctx.users.set(u.email.toLowerCase(), u.userId);
  for (const c of todo) {
    const u = live.users.get(('email' in c.id ? (c.id.email ?? '') : '').toLowerCase());
    if (!u) continue;
    if (c.kind === 'user' || !welcomeStillDue(u)) done(c, { address: c.address, accountKey: c.accountKey, kind: c.kind, status: 'done', verb: 'unchanged' });
  }
  return got;
}

/** An account's users by lower-cased e-mail, or why they could not be read (never rejects). */
type LiveUsers = { users: Map<string, User> } | { error: unknown };

async function readLiveUsers(api: CloudLinkApi, accountId: string): Promise<LiveUsers> {
  try {
    const users = new Map<string, User>();
    for (const u of await collect(api.users.list(accountId))) users.set(u.email.toLowerCase(), u);
    return { users };
  } catch (error) {
    return { error };
  }
}
