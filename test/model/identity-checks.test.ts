import { describe, expect, it } from 'vitest';
import { checkIdentities } from '../../provider/model/identity-checks.js';
import type { DesiredAccount } from '../../provider/model/types.js';
import { desiredAccount } from '../helpers/build.js';

const a = (key: string, over: Partial<DesiredAccount> = {}, line = 1) => desiredAccount(key, { source: { file: `${key}.yaml`, line, column: 5 }, ...over });

describe('validate finds offline what would bind one live account twice', () => {
  it.each<[string, DesiredAccount[], string[]]>([
    ['distinct names and keys', [a('acme', { name: 'Acme' }), a('globex', { name: 'Globex' })], []],
    ['the same name twice', [a('initech', { name: 'Initech' }), a('initech-copy', { name: 'Initech' }, 3)], ['account_name_twice']],
    ['the same name up to case and spaces', [a('hooli', { name: 'Hooli Inc' }), a('hooli-2', { name: ' hooli  INC' })], ['account_name_twice']],
    ['the same name, one adopting (the other still binds it by name)', [a('initech', { name: 'Initech', adopt: { accountId: 'X' } }), a('copy', { name: 'Initech' })], ['account_name_twice']],
    ['the same name, both adopting (no name binding)', [a('one', { name: 'Same', adopt: { accountId: 'X' } }), a('two', { name: 'Same', adopt: { accountId: 'Y' } })], []],
    ['one key twice is reported as a key clash, not also as a name clash', [a('acme', { name: 'Acme' }), a('acme', { name: 'Acme' })], []],
    ['a previous key another account still has as its key', [a('acme', { name: 'Acme' }), a('acme-copy', { name: 'Acme Copy', previousKeys: ['acme'] })], ['previous_key_declared']],
    ['one previous key in two accounts', [a('one', { name: 'One', previousKeys: ['old'] }), a('two', { name: 'Two', previousKeys: ['old'] })], ['previous_key_twice']],
    ['its own previous keys only', [a('globex-corp', { name: 'Globex', previousKeys: ['globex', 'globex-old'] })], []],
  ])('%s', (_what, accounts, codes) => {
    const found = checkIdentities(accounts);
    expect(found.map((d) => d.code)).toEqual(codes);
    for (const d of found) {
      expect(d.severity).toBe('error');
      // Names both places: file:line:column of each declaration.
      expect(d.message.match(/\.yaml:\d+:\d+/g)?.length).toBe(2);
    }
  });
});
