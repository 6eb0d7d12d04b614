import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxPerTest } from '../helpers/sandbox.js';

const EXAMPLES = path.resolve('examples/yaml');
const setup = sandboxPerTest();

interface JsonResult {
  formatVersion: number;
  outcome: string;
  summary: { succeeded: number; failed: number; skipped: number; manual: number; interrupted: number };
  results: { address: string; kind: string; outcome: string; verb?: string; error?: string; correlationId?: string }[];
}

describe('apply --format json', () => {
  it('prints one machine-readable result: outcome, counts and per change its verb', async () => {
    const { cli } = await setup();
    const r = await cli('apply', EXAMPLES, '--auto-approve', '--format', 'json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out) as JsonResult;
    expect(result).toMatchObject({ formatVersion: 1, outcome: 'applied', summary: { failed: 0, skipped: 0, manual: 0, interrupted: 0 } });
    expect(result.summary.succeeded).toBe(result.results.length);
    const verb = (address: string) => result.results.find((x) => x.address === address)?.verb;
    expect(verb('account.acme')).toBe('created');
    expect(verb('account.acme.order.TN-1001')).toBe('assigned');
    expect(verb('account.acme.user["alice.liddell@acme.example"].license.miteam-meetings')).toBe('enabled');
    expect(verb('account.acme.user["alice.liddell@acme.example"].welcome')).toBe('sent');
    const again = JSON.parse((await cli('apply', EXAMPLES, '--auto-approve', '--format', 'json')).out) as JsonResult;
    expect(again.outcome).toBe('nothing');
  });

  it('reports a failed change with the error and the CloudLink correlation id', async () => {
    const { client } = await setup();
    const { applyPlan } = await import('../../provider/engine/apply/apply.js');
    const { CloudLinkError } = await import('../../provider/api/errors.js');
    const flaky = { ...client, integrations: { ...client.integrations, add: () => Promise.reject(new CloudLinkError('conflict', 'POST /accounts/{accountId}/integrations answered 409 (correlation id abc-123)', false, { status: 409, correlationId: 'abc-123', method: 'POST' })) } };
    const change = { address: 'account.initech.integration.cloudlink-chat', accountKey: 'initech', kind: 'integration' as const, action: 'create' as const, id: { accountId: '8f14e45fceea167a5a36dedd4bea2543' }, before: null, after: { type: 'cloudlink-chat' }, reason: '', dependsOn: [], stamp: null };
    const report = await applyPlan(flaky, { partnerId: 'p-1234', changes: [change] });
    expect(report.results).toEqual([{ address: change.address, accountKey: 'initech', kind: 'integration', status: 'failed', error: expect.stringContaining('409'), correlationId: 'abc-123' }]);
  });

  it('refuses bad numbers and formats before connecting', async () => {
    const { cli, sandbox } = await setup();
    sandbox.resetRequestCounts();
    for (const args of [['--parallelism', '0'], ['--parallelism', 'many'], ['--max-deletes', '1.5'], ['--format', 'yaml']]) {
      const r = await cli('apply', EXAMPLES, '--auto-approve', ...args);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 1]);
      expect(r.err).toMatch(/is not a whole number ≥ 1|is not a whole number ≥ 0|is unknown; use text or json/);
    }
    expect(sandbox.requestCounts()).toEqual({});
  });
});
