/**
 * Welcome e-mails, at least once per user the plan names. CloudLink keeps no record of a welcome
 * e-mail, so the tool keeps one in the user's `cloudlink-tenancy` tag. Who still needs one comes
 * from the plan (the snapshot lists users with their tags); applies of one account never overlap
 * (the apply lock), so a welcome is two requests:
 * 1. send (`POST …/welcome-email`; an ambiguous failure, a 5xx or a cut connection, is retried:
 *    at worst one duplicate per ambiguous answer);
 * 2. record `{ welcomeSentOn }` in the user's tag.
 * A crash between 1 and 2 leaves no record, so the next run sends again: a second e-mail only to
 * the users whose send was in flight at the crash, never a lost one.
 */
import type { CloudLinkApi, WriteOutcome } from '../../api/client-types.js';
import type { User } from '../../model/live.js';
import { welcomeRecorded } from '../plan/users.js';

/** Options of `sendWelcome`. */
export interface WelcomeOptions {
  now?: () => Date;
}

/** Sends the welcome e-mail and records it in the user's tag (2 requests). Throws when either fails for good. */
export async function sendAndRecordWelcome(api: Pick<CloudLinkApi, 'users'>, accountId: string, userId: string, options: WelcomeOptions = {}): Promise<void> {
  const now = options.now ?? (() => new Date());
  await api.users.sendWelcome(accountId, userId);
  await api.users.recordWelcome(accountId, userId, now().toISOString());
}

/**
 * The one-off `users send-welcome`: sends unless the user's tag records a welcome e-mail
 * (`force` sends anyway, the console's "resend"). Returns `updated` when it sent.
 */
export async function ensureWelcome(api: Pick<CloudLinkApi, 'users'>, user: User, options: WelcomeOptions & { force?: boolean } = {}): Promise<WriteOutcome> {
  if (welcomeRecorded(user) && !options.force) return 'unchanged';
  await sendAndRecordWelcome(api, user.accountId, user.userId, options);
  return 'updated';
}
