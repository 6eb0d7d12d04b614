import { describe, expect, it } from 'vitest';
import { ensureWelcome } from '../../provider/engine/apply/welcome.js';
import { CloudLinkError } from '../../provider/api/errors.js';
import { createFakeApi } from '../helpers/fake-api.js';

async function oneUser() {
  const api = createFakeApi();
  const account = (await api.accounts.create('p-1', { name: 'A' }, 'a')).value?.accountId ?? '';
  const user = (await api.users.create(account, { email: 'u@a.example', name: 'U' })).value?.userId ?? '';
  return { api, account, user, state: () => api.state.accounts[0]?.users[0] };
}

describe('ensureWelcome: at most one welcome e-mail per user', () => {
  it('claims, reads back, sends and confirms', async () => {
    const { api, account, user, state } = await oneUser();
    expect(await ensureWelcome(api, account, user, { runId: 'r1' })).toBe('updated');
    expect(api.state.outbox).toEqual(['u@a.example']);
    expect(state()).toMatchObject({ welcomeSentOn: expect.any(String) });
    expect(state()?.welcomeUnconfirmed).toBeUndefined();
    expect(await ensureWelcome(api, account, user, { runId: 'r2' })).toBe('unchanged');
    expect(api.state.outbox).toHaveLength(1);
  });

  it('skips a user another run claimed between its claim and its read-back', async () => {
    const { api, account, user } = await oneUser();
    const record = api.users.recordWelcome.bind(api.users);
    api.users.recordWelcome = async (a, u, sentOn, unconfirmed, claim) => {
      await record(a, u, sentOn, unconfirmed, claim);
      if (claim === 'mine') await record(a, u, sentOn, true, 'theirs'); // the other run's claim lands last
    };
    expect(await ensureWelcome(api, account, user, { runId: 'mine' })).toBe('unchanged');
    expect(api.state.outbox).toEqual([]);
  });

  it('takes back a claim whose write failed for good though it landed (nothing was sent), so the next run sends it', async () => {
    const { api, account, user, state } = await oneUser();
    const record = api.users.recordWelcome.bind(api.users);
    api.users.recordWelcome = async (a, u, sentOn, unconfirmed, claim) => {
      await record(a, u, sentOn, unconfirmed, claim);
      if (claim === 'lost') throw new CloudLinkError('network', 'socket hang up (after 8 attempts)', true, { method: 'PUT', sent: true });
    };
    await expect(ensureWelcome(api, account, user, { runId: 'lost' })).rejects.toThrow('socket hang up');
    expect(api.state.outbox).toEqual([]);
    expect(state()?.welcomeSentOn).toBeUndefined();
    expect(await ensureWelcome(api, account, user, { runId: 'next' })).toBe('updated');
    expect(api.state.outbox).toEqual(['u@a.example']);
  });

  it('leaves another run\'s claim alone when its own claim write failed', async () => {
    const { api, account, user, state } = await oneUser();
    const record = api.users.recordWelcome.bind(api.users);
    api.users.recordWelcome = async (a, u, sentOn, unconfirmed, claim) => {
      if (claim !== 'failed') return record(a, u, sentOn, unconfirmed, claim);
      await record(a, u, sentOn, true, 'theirs'); // the other run's claim is what landed
      throw new CloudLinkError('transient', '503 (after 8 attempts)', true, { method: 'PUT', sent: true, status: 503 });
    };
    await expect(ensureWelcome(api, account, user, { runId: 'failed' })).rejects.toThrow('503');
    expect(state()).toMatchObject({ welcomeSentOn: expect.any(String), welcomeClaim: 'theirs' });
  });

  it('puts an earlier record back when a forced resend definitely failed', async () => {
    const { api, account, user, state } = await oneUser();
    expect(await ensureWelcome(api, account, user, { runId: 'first', now: () => new Date('2026-01-02T00:00:00.000Z') })).toBe('updated');
    api.failWhen('users.sendWelcome', () => true, '400 BadRequest');
    await expect(ensureWelcome(api, account, user, { force: true, runId: 'again' })).rejects.toThrow('400 BadRequest');
    expect(state()).toMatchObject({ welcomeSentOn: '2026-01-02T00:00:00.000Z' });
    expect(state()?.welcomeUnconfirmed).toBeUndefined();
    expect(api.state.outbox).toEqual(['u@a.example']);
  });

  it('releases the claim when the send definitely failed, so the next run sends it', async () => {
    const { api, account, user, state } = await oneUser();
    api.failWhen('users.sendWelcome', () => true, '400 BadRequest');
    await expect(ensureWelcome(api, account, user)).rejects.toThrow('400 BadRequest');
    expect(state()?.welcomeSentOn).toBeUndefined();
    expect(await ensureWelcome(api, account, user)).toBe('updated');
    expect(api.state.outbox).toHaveLength(1);
  });

  it('keeps an unconfirmed record after an ambiguous send, never sending a second e-mail', async () => {
    const { api, account, user, state } = await oneUser();
    const send = api.users.sendWelcome.bind(api.users);
    api.users.sendWelcome = async (a, u) => {
      await send(a, u); // the e-mail went out, then the answer was lost
      throw new CloudLinkError('network', 'socket hang up', true, { method: 'POST', sent: true });
    };
    await expect(ensureWelcome(api, account, user)).rejects.toThrow(/may or may not have gone out.*users send-welcome --force --email u@a.example/);
    expect(state()).toMatchObject({ welcomeUnconfirmed: true });
    expect(await ensureWelcome(api, account, user)).toBe('unchanged');
    expect(api.state.outbox).toHaveLength(1);
  });
});
