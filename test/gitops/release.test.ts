/**
 * The release workflow publishes only a tag that is package.json's version, from a package.json
 * that names the repository (npm provenance links the package to it): its guard step, run as the
 * runner would run it (bash, from the repository root).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { allSteps, readWorkflow, RELEASE_FILE } from './workflow-files.js';

const run = promisify(execFile);
const { doc } = await readWorkflow(RELEASE_FILE);
const guard = allSteps(doc).find((s) => /tag is package\.json's version/.test(s.name ?? ''))?.run ?? '';
const version = (JSON.parse(await readFile('package.json', 'utf8')) as { version: string }).version;

async function runGuard(env: Record<string, string>): Promise<{ code: number; output: string }> {
  try {
    const r = await run('bash', ['-e', '-c', guard], { env: { PATH: process.env.PATH ?? '', ...env } });
    return { code: 0, output: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, output: err.stdout + err.stderr };
  }
}

describe('release.yml', () => {
  it('publishes with provenance on a version tag, after the project CI', () => {
    const runs = allSteps(doc).map((s) => s.run ?? '');
    expect(runs.indexOf('bash .ci/run')).toBeGreaterThanOrEqual(0);
    expect(runs.indexOf('bash .ci/run')).toBeLessThan(runs.indexOf('npm publish --provenance --access public'));
    expect(doc.permissions).toMatchObject({ 'id-token': 'write', contents: 'read' });
  });

  it('refuses a tag that is not package.json\'s version', async () => {
    const r = await runGuard({ TAG: 'v0.0.0-not-it', REPO: 'org/cloudlink-tenancy' });
    expect(r.code).toBe(1);
    expect(r.output).toContain(`tag v0.0.0-not-it is not package.json's version v${version}`);
  });

  it('checks that package.json names the repository being released', async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { repository?: string | { url?: string } };
    const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
    const r = await runGuard({ TAG: `v${version}`, REPO: 'someone-else/not-this-repo' });
    expect(r.code).toBe(1);
    expect(r.output).toContain('package.json "repository" must name someone-else/not-this-repo');
    if (url) expect((await runGuard({ TAG: `v${version}`, REPO: url.replace(/^.*github\.com[/:]/, '').replace(/\.git$/, '') })).code).toBe(0);
  });
});
