import { describe, expect, it } from 'vitest';
import { parseShard, selectAccounts } from '../../provider/engine/select.js';
import { desiredAccount, tenancy } from '../helpers/build.js';

describe('account selection', () => {
  const all = tenancy(...Array.from({ length: 200 }, (_, i) => desiredAccount(`customer-${i}`)));

  it('splits accounts into shards whose union is the whole, without overlap', () => {
    for (const count of [1, 2, 3, 7]) {
      const keys = Array.from({ length: count }, (_, i) => selectAccounts(all, { shard: { index: i + 1, count } }).tenancy.accounts.map((a) => a.key)).flat();
      expect(keys.sort()).toEqual(all.accounts.map((a) => a.key).sort());
    }
  });

  it('keeps an account in the same shard however the list is ordered', () => {
    const reversed = { ...all, accounts: [...all.accounts].reverse() };
    const a = selectAccounts(all, { shard: { index: 2, count: 4 } }).tenancy.accounts.map((x) => x.key).sort();
    const b = selectAccounts(reversed, { shard: { index: 2, count: 4 } }).tenancy.accounts.map((x) => x.key).sort();
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(20);
  });

  it.each([
    ['1/1', { index: 1, count: 1 }],
    ['3/4', { index: 3, count: 4 }],
    ['0/4', 'error'],
    ['5/4', 'error'],
    ['x', 'error'],
  ])('parses --shard %s', (text, expected) => {
    const r = parseShard(text);
    if (expected === 'error') expect(typeof r).toBe('string');
    else expect(r).toEqual(expected);
  });

  it('selects by key and reports unknown keys', () => {
    const r = selectAccounts(all, { accounts: ['customer-3', 'nope'] });
    expect(r.tenancy.accounts.map((a) => a.key)).toEqual(['customer-3']);
    expect(r.unknownKeys).toEqual(['nope']);
  });
});
