/**
 * The package works from a partner's own repository: packed like `npm publish` would, installed
 * into a folder made by `npm init -y` (npm 11 writes `"type": "commonjs"`), `import { Tenancy }
 * from 'cloudlink-tenancy/cdktf'` in a main.ts type-checks (module NodeNext) and synthesizes with
 * `npx tsx main.ts`, plain `require()` of the entries works, and the `cloudlink-tenancy` bin runs.
 * cdktf, constructs and @cdktf/provider-null come in as peer dependencies (from the npm cache
 * after `npm ci`, the registry otherwise).
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve('.');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const work = await mkdtemp(path.join(os.tmpdir(), 'scratch-install-'));

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function sh(cmd: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(cmd, args, { cwd, timeout: 120_000, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${err.stderr ?? ''}\n${err.stdout ?? ''}\n${err.message}`);
  }
}

/** Installs with the cache only when it can, else lets npm reach the registry (the only network this project uses). */
async function install(args: string[], cwd: string): Promise<void> {
  try {
    await sh(NPM, ['install', '--offline', ...args], cwd);
  } catch (offline) {
    try {
      await sh(NPM, ['install', '--prefer-offline', ...args], cwd);
    } catch (online) {
      throw new Error(`cannot install the packed package even with the registry; the npm cache lacks cdktf/constructs/@cdktf/provider-null (run "npm ci" first).\n${(offline as Error).message}\n${(online as Error).message}`);
    }
  }
}

describe('installing the packed package into a fresh folder', () => {
  it('imports cloudlink-tenancy/cdktf, type-checks, synthesizes, and runs the bin', { timeout: 180_000 }, async () => {
    // Pack a fresh build (into a copy, so the repository's own dist/ is left alone).
    const pkg = path.join(work, 'pkg');
    await mkdir(pkg, { recursive: true });
    for (const f of ['package.json', 'README.md', 'schemas', 'examples']) await cp(path.join(ROOT, f), path.join(pkg, f), { recursive: true });
    await sh(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.json'), '--outDir', path.join(pkg, 'dist'), '--sourceMap', 'false', '--noEmitOnError', 'false'], ROOT).catch(() => undefined);
    expect((await readdir(path.join(pkg, 'dist/provider/cdktf'))).includes('index.js')).toBe(true);
    const packed = await sh(NPM, ['pack', '--ignore-scripts', '--pack-destination', work], pkg);
    const tarball = path.join(work, packed.stdout.trim().split('\n').pop() ?? '');

    const proj = path.join(work, 'proj');
    await mkdir(proj);
    await sh(NPM, ['init', '-y'], proj);
    const initialized = JSON.parse(await readFile(path.join(proj, 'package.json'), 'utf8')) as { type?: string };
    expect(initialized.type ?? 'commonjs').toBe('commonjs');
    const tsxVersion = (JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.tsx;
    await install(['--no-audit', '--no-fund', '--ignore-scripts', tarball, `tsx@${tsxVersion}`], proj);
    const installed = JSON.parse(await readFile(path.join(proj, 'node_modules/cloudlink-tenancy/package.json'), 'utf8')) as { peerDependencies?: Record<string, string> };
    expect(Object.keys(installed.peerDependencies ?? {}).sort()).toEqual(['@cdktf/provider-null', 'cdktf', 'constructs']);

    const main = [
      "import { App } from 'cdktf';",
      "import { Tenancy } from 'cloudlink-tenancy/cdktf';",
      "const app = new App({ outdir: 'cdktf.out' });",
      "const tenancy = new Tenancy(app, 'partner', { partnerId: 'p-1234' });",
      "const acme = tenancy.addAccount('acme', { name: 'Acme Corp', country: 'CA', language: 'en-US' });",
      "acme.addUser({ email: 'ann@acme.example', firstName: 'Ann', role: 'account admin' });",
      'app.synth();',
      '',
    ].join('\n');
    await writeFile(path.join(proj, 'main.ts'), main);
    await writeFile(path.join(proj, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, skipLibCheck: true, noEmit: true, types: [] }, include: ['main.ts'] }));
    await sh(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], proj);
    await sh(NPM, ['exec', '--offline', '--', 'tsx', 'main.ts'], proj);
    const required = await sh(process.execPath, ['-e', "console.log(typeof require('cloudlink-tenancy/cdktf').Tenancy, typeof require('cloudlink-tenancy/sandbox').startSandbox)"], proj);
    expect(required.stdout.trim()).toBe('function function');
    const model = JSON.parse(await readFile(path.join(proj, 'cdktf.out/stacks/partner/tenancy.json'), 'utf8')) as { accounts: { users: { items: { role: string; name: string }[] } }[] };
    expect(model.accounts[0]?.users.items[0]).toMatchObject({ role: 'Account Admin', name: 'Ann' });

    const bin = await sh(process.execPath, [path.join(proj, 'node_modules/cloudlink-tenancy/dist/provider/cli/main.js'), '--version'], proj);
    expect(bin.stdout).toMatch(/^cloudlink-tenancy \d+\.\d+\.\d+/);
    const validate = await sh(process.execPath, [path.join(proj, 'node_modules/cloudlink-tenancy/dist/provider/cli/main.js'), 'validate', '--from-cdktf', 'cdktf.out'], proj);
    expect(validate.stdout).toContain('Valid: 1 account, 1 user');
  });
});
