/**
 * A loopback HTTP proxy in front of the sandbox that sees every request of the process under
 * test, names its apply phase from the sandbox's route table, and can stop that process at an
 * exact request: `kill-before` (the request never reaches CloudLink) or `kill-after` (CloudLink
 * commits the write, then the process dies before it reads the answer). No wall-clock guess:
 * the kill is decided by request count.
 */
import http from 'node:http';
import { compileRoutes, matchRoute } from '../../provider/sandbox/routes.js';

/** The apply phases crash trials aim at, plus the reads and logins around them. */
export const WRITE_PHASES = ['account', 'order', 'user', 'license', 'welcome'] as const;
export type WritePhase = (typeof WRITE_PHASES)[number];
export type Phase = WritePhase | 'login' | 'read' | 'contact' | 'integration' | 'lock' | 'other';

const ROUTES = compileRoutes();

/** The phase a request belongs to, from its route template (method + path). */
export function phaseOfRequest(method: string, pathname: string): { phase: Phase; route: string } {
  const m = matchRoute(ROUTES, method, pathname);
  if (!m) return { phase: 'other', route: `${method} unknown` };
  const route = `${method} ${m.route.path}`;
  // The apply lease (tag cloudlink-tenancy-lock) is its own phase, so kills aimed at account writes do not land on lease renewals.
  if (pathname.endsWith('/tags/cloudlink-tenancy-lock')) return { phase: 'lock', route };
  switch (m.route.name) {
    case 'token':
    case 'tokenClaims':
      return { phase: 'login', route };
    case 'createAccount':
    case 'putAccountTag':
    case 'deleteAccount':
      return { phase: 'account', route };
    case 'updateOrder':
      return { phase: 'order', route };
    case 'batchUsers':
    case 'createUser':
      return { phase: 'user', route };
    case 'createLicense':
      return { phase: 'license', route };
    case 'sendWelcome':
    case 'putUserTag':
      return { phase: 'welcome', route };
    case 'createContact':
      return { phase: 'contact', route };
    case 'addIntegration':
      return { phase: 'integration', route };
    default:
      return { phase: method === 'GET' ? 'read' : 'other', route };
  }
}

export interface Seen {
  /** 1-based index of the request among all requests through the proxy. */
  index: number;
  /** 1-based index among requests of its phase. */
  nthOfPhase: number;
  phase: Phase;
  route: string;
  /** The request's path (ids filled in). */
  path: string;
}

export type Verdict = 'forward' | 'kill-before' | 'kill-after';

export interface CountingProxy {
  url: string;
  counts: Record<string, number>;
  /** Requests forwarded but not answered yet (wait for 0 before reading the sandbox's state). */
  pending(): number;
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the proxy. `decide` sees each request in arrival order; on a kill verdict `kill()` is
 * called (synchronously, before or after the sandbox handled the request) and the client's
 * socket is destroyed without an answer. After a kill every later request is dropped too.
 */
export async function startCountingProxy(target: string, decide: (seen: Seen) => Verdict, kill: (seen: Seen) => void, observe?: (seen: Seen, answer: number | 'cut') => void): Promise<CountingProxy> {
  const counts: Record<string, number> = {};
  let index = 0;
  let pending = 0;
  let killed = false;
  const waiters: (() => void)[] = [];
  const done = () => {
    pending -= 1;
    if (pending === 0) while (waiters.length) waiters.shift()?.();
  };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://proxy');
      if (killed) {
        res.socket?.destroy();
        return;
      }
      const { phase, route } = phaseOfRequest(req.method ?? 'GET', url.pathname);
      index += 1;
      counts[phase] = (counts[phase] ?? 0) + 1;
      const seen: Seen = { index, nthOfPhase: counts[phase] ?? 0, phase, route, path: url.pathname };
      const verdict = decide(seen);
      if (verdict === 'kill-before') {
        killed = true;
        kill(seen);
        res.socket?.destroy();
        return;
      }
      if (verdict === 'kill-after') killed = true;
      pending += 1;
      // The Host header stays the proxy's, so the links the sandbox builds (`_links.next`) point back through the proxy.
      const headers = { ...req.headers };
      const upstream = http.request(`${target}${req.url ?? '/'}`, { method: req.method, headers, agent }, (up) => {
        const body: Buffer[] = [];
        up.on('data', (c: Buffer) => body.push(c));
        up.on('end', () => {
          observe?.(seen, up.statusCode ?? 0);
          if (verdict === 'kill-after') {
            kill(seen);
            res.socket?.destroy();
          } else if (killed) res.socket?.destroy();
          else {
            const h = { ...up.headers };
            delete h['transfer-encoding'];
            delete h.connection;
            res.writeHead(up.statusCode ?? 502, h);
            res.end(Buffer.concat(body));
          }
          done();
        });
        up.on('error', () => {
          observe?.(seen, 'cut');
          res.socket?.destroy();
          done();
        });
      });
      upstream.on('error', () => {
        observe?.(seen, 'cut');
        res.socket?.destroy();
        done();
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    pending: () => pending,
    idle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
    },
  };
}

/** Counts, per route, the write answers that leave the outcome unknown: 5xx, or the connection cut. */
export class AmbiguityTally {
  readonly cut: Record<string, number> = {};
  readonly failed5xx: Record<string, number> = {};
  readonly observe = (seen: Seen, answer: number | 'cut'): void => {
    if (seen.route.startsWith('GET ')) return;
    if (answer === 'cut') this.cut[seen.route] = (this.cut[seen.route] ?? 0) + 1;
    else if (answer >= 500) this.failed5xx[seen.route] = (this.failed5xx[seen.route] ?? 0) + 1;
  };
  /** Ambiguous answers of one route (cut + 5xx). */
  of(route: string): number {
    return (this.cut[route] ?? 0) + (this.failed5xx[route] ?? 0);
  }
}

/** A proxy that forwards everything (for counting), and the URLs a client uses through it. */
export async function observingProxy(target: string, observe: (seen: Seen, answer: number | 'cut') => void): Promise<{ proxy: CountingProxy; urls: { authUrl: string; adminUrl: string; billingUrl: string } }> {
  const proxy = await startCountingProxy(target, () => 'forward', () => undefined, observe);
  return { proxy, urls: { authUrl: `${proxy.url}/auth/2017-09-01`, adminUrl: `${proxy.url}/admin/2017-09-01`, billingUrl: `${proxy.url}/billing/2019-03-01` } };
}
