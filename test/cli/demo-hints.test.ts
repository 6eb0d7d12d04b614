import { describe, expect, it } from 'vitest';
import { runCli } from '../../provider/cli/run.js';
import { demoNextLines } from '../../provider/cli/demo-hints.js';
import { captureIo } from '../helpers/io.js';

/** A shell of a partner engineer with real credentials exported. */
const REAL_SHELL = { CLOUDLINK_CLIENT_ID: 'real-client', CLOUDLINK_CLIENT_SECRET: 'real-secret-77', CLOUDLINK_ACCOUNT_ID: 'f'.repeat(32), CLOUDLINK_AUTH_URL: 'https://authentication.api.mitel.io/2017-09-01' };

/** Lines that would run a command against a service. */
const talksToService = (line: string): boolean => /cloudlink-tenancy (plan|apply|drift|import|orders|users|whoami)\b/.test(line);

describe('demo hints are safe to paste', () => {
  it('after the demo, in a shell with real credentials, no hint talks to a service, and the shell is called out', async () => {
    const io = captureIo({ env: REAL_SHELL });
    expect(await runCli(['demo'], io)).toBe(0);
    const next = io.out().slice(io.out().indexOf('Next'));
    expect(next).toContain('none of these talks to CloudLink');
    expect(next.split('\n').filter(talksToService)).toEqual([]);
    expect(next).toContain('this shell has CLOUDLINK_* variables set');
    expect(io.out() + io.err()).not.toContain('real-secret-77');
  }, 60_000);

  it('with --keep-running, the hints export the sandbox variables and unset the others before any plan', () => {
    const lines = demoNextLines('examples/yaml', {}, { url: 'http://127.0.0.1:5', authUrl: 'http://127.0.0.1:5/auth', adminUrl: 'http://127.0.0.1:5/admin', billingUrl: 'http://127.0.0.1:5/billing' });
    const firstService = lines.findIndex(talksToService);
    expect(firstService).toBeGreaterThan(0);
    const before = lines.slice(0, firstService).join('\n');
    expect(before).toContain('unset CLOUDLINK_CLIENT_ID CLOUDLINK_CLIENT_SECRET CLOUDLINK_ACCOUNT_ID');
    for (const v of ['CLOUDLINK_AUTH_URL=http://127.0.0.1:5/auth', 'CLOUDLINK_ADMIN_URL=http://127.0.0.1:5/admin', 'CLOUDLINK_BILLING_URL=http://127.0.0.1:5/billing', 'CLOUDLINK_USERNAME=', 'CLOUDLINK_PASSWORD=']) expect(before).toContain(v);
    expect(lines.join('\n')).not.toContain('this shell has CLOUDLINK_*');
  });
});
