import { afterEach, describe, expect, it } from 'vitest';
import { createCloudLinkClient } from '../../provider/api/index.js';
import { copyLiveTenant, COPY_ADMIN_EMAIL } from '../../provider/sandbox/from-live.js';
import { DEMO_INITECH_ID, startSandbox, type StateDump } from '../../provider/sandbox/index.js';
import { sandboxWithClient } from '../helpers/sandbox.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

/** What a partner sees of the accounts of partner p-1234, without ids that differ by design. */
function tenantView(state: StateDump) {
  const accounts = state.accounts.filter((a) => a.partnerId === 'p-1234' && a.accountId !== '0a1b2c3d4e5f60718293a4b5c6d7e8f9');
  return accounts
    .map((a) => ({
      accountId: a.accountId,
      accountNumber: a.accountNumber,
      name: a.name,
      tags: a.tags,
      users: state.users
        .filter((u) => u.accountId === a.accountId)
        .map((u) => ({ userId: u.userId, email: u.email, name: u.name, firstName: u.firstName, lastName: u.lastName, role: u.role, verified: u.userVerified, tags: u.tags }))
        .sort((x, y) => x.email.localeCompare(y.email)),
      contacts: state.contacts.filter((c) => c.accountId === a.accountId).map((c) => ({ email: c.email, contactType: c.contactType })),
      integrations: state.integrations.filter((i) => i.accountId === a.accountId).map((i) => i.type).sort(),
      licenses: state.licenses.filter((l) => l.accountId === a.accountId).map((l) => `${l.userId}:${l.product}`).sort(),
    }))
    .sort((x, y) => x.accountId.localeCompare(y.accountId));
}

function ordersView(state: StateDump) {
  return state.orders
    .filter((o) => o.partnerId === 'p-1234')
    .map((o) => ({ trackingNumber: o.trackingNumber, sapOrderId: o.sapOrderId, resellerPo: o.resellerPo, customerPo: o.customerPo, quantity: o.quantity, expiresOn: o.expiresOn, accountId: o.accountId }))
    .sort((x, y) => x.trackingNumber.localeCompare(y.trackingNumber));
}

describe('sandbox --seed-from-live (a copy of live to rehearse on)', () => {
  it('copies accounts, users, licenses, contacts, tags and orders, and no secret', async () => {
    const live = await sandboxWithClient();
    closers.push(live.close);
    // Make "live" richer: apply the examples, so there are created accounts, tags, MiTeam users and assigned orders.
    const applied = await live.cli('apply', 'examples/yaml', '--auto-approve');
    expect(applied.code, applied.err).toBe(0);

    const copy = await copyLiveTenant(live.client);
    const rehearsal = await startSandbox({ seed: copy.seed });
    closers.push(rehearsal.close);
    const before = live.sandbox.state();
    const after = rehearsal.state();
    expect(tenantView(after)).toEqual(tenantView(before));
    expect(ordersView(after)).toEqual(ordersView(before));
    expect(copy.counts.accounts).toBe(3);

    // No password or sipPassword of live is in the copy; its only login is the fresh admin.
    const text = JSON.stringify(after);
    for (const u of before.users) {
      if (u.sipPassword) expect(text).not.toContain(u.sipPassword);
    }
    expect(text).not.toContain('demo-partner-password');
    expect(text).not.toContain('demo-account-password');
    const rehearse = createCloudLinkClient({
      authUrl: rehearsal.authUrl,
      adminUrl: rehearsal.adminUrl,
      billingUrl: rehearsal.billingUrl,
      credentials: { username: copy.login.username, password: copy.login.password },
    });
    closers.push(() => rehearse.close());
    expect((await rehearse.principal.whoami()).partnerId).toBe('p-1234');
    expect(copy.login.username).toBe(COPY_ADMIN_EMAIL);

    // A plan against the copy is the plan against live: nothing to do after that apply.
    const env = { CLOUDLINK_AUTH_URL: rehearsal.authUrl, CLOUDLINK_ADMIN_URL: rehearsal.adminUrl, CLOUDLINK_BILLING_URL: rehearsal.billingUrl, CLOUDLINK_USERNAME: copy.login.username, CLOUDLINK_PASSWORD: copy.login.password };
    const { runCli } = await import('../../provider/cli/run.js');
    const { captureIo } = await import('../helpers/io.js');
    const io = captureIo({ env });
    expect(await runCli(['plan', 'examples/yaml'], io), io.err()).toBe(0);
    expect(io.out()).toContain('No changes.');
  });

  it('copies only the accounts asked for (by id, account number, key or name) and says which matched none', async () => {
    const live = await sandboxWithClient();
    closers.push(live.close);
    const copy = await copyLiveTenant(live.client, { accounts: ['100002', 'no-such-account'] });
    expect(copy.unknownSelectors).toEqual(['no-such-account']);
    expect(copy.seed.accounts?.map((a) => a.accountId)).toEqual([DEMO_INITECH_ID]);
    // Orders assigned to accounts left out are not copied; unassigned ones are.
    expect(copy.seed.orders?.every((o) => o.accountId === null || o.accountId === DEMO_INITECH_ID)).toBe(true);
    const byName = await copyLiveTenant(live.client, { accounts: ['Initech'] });
    expect(byName.seed.accounts?.map((a) => a.name)).toEqual(['Initech']);
  });
});
