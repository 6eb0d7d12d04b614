import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../provider/cli/run.js';
import { commands } from '../../provider/cli/registry.js';
import { commandReferenceMarkdown, README_MARKERS } from '../../provider/cli/options/readme.js';
import { defaultText, flagList, flagWithValue } from '../../provider/cli/options/define.js';
import { captureIo } from '../helpers/io.js';

async function cli(argv: string[], options: Parameters<typeof captureIo>[0] = {}) {
  const io = captureIo(options);
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('help, version and the README command reference', () => {
  it.each(commands.map((c) => c.name))('%s --help lists every option with its meaning and default, and an example', async (name) => {
    const command = commands.find((c) => c.name === name);
    const docs = command?.docs;
    expect(docs, `${name} has option definitions`).toBeDefined();
    const r = await cli([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Usage: cloudlink-tenancy ${name} ${docs?.usage ?? ''}`);
    const lines = r.out.split('\n');
    const options = lines.indexOf('Options:');
    for (const [flag, def] of Object.entries(docs?.options ?? {})) {
      const line = lines.findIndex((l, i) => i > options && l.includes(flagWithValue(flag, def)));
      expect(line, `${name} --help shows --${flag}`).toBeGreaterThanOrEqual(0);
      const text = lines.slice(line, line + 2).join(' ');
      expect(text).toContain(def.meaning);
      const shown = defaultText(def);
      if (shown) expect(text).toContain(`(default: ${shown})`);
    }
    expect(r.out).toMatch(/Examples?:\n {2}cloudlink-tenancy \S+/);
    expect(r.out).toContain('--no-color');
  });

  it("every command's flags are its option definitions (what parseArgs accepts is what help shows)", () => {
    for (const c of commands) {
      expect(new Set(c.flags), c.name).toEqual(new Set(flagList(c.docs?.options ?? {})));
    }
  });

  it('README.md holds the command reference generated from the definitions (run "npm run readme:commands" when this fails)', async () => {
    const readme = await readFile('README.md', 'utf8');
    const start = readme.indexOf(README_MARKERS.start);
    const end = readme.indexOf(README_MARKERS.end);
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start + README_MARKERS.start.length + 1, end)).toBe(commandReferenceMarkdown(commands));
    for (const c of commands) for (const flag of flagList(c.docs?.options ?? {})) expect(readme.slice(start, end)).toContain(flag);
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    expect((await cli(['--version'])).out).toBe(`cloudlink-tenancy ${pkg.version}\n`);
  });

  it('help and unknown flags point at --help', async () => {
    const r = await cli(['orders', '--unasigned']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('unknown option "--unasigned"; did you mean "--unassigned"?');
    expect(r.err).toContain('See "cloudlink-tenancy orders --help"');
    expect((await cli(['help', 'orders'])).out).toContain('--expiring [DAYS]');
  });
});

describe('colour', () => {
  const bad = ['validate', 'test/load/bad/06-country-name.yaml'];
  it('colours on a terminal only, and never with NO_COLOR or --no-color', async () => {
    const esc = /\u001b\[/;
    expect((await cli(bad, { env: {} })).err).not.toMatch(esc);
    const tty = await cli(bad, { env: {}, isTTY: true });
    // captureIo leaves `color` unset: a captured stream is not a terminal.
    expect(tty.err).not.toMatch(esc);
    const io = { ...captureIo({ env: {} }), color: true };
    await runCli(bad, io);
    expect(io.err()).toMatch(esc);
    const noColorEnv = { ...captureIo({ env: { NO_COLOR: '1' } }), color: true };
    await runCli(bad, noColorEnv);
    expect(noColorEnv.err()).not.toMatch(esc);
    const flag = { ...captureIo({ env: {} }), color: true };
    expect(await runCli([...bad, '--no-color'], flag)).toBe(1);
    expect(flag.err()).not.toMatch(esc);
    expect(flag.err()).toContain('"Canada" is not an ISO 3166 alpha-2 country code');
  });
});

describe('validate --format json', () => {
  it('prints the diagnostics as versioned JSON on stdout, every problem in one pass', async () => {
    const r = await cli(['validate', 'test/load/bad/35-one-pass.yaml', '--format', 'json'], { cwd: process.cwd() });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as { formatVersion: number; valid: boolean; errors: number; diagnostics: { severity: string; message: string; file: string; line: number; column: number }[] };
    expect(doc).toMatchObject({ formatVersion: 1, valid: false, errors: 7 });
    expect(doc.diagnostics[0]).toEqual({ severity: 'error', message: 'account "acme": integration "MS Teams!" is not a well-formed type; write lowercase letters, digits and dashes, e.g. miteam-meetings (the plan checks it against the CloudLink catalogue)', file: 'test/load/bad/35-one-pass.yaml', line: 5, column: 10 });
    expect(doc.diagnostics.map((d) => d.message).join('\n')).toMatch(/enables MiTeam.*\n.*"Canada"/);
    const ok = await cli(['validate', 'examples/yaml', '--format', 'json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ valid: true, errors: 0, summary: { partnerId: 'p-1234', accounts: 3 } });
  });
});
