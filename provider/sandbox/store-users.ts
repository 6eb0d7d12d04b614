/**
 * The store's write rules for users: the console's field rules, unique e-mails per account,
 * user tags, the verified flags, the outbox of welcome and password-reset mails, and password
 * logins. Every broken rule throws an `ApiFailure`.
 *
 * Decisions on the contract's [A] points made here:
 * - User tag writes change the user's `modifiedOn`.
 * - A `PARTNER_ADMIN` user can only live in a partner's own account (else 400).
 */
import { randomBytes } from 'node:crypto';
import { ApiFailure, DUPLICATE_MESSAGE, type JsonValue, type OutboxMail, type UserRecord } from './types.js';
import { userFields } from './store-fields.js';
import { newId, orNotFound } from './store-records.js';
import { AccountStore } from './store-accounts.js';

/** A random secret (SIP passwords). */
function secret(): string {
  return randomBytes(12).toString('base64url');
}

/** The account rules plus the user rules (a layer of `SandboxStore`). */
export class UserStore extends AccountStore {
  /** The user, or 404. */
  userOr404(accountId: string, userId: string): UserRecord {
    return orNotFound(this.state(accountId).users.get(userId), `User ${userId}`);
  }

  /** Creates a user under the console's rules (400) and the unique e-mail rule (409). Sends no e-mail. */
  createUser(accountId: string, body: Record<string, unknown>, by = 'sandbox'): UserRecord {
    const s = this.state(accountId);
    const f = userFields(body, true);
    if (f.role === 'PARTNER_ADMIN' && !this.partnerOwning(accountId)) throw new ApiFailure(400, 'role PARTNER_ADMIN is only valid in a partner account');
    const email = f.email ?? '';
    if (s.emails.has(email.toLowerCase())) throw new ApiFailure(409, DUPLICATE_MESSAGE);
    const userId = newId();
    const name = f.name ?? [f.firstName, f.lastName].filter(Boolean).join(' ');
    const user: UserRecord = {
      userId,
      uniqueUserId: newId(),
      accountId,
      name,
      firstName: f.firstName ?? '',
      lastName: f.lastName ?? '',
      displayName: f.displayName ?? name,
      email,
      role: f.role ?? 'USER',
      emailVerified: false,
      userVerified: false,
      extension: f.extension ?? null,
      mobile: f.mobile ?? null,
      phone: f.phone ?? null,
      siteId: f.siteId ?? null,
      sipAddress: `${userId}@sip.sandbox.invalid`,
      sipPassword: secret(),
      source: f.source ?? 'api',
      country: f.country ?? null,
      tags: {},
      ...this.audit(by),
    };
    s.users.set(userId, user);
    s.emails.set(email.toLowerCase(), userId);
    s.userOrder?.push(userId);
    return user;
  }

  /** Updates only the fields given (same rules as create). */
  updateUser(accountId: string, userId: string, body: Record<string, unknown>, by = 'sandbox'): UserRecord {
    const s = this.state(accountId);
    const user = this.userOr404(accountId, userId);
    const f = userFields(body, false);
    if (f.role === 'PARTNER_ADMIN' && !this.partnerOwning(accountId)) throw new ApiFailure(400, 'role PARTNER_ADMIN is only valid in a partner account');
    const next: UserRecord = { ...user, ...f, modifiedOn: this.stamp(), modifiedBy: by };
    if (!next.name.trim() && !next.firstName.trim() && !next.lastName.trim()) throw new ApiFailure(400, 'At least one of name, firstName or lastName is required');
    if (f.email !== undefined && f.email.toLowerCase() !== user.email.toLowerCase()) {
      if (s.emails.has(f.email.toLowerCase())) throw new ApiFailure(409, DUPLICATE_MESSAGE);
      s.emails.delete(user.email.toLowerCase());
      s.emails.set(f.email.toLowerCase(), userId);
    }
    s.users.set(userId, next);
    return next;
  }

  /** Deletes the user and frees its licenses. */
  deleteUser(accountId: string, userId: string): void {
    const s = this.state(accountId);
    const user = this.userOr404(accountId, userId);
    s.users.delete(userId);
    s.emails.delete(user.email.toLowerCase());
    s.userOrder = undefined;
    this.passwords.delete(userId);
    for (const [id, l] of s.licenses) {
      if (l.userId === userId) {
        s.licenses.delete(id);
        this.licenseIndex.delete(id);
      }
    }
  }

  /** Sets `userVerified` (and `emailVerified`), as if the user registered. */
  setUserVerified(accountId: string, userId: string, verified = true): UserRecord {
    const s = this.state(accountId);
    const next = { ...this.userOr404(accountId, userId), userVerified: verified, emailVerified: verified, modifiedOn: this.stamp() };
    s.users.set(userId, next);
    return next;
  }

  /** Sets one user tag (any JSON value) and stamps `modifiedOn`. 404 when the account or user does not exist. */
  setUserTag(accountId: string, userId: string, tagId: string, value: JsonValue, by = 'sandbox'): UserRecord {
    const s = this.state(accountId);
    const user = this.userOr404(accountId, userId);
    const next = { ...user, tags: { ...user.tags, [tagId]: value }, modifiedOn: this.stamp(), modifiedBy: by };
    s.users.set(userId, next);
    return next;
  }

  /** Removes one user tag and stamps `modifiedOn`. 404 when the account, user or tag does not exist. */
  deleteUserTag(accountId: string, userId: string, tagId: string, by = 'sandbox'): void {
    const s = this.state(accountId);
    const user = this.userOr404(accountId, userId);
    if (!(tagId in user.tags)) throw new ApiFailure(404, `Tag ${tagId} not found`);
    const { [tagId]: _gone, ...tags } = user.tags;
    s.users.set(userId, { ...user, tags, modifiedOn: this.stamp(), modifiedBy: by });
  }

  /** Records an e-mail in the outbox (welcome or password reset). */
  mail(type: OutboxMail['type'], accountId: string, userId: string): OutboxMail {
    const user = this.userOr404(accountId, userId);
    const mail: OutboxMail = { type, to: user.email, accountId, userId, sentOn: this.stamp() };
    this.outbox.push(mail);
    return mail;
  }

  /** The user a password login names, or undefined. */
  login(username: string, password: string, accountId?: string): UserRecord | undefined {
    for (const s of this.accounts.values()) {
      if (accountId !== undefined && s.account.accountId !== accountId) continue;
      const user = this.userByEmail(s.account.accountId, username);
      if (user && this.passwords.get(user.userId) === password) return user;
    }
    return undefined;
  }
}
