/**
 * Welcome e-mails, sent at most once per user by this tool. CloudLink keeps no record of a
 * welcome e-mail, so the tool keeps one in the user's `cloudlink-tenancy` tag:
 * 1. read the user: a record means sent (or claimed) already;
 * 2. claim: write `{ welcomeSentOn, unconfirmed, claim: <run id> }`;
 * 3. read it back: another run that claimed the user since wins, this run skips it;
 * 4. send (`POST …/welcome-email`), then confirm the record (`unconfirmed` dropped).
 * A claim whose write fails for good is taken back when it landed (nothing was sent yet).
 * A run killed between 2 and 4 leaves an unconfirmed record: the e-mail may be lost (drift lists
 * it, `users send-welcome --force` resends) but never sent twice. Two runs whose claims cross
 * (one reads back before the other writes) can still both send; see README "Welcome e-mails
 * and overlapping runs".
 */
import { randomUUID } from 'node:crypto';
import type { CloudLinkApi, WriteOutcome } from '../../api/client-types.js';
import { isAmbiguous } from '../../api/errors.js';
import type { User } from '../../model/live.js';

/** Options of `ensureWelcome`. */
export interface WelcomeOptions {
  /** Send even when the tag records a welcome e-mail (the console's "resend"). */
  force?: boolean;
  now?: () => Date;
  /** This run's id in claims (default: a new one per call). */
  runId?: string;
}

/**
 * Puts the user's record back as it was before this run's claim: the earlier record (a forced
 * resend of a user already welcomed), or none, so the next run sends the e-mail.
 */
function restoreRecord(api: Pick<CloudLinkApi, 'users'>, accountId: string, before: User): Promise<void> {
  if (before.welcomeSentOn === undefined) return api.users.clearWelcome(accountId, before.userId);
  return api.users.recordWelcome(accountId, before.userId, before.welcomeSentOn, before.welcomeUnconfirmed, before.welcomeClaim);
}

/**
 * After a claim write that failed for good (retries spent): it may still have landed (a lost
 * answer), and nothing was sent. Restores the record if the claim there is this run's, so the
 * next run sends the e-mail instead of reading a false "unconfirmed" record. Best effort, never throws.
 */
async function releaseClaim(api: Pick<CloudLinkApi, 'users'>, accountId: string, before: User, claim: string): Promise<void> {
  const landed = await api.users.get(accountId, before.userId).catch(() => undefined);
  if (landed?.welcomeClaim === claim) await restoreRecord(api, accountId, before).catch(() => undefined);
}

/** Returns `updated` when it sent, `unchanged` when a record (or another run's claim) says it was sent. */
export async function ensureWelcome(api: Pick<CloudLinkApi, 'users'>, accountId: string, userId: string, options: WelcomeOptions = {}): Promise<WriteOutcome> {
  const now = options.now ?? (() => new Date());
  const user = await api.users.get(accountId, userId);
  if (!user) throw new Error(`user ${userId} is no longer in account ${accountId}`);
  if (user.welcomeSentOn !== undefined && !options.force) return 'unchanged';
  const claim = options.runId ?? randomUUID();
  const sentOn = now().toISOString();
  try {
    await api.users.recordWelcome(accountId, userId, sentOn, true, claim);
  } catch (e) {
    await releaseClaim(api, accountId, user, claim);
    throw e;
  }
  const check = await api.users.get(accountId, userId);
  if (check?.welcomeClaim !== claim && !options.force) return 'unchanged';
  try {
    await api.users.sendWelcome(accountId, userId);
  } catch (e) {
    if (!isAmbiguous(e)) {
      await restoreRecord(api, accountId, user);
      throw e;
    }
    throw new Error(
      `the welcome e-mail to ${user.email} may or may not have gone out (${e instanceof Error ? e.message : String(e)}); ` +
        `it is recorded as unconfirmed so no second one goes out; if the user did not get it, run "cloudlink-tenancy users send-welcome --force --email ${user.email}"`,
    );
  }
  await api.users.recordWelcome(accountId, userId, sentOn);
  return 'updated';
}
