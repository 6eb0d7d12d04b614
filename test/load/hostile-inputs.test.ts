/**
 * Hostile inputs, one table: every entry builds files (symlinks out of the tree, FIFOs, devices,
 * folders named like files, inputs over the shared byte budget, zip bombs, too many rows, bad
 * bytes, reserved tag ids, a hostile tenancy.json …) and names the refusal it must get. Refusals
 * over the budget are asserted through the message (it names the limit), never by timing.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDeflateRaw, crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadDeclaration } from '../../provider/load/declaration.js';
import { INPUT_BUDGET_BYTES } from '../../provider/load/input-file.js';
import type { Diagnostic } from '../../provider/model/types.js';
import { runCli } from '../../provider/cli/run.js';
import { captureIo } from '../helpers/io.js';

const HEADER = 'apiVersion: tenancy.cloudlink/v1\nkind: Tenancy\npartner: { id: p-1 }\n';
const CSV_HEADER = 'First Name,Last Name,Name,Email,Role\n';

/** One account; `users` is the YAML of its users block (indented under `users:`), `extra` more account fields. */
function account(key: string, users = '', extra = ''): string {
  return `  - key: ${key}\n    name: ${key}\n    country: CA\n    language: en-US\n${extra}${users ? `    users:\n${users}` : ''}`;
}
const tenancy = (...accounts: string[]) => `${HEADER}accounts:\n${accounts.join('')}`;
const fromCsv = (file: string) => `      fromCsv: ${file}\n`;
const fromXlsx = (file: string) => `      fromXlsx: ${file}\n`;

/** A zip entry to build; `declared` overrides the size the central directory states. */
interface Entry {
  name: string;
  data: Buffer;
  method?: 0 | 8;
  compressed?: Buffer;
  declared?: number;
  flags?: number;
}

/** A minimal zip writer (local headers, central directory, end record), enough to build hostile workbooks. */
function zip(entries: readonly Entry[], options: { zip64?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const method = e.method ?? 8;
    const body = e.compressed ?? (method === 8 ? deflateRawSync(e.data) : e.data);
    const name = Buffer.from(e.name);
    const size = e.declared ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.flags ?? 0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc32(e.data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, body);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(e.flags ?? 0, 8);
    c.writeUInt16LE(method, 10);
    c.writeUInt32LE(crc32(e.data), 16);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(size, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.zip64 ? 0xffff : entries.length, 8);
  end.writeUInt16LE(options.zip64 ? 0xffff : entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(options.zip64 ? 0xffffffff : offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

/** A raw deflate stream of `megabytes` MB of zeros, built in small pieces (about 1 KB per MB). */
async function deflatedZeros(megabytes: number): Promise<Buffer> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  const mb = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < megabytes; i += 1) if (!deflate.write(mb)) await new Promise((r) => deflate.once('drain', r));
  deflate.end();
  await done;
  return Buffer.concat(out);
}

const sheet = (rows: string) => Buffer.from(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`);

/** A folder `outside` the tree with a secret CSV, and the tree `tree` the tenancy lives in. */
async function world(): Promise<{ root: string; tree: string; outside: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'hostile-'));
  const tree = path.join(root, 'tree');
  const outside = path.join(root, 'elsewhere');
  await mkdir(path.join(tree, 'users'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(outside, 'secret.csv'), `${CSV_HEADER}TOP-SECRET-CONTENT,x,,not-an-email,\n`);
  await writeFile(path.join(outside, 'secret.yaml'), tenancy(account('secret-account')));
  await writeFile(path.join(outside, 'secret.xlsx'), 'TOP-SECRET-CONTENT');
  return { root, tree, outside };
}

const mkfifo = (file: string) => execFileSync('mkfifo', [file]);

/** The canonical form of one account, as cdktf synthesis writes it to tenancy.json. */
function canonicalAccount(overrides: Record<string, unknown> = {}, user: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    key: 'acme',
    name: 'Acme',
    country: 'CA',
    language: 'en-US',
    tags: {},
    accountCreation: 'console',
    protect: false,
    integrations: [],
    ordersPolicy: 'additive',
    orders: [],
    users: { policy: 'authoritative', items: [{ email: 'alice@acme.example', firstName: 'Alice', lastName: 'Liddell', name: 'Alice Liddell', role: 'User', miteam: false, ...user }] },
    welcomeEmail: 'onEnable',
    ...overrides,
  };
}
const tenancyJson = (...accounts: Record<string, unknown>[]) => `${JSON.stringify({ apiVersion: 'tenancy.cloudlink/v1', kind: 'Tenancy', partner: { id: 'p-1' }, accounts }, null, 2)}\n`;

/** Writes a cdktf output folder `out/stacks/t/tenancy.json` in the tree. */
async function cdktfOut(tree: string, text: string): Promise<string> {
  await mkdir(path.join(tree, 'out', 'stacks', 't'), { recursive: true });
  await writeFile(path.join(tree, 'out', 'stacks', 't', 'tenancy.json'), text);
  return 'out';
}

interface Case {
  name: string;
  /** Builds the files in `tree` (cwd) and returns what to load: YAML paths or a cdktf output folder. */
  setup(w: { tree: string; outside: string }): Promise<{ paths?: string[]; fromCdktf?: string }>;
  /** The refusal expected among the error diagnostics. */
  refusal: RegExp;
}

const yamlIn = async (tree: string, text: string, name = 'tenancy.yaml') => {
  await writeFile(path.join(tree, name), text);
  return { paths: [name] };
};

const BUDGET = /over the input budget of 32 MB for all files of one run/;
const OUTSIDE = /outside the folders given on the command line/;

const CASES: Case[] = [
  // YAML files
  {
    name: 'YAML in a folder symlinked out of the tree',
    setup: async ({ tree, outside }) => {
      await mkdir(path.join(tree, 'tenancy'));
      await writeFile(path.join(tree, 'tenancy', 'a.yaml'), tenancy(account('acme')));
      await symlink(path.join(outside, 'secret.yaml'), path.join(tree, 'tenancy', 'b.yaml'));
      return { paths: ['tenancy'] };
    },
    refusal: /resolves to .*elsewhere\/secret\.yaml, outside the folders given/,
  },
  {
    name: 'YAML in a folder symlinked to /dev/zero',
    setup: async ({ tree }) => {
      await mkdir(path.join(tree, 'tenancy'));
      await symlink('/dev/zero', path.join(tree, 'tenancy', 'zero.yaml'));
      return { paths: ['tenancy'] };
    },
    refusal: /resolves to \/dev\/zero, outside the folders given/,
  },
  { name: 'YAML named on the command line that is a symlink to /dev/zero', setup: async ({ tree }) => (await symlink('/dev/zero', path.join(tree, 'zero.yaml')), { paths: ['zero.yaml'] }), refusal: /is a device, not a regular file/ },
  { name: 'YAML named on the command line that is a FIFO', setup: async ({ tree }) => (mkfifo(path.join(tree, 'pipe.yaml')), { paths: ['pipe.yaml'] }), refusal: /is a FIFO \(named pipe\), not a regular file/ },
  {
    name: 'YAML FIFO found in a folder',
    setup: async ({ tree }) => {
      await mkdir(path.join(tree, 'tenancy'));
      mkfifo(path.join(tree, 'tenancy', 'pipe.yml'));
      return { paths: ['tenancy'] };
    },
    refusal: /is a FIFO/,
  },
  { name: 'YAML over the budget (sparse, 33 MB)', setup: async ({ tree }) => (await writeFile(path.join(tree, 'big.yaml'), ''), await truncate(path.join(tree, 'big.yaml'), INPUT_BUDGET_BYTES + 1), { paths: ['big.yaml'] }), refusal: BUDGET },
  {
    name: 'two YAML files of 20 MB each: the shared budget, not a per-file limit',
    setup: async ({ tree }) => {
      for (const n of ['a', 'b']) {
        await writeFile(path.join(tree, `${n}.yaml`), '');
        await truncate(path.join(tree, `${n}.yaml`), 20 * 1024 * 1024);
      }
      return { paths: ['a.yaml', 'b.yaml'] };
    },
    refusal: BUDGET,
  },
  { name: 'YAML in Latin-1', setup: async ({ tree }) => yamlIn(tree, Buffer.concat([Buffer.from(tenancy(account('acme'))), Buffer.from('# caf\xe9\n', 'latin1')]) as unknown as string), refusal: /not UTF-8 text/ },
  { name: 'YAML in UTF-16', setup: async ({ tree }) => yamlIn(tree, Buffer.from(`\ufeff${tenancy(account('acme'))}`, 'utf16le') as unknown as string), refusal: /not UTF-8 text/ },
  {
    name: 'YAML alias bomb',
    setup: async ({ tree }) =>
      yamlIn(tree, `${HEADER}a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`),
    refusal: /expands too many aliases/,
  },
  {
    name: 'YAML alias bomb inside an account',
    setup: async ({ tree }) => yamlIn(tree, `${HEADER}x: &x [a, a, a, a, a, a, a, a, a, a]\ny: &y [*x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x]\n`),
    refusal: /expands too many aliases/,
  },
  // CSV templates
  {
    name: 'fromCsv symlink to a secret file outside the tree (its content is never shown)',
    setup: async ({ tree, outside }) => (await symlink(path.join(outside, 'secret.csv'), path.join(tree, 'users', 'acme.csv')), yamlIn(tree, tenancy(account('acme', fromCsv('users/acme.csv'))))),
    refusal: /fromCsv "users\/acme\.csv" resolves to .*elsewhere\/secret\.csv, outside the folders given/,
  },
  { name: 'fromCsv symlink to /dev/zero', setup: async ({ tree }) => (await symlink('/dev/zero', path.join(tree, 'users', 'acme.csv')), yamlIn(tree, tenancy(account('acme', fromCsv('users/acme.csv'))))), refusal: /resolves to \/dev\/zero, outside/ },
  {
    name: 'fromCsv through a chain of symlinks that ends outside',
    setup: async ({ tree, outside }) => {
      await symlink(path.join(outside, 'secret.csv'), path.join(tree, 'users', 'hop2.csv'));
      await symlink('hop2.csv', path.join(tree, 'users', 'acme.csv'));
      return yamlIn(tree, tenancy(account('acme', fromCsv('users/acme.csv'))));
    },
    refusal: /resolves to .*elsewhere\/secret\.csv, outside/,
  },
  {
    name: 'fromCsv inside a symlinked folder that leads out of the tree',
    setup: async ({ tree, outside }) => (await symlink(outside, path.join(tree, 'linked')), yamlIn(tree, tenancy(account('acme', fromCsv('linked/secret.csv'))))),
    refusal: /resolves to .*elsewhere\/secret\.csv, outside/,
  },
  { name: 'fromCsv with ../ out of the tree', setup: async ({ tree }) => yamlIn(tree, tenancy(account('acme', fromCsv('../elsewhere/secret.csv')))), refusal: /fromCsv "\.\.\/elsewhere\/secret\.csv" points outside the folders given/ },
  { name: 'fromCsv with an absolute path', setup: async ({ tree, outside }) => yamlIn(tree, tenancy(account('acme', fromCsv(path.join(outside, 'secret.csv'))))), refusal: /points outside the folders given/ },
  { name: 'fromCsv that is a FIFO (must not hang)', setup: async ({ tree }) => (mkfifo(path.join(tree, 'users', 'acme.csv')), yamlIn(tree, tenancy(account('acme', fromCsv('users/acme.csv'))))), refusal: /the CSV file is a FIFO \(named pipe\), not a regular file/ },
  { name: 'fromCsv that is a folder named acme.csv', setup: async ({ tree }) => (await mkdir(path.join(tree, 'users', 'acme.csv')), yamlIn(tree, tenancy(account('acme', fromCsv('users/acme.csv'))))), refusal: /the CSV file is a folder, not a regular file/ },
  { name: 'fromCsv that is a dangling symlink', setup: async ({ tree }) => (await symlink('nowhere.csv', path.join(tree, 'users', 'acme.csv')), yamlIn(tree, tenancy(account('acme', fromCsv('users/acme.csv'))))), refusal: /the CSV file does not exist/ },
  {
    name: 'five CSV files of 10 MB in five accounts: refused by the shared budget before any is parsed',
    setup: async ({ tree }) => {
      const accounts: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        const file = path.join(tree, 'users', `a${i}.csv`);
        await writeFile(file, '');
        await truncate(file, 10 * 1024 * 1024);
        accounts.push(account(`a${i}`, fromCsv(`users/a${i}.csv`)));
      }
      return yamlIn(tree, tenancy(...accounts));
    },
    refusal: /fromCsv "users\/a3\.csv": the CSV file is 10485760 bytes, over the input budget of 32 MB for all files of one run/,
  },
  {
    name: 'YAML and CSV together over the budget',
    setup: async ({ tree }) => {
      await writeFile(path.join(tree, 'users', 'big.csv'), '');
      await truncate(path.join(tree, 'users', 'big.csv'), 30 * 1024 * 1024);
      const text = tenancy(account('acme', fromCsv('users/big.csv')));
      await writeFile(path.join(tree, 'tenancy.yaml'), `${text}${'#'.repeat(3 * 1024 * 1024)}\n`);
      return { paths: ['tenancy.yaml'] };
    },
    refusal: BUDGET,
  },
  {
    name: 'CSV with more than 100,000 rows',
    setup: async ({ tree }) => {
      await writeFile(path.join(tree, 'users', 'acme.csv'), CSV_HEADER + 'A,B,,a@b.example,\n'.repeat(100_001));
      return yamlIn(tree, tenancy(account('acme', fromCsv('users/acme.csv'))));
    },
    refusal: /the template has more than 100000 rows/,
  },
  { name: 'CSV in Latin-1', setup: async ({ tree }) => (await writeFile(path.join(tree, 'users', 'acme.csv'), Buffer.from(`${CSV_HEADER}Ren\xe9,X,,r@acme.example,\n`, 'latin1')), yamlIn(tree, tenancy(account('acme', fromCsv('users/acme.csv'))))), refusal: /not UTF-8 text/ },
  { name: 'fromCsv naming a workbook', setup: async ({ tree }) => yamlIn(tree, tenancy(account('acme', fromCsv('users/acme.xlsx')))), refusal: /is an Excel workbook; write it as fromXlsx/ },
  { name: 'fromXlsx naming an old .xls', setup: async ({ tree }) => yamlIn(tree, tenancy(account('acme', fromXlsx('users/acme.xls')))), refusal: /is not an \.xlsx file/ },
  // Excel templates
  {
    name: 'fromXlsx symlink out of the tree',
    setup: async ({ tree, outside }) => (await symlink(path.join(outside, 'secret.xlsx'), path.join(tree, 'users', 'acme.xlsx')), yamlIn(tree, tenancy(account('acme', fromXlsx('users/acme.xlsx'))))),
    refusal: /fromXlsx "users\/acme\.xlsx" resolves to .*elsewhere\/secret\.xlsx, outside/,
  },
  { name: 'fromXlsx that is a FIFO', setup: async ({ tree }) => (mkfifo(path.join(tree, 'users', 'acme.xlsx')), yamlIn(tree, tenancy(account('acme', fromXlsx('users/acme.xlsx'))))), refusal: /the workbook file is a FIFO|the Excel file is a FIFO|is a FIFO/ },
  { name: 'fromXlsx that is a symlink to /dev/zero', setup: async ({ tree }) => (await symlink('/dev/zero', path.join(tree, 'users', 'acme.xlsx')), yamlIn(tree, tenancy(account('acme', fromXlsx('users/acme.xlsx'))))), refusal: /resolves to \/dev\/zero, outside/ },
  {
    name: 'a big .xlsx (sparse, over the budget)',
    setup: async ({ tree }) => (await writeFile(path.join(tree, 'users', 'acme.xlsx'), ''), await truncate(path.join(tree, 'users', 'acme.xlsx'), INPUT_BUDGET_BYTES + 1), yamlIn(tree, tenancy(account('acme', fromXlsx('users/acme.xlsx'))))),
    refusal: BUDGET,
  },
  {
    name: 'an .xlsx zip bomb (64 MB of zeros in about 64 KB)',
    setup: async ({ tree }) => {
      const compressed = await deflatedZeros(64);
      await writeFile(path.join(tree, 'users', 'acme.xlsx'), zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(0), compressed, declared: 64 * 1024 * 1024 }]));
      return yamlIn(tree, tenancy(account('acme', fromXlsx('users/acme.xlsx'))));
    },
    refusal: /unpacks to more than [\d.]+ MB of XML \(a zip bomb or a very large sheet\), over the input budget of 32 MB/,
  },
  {
    name: 'an .xlsx zip bomb that declares a tiny size',
    setup: async ({ tree }) => {
      const compressed = await deflatedZeros(40);
      await writeFile(path.join(tree, 'users', 'acme.xlsx'), zip([{ name: 'xl/sharedStrings.xml', data: Buffer.alloc(0), compressed, declared: 10 }]));
      return yamlIn(tree, tenancy(account('acme', fromXlsx('users/acme.xlsx'))));
    },
    refusal: /unpacks to more than/,
  },
  {
    name: 'an .xlsx with more than 100,000 rows',
    setup: async ({ tree }) => {
      await writeFile(path.join(tree, 'users', 'acme.xlsx'), zip([{ name: 'xl/worksheets/sheet1.xml', data: sheet('<row/>'.repeat(100_002)) }]));
      return yamlIn(tree, tenancy(account('acme', fromXlsx('users/acme.xlsx'))));
    },
    refusal: /this workbook has more than 100000 rows/,
  },
  {
    name: 'an .xlsx with more than 1,000,000 cells',
    setup: async ({ tree }) => {
      await writeFile(path.join(tree, 'users', 'acme.xlsx'), zip([{ name: 'xl/worksheets/sheet1.xml', data: sheet(`<row>${'<c/>'.repeat(1_000_001)}</row>`) }]));
      return yamlIn(tree, tenancy(account('acme', fromXlsx('users/acme.xlsx'))));
    },
    refusal: /more than 1000000 cells/,
  },
  {
    name: 'an .xlsx whose entry is larger than its directory says',
    setup: async ({ tree }) => {
      await writeFile(path.join(tree, 'users', 'acme.xlsx'), zip([{ name: 'xl/workbook.xml', data: Buffer.from('<workbook/>'.repeat(100)), declared: 11 }]));
      return yamlIn(tree, tenancy(account('acme', fromXlsx('users/acme.xlsx'))));
    },
    refusal: /not the size its directory says/,
  },
  { name: 'an .xlsx that is not a zip', setup: async ({ tree }) => (await writeFile(path.join(tree, 'users', 'acme.xlsx'), 'First Name,Email\n'.repeat(10)), yamlIn(tree, tenancy(account('acme', fromXlsx('users/acme.xlsx'))))), refusal: /not a readable Excel workbook/ },
  {
    name: 'an encrypted .xlsx entry',
    setup: async ({ tree }) => (await writeFile(path.join(tree, 'users', 'acme.xlsx'), zip([{ name: 'xl/workbook.xml', data: Buffer.from('<workbook/>'), flags: 1 }])), yamlIn(tree, tenancy(account('acme', fromXlsx('users/acme.xlsx'))))),
    refusal: /encrypted/,
  },
  {
    name: 'a ZIP64 .xlsx',
    setup: async ({ tree }) => (await writeFile(path.join(tree, 'users', 'acme.xlsx'), zip([{ name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }], { zip64: true })), yamlIn(tree, tenancy(account('acme', fromXlsx('users/acme.xlsx'))))),
    refusal: /ZIP64/,
  },
  {
    name: 'an .xlsx holding one part twice',
    setup: async ({ tree }) => {
      const part = { name: 'xl/worksheets/sheet1.xml', data: sheet('<row/>') };
      await writeFile(path.join(tree, 'users', 'acme.xlsx'), zip([part, part]));
      return yamlIn(tree, tenancy(account('acme', fromXlsx('users/acme.xlsx'))));
    },
    refusal: /holds the part "xl\/worksheets\/sheet1\.xml" twice/,
  },
  {
    name: 'an .xlsx compressed with an unknown method',
    setup: async ({ tree }) => {
      await writeFile(path.join(tree, 'users', 'acme.xlsx'), zip([{ name: 'xl/workbook.xml', data: Buffer.from('<workbook/>'), method: 12 as 0, compressed: Buffer.from('BZh9') }]));
      return yamlIn(tree, tenancy(account('acme', fromXlsx('users/acme.xlsx'))));
    },
    refusal: /compression method 12 is not read/,
  },
  // Tags
  { name: 'the identity tag id declared', setup: async ({ tree }) => yamlIn(tree, tenancy(account('acme', '', '    tags: { cloudlink-tenancy: \'{"key":"other"}\' }\n'))), refusal: /tag id "cloudlink-tenancy" is reserved/ },
  { name: 'the lock tag id declared', setup: async ({ tree }) => yamlIn(tree, tenancy(account('acme', '', '    tags: { cloudlink-tenancy-lock: x }\n'))), refusal: /tag id "cloudlink-tenancy-lock" is reserved/ },
  { name: 'a reserved tag id in another case', setup: async ({ tree }) => yamlIn(tree, tenancy(account('acme', '', '    tags: { CloudLink-Tenancy-Next: x }\n'))), refusal: /tag id "CloudLink-Tenancy-Next" is reserved/ },
  { name: 'a __proto__ tag id', setup: async ({ tree }) => yamlIn(tree, tenancy(account('acme', '', '    tags: { __proto__: x, tier: gold }\n'))), refusal: /tag id "__proto__" is not allowed/ },
  // tenancy.json (--from-cdktf)
  { name: 'tenancy.json: an invalid e-mail', setup: async ({ tree }) => ({ fromCdktf: await cdktfOut(tree, tenancyJson(canonicalAccount({}, { email: 'not-an-email' }))) }), refusal: /out\/stacks\/t\/tenancy\.json:\d+:\d+: .*"not-an-email" is not a valid e-mail address/ },
  { name: 'tenancy.json: country Narnia', setup: async ({ tree }) => ({ fromCdktf: await cdktfOut(tree, tenancyJson(canonicalAccount({ country: 'Narnia' }))) }), refusal: /"Narnia" is not an ISO 3166 alpha-2 country code/ },
  { name: 'tenancy.json: language xx_YY!!', setup: async ({ tree }) => ({ fromCdktf: await cdktfOut(tree, tenancyJson(canonicalAccount({ language: 'xx_YY!!' }))) }), refusal: /"xx_YY!!" is not a BCP 47 language tag/ },
  { name: 'tenancy.json: an empty account name', setup: async ({ tree }) => ({ fromCdktf: await cdktfOut(tree, tenancyJson(canonicalAccount({ name: '' }))) }), refusal: /accounts\[0\]\.name: name must not be empty/ },
  { name: 'tenancy.json: a user without any name', setup: async ({ tree }) => ({ fromCdktf: await cdktfOut(tree, tenancyJson(canonicalAccount({}, { firstName: '', lastName: '', name: '' }))) }), refusal: /a user needs at least one of name, firstName or lastName/ },
  { name: 'tenancy.json: a reserved tag id', setup: async ({ tree }) => ({ fromCdktf: await cdktfOut(tree, tenancyJson(canonicalAccount({ tags: { 'cloudlink-tenancy': 'x' } }))) }), refusal: /tag id "cloudlink-tenancy" is reserved/ },
  { name: 'tenancy.json: a __proto__ tag id', setup: async ({ tree }) => ({ fromCdktf: await cdktfOut(tree, '{"apiVersion":"tenancy.cloudlink/v1","kind":"Tenancy","partner":{"id":"p-1"},"accounts":[' + JSON.stringify(canonicalAccount()).replace('"tags":{}', '"tags":{"__proto__":"x"}') + ']}') }), refusal: /tag id "__proto__" is not allowed/ },
  { name: 'tenancy.json: an unknown field', setup: async ({ tree }) => ({ fromCdktf: await cdktfOut(tree, tenancyJson(canonicalAccount({ deleteEverything: true }))) }), refusal: /unknown field "deleteEverything"/ },
  { name: 'tenancy.json: an unknown accountCreation', setup: async ({ tree }) => ({ fromCdktf: await cdktfOut(tree, tenancyJson(canonicalAccount({ accountCreation: 'magic' }))) }), refusal: /accountCreation must be "console" or "api"/ },
  {
    name: 'tenancy.json: the same e-mail twice in an account (any case)',
    setup: async ({ tree }) => {
      const a = canonicalAccount();
      const users = a.users as { items: Record<string, unknown>[] };
      users.items.push({ ...users.items[0], email: 'ALICE@acme.example' });
      return { fromCdktf: await cdktfOut(tree, tenancyJson(a)) };
    },
    refusal: /e-mail alice@acme\.example appears twice in account "acme"/,
  },
  {
    name: 'tenancy.json symlinked out of the output folder',
    setup: async ({ tree, outside }) => {
      await writeFile(path.join(outside, 'tenancy.json'), tenancyJson(canonicalAccount()));
      await mkdir(path.join(tree, 'out', 'stacks', 't'), { recursive: true });
      await symlink(path.join(outside, 'tenancy.json'), path.join(tree, 'out', 'stacks', 't', 'tenancy.json'));
      return { fromCdktf: 'out' };
    },
    refusal: /resolves to .*elsewhere\/tenancy\.json, outside/,
  },
  {
    name: 'tenancy.json that is a FIFO',
    setup: async ({ tree }) => {
      await mkdir(path.join(tree, 'out', 'stacks', 't'), { recursive: true });
      mkfifo(path.join(tree, 'out', 'stacks', 't', 'tenancy.json'));
      return { fromCdktf: 'out' };
    },
    refusal: /is a FIFO/,
  },
  {
    name: 'tenancy.json over the budget',
    setup: async ({ tree }) => {
      await mkdir(path.join(tree, 'out', 'stacks', 't'), { recursive: true });
      await writeFile(path.join(tree, 'out', 'stacks', 't', 'tenancy.json'), '');
      await truncate(path.join(tree, 'out', 'stacks', 't', 'tenancy.json'), INPUT_BUDGET_BYTES + 1);
      return { fromCdktf: 'out' };
    },
    refusal: BUDGET,
  },
];

async function run(c: Case): Promise<{ diagnostics: Diagnostic[]; valid: boolean }> {
  const w = await world();
  const source = await c.setup(w);
  const result = await loadDeclaration({ paths: source.paths ?? [], fromCdktf: source.fromCdktf, cwd: w.tree });
  return { diagnostics: result.diagnostics, valid: result.tenancy !== undefined };
}

describe('hostile inputs (one table)', () => {
  it('has at least 40 hostile inputs', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { diagnostics, valid } = await run(c);
    expect(valid).toBe(false);
    const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file ?? ''}:${d.line ?? ''}:${d.column ?? ''}: ${d.message}`);
    expect(errors.join('\n')).toMatch(c.refusal);
    // What lies outside the tree is never read, so never shown.
    expect(errors.join('\n')).not.toContain('TOP-SECRET-CONTENT');
    expect(errors.join('\n')).not.toContain('secret-account');
  }, 20_000);
});

describe('what stays accepted', () => {
  it('a template symlinked to a file inside the tree, and a YAML file named on the command line wherever its real path is', async () => {
    const w = await world();
    await writeFile(path.join(w.tree, 'users', 'real.csv'), `${CSV_HEADER}Ann,Able,,ann@acme.example,\n`);
    await symlink('real.csv', path.join(w.tree, 'users', 'acme.csv'));
    await writeFile(path.join(w.tree, 'tenancy.yaml'), tenancy(account('acme', fromCsv('users/acme.csv'))));
    const ok = await loadDeclaration({ paths: ['tenancy.yaml'], cwd: w.tree });
    expect(ok.diagnostics).toEqual([]);
    expect(ok.tenancy?.accounts[0]?.users.items.map((u) => u.email)).toEqual(['ann@acme.example']);
    // Named explicitly: the operator chose the file, so its real path may be anywhere (still a regular file only).
    await symlink(path.join(w.outside, 'secret.yaml'), path.join(w.tree, 'named.yaml'));
    const named = await loadDeclaration({ paths: ['named.yaml'], cwd: w.tree });
    expect(named.diagnostics).toEqual([]);
    expect(named.tenancy?.accounts.map((a) => a.key)).toEqual(['secret-account']);
  });

  it('tenancy.json is normalised like YAML: a capitalised e-mail is lower-cased, so an authoritative account converges', async () => {
    const w = await world();
    const dir = await cdktfOut(w.tree, tenancyJson(canonicalAccount({}, { email: 'Alice.Liddell@acme.example' })));
    const r = await loadDeclaration({ paths: [], fromCdktf: dir, cwd: w.tree });
    expect(r.diagnostics).toEqual([]);
    expect(r.tenancy?.accounts[0]?.users.items[0]?.email).toBe('alice.liddell@acme.example');
  });

  it('the same e-mail in two accounts is a warning naming both places; the tenancy stays valid', async () => {
    const w = await world();
    const users = (email: string) => `      items:\n        - { email: ${email}, name: Shared }\n`;
    await writeFile(path.join(w.tree, 'a.yaml'), tenancy(account('acme', users('pat@shared.example'))));
    await writeFile(path.join(w.tree, 'b.yaml'), `apiVersion: tenancy.cloudlink/v1\nkind: Tenancy\naccounts:\n${account('globex', users('Pat@Shared.example'))}`);
    const r = await loadDeclaration({ paths: ['a.yaml', 'b.yaml'], cwd: w.tree });
    expect(r.tenancy).toBeDefined();
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        file: 'b.yaml',
        line: 10,
        message: expect.stringMatching(/^e-mail pat@shared\.example is declared in account "acme" \(a\.yaml:11:20\) and in account "globex" \(b\.yaml:10:20\); CloudLink logins are e-mail based/),
      }),
    ]);
    const io = captureIo({ cwd: w.tree });
    expect(await runCli(['validate', 'a.yaml', 'b.yaml'], io)).toBe(0);
    expect(io.err()).toMatch(/b\.yaml:10:20: .*e-mail pat@shared\.example is declared in account "acme"/);
  });
});

describe('the CSV row count before parsing', () => {
  it('counts records, not line breaks: quoted line breaks and blank lines do not count', async () => {
    const { countCsvRecords } = await import('../../provider/load/users-csv.js');
    expect(countCsvRecords('a,b\r\n"x\ny",z\n\n  \nlast,row', 10)).toBe(3);
    expect(countCsvRecords('h\n"""quoted"" x\n",1\n', 10)).toBe(2);
    expect(countCsvRecords('r\n'.repeat(50), 5)).toBe(6);
  });
});
