import { describe, expect, it } from 'vitest';
import { FirstWriteGate, NotKeptError, type Verdict } from '../../provider/engine/apply/kept-gate.js';
import { keptWrites } from '../../provider/engine/apply/kept.js';
import type { CloudLinkApi } from '../../provider/api/client-types.js';
import { createFakeApi } from '../helpers/fake-api.js';

const kept: Verdict = { wrote: true, mismatches: [] };
const dropped: Verdict = { wrote: true, mismatches: [{ field: 'language', sent: 'de-DE', live: 'en-US' }] };

describe('the first-write gate', () => {
  it('holds every other write of a kind until the first is read back, then refuses them unsent when it was not kept', async () => {
    const gate = new FirstWriteGate();
    const sent: number[] = [];
    let answer: () => void = () => undefined;
    const slow = new Promise<void>((r) => (answer = r));
    const first = gate.run('account update', { what: () => 'account acme', write: async () => { sent.push(1); await slow; return 1; }, check: () => Promise.resolve(dropped), correlationOf: () => 'c-1' });
    const second = gate.run('account update', { what: () => 'account globex', write: () => { sent.push(2); return Promise.resolve(2); }, check: () => Promise.resolve(kept) });
    const other = gate.run('contact', { what: () => 'contact', write: () => { sent.push(3); return Promise.resolve(3); }, check: () => Promise.resolve(kept) });
    await other;
    expect(sent).toEqual([1, 3]);
    answer();
    await expect(first).rejects.toThrow('CloudLink did not keep: account acme language (sent de-DE, live en-US), correlation id c-1');
    await expect(second).rejects.toThrow('not sent: the first account update of this run was not kept by CloudLink (account acme language (sent de-DE, live en-US))');
    expect(sent).toEqual([1, 3]);
    await expect(second).rejects.toBeInstanceOf(NotKeptError);
  });

  it('reads back only the first write once it was kept; a failed write or read-back leaves the next one to be read back', async () => {
    const gate = new FirstWriteGate();
    let checks = 0;
    const check = (): Promise<Verdict> => {
      checks += 1;
      return checks === 1 ? Promise.reject(new Error('read failed')) : Promise.resolve(kept);
    };
    await expect(gate.run('tag', { what: () => 'x', write: () => Promise.reject(new Error('409')), check })).rejects.toThrow('409');
    expect(gate.state('tag')).toBe('open');
    await gate.run('tag', { what: () => 'x', write: () => Promise.resolve(1), check });
    expect(gate.state('tag')).toBe('open');
    await gate.run('tag', { what: () => 'x', write: () => Promise.resolve(2), check });
    expect(gate.state('tag')).toBe('kept');
    await gate.run('tag', { what: () => 'x', write: () => Promise.resolve(3), check });
    expect(checks).toBe(2);
  });
});

describe('keptWrites over a client that drops what it is sent', () => {
  it('names a licence, a contact name and a tag value the service did not keep', async () => {
    const fake = createFakeApi();
    const account = await fake.accounts.create('p-1', { name: 'Acme', language: 'en-US' }, 'acme');
    const accountId = account.value?.accountId ?? '';
    const user = (await fake.users.create(accountId, { email: 'a@acme.example', name: 'A' })).value?.userId ?? '';
    // A service that answers every write as done and keeps nothing.
    const forgetful: CloudLinkApi = {
      ...fake,
      billing: { ...fake.billing, enable: () => Promise.resolve({ outcome: 'created' }) },
      contacts: { ...fake.contacts, add: (id, c) => fake.contacts.add(id, { email: c.email, type: c.type }) },
      accounts: { ...fake.accounts, setTag: () => Promise.resolve({ outcome: 'updated' }) },
    };
    const api = keptWrites(forgetful).forAccount('acme');
    await expect(api.billing.enable(accountId, user, 'miteam-meetings')).rejects.toThrow(`CloudLink did not keep: user ${user} in account acme licence miteam-meetings (sent enabled, live disabled)`);
    await expect(api.contacts.add(accountId, { email: 'support@northwind.example', name: 'Support', type: 'SUPPORT' })).rejects.toThrow('CloudLink did not keep: contact support@northwind.example of account acme name (sent Support, live (none))');
    await expect(api.accounts.setTag(accountId, 'tier', 'gold')).rejects.toThrow('CloudLink did not keep: account acme tag tier (sent gold, live (none))');
    await expect(api.accounts.setTag(accountId, 'region', 'eu')).rejects.toThrow('not sent: the first tag of this run');
  });
});
