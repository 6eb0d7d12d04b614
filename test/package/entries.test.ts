/**
 * The package's entry points, loaded by name the way a partner's code loads them (the package
 * references itself through its own `exports`, so these run the built dist/ in a child node):
 * the root does not load the sandbox, `cloudlink-tenancy/sandbox` starts one, and CommonJS can
 * `require()` the entries (Node 20.19+ loads ES modules from require).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve('.');
const work = await mkdtemp(path.join(os.tmpdir(), 'entries-'));
afterAll(async () => rm(work, { recursive: true, force: true }));

/** Runs `code` in a child node from the repository root (where the package can import itself). */
async function node(code: string, options: { type?: 'module' | 'commonjs'; preload?: string[]; env?: Record<string, string> } = {}): Promise<string> {
  const args = [...(options.preload ?? []).flatMap((p) => ['--import', p]), `--input-type=${options.type ?? 'module'}`, '-e', code];
  const { stdout } = await run(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...options.env }, timeout: 60_000 });
  return stdout;
}

/** A loader hook that appends every module URL node loads to `log`. */
async function recordingHook(log: string): Promise<string> {
  const hooks = path.join(work, 'hooks.mjs');
  await writeFile(hooks, ["import { appendFileSync } from 'node:fs';", 'export async function load(url, context, next) {', '  appendFileSync(process.env.LOADED_LOG, url + "\\n");', '  return next(url, context);', '}', ''].join('\n'));
  const register = path.join(work, 'register.mjs');
  await writeFile(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  await writeFile(log, '');
  return pathToFileURL(register).href;
}

describe('the library root', () => {
  it('does not load the sandbox (nor the CLI commands, which carry it)', async () => {
    const log = path.join(work, 'loaded.txt');
    const register = await recordingHook(log);
    const out = await node("const m = await import('cloudlink-tenancy'); console.log(typeof m.createCloudLinkClient, typeof m.planTenancy, 'startSandbox' in m);", { preload: [register], env: { LOADED_LOG: log } });
    expect(out.trim()).toBe('function function false');
    const loaded = (await readFile(log, 'utf8')).split('\n').filter((u) => u.startsWith('file:'));
    const ours = loaded.filter((u) => u.includes('/dist/provider/'));
    expect(ours.length).toBeGreaterThan(10); // the hook really saw the root's modules
    expect(ours.filter((u) => u.includes('/dist/provider/sandbox/') || u.includes('/dist/provider/cli/commands/'))).toEqual([]);
  });
});

describe('cloudlink-tenancy/sandbox', () => {
  it('starts the sandbox for a partner\'s tests and serves the token route', async () => {
    const out = await node(
      [
        "import { startSandbox, DEMO_CREDENTIALS } from 'cloudlink-tenancy/sandbox';",
        "const sandbox = await startSandbox({ port: 0, seed: 'demo' });",
        "const res = await fetch(`${sandbox.authUrl}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'password', username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password }) });",
        'console.log(res.status);',
        'await sandbox.close();',
      ].join('\n'),
    );
    expect(out.trim()).toBe('200');
  });
});

describe('CommonJS', () => {
  it('require() of cloudlink-tenancy/cdktf, /sandbox and the root works from a CommonJS module', async () => {
    const out = await node("const { Tenancy } = require('cloudlink-tenancy/cdktf'); const { startSandbox } = require('cloudlink-tenancy/sandbox'); const root = require('cloudlink-tenancy'); console.log(typeof Tenancy, typeof startSandbox, typeof root.loadTenancy);", { type: 'commonjs' });
    expect(out.trim()).toBe('function function function');
  });
});

describe('examples/typescript/main.ts', () => {
  it('imports the package by name, so a copy of it works in another repository', async () => {
    const source = await readFile('examples/typescript/main.ts', 'utf8');
    expect(source).toContain("from 'cloudlink-tenancy/cdktf'");
    expect(source).not.toMatch(/from '\.\.?\/[^']*provider\//);
  });
});

describe('package.json', () => {
  it('every entry has a default condition (import and require) and types, inside the published files', async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { exports: Record<string, string | Record<string, string>>; files: string[] };
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (entry === './package.json') continue;
      expect(target, entry).toMatchObject({ types: expect.stringMatching(/^\.\/dist\/provider\/.*\.d\.ts$/), default: expect.stringMatching(/^\.\/dist\/provider\/.*\.js$/) });
      expect(Object.keys(target as object), entry).not.toContain('import');
    }
    expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './cdktf', './sandbox', './cli']));
    expect(pkg.files).toContain('dist/provider/');
  });
});

describe('installing before and after the first release', () => {
  it('the README says how to install today (the package is not on the registry) and the release workflow publishes with provenance from a tag', async () => {
    const readme = await readFile('README.md', 'utf8');
    expect(readme).toContain('The package is not on the npm registry yet');
    expect(readme).toMatch(/npm install --save-exact \.\/vendor\/cloudlink-tenancy-0\.1\.0\.tgz/);
    expect(readme).toMatch(/npm install --save-exact git\+https:/);
    expect(readme).not.toMatch(/downloads the package and its\s+dependencies/);
    const release = await readFile('.github/workflows/release.yml', 'utf8');
    expect(release).toMatch(/tags: \['v\*\.\*\.\*'\]/);
    expect(release).toMatch(/id-token: write/);
    expect(release).toMatch(/npm publish --provenance/);
  });
});
