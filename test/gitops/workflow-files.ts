/**
 * Reading the CI examples as data, and running a workflow's `actions/github-script` step the way
 * the action does (an async function of `github`, `context`, `core`, `require`), against a small
 * hand-written fake of the few REST calls the scripts make.
 */
import * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

export const GITHUB_DIR = 'examples/github-actions';
export const GITLAB_FILE = 'examples/gitlab-ci.yml';
export const RELEASE_FILE = '.github/workflows/release.yml';

export interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
export interface Job {
  if?: string;
  environment?: string;
  env?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean } | string;
  steps: Step[];
}
export interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  jobs: Record<string, Job>;
}

/** The GitHub workflow files: examples and this repository's own. */
export async function githubWorkflowFiles(): Promise<string[]> {
  const examples = (await readdir(GITHUB_DIR)).filter((f) => f.endsWith('.yml')).map((f) => path.join(GITHUB_DIR, f));
  return [...examples.sort(), RELEASE_FILE];
}

export async function readWorkflow(file: string): Promise<{ text: string; doc: Workflow }> {
  const text = await readFile(file, 'utf8');
  return { text, doc: parse(text) as Workflow };
}

/** The leading comment block of a YAML file, as one line of text. */
export function headerComment(text: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    lines.push(line.replace(/^#\s?/, ''));
  }
  return lines.join(' ');
}

/** Every step of every job. */
export function allSteps(doc: Workflow): Step[] {
  return Object.values(doc.jobs).flatMap((j) => j.steps ?? []);
}

/** The one github-script step of a workflow whose name matches. */
export function scriptStep(doc: Workflow, name: RegExp): Step & { script: string } {
  const step = allSteps(doc).find((s) => s.uses?.startsWith('actions/github-script@') && name.test(s.name ?? ''));
  if (!step) throw new Error(`no github-script step named ${name}`);
  const script = step.with?.script;
  if (typeof script !== 'string') throw new Error(`step ${step.name} has no script`);
  return { ...step, script };
}

/** A REST call the fake records. */
export interface Call {
  method: string;
  args: Record<string, unknown>;
}

export interface FakeComment {
  id: number;
  user: { login: string; type: string } | null;
  body: string;
}

/** A fake of the octokit calls the example scripts use. */
export function fakeGithub(options: { comments?: FakeComment[]; authenticatedAs?: string; runs?: { id: number; head_sha: string }[]; prsByCommit?: Record<string, { number: number; merged_at: string | null }[]> }) {
  const calls: Call[] = [];
  const record = (method: string, result: unknown) => async (args: Record<string, unknown>) => {
    calls.push({ method, args });
    return { data: typeof result === 'function' ? (result as (a: Record<string, unknown>) => unknown)(args) : result };
  };
  const github = {
    paginate: async (fn: (args: Record<string, unknown>) => Promise<{ data: unknown }>, args: Record<string, unknown>) => (await fn(args)).data,
    rest: {
      users: {
        getAuthenticated: async () => {
          calls.push({ method: 'users.getAuthenticated', args: {} });
          if (!options.authenticatedAs) throw Object.assign(new Error('Resource not accessible by integration'), { status: 403 });
          return { data: { login: options.authenticatedAs } };
        },
      },
      issues: {
        listComments: record('issues.listComments', options.comments ?? []),
        updateComment: record('issues.updateComment', {}),
        createComment: record('issues.createComment', {}),
      },
      actions: { listWorkflowRuns: record('actions.listWorkflowRuns', { workflow_runs: options.runs ?? [] }) },
      repos: { listPullRequestsAssociatedWithCommit: record('repos.listPullRequestsAssociatedWithCommit', (a: Record<string, unknown>) => options.prsByCommit?.[String(a.commit_sha)] ?? []) },
    },
  };
  return { github, calls };
}

/**
 * Runs a github-script step's script as the action does, with `fs` and `child_process` working in
 * `cwd` (the job's work tree) and the step's env plus `env` in process.env.
 */
export async function runGithubScript(script: string, io: { github: unknown; context: Record<string, unknown>; cwd: string; env: Record<string, string> }): Promise<{ warnings: string[]; infos: string[] }> {
  const at = (f: unknown) => (typeof f === 'string' ? path.resolve(io.cwd, f) : f) as string;
  const fsInCwd = { ...fs, existsSync: (f: string) => fs.existsSync(at(f)), readFileSync: (f: string, enc?: BufferEncoding) => fs.readFileSync(at(f), enc) };
  const cpInCwd = { ...childProcess, execFileSync: (cmd: string, args: string[], opts: childProcess.ExecFileSyncOptions = {}) => childProcess.execFileSync(cmd, args, { stdio: 'pipe', ...opts, cwd: io.cwd }) };
  const modules: Record<string, unknown> = { fs: fsInCwd, child_process: cpInCwd };
  const fakeRequire = (name: string) => {
    const m = modules[name.replace(/^node:/, '')];
    if (!m) throw new Error(`the script requires ${name}, which this runner does not provide`);
    return m;
  };
  const warnings: string[] = [];
  const infos: string[] = [];
  const core = { warning: (m: string) => void warnings.push(m), info: (m: string) => void infos.push(m) };
  const saved = { ...process.env };
  Object.assign(process.env, io.env);
  try {
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;
    await new AsyncFunction('require', 'github', 'context', 'core', script)(fakeRequire, io.github, io.context, core);
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
  return { warnings, infos };
}
