import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTenancy } from '../../provider/load/index.js';
import { formatDiagnostics } from '../../provider/cli/inputs.js';

const HERE = path.resolve('test/load');
const expected = JSON.parse(await readFile(path.join(HERE, 'expected.json'), 'utf8')) as Record<string, string[]>;

describe('loader diagnostics (golden)', () => {
  it('has at least 30 distinct bad inputs', () => {
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(30);
  });

  it.each(Object.entries(expected))('%s', async (input, lines) => {
    const result = await loadTenancy([input], { cwd: HERE });
    expect(result.tenancy).toBeUndefined();
    expect(formatDiagnostics(result.diagnostics).trimEnd().split('\n')).toEqual(lines);
  });
});

describe('hostile input', () => {
  const header = 'apiVersion: tenancy.cloudlink/v1\nkind: Tenancy\npartner: { id: p-1 }\n';
  async function load(name: string, content: string | Buffer) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hostile-'));
    await writeFile(path.join(dir, name), content);
    return loadTenancy([name], { cwd: dir });
  }

  it('refuses an alias bomb', async () => {
    const bomb = `${header}a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n`;
    const r = await load('bomb.yaml', bomb);
    expect(r.tenancy).toBeUndefined();
    expect(r.diagnostics.map((d) => d.message).join()).toMatch(/aliases/);
  });

  it('refuses a file over the 32 MB input budget without reading it as YAML', async () => {
    const r = await load('huge.yaml', Buffer.alloc(32 * 1024 * 1024 + 1, 0x20));
    expect(r.diagnostics[0]?.message).toMatch(/over the input budget of 32 MB/);
  });

  it('refuses bytes that are not UTF-8', async () => {
    const r = await load('latin1.yaml', Buffer.concat([Buffer.from(header), Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a])]));
    expect(r.diagnostics[0]?.message).toMatch(/not UTF-8/);
  });

  it('reports a missing path and an empty folder', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'empty-'));
    const r = await loadTenancy(['nope', '.'], { cwd: dir });
    expect(r.diagnostics.map((d) => d.message)).toEqual(['this folder holds no .yaml or .yml files', 'this path does not exist; check the spelling or the working directory']);
  });

  it('reports the problems of every file in one run', async () => {
    const r = await loadTenancy(['bad/06-country-name.yaml', 'bad/10-bad-email.yaml', 'bad/25-tabs.yaml'], { cwd: HERE });
    // Both declare "acme": the cross-file check runs even though each file also has a field error.
    expect(r.diagnostics.map((d) => d.file)).toEqual(['bad/06-country-name.yaml', 'bad/10-bad-email.yaml', 'bad/10-bad-email.yaml', 'bad/25-tabs.yaml']);
    expect(r.diagnostics[1]?.message).toMatch(/account key "acme" is declared twice/);
  });
});
