/**
 * examples/gitlab-ci.yml: the merge request's plan note is updated in place (the token user's
 * own note), says when the plan failed, and the apply is level-based and reports to the merged
 * merge request. The note helper the file writes (note.mjs) is run for real against a small
 * fake of the four GitLab REST routes it uses, on loopback.
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { GITLAB_FILE, headerComment } from './workflow-files.js';

const run = promisify(execFile);
const text = await readFile(GITLAB_FILE, 'utf8');
interface GitlabJob {
  stage?: string;
  rules?: { if: string }[];
  before_script?: string[];
  script?: (string | string[])[];
  resource_group?: string;
  environment?: string;
}
const doc = parse(text) as Record<string, unknown> & { default: { before_script: string[] }; stages: string[] };
const job = (name: string) => doc[name] as GitlabJob;
const scriptOf = (name: string) => (job(name).script ?? []).flat().join('\n');
const marker = '<!-- cloudlink-tenancy:plan -->';

const work = await mkdtemp(path.join(os.tmpdir(), 'gitlab-ci-'));
afterAll(async () => rm(work, { recursive: true, force: true }));

/** The note helper exactly as the jobs write it (the heredoc in `.note-helper`, a script list GitLab flattens into the jobs' scripts). */
async function writeNoteHelper(dir: string): Promise<string> {
  const helper = (doc['.note-helper'] as unknown[] | undefined)?.[0];
  if (typeof helper !== 'string') throw new Error('examples/gitlab-ci.yml has no .note-helper script');
  const m = /<<'EOF'\n([\s\S]*?)\nEOF\n?$/.exec(helper);
  if (!m?.[1]) throw new Error('.note-helper does not write note.mjs with a quoted heredoc');
  const file = path.join(dir, 'note.mjs');
  await writeFile(file, m[1]);
  return file;
}

interface Note {
  id: number;
  author: { id: number };
  body: string;
  system: boolean;
}
/** GitLab's notes API, the bits note.mjs uses: the token's user is id 42. */
async function fakeGitlab(notes: Note[], mergeRequestsOfCommit: { iid: number; state: string }[] = []) {
  const calls: { method: string; url: string; body?: { body: string } }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const url = req.url ?? '';
      calls.push({ method: req.method ?? '', url, ...(raw ? { body: JSON.parse(raw) as { body: string } } : {}) });
      const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      if (req.headers['private-token'] !== 'note-token') return send(401, { message: '401 Unauthorized' });
      if (req.method === 'GET' && url === '/api/v4/user') return send(200, { id: 42 });
      const list = /^\/api\/v4\/projects\/7\/merge_requests\/3\/notes\?per_page=100&page=(\d+)$/.exec(url);
      if (req.method === 'GET' && list) {
        const page = Number(list[1]);
        // Two pages of one note each: the helper must follow x-next-page.
        return send(200, notes.slice(page - 1, page), page < notes.length ? { 'x-next-page': String(page + 1) } : {});
      }
      if (req.method === 'PUT' && /^\/api\/v4\/projects\/7\/merge_requests\/3\/notes\/\d+$/.test(url)) return send(200, {});
      if (req.method === 'POST' && /^\/api\/v4\/projects\/7\/merge_requests\/\d+\/notes$/.test(url)) return send(201, {});
      if (req.method === 'GET' && url === '/api/v4/projects/7/repository/commits/c0ffee/merge_requests') return send(200, mergeRequestsOfCommit);
      return send(404, { message: '404 Not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { calls, url: `http://127.0.0.1:${port}/api/v4`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function note(dir: string, api: string, args: string[]) {
  const file = await writeNoteHelper(dir);
  const env = { PATH: process.env.PATH ?? '', CI_API_V4_URL: api, CI_PROJECT_ID: '7', CI_MERGE_REQUEST_IID: '3', CI_COMMIT_SHA: 'c0ffee', CI_DEFAULT_BRANCH: 'main', APPLIED_SHA: 'beef', CI_JOB_URL: 'https://gitlab.example/j/1', GITLAB_NOTE_TOKEN: 'note-token' };
  return run(process.execPath, [file, ...args], { cwd: dir, env });
}

describe('GitLab plan note', () => {
  it('updates the token user\'s note (following pages), not another user\'s note with the marker', async () => {
    const dir = await mkdtemp(path.join(work, 'plan-'));
    await writeFile(path.join(dir, 'plan.md'), `${marker}\n**Plan: 3 to create.**\n`);
    const api = await fakeGitlab([
      { id: 1, author: { id: 5 }, body: `copied ${marker}`, system: false },
      { id: 2, author: { id: 42 }, body: `${marker}\nold`, system: false },
    ]);
    try {
      await note(dir, api.url, ['plan', '2']);
      const writes = api.calls.filter((c) => c.method !== 'GET');
      expect(writes.map((c) => `${c.method} ${c.url}`)).toEqual(['PUT /api/v4/projects/7/merge_requests/3/notes/2']);
      expect(writes[0]?.body?.body).toContain('**Plan: 3 to create.**');
      expect(writes[0]?.body?.body).toContain('c0ffee');
    } finally {
      await api.close();
    }
  });

  it('creates the note when it has none yet', async () => {
    const dir = await mkdtemp(path.join(work, 'plan-'));
    await writeFile(path.join(dir, 'plan.md'), `${marker}\nNo changes.\n`);
    const api = await fakeGitlab([{ id: 1, author: { id: 5 }, body: marker, system: false }]);
    try {
      await note(dir, api.url, ['plan', '0']);
      expect(api.calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.url}`)).toEqual(['POST /api/v4/projects/7/merge_requests/3/notes']);
    } finally {
      await api.close();
    }
  });

  it('says "plan failed" with the error when validate or plan exits 1', async () => {
    const dir = await mkdtemp(path.join(work, 'plan-'));
    await writeFile(path.join(dir, 'plan.md'), `${marker}\n**Plan: 9 to create.**\n`);
    await writeFile(path.join(dir, 'plan-error.txt'), 'tenancy/acme.yaml:2:1: error: unknown field "contry"\n');
    const api = await fakeGitlab([{ id: 2, author: { id: 42 }, body: `${marker}\nold`, system: false }]);
    try {
      await note(dir, api.url, ['plan', '1']);
      const body = api.calls.find((c) => c.method === 'PUT')?.body?.body ?? '';
      expect(body).toContain(marker);
      expect(body).toMatch(/plan failed/i);
      expect(body).toContain('unknown field "contry"');
      expect(body).not.toContain('9 to create');
    } finally {
      await api.close();
    }
  });

  it('the plan job validates and plans in one step and updates the note whatever they exit with', () => {
    expect(doc.validate).toBeUndefined();
    const script = scriptOf('plan');
    expect(script).toMatch(/set \+e[\s\S]*cloudlink-tenancy validate tenancy\/[\s\S]*cloudlink-tenancy plan tenancy\/[\s\S]*node note\.mjs plan "\$code"/);
    expect(script).not.toMatch(/curl[^\n]*-X POST/);
    for (const name of ['plan', 'apply']) expect(scriptOf(name).indexOf("cat > note.mjs <<'EOF'"), name).toBe(0);
  });
});

describe('GitLab apply', () => {
  it('is level-based and says so honestly: the tip of the default branch, planned, guarded, applied', () => {
    const header = headerComment(text);
    expect(header).not.toMatch(/apply the reviewed plan/i);
    expect(header).toMatch(/level-based/);
    const apply = job('apply');
    expect(apply.resource_group).toBe('cloudlink-production');
    const before = (apply.before_script ?? []).join('\n');
    expect(before).toMatch(/git fetch --quiet origin "\$CI_DEFAULT_BRANCH"\ngit checkout --quiet --detach FETCH_HEAD\nnpm ci/);
    const script = scriptOf('apply');
    expect(script).toMatch(/cloudlink-tenancy plan tenancy\/ [^\n]*--out plan\.json[\s\S]*cloudlink-tenancy apply tenancy\/ --plan plan\.json/);
  });

  it('posts the result on the merged merge request only', async () => {
    expect(scriptOf('apply')).toContain('node note.mjs apply "$code" "$plan"');
    const dir = await mkdtemp(path.join(work, 'apply-'));
    await writeFile(path.join(dir, 'plan.md'), `${marker}\n**Plan: 1 to create.**\n`);
    await writeFile(path.join(dir, 'apply.log'), 'Apply complete: 1 created.\n');
    const api = await fakeGitlab([], [{ iid: 3, state: 'merged' }, { iid: 4, state: 'opened' }]);
    try {
      await note(dir, api.url, ['apply', '0', '2']);
      const posts = api.calls.filter((c) => c.method === 'POST');
      expect(posts.map((c) => c.url)).toEqual(['/api/v4/projects/7/merge_requests/3/notes']);
      expect(posts[0]?.body?.body).toMatch(/CloudLink tenancy apply: Applied\./);
      expect(posts[0]?.body?.body).toContain('main at beef');
      expect(posts[0]?.body?.body).toContain('Apply complete: 1 created.');
    } finally {
      await api.close();
    }
  });
});

describe('GitLab settings', () => {
  it('every job that talks to CloudLink requires CLOUDLINK_ACCOUNT_ID, and the header names every variable', () => {
    const check = /CLOUDLINK_ACCOUNT_ID:\?/;
    expect(doc.default.before_script.some((l) => check.test(l))).toBe(true);
    for (const name of ['plan', 'apply', 'drift']) {
      const before = job(name).before_script ?? doc.default.before_script;
      expect(before.some((l) => check.test(l)), name).toBe(true);
    }
    const header = headerComment(text);
    for (const v of ['CLOUDLINK_CLIENT_ID', 'CLOUDLINK_CLIENT_SECRET', 'CLOUDLINK_ACCOUNT_ID', 'GITLAB_NOTE_TOKEN']) expect(header).toContain(v);
  });

  it('the README\'s GitOps section documents GITLAB_NOTE_TOKEN and CLOUDLINK_ACCOUNT_ID', async () => {
    const readme = await readFile('README.md', 'utf8');
    const gitops = readme.slice(readme.indexOf('## GitOps'), readme.indexOf('\n## ', readme.indexOf('## GitOps') + 1));
    expect(gitops).toContain('GITLAB_NOTE_TOKEN');
    expect(gitops).toContain('CLOUDLINK_ACCOUNT_ID');
  });
});
