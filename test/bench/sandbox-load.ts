/**
 * Sandbox throughput: the sandbox runs alone in a child process (one core), autocannon loads
 * it from this process with an authenticated GET. Prints requests/s; target ≥ 3,000.
 * Run: npm run build && npx tsx test/bench/sandbox-load.ts [seconds]
 */
import autocannon from 'autocannon';
import { request } from 'undici';
import { DEMO_CREDENTIALS, DEMO_INITECH_ID } from '../../provider/sandbox/index.js';
import { spawnSandbox } from '../helpers/child-sandbox.js';

export async function measureSandboxThroughput(seconds = 5): Promise<{ requestsPerSecond: number; p99Ms: number; errors: number; non2xx: number }> {
  const { url, child } = await spawnSandbox();
  try {
    const res = await request(`${url}/auth/2017-09-01/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'password', username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password }).toString() });
    const token = ((await res.body.json()) as { access_token: string }).access_token;
    const result = await autocannon({
      url: `${url}/admin/2017-09-01/accounts/${DEMO_INITECH_ID}/integrations`,
      connections: 32,
      pipelining: 1,
      duration: seconds,
      headers: { authorization: `Bearer ${token}`, 'x-mitel-app': 'app=bench/1;platform=linux' },
    });
    return { requestsPerSecond: Math.round(result.requests.average), p99Ms: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
  } finally {
    child.kill('SIGTERM');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measureSandboxThroughput(Number(process.argv[2] ?? 5));
  console.log(`sandbox throughput: ${r.requestsPerSecond} req/s (p99 ${r.p99Ms} ms, ${r.errors} errors, ${r.non2xx} non-2xx), target >= 3000`);
}
