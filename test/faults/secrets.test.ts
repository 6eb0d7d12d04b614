import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../provider/cli/run.js';
import { demoSeed, startSandbox, type RunningSandbox } from '../../provider/sandbox/index.js';
import { captureIo } from '../helpers/io.js';

const PASSWORD = 'Pw-DISTINCTIVE-5150-zebra!';
const SECRET = 'Sx-DISTINCTIVE-8086-quokka';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

describe('secrets never leak', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    // The demo fixture plus a partner admin and an API client with distinctive secrets.
    const seed = demoSeed();
    seed.partners?.[0]?.account?.users?.push({ email: 'ci@partner.example', name: 'CI Admin', role: 'PARTNER_ADMIN', verified: true, password: PASSWORD });
    seed.clients = [...(seed.clients ?? []), { clientId: 'ci-client', clientSecret: SECRET, partnerId: 'p-1234' }];
    sandbox = await startSandbox({ seed, faults: { errorRate: 0.1 } });
  });
  afterAll(async () => sandbox.close());

  it('appears in no stdout, stderr, plan file, trace or report', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'secrets-'));
    const base = { CLOUDLINK_AUTH_URL: sandbox.authUrl, CLOUDLINK_ADMIN_URL: sandbox.adminUrl, CLOUDLINK_BILLING_URL: sandbox.billingUrl, CLOUDLINK_RATE: '2000' };
    const viaPassword = { ...base, CLOUDLINK_USERNAME: 'ci@partner.example', CLOUDLINK_PASSWORD: PASSWORD };
    const viaClient = { ...base, CLOUDLINK_CLIENT_ID: 'ci-client', CLOUDLINK_CLIENT_SECRET: SECRET };
    const trace = path.join(dir, 'trace.jsonl');
    const runs: [NodeJS.ProcessEnv, string[]][] = [
      [viaPassword, ['validate', 'examples/yaml']],
      [viaPassword, ['plan', 'examples/yaml', '--out', path.join(dir, 'plan.json'), '--trace-http', trace]],
      [viaClient, ['plan', 'examples/yaml', '--format', 'markdown', '--trace-http', trace]],
      [viaClient, ['apply', 'examples/yaml', '--plan', path.join(dir, 'plan.json'), '--trace-http', trace]],
      [viaPassword, ['apply', 'examples/yaml', '--auto-approve', '--trace-http', trace]],
      [viaClient, ['drift', 'examples/yaml', '--format', 'json,junit,html,markdown,text', '--out', path.join(dir, 'drift'), '--trace-http', trace]],
      [viaPassword, ['import', '--all', '--out', path.join(dir, 'import'), '--trace-http', trace]],
      [viaClient, ['users', 'send-welcome', '--account-id', '8f14e45fceea167a5a36dedd4bea2543', '--all-pending', '--trace-http', trace]],
      [{ ...base, CLOUDLINK_USERNAME: 'ci@partner.example', CLOUDLINK_PASSWORD: `${PASSWORD}-wrong` }, ['plan', 'examples/yaml', '--trace-http', trace]],
      [{ ...base, CLOUDLINK_CLIENT_ID: 'ci-client', CLOUDLINK_CLIENT_SECRET: `${SECRET}-wrong` }, ['drift', 'examples/yaml']],
    ];
    let output = '';
    for (const [env, argv] of runs) {
      const io = captureIo({ env });
      const code = await runCli(argv, io);
      output += `${argv.join(' ')} -> ${code}\n${io.out()}${io.err()}`;
    }
    expect(output).toContain('refused the credentials');
    const files = await filesUnder(dir);
    expect(files.length).toBeGreaterThan(8);
    let everything = output;
    for (const f of files) everything += await readFile(f, 'utf8');
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toMatch(/Bearer [A-Za-z0-9_-]{10,}/);
    expect(everything).not.toMatch(/"(access|refresh)_token":"(?!\[redacted\])/);
    const traced = (await readFile(trace, 'utf8')).trim().split('\n');
    expect(traced.length).toBeGreaterThan(20);
  });
});
