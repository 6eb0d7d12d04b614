/**
 * The keep-alive connection pools of one client, one per origin, created on first use with
 * the client's concurrency, timeouts and extra CA (`CLOUDLINK_CA_FILE`).
 */
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { DEFAULT_MAX_CONCURRENCY, type TransportOptions } from './types.js';

/** Pools by origin; `close()` closes every pool opened so far. */
export class ConnectionPools {
  private readonly pools = new Map<string, Pool>();
  private readonly ca: string | undefined;

  /** Reads the CA file at once (a missing file fails here, not on the first call). */
  constructor(
    private readonly options: Pick<TransportOptions, 'maxConcurrency' | 'caFile'>,
    private readonly timeoutMs: number,
  ) {
    this.ca = options.caFile ? readFileSync(options.caFile, 'utf8') : undefined;
  }

  /** The pool of an origin (`https://host:port`), created on first use. */
  get(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: Math.max(4, this.options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY),
        keepAliveTimeout: 30_000,
        connectTimeout: 10_000,
        headersTimeout: this.timeoutMs + 2_000,
        bodyTimeout: this.timeoutMs + 2_000,
        ...(this.ca ? { connect: { ca: this.ca } } : {}),
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  /** Forgets every pool and closes them all. */
  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.close()));
  }
}
