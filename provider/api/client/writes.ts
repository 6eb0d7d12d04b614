/**
 * Writes that stay safe although the service's writes are not idempotent: a create run at
 * most once (re-read by natural key after an ambiguous failure), a 409 resolved by the same
 * re-read, and a delete for which "already gone" is `unchanged`.
 */
import type { WriteResult } from '../client-types.js';
import { CloudLinkError, isAmbiguous } from '../errors.js';
import type { RouteName } from '../routes.js';
import { pauseBeforeRetry, type ClientContext } from './context.js';

/** A DELETE: gone already is `unchanged` (unless an earlier attempt of this call did it). */
export async function deleteObject<T>(c: ClientContext, route: RouteName, params: Record<string, string>, query?: Record<string, string>): Promise<WriteResult<T>> {
  const r = await c.t.call({ route, params, ...(query ? { query } : {}), schema: undefined, accept: [404] });
  return { outcome: r.status === 404 && r.attempts === 1 ? 'unchanged' : 'deleted' };
}

/**
 * Runs a create at most once: after an ambiguous failure `lookup` is asked whether the
 * object is there (then it counts as `created`); only when it is not is the POST sent
 * again. A lookup that itself fails transiently is repeated, never skipped.
 */
export async function createOnce<T>(c: ClientContext, post: () => Promise<T>, lookup: () => Promise<T | undefined>): Promise<WriteResult<T>> {
  let mustLookUp = false;
  for (let attempt = 1; ; attempt += 1) {
    if (mustLookUp) {
      c.t.stats.rereads += 1;
      let found: T | undefined;
      try {
        found = await lookup();
      } catch (e) {
        if (!(e instanceof CloudLinkError && e.transient) || attempt >= c.attempts) throw e;
        await pauseBeforeRetry(c, attempt);
        continue;
      }
      if (found !== undefined) return { outcome: 'created', value: found };
      mustLookUp = false;
    }
    try {
      return { outcome: 'created', value: await post() };
    } catch (e) {
      if (!isAmbiguous(e) || attempt >= c.attempts) throw e;
      mustLookUp = true;
      await pauseBeforeRetry(c, attempt);
    }
  }
}

/** A 409 on a create: re-read; there → `unchanged`, else the 409 stands (any other error is rethrown as is). */
export async function resolveConflict<T>(c: ClientContext, e: unknown, lookup: () => Promise<T | undefined>): Promise<WriteResult<T>> {
  if (!(e instanceof CloudLinkError && e.code === 'conflict')) throw e;
  c.t.stats.rereads += 1;
  const found = await lookup();
  if (found === undefined) throw e;
  return { outcome: 'unchanged', value: found };
}
