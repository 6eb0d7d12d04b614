/**
 * The apply lock end to end (CLI against the sandbox): an account whose lease another run holds
 * is refused (exit 3, naming the holder) while the other accounts are applied; plan and drift
 * neither lock nor see the lock tag; `force-unlock LEASE_ID` removes the lease; `--lock=false`
 * applies without one; no lease is left after an apply.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_INITECH_ID } from '../../provider/sandbox/index.js';
import { LOCK_TAG } from '../../provider/model/live.js';
import { sandboxPerTest } from '../helpers/sandbox.js';

const setup = sandboxPerTest();
const examples = path.resolve('examples/yaml');
const foreign = { id: 'lease-of-ci-42', holder: 'ci-runner-7 (pid 4242) https://github.com/acme/tenancy/actions/runs/42', startedOn: '2026-12-01T08:00:00.000Z', expiresOn: '2999-01-01T00:00:00.000Z' };

describe('apply lock (CLI)', () => {
  it('refuses an account another run holds (exit 3, naming the holder), applies the others, and force-unlock frees it', async () => {
    const { cli, client, sandbox } = await setup();
    await client.accounts.setTag(DEMO_INITECH_ID, LOCK_TAG, foreign);
    const lockPuts = (): number => sandbox.requestCounts()['PUT /admin/2017-09-01/accounts/{accountId}/tags/{tagId}'] ?? 0;

    // plan and drift never lock, and the lock tag is not drift.
    const before = lockPuts();
    expect((await cli('plan', examples)).code).toBe(2);
    expect(lockPuts()).toBe(before);

    const refused = await cli('apply', examples, '--auto-approve');
    expect(refused.code).toBe(3);
    expect(refused.err).toContain(`Refused: account initech (${DEMO_INITECH_ID}) is locked by another apply: ci-runner-7 (pid 4242) https://github.com/acme/tenancy/actions/runs/42, since 2026-12-01T08:00:00.000Z, lease lease-of-ci-42`);
    expect(refused.err).toContain('force-unlock lease-of-ci-42');
    expect(refused.err).not.toContain('skipped account.initech');
    // The other accounts were applied; initech was not touched.
    const after = await cli('plan', examples, '--format', 'json');
    const left = (JSON.parse(after.out) as { changes: { accountKey: string; action: string }[] }).changes.filter((c) => c.action !== 'noop');
    expect(new Set(left.map((c) => c.accountKey))).toEqual(new Set(['initech']));
    expect((await client.accounts.get(DEMO_INITECH_ID))?.lock).toEqual(foreign);
    expect(sandbox.state().accounts.filter((a) => a.accountId !== DEMO_INITECH_ID && LOCK_TAG in a.tags)).toEqual([]);

    const unlock = await cli('force-unlock', 'lease-of-ci-42');
    expect(unlock.code).toBe(0);
    expect(unlock.out).toContain('removed the apply lease of account Initech');
    expect((await client.accounts.get(DEMO_INITECH_ID))?.lock).toBeUndefined();
    expect((await cli('force-unlock', 'lease-of-ci-42')).code).toBe(1);

    expect((await cli('apply', examples, '--auto-approve')).code).toBe(0);
    const done = await cli('plan', examples);
    expect(done.out).toContain('No changes.');
    // A lease on a converged account is neither a change nor drift.
    await client.accounts.setTag(DEMO_INITECH_ID, LOCK_TAG, foreign);
    expect((await cli('plan', examples)).out).toContain('No changes.');
    expect((await cli('drift', examples)).code).toBe(0);
    expect(sandbox.state().accounts.filter((a) => a.accountId !== DEMO_INITECH_ID && LOCK_TAG in a.tags)).toEqual([]);
  });

  it('--lock=false applies without a lease (and writes none); a malformed --lock-timeout is an error', async () => {
    const { cli, client, sandbox } = await setup();
    await client.accounts.setTag(DEMO_INITECH_ID, LOCK_TAG, foreign);
    expect((await cli('apply', examples, '--auto-approve', '--lock=false')).code).toBe(0);
    expect((await cli('plan', examples)).out).toContain('No changes.');
    expect((await client.accounts.get(DEMO_INITECH_ID))?.lock).toEqual(foreign);
    expect(sandbox.state().accounts.filter((a) => a.accountId !== DEMO_INITECH_ID && LOCK_TAG in a.tags)).toEqual([]);
    const bad = await cli('apply', examples, '--auto-approve', '--lock-timeout', 'soon');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--lock-timeout "soon": give a duration');
  });
});
