/** `apply --lock` and `--lock-timeout`, and `CLOUDLINK_LOCK_TTL`, turned into the engine's lock options. */
import type { ApplyLockOptions } from '../../engine/apply/apply.js';
import { holderFromEnv, parseDuration } from '../../engine/lock/holder.js';

/**
 * The lock options of an apply: `false` with `--lock=false`, a message when a flag is malformed.
 * `CLOUDLINK_LOCK_TTL` (a duration, default 2m) sets the lease's time-to-live; renewals come
 * every quarter of it.
 */
export function lockOptionsFromFlags(lock: string | undefined, timeout: string | undefined, env: NodeJS.ProcessEnv): ApplyLockOptions | false | string {
  if (lock === 'false') return false;
  if (lock !== undefined && lock !== 'true') return `--lock "${lock}": use --lock=true or --lock=false`;
  const timeoutMs = parseDuration(timeout ?? '0');
  if (timeoutMs === undefined) return `--lock-timeout "${timeout}": give a duration such as 0, 30s, 5m or 1h`;
  const ttl = env.CLOUDLINK_LOCK_TTL ? parseDuration(env.CLOUDLINK_LOCK_TTL) : undefined;
  if (env.CLOUDLINK_LOCK_TTL && (ttl === undefined || ttl < 100)) return `CLOUDLINK_LOCK_TTL "${env.CLOUDLINK_LOCK_TTL}": give a duration of at least 100ms, such as 2m`;
  return { holder: holderFromEnv(env), timeoutMs, ...(ttl !== undefined ? { ttlMs: ttl } : {}) };
}
