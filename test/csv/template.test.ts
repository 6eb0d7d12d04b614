import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUsersTemplate, readUsersTemplate } from '../../provider/load/users-csv.js';
import { formatDiagnostics } from '../../provider/cli/inputs.js';
import { runCli } from '../../provider/cli/run.js';
import { captureIo } from '../helpers/io.js';

const F = (name: string) => path.join('test/csv/fixtures', name);
const lines = (r: { diagnostics: Parameters<typeof formatDiagnostics>[0] }) => formatDiagnostics(r.diagnostics).trimEnd().split('\n').filter(Boolean);

describe('console bulk-import template', () => {
  it('reads a good template: quoted commas, blank role = User, e-mails normalised', async () => {
    const r = await readUsersTemplate(F('good.csv'));
    expect(r.diagnostics).toEqual([]);
    expect(r.users.map((u) => [u.email, u.name, u.role])).toEqual([
      ['alice@acme.example', 'Alice Liddell', 'Account Admin'],
      ['bob@acme.example', 'Builder, Bob', 'User'],
      ['carol@acme.example', 'Carol Danvers', 'User'],
    ]);
  });

  it('reads a BOM and CRLF line ends, role case-insensitive', async () => {
    const r = await readUsersTemplate(F('bom-crlf.csv'));
    expect(r.diagnostics).toEqual([]);
    expect(r.users.map((u) => [u.firstName, u.role])).toEqual([
      ['Alice', 'User'],
      ['Bob', 'Account Admin'],
    ]);
  });

  it('reads semicolon-separated exports', async () => {
    const r = await readUsersTemplate(F('semicolon.csv'));
    expect(r.users.map((u) => u.name)).toEqual(['Liddell; Alice', 'Bob Builder']);
  });

  it('applies every console check and reports each bad row as file:row', async () => {
    const r = await readUsersTemplate(F('bad-rows.csv'), { existingEmails: new Set(['existing@acme.example']) });
    expect(lines(r)).toEqual([
      'test/csv/fixtures/bad-rows.csv:2:4: "not-an-email" is not a valid e-mail address; write it as name@domain.example',
      'test/csv/fixtures/bad-rows.csv:4:4: e-mail b@acme.example is already on row 3 of this file; each e-mail may appear once',
      'test/csv/fixtures/bad-rows.csv:5:4: e-mail existing@acme.example already belongs to another declared user of this account; remove one of the two',
      'test/csv/fixtures/bad-rows.csv:6:5: role "Owner" is unknown; leave it blank for User or write "Account Admin" (any case)',
      'test/csv/fixtures/bad-rows.csv:7:1: First Name, Last Name and Name are all empty; the console needs at least one of them',
    ]);
    expect(r.users.map((u) => u.email)).toEqual(['b@acme.example']);
  });

  it('names the missing columns of a foreign header', async () => {
    expect(lines(await readUsersTemplate(F('bad-header.csv')))).toEqual([
      'test/csv/fixtures/bad-header.csv:1:1: the header row lacks "Email" and a name column ("First Name", "Last Name" or "Name"); use the console template columns First Name, Last Name, Name, Email, Role',
    ]);
  });

  it('reports broken quoting instead of throwing', async () => {
    const r = await readUsersTemplate(F('bad-quotes.csv'));
    expect(r.users).toEqual([]);
    expect(r.diagnostics[0]?.message).toMatch(/not valid CSV/);
  });

  it('reads the Country and MiTeam extension columns', async () => {
    const r = await readUsersTemplate(F('extensions.csv'));
    expect(r.users.map((u) => [u.email, u.country, u.miteam])).toEqual([
      ['a@acme.example', 'DE', true],
      ['c@acme.example', undefined, false],
    ]);
    expect(lines(r)).toEqual(['test/csv/fixtures/extensions.csv:4:6: MiTeam "maybe" is not yes or no; write yes or no']);
  });

  it('refuses an old .xls with a way forward, and a missing file (CSV or Excel)', async () => {
    expect((await readUsersTemplate('users.xls')).diagnostics[0]?.message).toMatch(/save the template as "Excel Workbook \(\.xlsx\)" or "CSV UTF-8"/);
    expect((await readUsersTemplate('missing.xlsx')).diagnostics[0]?.message).toMatch(/the Excel file does not exist/);
    expect((await readUsersTemplate(F('nope.csv'))).diagnostics[0]?.message).toMatch(/does not exist/);
  });

  it('reads 10,000 rows', () => {
    const rows = ['First Name,Last Name,Name,Email,Role', ...Array.from({ length: 10_000 }, (_, i) => `F${i},L${i},,user${i}@big.example,${i % 10 === 0 ? 'Account Admin' : ''}`)];
    const r = parseUsersTemplate(Buffer.from(rows.join('\r\n')), 'big.csv');
    expect(r.diagnostics).toEqual([]);
    expect(r.users).toHaveLength(10_000);
    expect(r.users.filter((u) => u.role === 'Account Admin')).toHaveLength(1000);
  });

  it('csv-to-yaml prints users in the YAML format', async () => {
    const io = captureIo();
    expect(await runCli(['csv-to-yaml', F('good.csv'), '--miteam'], io)).toBe(0);
    expect(io.out()).toContain('- email: alice@acme.example');
    expect(io.out()).toContain('role: Account Admin');
    expect(io.out()).toContain('miteam: true');
    const bad = captureIo();
    expect(await runCli(['csv-to-yaml', F('bad-rows.csv')], bad)).toBe(1);
    expect(bad.err()).toContain('bad-rows.csv:2:4');
  });

  it('fixtures are byte-exact (BOM and CRLF kept)', async () => {
    const bytes = await readFile(F('bom-crlf.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.includes(Buffer.from('\r\n'))).toBe(true);
  });
});
