import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { App } from 'cdktf';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../examples/typescript/main.js';
import { Tenancy } from '../../provider/cdktf/index.js';
import { withoutSources } from '../../provider/cdktf/canonical.js';
import { loadTenancy } from '../../provider/load/index.js';
import { runCli } from '../../provider/cli/run.js';
import { captureIo } from '../helpers/io.js';
import { sandboxWithClient } from '../helpers/sandbox.js';

interface NullResource {
  triggers: Record<string, string>;
  depends_on?: string[];
  lifecycle?: { prevent_destroy?: boolean; ignore_changes?: string[] };
  provisioner: { 'local-exec': { command: string; when?: string } }[];
}
interface Synth {
  dir: string;
  tf: { resource: { null_resource: Record<string, NullResource> }; terraform: { backend: unknown }; moved?: { from: string; to: string }[] };
  tenancy: unknown;
}

async function synth(app: App): Promise<Synth> {
  app.synth();
  const dir = path.join(app.outdir, 'stacks', 'northwind');
  return { dir, tf: JSON.parse(await readFile(path.join(dir, 'cdk.tf.json'), 'utf8')), tenancy: JSON.parse(await readFile(path.join(dir, 'tenancy.json'), 'utf8')) };
}

const tmp = () => mkdtemp(path.join(os.tmpdir(), 'cdktf-'));
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

/** Runs a synthesized local-exec command the way Terraform would: in the stack's working directory. */
async function runLocalExec(command: string, cwd: string, env: NodeJS.ProcessEnv, triggers: Record<string, string> = {}) {
  const expanded = command.replace(/\$\{self\.triggers\.(\w+)\}/g, (_m, k: string) => triggers[k] ?? '');
  const argv = expanded.split(/\s+/);
  expect(argv.slice(0, 2)).toEqual(['npx', 'cloudlink-tenancy']);
  const io = captureIo({ env, cwd });
  const code = await runCli(argv.slice(2), io);
  return { code, out: io.out(), err: io.err() };
}

describe('cdktf synthesis', () => {
  it('writes tenancy.json equal to what the YAML loader gives for the YAML twin', async () => {
    const { tenancy } = await synth(buildApp(await tmp()));
    const yaml = await loadTenancy(['examples/yaml']);
    expect(yaml.tenancy).toBeDefined();
    expect(tenancy).toEqual(JSON.parse(JSON.stringify(withoutSources(yaml.tenancy ?? ({} as never)))));
  });

  it('synthesizes identity and apply null_resources per account with the documented contract', async () => {
    const { tf } = await synth(buildApp(await tmp()));
    const r = tf.resource.null_resource;
    expect(Object.keys(r).sort()).toEqual(['acme_apply', 'acme_identity', 'globex_apply', 'globex_identity', 'initech_apply', 'initech_identity']);
    expect(r.acme_identity?.triggers).toEqual({ account_key: 'acme', partner_id: 'p-1234' });
    expect(r.acme_identity?.provisioner).toEqual([{ 'local-exec': { command: 'npx cloudlink-tenancy apply --from-cdktf . --destroy-account acme --auto-approve', when: 'destroy' } }]);
    expect(r.acme_identity?.lifecycle).toEqual({ ignore_changes: ['triggers'] });
    expect(r.initech_identity?.lifecycle).toEqual({ ignore_changes: ['triggers'], prevent_destroy: true });
    expect(tf.moved).toBeUndefined();
    expect(r.initech_identity?.provisioner).toEqual([]);
    expect(r.acme_apply?.triggers.account_key).toBe('acme');
    expect(r.acme_apply?.triggers.desired_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.acme_apply?.depends_on).toEqual(['null_resource.acme_identity']);
    expect(r.acme_apply?.provisioner).toEqual([{ 'local-exec': { command: 'npx cloudlink-tenancy apply --from-cdktf . --account acme --auto-approve' } }]);
    expect(tf.terraform.backend).toEqual({ local: { path: 'terraform.northwind.tfstate' } });
    const text = JSON.stringify(tf);
    expect(text).not.toMatch(/password|secret|CLOUDLINK_/i);
    expect(text).not.toContain(os.tmpdir());
  });

  it('is byte-identical on every run (snapshot)', async () => {
    const a = await synth(buildApp(await tmp()));
    const b = await synth(buildApp(await tmp()));
    const textA = await readFile(path.join(a.dir, 'cdk.tf.json'), 'utf8');
    expect(await readFile(path.join(b.dir, 'cdk.tf.json'), 'utf8')).toBe(textA);
    await expect(textA).toMatchFileSnapshot('./__snapshots__/northwind.cdk.tf.json');
  });

  it('changes only the apply trigger hash when an account changes', async () => {
    const before = (await synth(buildApp(await tmp()))).tf.resource.null_resource;
    const app = buildApp(await tmp());
    const stack = app.node.children.find((c): c is Tenancy => c instanceof Tenancy);
    stack?.accounts().find((a) => a.key === 'acme')?.addUser({ email: 'new.person@acme.example', firstName: 'New', lastName: 'Person' });
    const after = (await synth(app)).tf.resource.null_resource;
    expect(after.acme_apply?.triggers.desired_sha256).not.toBe(before.acme_apply?.triggers.desired_sha256);
    expect(after.acme_identity).toEqual(before.acme_identity);
    expect(after.globex_apply).toEqual(before.globex_apply);
  });

  it('fails synthesis with the construct path when a declaration is invalid', async () => {
    const app = new App({ outdir: await tmp() });
    const t = new Tenancy(app, 'northwind', { partnerId: 'p-1' });
    t.addAccount('bad', { name: 'Bad', country: 'Canada', language: 'en-US' }).addUser({ email: 'not-an-email', firstName: 'A', lastName: 'B' });
    expect(() => app.synth()).toThrow(/\[northwind\/bad\] country: "Canada" is not an ISO 3166[\s\S]*\[northwind\/bad\] users\.items\[0\]\.email: "not-an-email"/);
    const twice = new App({ outdir: await tmp() });
    const u = new Tenancy(twice, 'northwind', { partnerId: 'p-1' });
    u.addAccount('one', { key: 'same', name: 'One', country: 'CA', language: 'en-US' });
    u.addAccount('two', { key: 'same', name: 'Two', country: 'CA', language: 'en-US' });
    expect(() => twice.synth()).toThrow(/\[northwind\] account key "same" is declared twice/);
  });

  it('reports an e-mail declared twice as the YAML loader does, not as a construct-id clash', async () => {
    const app = new App({ outdir: await tmp() });
    const t = new Tenancy(app, 'northwind', { partnerId: 'p-1' });
    const acme = t.addAccount('acme', { name: 'Acme', country: 'CA', language: 'en-US' });
    acme.addUser({ email: 'ann@acme.example', firstName: 'Ann', lastName: 'A' });
    expect(() => acme.addUser({ email: 'Ann@acme.example', firstName: 'Ann', lastName: 'Again' })).not.toThrow();
    expect(() => app.synth()).toThrow(/\[northwind\] e-mail ann@acme\.example appears twice in account "acme"/);
  });
});

/** The example's Globex, renamed to globex-corp with previousKeys: [globex]. */
function renamedGlobex(outdir: string): App {
  const app = new App({ outdir });
  const t = new Tenancy(app, 'northwind', { partnerId: 'p-1234', defaults: { accountCreation: 'api', welcomeEmail: 'onCreate' } });
  const g = t.addAccount('globex-corp', { name: 'Globex Corporation', previousKeys: ['globex'], country: 'DE', language: 'de-DE', supportContacts: ['support@northwind.example'] });
  g.addIntegration('miteam-meetings');
  g.assignOrder({ sapOrderId: 'SAP-2002' });
  return app;
}

describe('a renamed account is moved, never destroyed', () => {
  it('emits a moved block from the old key\'s identity resource, whose triggers are ignored (no replacement)', async () => {
    const { tf } = await synth(renamedGlobex(await tmp()));
    expect(tf.moved).toEqual([{ from: 'null_resource.globex_identity', to: 'null_resource.globex-corp_identity' }]);
    expect(tf.resource.null_resource['globex-corp_identity']?.lifecycle?.ignore_changes).toEqual(['triggers']);
    expect(tf.resource.null_resource['globex-corp_identity']?.provisioner[0]?.['local-exec'].command).toContain('--destroy-account globex-corp ');
  });

  it('the old key\'s destroy command is refused (exit 3) before and after the rename is applied; Globex keeps its 7 users', async () => {
    const s = await sandboxWithClient();
    closers.push(s.close);
    expect((await s.cli('apply', 'examples/yaml', '--auto-approve')).code).toBe(0);
    const old = (await synth(buildApp(await tmp()))).tf.resource.null_resource.globex_identity;
    const { dir, tf } = await synth(renamedGlobex(await tmp()));
    const globex = () => s.sandbox.state().accounts.find((a) => a.name === 'Globex Corporation');
    const id = globex()?.accountId;
    const refused = await runLocalExec(old?.provisioner[0]?.['local-exec'].command ?? '', dir, s.env, old?.triggers);
    expect(refused.code).toBe(3);
    expect(refused.out).toContain('lists "globex" in previousKeys');
    const renamed = await runLocalExec(tf.resource.null_resource['globex-corp_apply']?.provisioner[0]?.['local-exec'].command ?? '', dir, s.env);
    expect(renamed.code, renamed.err).toBe(0);
    expect((await runLocalExec(old?.provisioner[0]?.['local-exec'].command ?? '', dir, s.env, old?.triggers)).code).toBe(3);
    expect(globex()?.accountId).toBe(id);
    expect(s.sandbox.store.users(id ?? '')).toHaveLength(7);
  });
});

describe('running the synthesized commands like Terraform', () => {
  it('converges the tenancy, re-applies on change, and deletes only a removed account', async () => {
    const s = await sandboxWithClient();
    closers.push(s.close);
    const { dir, tf } = await synth(buildApp(await tmp()));
    const resources = tf.resource.null_resource;
    // terraform apply: identities first (no create-time command), then each apply resource.
    for (const key of ['acme', 'globex', 'initech']) {
      const r = await runLocalExec(resources[`${key}_apply`]?.provisioner[0]?.['local-exec'].command ?? '', dir, s.env);
      expect(r.code, r.err).toBe(0);
    }
    const plan = await runLocalExec('npx cloudlink-tenancy plan --from-cdktf .', dir, s.env);
    expect(plan.out).toContain('No changes.');
    expect((await runLocalExec('npx cloudlink-tenancy drift --from-cdktf .', dir, s.env)).code).toBe(0);

    // The globex construct is removed: Terraform destroys globex_identity, running its destroy-time command.
    const smaller = new App({ outdir: path.dirname(path.dirname(dir)) });
    const t = new Tenancy(smaller, 'northwind', { partnerId: 'p-1234' });
    t.addAccount('acme', { name: 'Acme Corp', country: 'CA', language: 'en-US' });
    smaller.synth();
    const identity = resources.globex_identity;
    const destroyed = await runLocalExec(identity?.provisioner[0]?.['local-exec'].command ?? '', dir, s.env, identity?.triggers);
    expect(destroyed.code, destroyed.err).toBe(0);
    const names = s.sandbox.state().accounts.map((a) => a.name);
    expect(names).not.toContain('Globex Corporation');
    expect(names).toEqual(expect.arrayContaining(['Acme Corp', 'Initech']));
  });
});
