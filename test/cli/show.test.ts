import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTenancy } from '../../provider/load/index.js';
import { sandboxWithClient } from '../helpers/sandbox.js';

const EXAMPLES = path.resolve('examples/yaml');
let s: Awaited<ReturnType<typeof sandboxWithClient>>;
let dir: string;

beforeAll(async () => {
  s = await sandboxWithClient();
  dir = await mkdtemp(path.join(os.tmpdir(), 'show-'));
});
afterAll(async () => s.close());

describe('show: a saved plan rendered again (terraform show)', () => {
  it('prints the saved plan as plan printed it, in each format, and the hint names the YAML paths', async () => {
    const file = path.join(dir, 'plan.json');
    const planned = await s.cli('plan', EXAMPLES, '--out', file);
    expect(planned.code).toBe(2);
    expect(planned.err).toContain(`cloudlink-tenancy show ${file}`);
    expect(planned.err).toContain(`cloudlink-tenancy apply --plan ${file} ${EXAMPLES}`);
    expect(planned.err).not.toContain('<same paths>');
    const text = await s.cli('show', file);
    expect(text.code).toBe(0);
    expect(text.out).toBe(planned.out);
    const json = await s.cli('show', file, '--format', 'json');
    expect(JSON.parse(json.out)).toEqual(JSON.parse(await readFile(file, 'utf8')));
    const md = await s.cli('show', file, '--format', 'markdown');
    expect(md.out).toContain('<!-- cloudlink-tenancy:plan -->');
    expect(md.out).toContain('**Plan: 38 to create, 11 to update, 0 to delete.**');
  });

  it('refuses a missing file, a bad format and a second path with a sentence', async () => {
    expect((await s.cli('show', path.join(dir, 'nope.json'))).err).toContain('cannot read the saved plan');
    expect((await s.cli('show', path.join(dir, 'plan.json'), '--format', 'html')).err).toContain('use text, markdown or json');
    expect((await s.cli('show')).err).toContain('show takes one saved plan file');
  });

  it('names --from-cdktf DIR in the apply hint when the plan came from cdktf output', async () => {
    const loaded = await loadTenancy([EXAMPLES], { cwd: process.cwd() });
    const out = path.join(dir, 'cdktf out');
    await mkdir(out);
    await writeFile(path.join(out, 'tenancy.json'), JSON.stringify(loaded.tenancy));
    const file = path.join(dir, 'cdktf-plan.json');
    const planned = await s.cli('plan', '--from-cdktf', out, '--out', file);
    expect(planned.code, planned.err).toBe(2);
    expect(planned.err).toContain(`cloudlink-tenancy apply --plan ${file} --from-cdktf '${out}'`);
  });
});
