import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { commands } from '../../provider/cli/registry.js';

const FILES = ['examples/gitlab-ci.yml', ...(await readdir('examples/github-actions')).map((f) => path.join('examples/github-actions', f))];

/** Every shell text under `run:` / `script:` keys. */
function shellTexts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => shellTexts(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'run' || k === 'script' || k === 'before_script') && typeof v === 'string') out.push(v);
      else if ((k === 'script' || k === 'before_script') && Array.isArray(v)) out.push(...v.filter((s): s is string => typeof s === 'string'));
      else shellTexts(v, out);
    }
  }
  return out;
}

/** `cloudlink-tenancy <command> args…` invocations found in shell text. */
function invocations(text: string): { command: string; flags: string[] }[] {
  const found: { command: string; flags: string[] }[] = [];
  for (const m of text.matchAll(/cloudlink-tenancy\s+([a-z-]+)([^\n|>;]*)/g)) {
    const flags = (m[2] ?? '').split(/\s+/).filter((t) => t.startsWith('--')).map((t) => t.split('=')[0] ?? t);
    found.push({ command: m[1] ?? '', flags });
  }
  return found;
}

describe('CI examples', () => {
  it.each(FILES)('%s is valid YAML whose cloudlink-tenancy commands and flags exist', async (file) => {
    const doc: unknown = parse(await readFile(file, 'utf8'));
    expect(doc).toBeTypeOf('object');
    const calls = shellTexts(doc).flatMap(invocations);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      const command = commands.find((c) => c.name === call.command);
      expect(command, `${file}: unknown command ${call.command}`).toBeDefined();
      for (const flag of call.flags) expect(command?.flags ?? [], `${file}: ${call.command} has no ${flag}`).toContain(flag);
    }
  });

  it('cover the four GitHub flows', () => {
    expect(FILES.map((f) => path.basename(f)).sort()).toEqual(['apply-on-merge.yml', 'gitlab-ci.yml', 'nightly-drift.yml', 'plan-on-pr.yml', 'sharded.yml']);
  });
});
