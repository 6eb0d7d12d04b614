/**
 * The GitHub workflow examples behave as the README's GitOps section says: every apply is
 * level-based and in one concurrency group, the plan comment is the bot's own and says when the
 * plan failed, and the apply result goes back to the merged pull requests.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allSteps, fakeGithub, GITHUB_DIR, headerComment, readWorkflow, runGithubScript, scriptStep, type Workflow } from './workflow-files.js';

const APPLY_GROUP = 'cloudlink-tenancy-apply';
const files = ['apply-on-merge.yml', 'nightly-drift.yml', 'plan-on-pr.yml', 'sharded.yml'].map((f) => path.join(GITHUB_DIR, f));
const workflows = new Map<string, { text: string; doc: Workflow }>();
for (const f of files) workflows.set(path.basename(f), await readWorkflow(f));
const wf = (name: string) => {
  const w = workflows.get(name);
  if (!w) throw new Error(name);
  return w;
};

const work = await mkdtemp(path.join(os.tmpdir(), 'gitops-'));
afterAll(async () => rm(work, { recursive: true, force: true }));

/** Runs of the CLI's network commands in a step. */
const talksToCloudLink = (run: string | undefined) => /cloudlink-tenancy\s+(plan|apply|drift)\b/.test(run ?? '');

describe('every workflow that applies', () => {
  it.each(files)('%s: an apply runs in the one apply concurrency group, never cancelled in progress', (file) => {
    const { doc } = wf(path.basename(file));
    for (const [name, job] of Object.entries(doc.jobs)) {
      if (!job.steps.some((s) => /cloudlink-tenancy\s+apply\b/.test(s.run ?? ''))) continue;
      const group = doc.concurrency ?? (typeof job.concurrency === 'object' ? job.concurrency : undefined);
      expect(group, `${file} job ${name} applies outside any concurrency group`).toBeDefined();
      expect(group?.group, `${file} job ${name}`).toContain(APPLY_GROUP);
      expect(group?.['cancel-in-progress'], `${file} job ${name}`).toBe(false);
    }
  });

  it.each(files)('%s: applies check out the tip of the default branch (level-based; a re-run never rolls back)', (file) => {
    const { doc } = wf(path.basename(file));
    for (const job of Object.values(doc.jobs)) {
      if (!job.steps.some((s) => /cloudlink-tenancy\s+apply\b/.test(s.run ?? ''))) continue;
      const checkout = job.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
      expect(checkout?.with?.ref).toBe('${{ github.event.repository.default_branch }}');
      expect(job.environment).toBe('cloudlink-production');
    }
  });

  it.each(files)('%s: every job that talks to CloudLink sets CLOUDLINK_ACCOUNT_ID (the client_credentials grant needs account_id)', (file) => {
    const { doc } = wf(path.basename(file));
    for (const [name, job] of Object.entries(doc.jobs)) {
      if (!job.steps.some((s) => talksToCloudLink(s.run))) continue;
      expect(job.env?.CLOUDLINK_ACCOUNT_ID, `${file} job ${name}`).toBe('${{ vars.CLOUDLINK_ACCOUNT_ID }}');
    }
  });

  it('a plan or drift run of sharded.yml stays out of the apply group (a pending one must not push out a pending apply)', () => {
    const group = wf('sharded.yml').doc.concurrency?.group ?? '';
    expect(group).toMatch(/inputs\.command == 'apply' && 'cloudlink-tenancy-apply' \|\|/);
  });
});

describe('apply-on-merge.yml is level-based', () => {
  const { doc, text } = wf('apply-on-merge.yml');

  it('runs on pushes to main, plans there, then applies exactly that plan; no saved PR plan', () => {
    expect(Object.keys(doc.on)).toContain('push');
    expect(doc.on.pull_request).toBeUndefined();
    const steps = allSteps(doc);
    expect(steps.some((s) => s.uses?.includes('download-artifact'))).toBe(false);
    const run = steps.map((s) => s.run ?? '').join('\n');
    const plan = run.search(/cloudlink-tenancy plan tenancy\/ [^\n]*--out plan\.json/);
    const apply = run.search(/cloudlink-tenancy apply tenancy\/ --plan plan\.json/);
    expect(plan).toBeGreaterThanOrEqual(0);
    expect(apply).toBeGreaterThan(plan);
  });

  it('says so in its comments, with why a dropped pending run is covered', () => {
    const header = headerComment(text);
    expect(header).toMatch(/level-based/);
    expect(header).toMatch(/cancels the pending one/);
    expect(header).toMatch(/dropped/);
    expect(header).toContain(APPLY_GROUP);
  });

  it('posts the result to every pull request merged since the last successful apply, including a dropped run\'s', async () => {
    // A main with three merges: A (applied by the last successful run), B (its run was dropped while pending), C (this run).
    const repo = path.join(work, 'main');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.test' } }).trim();
    execFileSync('git', ['init', '-q', repo]);
    const shas: string[] = [];
    for (const pr of ['A', 'B', 'C']) {
      await writeFile(path.join(repo, `${pr}.txt`), pr);
      git('add', '.');
      git('commit', '-q', '-m', `merge ${pr}`);
      shas.push(git('rev-parse', 'HEAD'));
    }
    const [a, b, c] = shas as [string, string, string];
    await writeFile(path.join(repo, 'plan.md'), '<!-- cloudlink-tenancy:plan -->\n**Plan: 1 to create, 0 to update, 0 to delete.**\n');
    await writeFile(path.join(repo, 'apply.log'), 'Apply complete: 1 created.\n');
    const { github, calls } = fakeGithub({
      runs: [{ id: 7, head_sha: a }],
      prsByCommit: { [a]: [{ number: 1, merged_at: 'x' }], [b]: [{ number: 2, merged_at: 'x' }], [c]: [{ number: 3, merged_at: 'x' }, { number: 9, merged_at: null }] },
    });
    const step = scriptStep(doc, /result/i);
    expect(step.if).toBe('always()');
    await runGithubScript(step.script, {
      github,
      cwd: repo,
      context: { repo: { owner: 'o', repo: 'r' }, runId: 8, serverUrl: 'https://github.example', payload: { before: b } },
      env: { APPLIED_SHA: c, PLAN_EXIT: '2', APPLY_EXIT: '0', GITHUB_WORKFLOW_REF: 'o/r/.github/workflows/apply-on-merge.yml@refs/heads/main' },
    });
    const posted = calls.filter((k) => k.method === 'issues.createComment');
    expect(posted.map((k) => k.args.issue_number).sort()).toEqual([2, 3]);
    expect(String(posted[0]?.args.body)).toMatch(/CloudLink tenancy apply: Applied\./);
    expect(String(posted[0]?.args.body)).toContain(c);
    expect(String(posted[0]?.args.body)).toContain('Apply complete: 1 created.');
  });
});

describe('plan-on-pr.yml: one comment, the bot\'s own, never stale', () => {
  const { doc } = wf('plan-on-pr.yml');
  const step = scriptStep(doc, /comment/i);
  const context = { repo: { owner: 'o', repo: 'r' }, issue: { number: 5 }, runId: 4, serverUrl: 'https://github.example', payload: { pull_request: { head: { sha: 'abc123' } } } };
  const marker = '<!-- cloudlink-tenancy:plan -->';

  it('runs even when the plan step failed', () => {
    expect(step.if).toBe('always()');
  });

  it('updates the comment the token\'s user wrote, not another comment carrying the marker', async () => {
    const dir = path.join(work, 'pr-ok');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'plan.md'), `${marker}\n**Plan: 2 to create.**\n`);
    const comments = [
      { id: 11, user: { login: 'mallory', type: 'User' }, body: `quoting ${marker} here` },
      { id: 12, user: { login: 'github-actions[bot]', type: 'Bot' }, body: `${marker}\nold plan` },
    ];
    const { github, calls } = fakeGithub({ comments });
    await runGithubScript(step.script, { github, context, cwd: dir, env: { PLAN_EXIT: '2' } });
    const updates = calls.filter((k) => k.method === 'issues.updateComment');
    expect(updates.map((k) => k.args.comment_id)).toEqual([12]);
    expect(String(updates[0]?.args.body)).toContain('**Plan: 2 to create.**');
    expect(calls.some((k) => k.method === 'issues.createComment')).toBe(false);

    // With a personal token, the comment is that user's.
    const asUser = fakeGithub({ comments: [...comments, { id: 13, user: { login: 'ci-user', type: 'User' }, body: `${marker}\nold` }], authenticatedAs: 'ci-user' });
    await runGithubScript(step.script, { github: asUser.github, context, cwd: dir, env: { PLAN_EXIT: '0' } });
    expect(asUser.calls.filter((k) => k.method === 'issues.updateComment').map((k) => k.args.comment_id)).toEqual([13]);
  });

  it('creates a new comment when only someone else\'s carries the marker', async () => {
    const dir = path.join(work, 'pr-ok');
    const { github, calls } = fakeGithub({ comments: [{ id: 11, user: { login: 'mallory', type: 'User' }, body: marker }] });
    await runGithubScript(step.script, { github, context, cwd: dir, env: { PLAN_EXIT: '2' } });
    expect(calls.filter((k) => k.method === 'issues.updateComment')).toEqual([]);
    expect(calls.filter((k) => k.method === 'issues.createComment')).toHaveLength(1);
  });

  it('replaces the previous plan with "plan failed" and the error when validate or plan exits 1', async () => {
    const dir = path.join(work, 'pr-failed');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'plan.md'), `${marker}\n**Plan: 9 to create.** (stale, from before)\n`);
    await writeFile(path.join(dir, 'plan-error.txt'), 'tenancy/acme.yaml:4:3: error: country: "Canada" is not an ISO 3166 alpha-2 code ```\n');
    const { github, calls } = fakeGithub({ comments: [{ id: 12, user: { login: 'github-actions[bot]', type: 'Bot' }, body: `${marker}\nold plan` }] });
    await runGithubScript(step.script, { github, context, cwd: dir, env: { PLAN_EXIT: '1' } });
    const body = String(calls.find((k) => k.method === 'issues.updateComment')?.args.body);
    expect(body).toContain(marker);
    expect(body).toMatch(/plan failed/i);
    expect(body).toContain('exit 1');
    expect(body).toContain('"Canada" is not an ISO 3166');
    expect(body).not.toContain('9 to create');
    // The error sits in a fence longer than any backtick run inside it.
    expect(body).toContain('````text\n');
  });

  it('the job still fails after posting a failed or refused plan', () => {
    const last = doc.jobs.plan?.steps.at(-1);
    expect(last?.if).toMatch(/steps\.plan\.outputs\.exit != '0' && steps\.plan\.outputs\.exit != '2'/);
  });
});
