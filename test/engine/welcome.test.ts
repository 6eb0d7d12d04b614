import { describe, expect, it } from 'vitest';
import { ensureWelcome, sendAndRecordWelcome } from '../../provider/engine/apply/welcome.js';
import { welcomeRecorded, welcomeStillDue } from '../../provider/engine/plan/users.js';
import { createFakeApi } from '../helpers/fake-api.js';

async function oneUser() {
  const api = createFakeApi();
  const account = (await api.accounts.create('p-1', { name: 'A' }, 'a')).value?.accountId ?? '';
  const user = (await api.users.create(account, { email: 'u@a.example', name: 'U' })).value?.userId ?? '';
  return { api, account, user, state: () => api.state.accounts[0]?.users[0] };
}

describe('welcome e-mails: send, then record (2 calls, no read)', () => {
  it('sends, then records { welcomeSentOn } with the given clock', async () => {
    const { api, account, user, state } = await oneUser();
    const before = { ...api.calls };
    await sendAndRecordWelcome(api, account, user, { now: () => new Date('2026-01-02T00:00:00.000Z') });
    expect(api.state.outbox).toEqual(['u@a.example']);
    expect(state()).toMatchObject({ welcomeSentOn: '2026-01-02T00:00:00.000Z' });
    expect((api.calls['users.sendWelcome'] ?? 0) - (before['users.sendWelcome'] ?? 0)).toBe(1);
    expect((api.calls['users.recordWelcome'] ?? 0) - (before['users.recordWelcome'] ?? 0)).toBe(1);
    expect(api.calls['users.get'] ?? 0).toBe(before['users.get'] ?? 0);
  });

  it('records nothing when the send fails, so the next run sends it (at least once)', async () => {
    const { api, account, user, state } = await oneUser();
    api.failWhen('users.sendWelcome', () => true, '503 ServiceUnavailable');
    await expect(sendAndRecordWelcome(api, account, user)).rejects.toThrow('503');
    expect(state()?.welcomeSentOn).toBeUndefined();
    await sendAndRecordWelcome(api, account, user);
    expect(api.state.outbox).toEqual(['u@a.example']);
  });

  it('ensureWelcome (users send-welcome) skips a recorded user unless forced', async () => {
    const { api, account, user, state } = await oneUser();
    await sendAndRecordWelcome(api, account, user);
    const u = state();
    if (!u) throw new Error('no user');
    expect(await ensureWelcome(api, u)).toBe('unchanged');
    expect(await ensureWelcome(api, u, { force: true })).toBe('updated');
    expect(api.state.outbox).toHaveLength(2);
  });
});

describe('which users still need a welcome e-mail', () => {
  type U = Parameters<typeof welcomeStillDue>[0];
  const base: U = { verified: false };
  it.each<[U, boolean]>([
    [{ ...base }, true],
    [{ ...base, welcomeSentOn: '2026-01-01T00:00:00Z' }, false],
    // Records of the old claim scheme: the e-mail may never have gone out, so they count as not sent.
    [{ ...base, welcomeSentOn: '2026-01-01T00:00:00Z', welcomeUnconfirmed: true }, true],
    [{ ...base, welcomeSentOn: '2026-01-01T00:00:00Z', welcomeClaim: 'run-1' }, true],
    // Registered users are never mailed by apply.
    [{ verified: true }, false],
  ])('%o → due %s', (u, due) => {
    expect(welcomeStillDue(u)).toBe(due);
    expect(welcomeRecorded(u)).toBe(u.verified ? false : !due);
  });
});
