/**
 * What an API route handler gets and gives back (`HandlerContext` → `HandlerResult`), and the
 * small readers every handler shares: the body as an object, and the name writes are audited by.
 */
import type { IncomingMessage } from 'node:http';
import { ApiFailure, type Principal } from './types.js';
import type { SandboxRouteName } from './routes.js';
import type { SandboxProfile } from './profile.js';

/** One API request as a handler sees it. */
export interface HandlerContext {
  req: IncomingMessage;
  url: URL;
  /** `http://host:port` of the request. */
  base: string;
  params: Record<string, string>;
  /** The parsed body (JSON value or form fields); undefined when empty. */
  body: unknown;
  /** The caller (absent only on `POST /token`). */
  principal: Principal;
  /** How the served API departs from the default (`profile.ts`). */
  profile: SandboxProfile;
}

/** A handler's answer: the status and the JSON body (none when undefined). */
export interface HandlerResult {
  status: number;
  body?: unknown;
}

/** Answers one API route; throws an `ApiFailure` to answer an error. */
export type RouteHandler = (ctx: HandlerContext) => HandlerResult | Promise<HandlerResult>;

/** One handler per route name of `routes.ts`. */
export type RouteHandlers = Record<SandboxRouteName, RouteHandler>;

/** The body as a JSON object (`{}` when empty); 400 when it is any other JSON value. */
export function bodyObject(ctx: HandlerContext): Record<string, unknown> {
  const b = ctx.body ?? {};
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new ApiFailure(400, 'The body must be a JSON object');
  return b as Record<string, unknown>;
}

/** The name a principal's writes are audited by (`createdBy`/`modifiedBy`): its e-mail, else its id. */
export function auditName(p: Principal): string {
  return p.email ?? p.principalId;
}
