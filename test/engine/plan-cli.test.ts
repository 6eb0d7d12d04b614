import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressHooks } from '../../provider/cli/progress.js';
import type { Change } from '../../provider/engine/types.js';
import { captureIo } from '../helpers/io.js';
import { sandboxWithClient } from '../helpers/sandbox.js';

const EXAMPLES = path.resolve('examples/yaml');
let s: Awaited<ReturnType<typeof sandboxWithClient>>;

beforeAll(async () => {
  s = await sandboxWithClient();
});
afterAll(async () => s.close());

const cli = (...argv: string[]) => s.cli(...argv);

describe('plan command (read-only against one sandbox)', () => {
  it('prints the plan data as JSON', async () => {
    const r = await cli('plan', EXAMPLES, '--format', 'json');
    expect(r.code).toBe(2);
    const plan = JSON.parse(r.out) as { formatVersion: number; accountKeys: string[]; inputsDigest: string; problems: unknown[]; changes: { action: string; kind: string; stamp: unknown }[] };
    expect(plan.formatVersion).toBe(2);
    expect(plan.accountKeys).toEqual(['acme', 'globex', 'initech']);
    expect(plan.inputsDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(plan.problems).toEqual([]);
    expect(plan.changes.filter((c) => c.action === 'create').length).toBe(38);
    expect(plan.changes.filter((c) => c.kind === 'license').every((c) => c.action === 'update')).toBe(true);
    expect(plan.changes.every((c) => 'stamp' in c)).toBe(true);
  });

  it('prints a Markdown comment with a summary table and one collapsible section per account', async () => {
    const r = await cli('plan', EXAMPLES, '--format', 'markdown');
    expect(r.code).toBe(2);
    expect(r.out).toContain('**Plan: 38 to create, 11 to update, 0 to delete.**');
    expect(r.out).toContain('| account | create | update | delete |');
    expect((r.out.match(/<details>/g) ?? []).length).toBe(3);
  });

  it('limits the run to --account keys and refuses unknown keys', async () => {
    const one = await cli('plan', EXAMPLES, '--account', 'globex', '--format', 'json');
    expect(one.code).toBe(2);
    const plan = JSON.parse(one.out) as { accountKeys: string[]; changes: { accountKey: string }[] };
    expect(plan.accountKeys).toEqual(['globex']);
    expect(new Set(plan.changes.map((c) => c.accountKey))).toEqual(new Set(['globex']));
    const bad = await cli('plan', EXAMPLES, '--account', 'nope');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('no declared account has this key');
  });

  it('splits accounts over shards whose union is the whole', async () => {
    const keys: string[] = [];
    for (const i of [1, 2]) {
      const r = await cli('plan', EXAMPLES, '--shard', `${i}/2`, '--format', 'json');
      keys.push(...(JSON.parse(r.out) as { accountKeys: string[] }).accountKeys);
    }
    expect(keys.sort()).toEqual(['acme', 'globex', 'initech']);
    expect((await cli('plan', EXAMPLES, '--shard', '3/2')).code).toBe(1);
  });

  it('rejects an unknown format with a fix', async () => {
    const r = await cli('plan', EXAMPLES, '--format', 'yaml');
    expect(r.code).toBe(1);
    expect(r.err).toContain('use text, markdown or json');
  });
});

describe('apply progress', () => {
  const change = (n: number): Change => ({ address: `account.a.user["u${n}@a.example"]`, kind: 'user', accountKey: 'a', action: 'create', id: { email: `u${n}@a.example` }, before: null, after: {}, reason: '', dependsOn: [], stamp: null });

  it('writes counted lines when not on a terminal, failures always', () => {
    const io = captureIo();
    const hooks = progressHooks(io, 2);
    hooks.onChangeDone?.(change(1), { address: change(1).address, accountKey: 'a', kind: 'user', status: 'done', verb: 'created' });
    hooks.onChangeDone?.(change(2), { address: change(2).address, accountKey: 'a', kind: 'user', status: 'failed', error: 'boom' });
    hooks.finish();
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        expect(io.err()).toBe('[1/2] account.a.user["u1@a.example"] created\n[2/2] account.a.user["u2@a.example"] failed: boom\n');
        expect(io.out()).toBe('');
        resolve();
      }),
    );
  });

  it('redraws one bar line on a terminal', () => {
    const io = captureIo({ isTTY: true });
    const hooks = progressHooks(io, 4);
    for (const n of [1, 2]) hooks.onChangeDone?.(change(n), { address: change(n).address, accountKey: 'a', kind: 'user', status: 'done', verb: 'created' });
    hooks.finish();
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        const err = io.err();
        expect(err.split('\r').filter(Boolean)).toEqual([`[${'#'.repeat(8)}${' '.repeat(22)}] 1/4`, `[${'#'.repeat(15)}${' '.repeat(15)}] 2/4\n`]);
        resolve();
      }),
    );
  });
});
