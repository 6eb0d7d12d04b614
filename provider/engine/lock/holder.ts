/** Who an apply lease names as its holder, and the `--lock-timeout` / `CLOUDLINK_LOCK_TTL` durations. */
import os from 'node:os';

/**
 * The holder of this run's leases: the host and process, and the CI run's URL when the
 * environment names one (GitHub Actions, GitLab CI, or a generic BUILD_URL).
 */
export function holderFromEnv(env: NodeJS.ProcessEnv, host = os.hostname(), pid = process.pid): string {
  const github = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  const run = github ?? env.CI_JOB_URL ?? env.BUILD_URL;
  return `${host} (pid ${pid})${run ? ` ${run}` : ''}`;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a duration such as `0`, `500ms`, `30s`, `5m`, `1h` (a bare number is seconds), or undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * (UNITS[m[2] ?? 's'] ?? 1000));
}
