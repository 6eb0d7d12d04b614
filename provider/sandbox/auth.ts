/**
 * The sandbox's tokens: the `POST /token` grants (password, client_credentials,
 * refresh_token), the `GET /token` claims, and the bearer-token check of every other route.
 * Sessions live in memory only; a restart logs everybody out.
 *
 * Decisions on the contract's [A] points made here:
 * - `client_credentials`: a client is registered in one account; `account_id`, when sent,
 *   must be that account (else 401). Its principal has the role PARTNER_ADMIN when the account
 *   is a partner's own account, else ACCOUNT_ADMIN; claims `userId` and `email` are null and
 *   `principalId`/`name` are the client id.
 * - An invalid or used refresh token is 401. Refresh tokens are single-use.
 */
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { FaultSettings } from './faults.js';
import { bodyObject, type HandlerContext, type HandlerResult } from './handler-context.js';
import type { SandboxStore } from './store.js';
import { ApiFailure, type Principal, type UserRecord } from './types.js';

/** What the token service reads: logins and clients, the clock, and the token lifetime (`faults.tokenTtlSec`, read at each issue). */
export interface AuthOptions {
  store: SandboxStore;
  now: () => Date;
  faults: FaultSettings;
}

interface Session {
  principal: Principal;
  iat: number;
  exp: number;
}

/** Issues, checks and forgets the sandbox's access and refresh tokens. */
export class SandboxAuth {
  private readonly sessions = new Map<string, Session>();
  private readonly refreshTokens = new Map<string, Principal>();

  constructor(private readonly options: AuthOptions) {}

  /** Forgets every access and refresh token (`POST /sandbox/reset`). */
  forgetTokens(): void {
    this.sessions.clear();
    this.refreshTokens.clear();
  }

  /** The principal of the request's bearer token; 401 when it is missing, unknown or expired. */
  authenticate(req: IncomingMessage): Principal {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw new ApiFailure(401, 'A bearer token is required');
    const session = this.sessions.get(token);
    if (!session) throw new ApiFailure(401, 'The token is not valid');
    if (session.exp * 1000 <= this.options.now().getTime()) throw new ApiFailure(401, 'The token has expired');
    return session.principal;
  }

  /** A new access token (and its single-use refresh token) for the principal. */
  private issue(principal: Principal): Record<string, unknown> {
    const access = randomBytes(24).toString('base64url');
    const refresh = randomBytes(24).toString('base64url');
    const ttl = this.options.faults.tokenTtlSec;
    const iat = this.options.now().getTime() / 1000;
    this.sessions.set(access, { principal, iat: Math.floor(iat), exp: iat + ttl });
    this.refreshTokens.set(refresh, principal);
    return { access_token: access, token_type: 'bearer', expires_in: ttl, refresh_token: refresh };
  }

  /** The principal of a password login. */
  private userPrincipal(u: UserRecord): Principal {
    const account = this.options.store.account(u.accountId);
    return { principalId: u.userId, userId: u.userId, accountId: u.accountId, partnerId: account?.partnerId ?? '', role: u.role, email: u.email, name: u.name };
  }

  /** `POST /token`: password, client_credentials and refresh_token grants. */
  token(ctx: HandlerContext): HandlerResult {
    const b = ctx.body === undefined ? {} : bodyObject(ctx);
    const str = (k: string): string | undefined => (typeof b[k] === 'string' && b[k] !== '' ? (b[k] as string) : undefined);
    const store = this.options.store;
    switch (b.grant_type) {
      case 'password': {
        const username = str('username');
        const password = str('password');
        if (!username || !password) throw new ApiFailure(400, 'username and password are required');
        const u = store.login(username, password, str('account_id'));
        if (!u) throw new ApiFailure(401, 'The username or password is wrong');
        return { status: 200, body: this.issue(this.userPrincipal(u)) };
      }
      case 'client_credentials': {
        const client = store.clients.get(str('client_id') ?? '');
        if (!client || client.clientSecret !== b.client_secret) throw new ApiFailure(401, 'The client id or secret is wrong');
        const accountId = str('account_id');
        if (accountId !== undefined && accountId !== client.accountId) throw new ApiFailure(401, 'The client is not registered in that account');
        const account = store.account(client.accountId);
        if (!account) throw new ApiFailure(401, 'The client is not registered in that account');
        const role = store.partnerOwning(account.accountId) ? 'PARTNER_ADMIN' : 'ACCOUNT_ADMIN';
        return { status: 200, body: this.issue({ principalId: client.clientId, userId: null, accountId: account.accountId, partnerId: account.partnerId, role, email: null, name: client.clientId }) };
      }
      case 'refresh_token': {
        const refresh = str('refresh_token') ?? '';
        const principal = this.refreshTokens.get(refresh);
        if (!principal) throw new ApiFailure(401, 'The refresh token is not valid');
        this.refreshTokens.delete(refresh);
        return { status: 200, body: this.issue(principal) };
      }
      default:
        throw new ApiFailure(400, 'grant_type must be password, client_credentials or refresh_token');
    }
  }

  /** `GET /token`: the claims of the bearer token. */
  claims(ctx: HandlerContext): HandlerResult {
    const token = /^Bearer\s+(\S+)$/i.exec(ctx.req.headers.authorization ?? '')?.[1] ?? '';
    const session = this.sessions.get(token);
    if (!session) throw new ApiFailure(401, 'The token is not valid');
    const p = session.principal;
    return {
      status: 200,
      body: { accountId: p.accountId, partnerId: p.partnerId, principalId: p.principalId, userId: p.userId, role: p.role, email: p.email, name: p.name, iat: session.iat, exp: Math.floor(session.exp) },
    };
  }
}
