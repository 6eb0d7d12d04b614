import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTenancy } from '../../provider/load/index.js';
import { parseUsersTemplate } from '../../provider/load/users-csv.js';
import { countryFromName } from '../../provider/model/country-names.js';

describe('country names in any language', () => {
  it('has full ICU data (Node 20 ships it): German names of regions', () => {
    expect(new Intl.DisplayNames(['de'], { type: 'region' }).of('GB')).toBe('Vereinigtes Königreich');
  });

  it.each([
    ['Great Britain', 'GB'],
    ['UK', 'GB'],
    ['United Kingdom', 'GB'],
    ['Vereinigtes Königreich', 'GB'],
    ['Royaume-Uni', 'GB'],
    ['Deutschland', 'DE'],
    ['Allemagne', 'DE'],
    ['germany', 'DE'],
    ['España', 'ES'],
    ['espana', 'ES'],
    ['Schweiz', 'CH'],
    ['Suisse', 'CH'],
    ['Россия', 'RU'],
    ['日本', 'JP'],
    ['USA', 'US'],
    ['United States', 'US'],
    ['Canada', 'CA'],
    ['Österreich', 'AT'],
  ])('%s → %s', (name, code) => expect(countryFromName(name)).toBe(code));

  it('gives no hint for a name of no country', () => {
    expect(countryFromName('Narnia')).toBeUndefined();
    expect(countryFromName('  ')).toBeUndefined();
  });
});

describe('the country field hint', () => {
  it('"Great Britain" gets "did you mean GB"', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'country-'));
    await writeFile(path.join(dir, 't.yaml'), 'apiVersion: tenancy.cloudlink/v1\nkind: Tenancy\npartner: { id: p-1 }\naccounts:\n  - { key: a, name: A, country: Great Britain, language: en-GB }\n');
    const r = await loadTenancy(['t.yaml'], { cwd: dir });
    expect(r.diagnostics.map((d) => d.message)).toContain('accounts[0].country: "Great Britain" is not an ISO 3166 alpha-2 country code; use two capital letters: did you mean "GB"?');
  });
});

describe('the country column of the console template', () => {
  it('"Deutschland" gets "did you mean DE"', () => {
    const r = parseUsersTemplate('First Name,Last Name,Email,Country\nA,B,a@b.example,Deutschland\n', 'users.csv');
    expect(r.diagnostics.map((d) => d.message).join('\n')).toContain('country "Deutschland" is not an ISO 3166 alpha-2 code; use two letters: did you mean "DE"?');
  });
});
