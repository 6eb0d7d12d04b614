/**
 * The bearer token of one client: logged in lazily, cached, refreshed ahead of expiry,
 * fetched once for all concurrent callers, and replaced once more when a 401 refuses it.
 * Every credential and token it sees joins the client's secrets (scrubbed from any text).
 */
import { CloudLinkError } from '../errors.js';
import { routeLabel, routes } from '../routes.js';
import { tokenFromWire, tokenRequestToWire, type TokenGrant, type tokenResponseSchema } from '../wire.js';
import type { z } from 'zod';
import type { ClientStats, Credentials } from './types.js';

/** Sends one token request (the form body, already encoded) and returns the validated answer. */
export type TokenRequest = (form: string) => Promise<z.infer<typeof tokenResponseSchema>>;

/** The token state of one client. */
export class TokenSession {
  private token: { value: string; refresh?: string; expiresAt: number } | undefined;
  private refreshing: Promise<string> | undefined;

  /** Adds the credentials' secret to `secrets` at once; tokens join it as they arrive. */
  constructor(
    private readonly credentials: Credentials,
    private readonly secrets: string[],
    private readonly stats: ClientStats,
    private readonly request: TokenRequest,
  ) {
    const c = credentials;
    if ('password' in c) secrets.push(c.password);
    else if ('clientSecret' in c) secrets.push(c.clientSecret);
    else secrets.push(c.refreshToken);
  }

  /** A valid access token, fetched or refreshed once for all concurrent callers. `stale`: the token a 401 refused. */
  async accessToken(stale?: string): Promise<string> {
    if (this.token && stale === undefined) {
      const margin = Math.min(30_000, (this.token.expiresAt - Date.now()) / 10);
      if (this.token.expiresAt - margin > Date.now()) return this.token.value;
    }
    // Someone already replaced the refused token: use the new one.
    if (stale !== undefined && this.token && this.token.value !== stale && !this.refreshing) return this.token.value;
    this.refreshing ??= this.fetchToken().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Tries the refresh token (if any), then the credentials; refused credentials become an `unauthorized` error naming the variables to check. */
  private async fetchToken(): Promise<string> {
    const c = this.credentials;
    const grants: TokenGrant[] = [];
    if (this.token?.refresh) grants.push({ grant: 'refresh_token', refreshToken: this.token.refresh });
    if ('password' in c) grants.push({ grant: 'password', username: c.username, password: c.password, ...(c.accountId ? { accountId: c.accountId } : {}) });
    else if ('clientSecret' in c) grants.push({ grant: 'client_credentials', clientId: c.clientId, clientSecret: c.clientSecret, ...(c.accountId ? { accountId: c.accountId } : {}) });
    else if (!this.token?.refresh) grants.push({ grant: 'refresh_token', refreshToken: c.refreshToken });
    let lastError: unknown;
    for (const grant of grants) {
      try {
        const started = Date.now();
        this.stats.tokenRequests += 1;
        const token = tokenFromWire(await this.request(new URLSearchParams(tokenRequestToWire(grant)).toString()));
        this.secrets.push(token.accessToken, ...(token.refreshToken ? [token.refreshToken] : []));
        this.token = { value: token.accessToken, ...(token.refreshToken ? { refresh: token.refreshToken } : {}), expiresAt: started + Math.max(1, token.expiresInSec) * 1000 };
        return this.token.value;
      } catch (e) {
        lastError = e;
        // A refused refresh token falls through to a new login; anything else ends here.
        if (!(grant.grant === 'refresh_token' && e instanceof CloudLinkError && (e.status === 400 || e.status === 401))) break;
      }
    }
    if (lastError instanceof CloudLinkError && (lastError.status === 400 || lastError.status === 401)) {
      throw new CloudLinkError(
        'unauthorized',
        `CloudLink refused the credentials (${lastError.message}); check CLOUDLINK_USERNAME/CLOUDLINK_PASSWORD or CLOUDLINK_CLIENT_ID/CLOUDLINK_CLIENT_SECRET (and CLOUDLINK_ACCOUNT_ID)`,
        false,
        { status: lastError.status, ...(lastError.correlationId ? { correlationId: lastError.correlationId } : {}), route: routeLabel('token'), method: routes.token.method },
      );
    }
    throw lastError;
  }
}
