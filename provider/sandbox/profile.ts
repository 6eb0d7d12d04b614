/**
 * Sandbox profiles: how far the served API departs from the default sandbox, to rehearse a
 * stricter real service (contract 2.1, `sandbox --profile strict`). Every departure is one
 * field here, consulted in one place each: the page cap and `count` by `lists.ts list()`, the
 * refused filters by `lists.ts filterOf()`, the absent routes by `server.ts`.
 */
import { MAX_TOP } from './query.js';
import type { SandboxRouteName } from './routes.js';

/** What a profile changes. */
export interface SandboxProfile {
  name: 'default' | 'strict';
  /** The largest page served, whatever `$top` asks for (never more than `MAX_TOP`). */
  maxPageSize: number;
  /** User lists carry `count`. */
  countOnUserLists: boolean;
  /** The user list's `$filter` is refused (400), as for an unknown field. */
  refuseUserFilter: boolean;
  /** Routes answered 404 "No route" (the service does not have them). */
  absentRoutes: readonly SandboxRouteName[];
}

/** The sandbox as it always was. */
export const DEFAULT_PROFILE: SandboxProfile = { name: 'default', maxPageSize: MAX_TOP, countOnUserLists: true, refuseUserFilter: false, absentRoutes: [] };

/** A stricter service: pages of at most 50, no `count` on user lists, the user `$filter` refused, billing `subscriptions` absent. */
export const STRICT_PROFILE: SandboxProfile = { name: 'strict', maxPageSize: 50, countOnUserLists: false, refuseUserFilter: true, absentRoutes: ['listSubscriptions'] };

/** The profile of that name. */
export function sandboxProfile(name: SandboxProfile['name'] = 'default'): SandboxProfile {
  return name === 'strict' ? STRICT_PROFILE : DEFAULT_PROFILE;
}
