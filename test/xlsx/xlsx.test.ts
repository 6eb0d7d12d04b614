import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { App } from 'cdktf';
import writeXlsxFile from 'write-excel-file/node';
import { describe, expect, it } from 'vitest';
import { parseUsersTemplate, readUsersTemplate } from '../../provider/load/users-csv.js';
import { parseUsersXlsx } from '../../provider/load/users-xlsx.js';
import { loadTenancy } from '../../provider/load/index.js';
import { formatDiagnostics } from '../../provider/cli/inputs.js';
import { runCli } from '../../provider/cli/run.js';
import { Tenancy } from '../../provider/cdktf/index.js';
import { captureIo } from '../helpers/io.js';

type Cell = string | number | boolean | Date | null;
const HEADER: Cell[] = ['First Name', 'Last Name', 'Name', 'Email', 'Role'];

async function xlsx(rows: Cell[][]): Promise<Buffer> {
  return writeXlsxFile(rows.map((r) => r.map((value) => (value === null ? null : { value })))).toBuffer();
}
const csv = (rows: Cell[][]) => rows.map((r) => r.map((c) => (c === null ? '' : String(c))).join(',')).join('\n');
const lines = (r: { diagnostics: Parameters<typeof formatDiagnostics>[0] }) => formatDiagnostics(r.diagnostics).trimEnd().split('\n').filter(Boolean);

async function tmp(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'xlsx-'));
}

describe("the console's Excel template (.xlsx)", () => {
  const good: Cell[][] = [
    HEADER,
    ['Alice', 'Liddell', null, 'Alice@Acme.example', 'account admin'],
    ['Bob', null, null, 'bob@acme.example', null],
    [null, 'Danvers', null, 'carol@acme.example', 'USER'],
    [null, null, 'Front Desk', 'desk@acme.example', 'Account Admin'],
  ];

  it('reads the same users as the CSV form: names per the console rule, role in any case', async () => {
    const fromXlsx = await parseUsersXlsx(await xlsx(good), 'users.xlsx');
    const fromCsv = parseUsersTemplate(csv(good), 'users.xlsx');
    expect(fromXlsx.diagnostics).toEqual([]);
    expect(fromXlsx.users).toEqual(fromCsv.users);
    expect(fromXlsx.users.map((u) => [u.email, u.firstName, u.lastName, u.name, u.role])).toEqual([
      ['alice@acme.example', 'Alice', 'Liddell', 'Alice Liddell', 'Account Admin'],
      ['bob@acme.example', 'Bob', '', 'Bob', 'User'],
      ['carol@acme.example', '', 'Danvers', 'Danvers', 'User'],
      ['desk@acme.example', '', '', 'Front Desk', 'Account Admin'],
    ]);
  });

  it('applies the same checks with the same file:row:col diagnostics as CSV', async () => {
    const bad: Cell[][] = [
      HEADER,
      ['Ann', 'Able', null, 'ann@acme.example', null],
      ['Bad', 'Mail', null, 'not-an-email', 'User'],
      ['Ann', 'Again', null, 'ANN@acme.example', 'User'],
      ['Ro', 'Le', null, 'role@acme.example', 'Admin'],
      [null, null, null, 'noname@acme.example', null],
      ['Num', 'Ber', null, 42, null],
    ];
    const r = await parseUsersXlsx(await xlsx(bad), 'users.xlsx');
    expect(lines(r)).toEqual(lines(parseUsersTemplate(csv(bad), 'users.xlsx')));
    expect(lines(r)).toEqual([
      'users.xlsx:3:4: "not-an-email" is not a valid e-mail address; write it as name@domain.example',
      'users.xlsx:4:4: e-mail ann@acme.example is already on row 2 of this file; each e-mail may appear once',
      'users.xlsx:5:5: role "Admin" is unknown; leave it blank for User or write "Account Admin" (any case)',
      'users.xlsx:6:1: First Name, Last Name and Name are all empty; the console needs at least one of them',
      'users.xlsx:7:4: "42" is not a valid e-mail address; write it as name@domain.example',
    ]);
  });

  it('keeps the sheet\'s own row and column numbers when the table does not start at A1', async () => {
    const r = await parseUsersXlsx(await xlsx([[], [null, ...HEADER], [null, 'Ann', 'Able', null, 'bad@', null]]), 'offset.xlsx');
    expect(lines(r)).toEqual(['offset.xlsx:3:5: "bad@" is not a valid e-mail address; write it as name@domain.example']);
  });

  it('refuses a file that is not a workbook, a header without Email, and an old .xls, with a diagnostic each', async () => {
    expect(lines(await parseUsersXlsx(Buffer.from('First Name,Last Name\n'), 'fake.xlsx'))[0]).toMatch(/^fake\.xlsx:1: this is not a readable Excel workbook .*save the template as "Excel Workbook \(\.xlsx\)"/);
    expect(lines(await parseUsersXlsx(await xlsx([['First', 'Mail']]), 'h.xlsx'))).toEqual(['h.xlsx:1:1: the header row lacks "Email" and a name column ("First Name", "Last Name" or "Name"); use the console template columns First Name, Last Name, Name, Email, Role']);
    const dir = await tmp();
    await writeFile(path.join(dir, 'old.xls'), 'x');
    expect(lines(await readUsersTemplate(path.join(dir, 'old.xls')))[0]).toMatch(/old binary \.xls workbooks are not read/);
  });

  it('users.fromXlsx in YAML: users merged, problems as file:row:col, fromCsv pointing at a workbook refused', async () => {
    const dir = await tmp();
    await mkdir(path.join(dir, 'users'));
    await writeFile(path.join(dir, 'users', 'acme.xlsx'), await xlsx(good));
    await writeFile(path.join(dir, 'users', 'bad.xlsx'), await xlsx([HEADER, ['A', 'B', null, 'dup@acme.example', null], ['C', 'D', null, 'x@acme.example', 'boss']]));
    const yaml = (users: string) =>
      `apiVersion: tenancy.cloudlink/v1\nkind: Tenancy\npartner: { id: p-1 }\naccounts:\n  - key: acme\n    name: Acme\n    country: CA\n    language: en-US\n    users:\n${users}`;
    await writeFile(path.join(dir, 'good.yaml'), yaml('      items:\n        - { email: zed@acme.example, name: Zed }\n      fromXlsx: users/acme.xlsx\n'));
    const ok = await loadTenancy(['good.yaml'], { cwd: dir });
    expect(ok.diagnostics).toEqual([]);
    expect(ok.tenancy?.accounts[0]?.users.items.map((u) => u.email)).toEqual(['zed@acme.example', 'alice@acme.example', 'bob@acme.example', 'carol@acme.example', 'desk@acme.example']);

    await writeFile(path.join(dir, 'bad.yaml'), yaml('      items:\n        - { email: dup@acme.example, firstName: Dup }\n      fromXlsx: users/bad.xlsx\n'));
    expect(lines(await loadTenancy(['bad.yaml'], { cwd: dir }))).toEqual([
      'users/bad.xlsx:2:4: e-mail dup@acme.example already belongs to another declared user of this account; remove one of the two',
      'users/bad.xlsx:3:5: role "boss" is unknown; leave it blank for User or write "Account Admin" (any case)',
    ]);
    await writeFile(path.join(dir, 'wrong.yaml'), yaml('      fromCsv: users/acme.xlsx\n'));
    expect(lines(await loadTenancy(['wrong.yaml'], { cwd: dir }))).toEqual(['wrong.yaml:10:16: fromCsv "users/acme.xlsx" is an Excel workbook; write it as fromXlsx: users/acme.xlsx']);
  });

  it('csv-to-yaml accepts a workbook; users template writes the Excel and CSV templates and refuses to overwrite', async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, 'acme.xlsx'), await xlsx(good));
    const io = captureIo({ cwd: dir });
    expect(await runCli(['csv-to-yaml', 'acme.xlsx'], io), io.err()).toBe(0);
    expect(io.out()).toContain('- email: desk@acme.example\n    name: Front Desk\n    role: Account Admin');
    expect(io.out()).toContain('- email: bob@acme.example\n    firstName: Bob\n    role: User');

    const t = captureIo({ cwd: dir });
    expect(await runCli(['users', 'template', '--out', 'template.xlsx'], t), t.err()).toBe(0);
    const back = await readUsersTemplate(path.join(dir, 'template.xlsx'));
    expect(back).toEqual({ users: [], diagnostics: [] });
    const { default: readXlsxFile } = await import('read-excel-file/node');
    expect((await readXlsxFile(await readFile(path.join(dir, 'template.xlsx'))))[0]?.data[0]).toEqual(['First Name', 'Last Name', 'Name', 'Email', 'Role']);
    const again = captureIo({ cwd: dir });
    expect(await runCli(['users', 'template', '--out', 'template.xlsx'], again)).toBe(1);
    expect(again.err()).toContain('Refusing to overwrite template.xlsx; pass --force');
    const c = captureIo({ cwd: dir });
    expect(await runCli(['users', 'template', '--out', 'template.csv'], c)).toBe(0);
    expect(await readFile(path.join(dir, 'template.csv'), 'utf8')).toBe('First Name,Last Name,Name,Email,Role\r\n');
    const out = captureIo({ cwd: dir });
    expect(await runCli(['users', 'template'], out)).toBe(0);
    expect(out.out()).toBe('First Name,Last Name,Name,Email,Role\r\n');
  });

  it('account.addUsersFromXlsx() in TypeScript declares the same users and fails synthesis on bad rows', async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, 'acme.xlsx'), await xlsx(good));
    await writeFile(path.join(dir, 'bad.xlsx'), await xlsx([HEADER, ['A', 'B', null, 'nope', null]]));
    const app = new App({ outdir: path.join(dir, 'out') });
    const tenancy = new Tenancy(app, 'northwind', { partnerId: 'p-1' });
    const acme = tenancy.addAccount('acme', { name: 'Acme', country: 'CA', language: 'en-US' });
    expect((await acme.addUsersFromXlsx(path.join(dir, 'acme.xlsx'))).length).toBe(4);
    expect(tenancy.toModel().accounts[0]?.users.items.map((u) => [u.email, u.name, u.role])).toEqual([
      ['alice@acme.example', 'Alice Liddell', 'Account Admin'],
      ['bob@acme.example', 'Bob', 'User'],
      ['carol@acme.example', 'Danvers', 'User'],
      ['desk@acme.example', 'Front Desk', 'Account Admin'],
    ]);
    const globex = tenancy.addAccount('globex', { name: 'Globex', country: 'DE', language: 'de-DE' });
    await globex.addUsersFromXlsx(path.join(dir, 'bad.xlsx'));
    expect(globex.problems().join('\n')).toMatch(/bad\.xlsx:2:4: "nope" is not a valid e-mail address/);
  });
});
