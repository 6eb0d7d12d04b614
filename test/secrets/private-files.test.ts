/**
 * Files that hold secrets or personal data are written 0600 by every command that writes them,
 * also when the file existed before with a wider mode, and whatever the umask.
 */
import { mkdtemp, readdir, stat, writeFile, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_INITECH_ID, startSandbox } from '../../provider/sandbox/index.js';
import { writePrivateFile, writePrivateFileAtomically, openPrivateAppendStream } from '../../provider/fs/write-private-file.js';
import { sandboxPerTest } from '../helpers/sandbox.js';

const setup = sandboxPerTest();
const mode = async (file: string) => (await stat(file)).mode & 0o777;
const EXAMPLES = path.resolve('examples/yaml');

/** A file that exists already, world-readable: the writer must narrow it. */
async function preexisting(file: string): Promise<void> {
  await writeFile(file, 'old');
  await chmod(file, 0o644);
}

describe('files with secrets or personal data are 0600', () => {
  it('the helper: new files, existing wider files, atomic writes and append streams', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'private-'));
    const old = process.umask(0o000);
    try {
      await writePrivateFile(path.join(dir, 'new.json'), 'x');
      expect(await mode(path.join(dir, 'new.json'))).toBe(0o600);
      await preexisting(path.join(dir, 'old.json'));
      await writePrivateFile(path.join(dir, 'old.json'), 'x');
      expect(await mode(path.join(dir, 'old.json'))).toBe(0o600);
      await preexisting(path.join(dir, 'atomic.json'));
      await writePrivateFileAtomically(path.join(dir, 'atomic.json'), 'y');
      expect(await mode(path.join(dir, 'atomic.json'))).toBe(0o600);
      await preexisting(path.join(dir, 'trace.jsonl'));
      const stream = openPrivateAppendStream(path.join(dir, 'trace.jsonl'));
      await new Promise<void>((resolve) => stream.end('z', () => resolve()));
      expect(await mode(path.join(dir, 'trace.jsonl'))).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });

  it('plan --out, --trace-http, import --out, drift --out (one and many formats), users template --out', async () => {
    const { cli } = await setup();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'private-cli-'));
    const trace = path.join(dir, 'trace.jsonl');
    await preexisting(path.join(dir, 'plan.json'));
    await preexisting(trace);
    const plan = await cli('plan', EXAMPLES, '--out', path.join(dir, 'plan.json'), '--trace-http', trace);
    expect(plan.code, plan.err).toBe(2);
    expect(await mode(path.join(dir, 'plan.json'))).toBe(0o600);
    expect(await mode(trace)).toBe(0o600);

    const imported = path.join(dir, 'imported');
    expect((await cli('import', '--account', DEMO_INITECH_ID, '--out', imported)).code).toBe(0);
    for (const f of await readdir(imported)) expect(await mode(path.join(imported, f)), f).toBe(0o600);

    await preexisting(path.join(dir, 'drift.md'));
    expect((await cli('drift', EXAMPLES, '--format', 'markdown', '--out', path.join(dir, 'drift.md'))).code).not.toBe(1);
    expect(await mode(path.join(dir, 'drift.md'))).toBe(0o600);
    expect((await cli('drift', EXAMPLES, '--format', 'json,html', '--out', path.join(dir, 'drift'))).code).not.toBe(1);
    for (const f of await readdir(path.join(dir, 'drift'))) expect(await mode(path.join(dir, 'drift', f)), f).toBe(0o600);
    expect((await cli('drift', EXAMPLES, '--out-junit', path.join(dir, 'junit.xml'))).code).not.toBe(1);
    expect(await mode(path.join(dir, 'junit.xml'))).toBe(0o600);

    expect((await cli('users', 'template', '--out', path.join(dir, 'users.xlsx'))).code).toBe(0);
    expect(await mode(path.join(dir, 'users.xlsx'))).toBe(0o600);
  });

  it('the sandbox --data file (passwords, client secrets)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'private-sandbox-'));
    const file = path.join(dir, 'state.json');
    const sandbox = await startSandbox({ seed: 'demo', dataFile: file });
    await sandbox.close();
    expect(await mode(file)).toBe(0o600);
  });
});
