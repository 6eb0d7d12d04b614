/**
 * Welcome e-mails, sent at most once per user by this tool. CloudLink keeps no record of a
 * welcome e-mail, so the tool records each send in the user's `cloudlink-tenancy` tag right
 * after it. The remaining race: two runs that read the user within the same few
 * milliseconds (between one run's read and its tag write) may both send; see README
 * "Welcome e-mails and overlapping runs".
 */
import type { CloudLinkApi, WriteOutcome } from '../../api/client-types.js';
import { isAmbiguous } from '../../api/errors.js';

/** Options of `ensureWelcome`. */
export interface WelcomeOptions {
  /** Send even when the tag says a welcome e-mail was sent (the console's "resend"). */
  force?: boolean;
  now?: () => Date;
}

/**
 * Sends the welcome e-mail unless the user's tag records one: the user is read again just
 * before the send (an overlapping run may have sent it since the plan was made), and the send
 * is recorded right after. After an ambiguous failure the send is recorded as unconfirmed (no
 * second e-mail goes out) and the call fails with a message saying how to resend.
 * Returns `updated` when it sent, `unchanged` when the tag already recorded a send.
 */
export async function ensureWelcome(api: Pick<CloudLinkApi, 'users'>, accountId: string, userId: string, options: WelcomeOptions = {}): Promise<WriteOutcome> {
  const now = options.now ?? (() => new Date());
  const user = await api.users.get(accountId, userId);
  if (!user) throw new Error(`user ${userId} is no longer in account ${accountId}`);
  if (user.welcomeSentOn !== undefined && !options.force) return 'unchanged';
  try {
    await api.users.sendWelcome(accountId, userId);
  } catch (e) {
    if (!isAmbiguous(e)) throw e;
    await api.users.recordWelcome(accountId, userId, now().toISOString(), true);
    throw new Error(
      `the welcome e-mail to ${user.email} may or may not have gone out (${e instanceof Error ? e.message : String(e)}); ` +
        `it is recorded as sent so no second one goes out; if the user did not get it, run "cloudlink-tenancy users send-welcome --force --email ${user.email}"`,
    );
  }
  await api.users.recordWelcome(accountId, userId, now().toISOString());
  return 'updated';
}
