/**
 * `npm run test:mutations`: applies each deliberate breakage of test/mutations/mutants.ts, one
 * at a time, to a scratch copy of the repository (a temp dir: the tree without node_modules,
 * dist and .git, with node_modules symlinked), runs the mutant's test files there, and fails
 * unless every mutant is caught (its tests go red) and the unmutated copy is green on the same
 * test files (so a red run means the mutant, not a broken test).
 *
 * Flags: `--only NAME-SUBSTRING` (run matching mutants only), `--keep` (keep the scratch dir).
 * Not part of .ci/run (it runs the fault suites several times); it prints how long it took.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MUTANTS, type Mutant } from './mutants.js';

const { values: flags } = parseArgs({ options: { only: { type: 'string' }, keep: { type: 'boolean', default: false } } });
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const SKIP = new Set(['node_modules', 'dist', '.git', 'test/artifacts', 'cdktf.out', '.sandbox']);

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Runs vitest on some files in the scratch copy; resolves to its exit code and the tail of its output. */
function vitest(cwd: string, config: string, files: string[]): Promise<{ code: number; tail: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(cwd, 'node_modules/vitest/vitest.mjs'), 'run', '--config', config, ...files], {
      cwd,
      env: { ...process.env, FAULTS_PROFILE: 'ci' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => resolve({ code: code ?? 1, tail: out.replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((l) => /FAIL|AssertionError|Error:|✓|×|Tests /.test(l)).slice(0, 12).join('\n') }));
  });
}

/** Compiles the scratch copy's provider into its dist/ (for tests that run the built CLI). */
function build(cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(cwd, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`build failed in the scratch copy:\n${out.slice(0, 2000)}`))));
  });
}

/** Applies a mutant's edits in the scratch copy; returns a function that restores the files exactly. */
async function apply(scratch: string, m: Mutant): Promise<() => Promise<void>> {
  const files = await filesUnder(path.join(scratch, 'provider'));
  const originals = new Map<string, string>();
  for (const edit of m.edits) {
    const hits: string[] = [];
    for (const f of files) {
      const text = originals.get(f) ?? (await readFile(f, 'utf8'));
      if (text.includes(edit.find)) hits.push(f);
    }
    if (hits.length !== 1) throw new Error(`mutant "${m.name}": the anchor ${JSON.stringify(edit.find)} occurs in ${hits.length} files under provider/ (${hits.map((h) => path.relative(scratch, h)).join(', ') || 'none'}); update test/mutations/mutants.ts`);
    const file = hits[0] as string;
    const current = await readFile(file, 'utf8');
    if (current.split(edit.find).length !== 2) throw new Error(`mutant "${m.name}": the anchor occurs more than once in ${path.relative(scratch, file)}`);
    if (!originals.has(file)) originals.set(file, current);
    await writeFile(file, current.replace(edit.find, () => edit.replace));
  }
  return async () => {
    for (const [f, text] of originals) await writeFile(f, text);
  };
}

const started = performance.now();
const mutants = MUTANTS.filter((m) => !flags.only || m.name.includes(flags.only));
const scratch = await mkdtemp(path.join(os.tmpdir(), 'cloudlink-mutations-'));
await cp(ROOT, scratch, { recursive: true, filter: (src) => !SKIP.has(path.relative(ROOT, src)) });
await symlink(path.join(ROOT, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
console.log(`mutation check: ${mutants.length} mutants, scratch copy ${scratch}`);

// Baseline: every test file the mutants use must pass on the unmutated copy.
const byConfig = new Map<string, Set<string>>();
for (const m of mutants) for (const t of m.tests) for (const f of t.files) byConfig.set(t.config, (byConfig.get(t.config) ?? new Set()).add(f));
let baselineOk = true;
if (mutants.some((m) => m.build)) await build(scratch);
for (const [config, files] of byConfig) {
  const t0 = performance.now();
  const r = await vitest(scratch, config, [...files]);
  console.log(`baseline ${config} (${[...files].join(', ')}): ${r.code === 0 ? 'green' : 'RED'} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  if (r.code !== 0) {
    baselineOk = false;
    console.log(r.tail);
  }
}

const results: { name: string; caught: boolean; by: string; seconds: number; error?: string }[] = [];
if (baselineOk) {
  for (const m of mutants) {
    const t0 = performance.now();
    let caught = false;
    let by = '';
    let error: string | undefined;
    try {
      const restore = await apply(scratch, m);
      try {
        if (m.build) await build(scratch);
        for (const t of m.tests) {
          const r = await vitest(scratch, t.config, t.files);
          if (r.code !== 0) {
            caught = true;
            by = `${t.files.join(', ')}: ${r.tail.split('\n').find((l) => /AssertionError|Error:|×/.test(l))?.trim() ?? 'red'}`;
            break;
          }
        }
      } finally {
        await restore();
        if (m.build) await build(scratch);
      }
    } catch (e) {
      error = (e as Error).message;
    }
    const seconds = (performance.now() - t0) / 1000;
    results.push({ name: m.name, caught, by, seconds, ...(error ? { error } : {}) });
    console.log(`${caught ? 'caught  ' : 'SURVIVED'} ${m.name} (${seconds.toFixed(0)} s)${caught ? `\n         by ${by.slice(0, 300)}` : error ? `\n         ${error}` : `\n         ${m.why}; tests still green: ${m.tests.flatMap((t) => t.files).join(', ')}`}`);
  }
}
if (!flags.keep) await rm(scratch, { recursive: true, force: true });
const total = (performance.now() - started) / 1000;
const survived = results.filter((r) => !r.caught);
console.log(`\nmutation check: ${results.filter((r) => r.caught).length} of ${mutants.length} mutants caught${baselineOk ? '' : ' (baseline RED: nothing was mutated)'}; took ${Math.floor(total / 60)} min ${Math.round(total % 60)} s`);
process.exit(baselineOk && survived.length === 0 && results.length === mutants.length ? 0 : 1);
