import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keptWrites } from '../../provider/engine/apply/kept.js';
import type { ChangeResult } from '../../provider/engine/apply/result.js';
import type { Plan } from '../../provider/engine/types.js';
import { sandboxPerTest } from '../helpers/sandbox.js';

const EXAMPLES = path.resolve('examples/yaml');
const setup = sandboxPerTest();

/** A copy of the examples, with `edit` applied to one file's text. */
async function examplesWith(file: string, edit: (text: string) => string): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'kept-')), 'yaml');
  await cp(EXAMPLES, dir, { recursive: true });
  const target = path.join(dir, file);
  await writeFile(target, edit(await readFile(target, 'utf8')));
  return dir;
}

const writes = (counts: Record<string, number>, key: string): number => counts[key] ?? 0;

describe('apply checks what CloudLink kept', () => {
  it('stops account updates after the first one the service did not keep, naming the field, and exits 1', async () => {
    const { cli, sandbox } = await setup();
    expect((await cli('apply', EXAMPLES, '--auto-approve')).code).toBe(0);
    sandbox.setFaults({ ignoreFields: ['languageCode'] });
    const dir = await examplesWith('accounts/acme.yaml', (t) => t.replace('language: en-US', 'language: fr-CA'));
    const initech = path.join(dir, 'accounts/initech.yaml');
    await writeFile(initech, (await readFile(initech, 'utf8')).replace('language: en-US', 'language: fr-CA'));
    sandbox.resetRequestCounts();
    const run = await cli('apply', dir, '--auto-approve');
    expect(run.code).toBe(1);
    // One account update was sent and read back; the other was not sent.
    expect(writes(sandbox.requestCounts(), 'PUT /admin/2017-09-01/accounts/{accountId}')).toBe(1);
    expect(run.err).toMatch(/FAILED account\.(acme|initech): CloudLink did not keep: account (acme|initech) language \(sent fr-CA, live en-US\), correlation id [0-9a-f-]{36}/);
    expect(run.err).toMatch(/FAILED account\.(acme|initech): not sent: the first account update of this run was not kept by CloudLink \(account (acme|initech) language \(sent fr-CA, live en-US\)\)/);
    // The next plan still plans it (nothing hides it), and the next apply says so again.
    expect((await cli('plan', dir)).code).toBe(2);
    expect((await cli('apply', dir, '--auto-approve')).err).toContain('CloudLink did not keep: account');
  });

  it('stops user updates after one write whose firstName was dropped', async () => {
    const { cli, sandbox } = await setup();
    expect((await cli('apply', EXAMPLES, '--auto-approve')).code).toBe(0);
    sandbox.setFaults({ ignoreFields: ['firstName'] });
    const dir = await examplesWith('accounts/acme.yaml', (t) => t.replace('firstName: Alice', 'firstName: Alicia').replace('firstName: Bob', 'firstName: Robert').replace('firstName: Carol', 'firstName: Caroline'));
    sandbox.resetRequestCounts();
    const run = await cli('apply', dir, '--auto-approve');
    expect(run.code).toBe(1);
    expect(writes(sandbox.requestCounts(), 'PUT /admin/2017-09-01/accounts/{accountId}/users/{userId}')).toBe(1);
    expect(run.err).toMatch(/CloudLink did not keep: user \S+@acme\.example in account acme firstName \(sent (Alicia|Robert|Caroline), live (Alice|Bob|Carol)\), correlation id/);
    expect(run.err.match(/FAILED \S+: not sent: the first user update of this run was not kept by CloudLink \(user \S+ in account acme firstName/g)).toHaveLength(2);
  });

  it('creates one user, reads it back, and stops the batch when the service dropped firstName', async () => {
    const { cli, sandbox } = await setup();
    sandbox.setFaults({ ignoreFields: ['firstName'] });
    const before = sandbox.state().users.length;
    const run = await cli('apply', EXAMPLES, '--auto-approve');
    expect(run.code).toBe(1);
    expect(sandbox.state().users.length).toBe(before + 1);
    expect(writes(sandbox.requestCounts(), 'PATCH /admin/2017-09-01/accounts/{accountId}/users')).toBe(1);
    expect(run.err).toMatch(/CloudLink did not keep: user \S+ in account \S+ firstName \(sent \S+, live \(empty\)\)/);
    expect(run.err).toContain('not sent: the first user create of this run was not kept by CloudLink');
  });

  it('after the apply, re-reads the touched accounts and fails each applied change that is not live', async () => {
    const { cli, client, sandbox } = await setup();
    expect((await cli('apply', EXAMPLES, '--auto-approve')).code).toBe(0);
    const dir = await examplesWith('accounts/acme.yaml', (t) => t.replace('language: en-US', 'language: fr-CA').replace('firstName: Bob', 'firstName: Robert'));
    const planFile = path.join(dir, '..', 'plan.json');
    expect((await cli('plan', dir, '--out', planFile)).code).toBe(2);
    const plan = JSON.parse(await readFile(planFile, 'utf8')) as Plan;
    const todo = plan.changes.filter((c) => c.action !== 'noop');
    expect(todo.map((c) => c.address).sort()).toEqual(['account.acme', 'account.acme.user["bob.builder@acme.example"]']);
    // As if both were applied: nothing was written, so the service has neither.
    const results: ChangeResult[] = todo.map((c) => ({ address: c.address, accountKey: c.accountKey, kind: c.kind, status: 'done', verb: 'updated' }));
    sandbox.resetRequestCounts();
    const verified = await keptWrites(client).verify(plan.changes, results);
    expect(verified.map((r) => [r.address, r.status, r.error])).toEqual([
      ['account.acme', 'failed', 'CloudLink did not keep: account acme language (sent fr-CA, live en-US)'],
      ['account.acme.user["bob.builder@acme.example"]', 'failed', 'CloudLink did not keep: user bob.builder@acme.example in account acme name (sent Robert Builder, live Bob Builder); firstName (sent Robert, live Bob)'],
    ]);
    // One read of the account and one list of its users: no read per change.
    expect(sandbox.requestCounts()['GET /admin/2017-09-01/accounts/{accountId}']).toBe(1);
    expect(sandbox.requestCounts()['GET /admin/2017-09-01/accounts/{accountId}/users']).toBe(1);
    // Applied for real, both are kept: the same check passes.
    expect((await cli('apply', dir, '--auto-approve')).code).toBe(0);
    expect((await keptWrites(client).verify(plan.changes, results)).every((r) => r.status === 'done')).toBe(true);
  });
});
