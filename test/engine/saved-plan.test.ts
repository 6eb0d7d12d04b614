import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSavedPlan, otherPartner, readPlanFile } from '../../provider/engine/planfile.js';
import { DEMO_INITECH_ID } from '../../provider/sandbox/index.js';
import type { Plan } from '../../provider/engine/types.js';
import { sandboxPerTest } from '../helpers/sandbox.js';

const EXAMPLES = path.resolve('examples/yaml');
const fresh = sandboxPerTest();

async function setup() {
  const s = await fresh();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'saved-'));
  return { ...s, planFile: path.join(dir, 'plan.json'), dir };
}

describe('apply --plan: staleness per object', () => {
  it('ignores live changes to objects the plan does not touch (a user added in the console, a user registering)', async () => {
    const { cli, sandbox, planFile } = await setup();
    expect((await cli('plan', EXAMPLES, '--out', planFile)).code).toBe(2);
    sandbox.store.createUser(DEMO_INITECH_ID, { email: 'walk.in@initech.example', firstName: 'Walk', lastName: 'In' });
    const michael = sandbox.store.userByEmail(DEMO_INITECH_ID, 'michael.bolton@initech.example');
    sandbox.store.setUserVerified(DEMO_INITECH_ID, michael?.userId ?? '', true);
    const r = await cli('apply', EXAMPLES, '--plan', planFile);
    expect(r.err).not.toContain('Refused');
    expect(r.code).toBe(0);
    expect((await cli('plan', EXAMPLES)).out).toContain('No changes.');
  });

  it('refuses when an object it touches moved, naming the object and how', async () => {
    const { cli, sandbox, planFile } = await setup();
    const dir = path.dirname(planFile);
    const edited = path.join(dir, 'tenancy');
    await cli('apply', EXAMPLES, '--auto-approve');
    // Plan a change of Peter's name, then someone edits Peter in the console.
    const yaml = (await readFile(path.join(EXAMPLES, 'accounts/initech.yaml'), 'utf8')).replace('firstName: Peter, lastName: Gibbons', 'firstName: Peter, lastName: Gibbons, name: Pete Gibbons');
    const { cp } = await import('node:fs/promises');
    await cp(EXAMPLES, edited, { recursive: true });
    await writeFile(path.join(edited, 'accounts/initech.yaml'), yaml);
    expect((await cli('plan', edited, '--out', planFile)).code).toBe(2);
    const peter = sandbox.store.userByEmail(DEMO_INITECH_ID, 'peter.gibbons@initech.example');
    await new Promise((r) => setTimeout(r, 5));
    sandbox.store.updateUser(DEMO_INITECH_ID, peter?.userId ?? '', { lastName: 'Gibbons-Smith' });
    const stale = await cli('apply', edited, '--plan', planFile);
    expect(stale.code).toBe(3);
    expect(stale.err).toContain('Refused: live state changed since');
    expect(stale.err).toMatch(/account\.initech\.user\["peter\.gibbons@initech\.example"\]: it was modified since the plan was made \(.+ → .+\)/);
  });

  it('re-running an interrupted apply --plan applies what is left and skips what is no longer planned (never "already done")', async () => {
    const { cli, client, planFile } = await setup();
    expect((await cli('plan', EXAMPLES, '--out', planFile)).code).toBe(2);
    const saved = (await readPlanFile(planFile)) as Plan;
    // The first run got as far as the accounts, contacts, integrations and orders, then died.
    const partial: Plan = { ...saved, changes: saved.changes.filter((c) => ['account', 'contact', 'integration', 'order'].includes(c.kind)) };
    const { applyPlan } = await import('../../provider/engine/apply/apply.js');
    expect((await applyPlan(client, partial)).failed).toBe(0);
    const again = await cli('apply', EXAMPLES, '--plan', planFile);
    expect(again.err).not.toContain('Refused');
    expect(again.out).toMatch(/Skipped \d+ changes of .* no longer planned \(declaration or live state changed\)\./);
    expect(again.out).not.toContain('already done');
    expect(again.code).toBe(0);
    expect((await cli('plan', EXAMPLES)).out).toContain('No changes.');
  });

  it('refuses a saved plan made for another partner before reading anything', async () => {
    const { cli, planFile } = await setup();
    expect((await cli('plan', EXAMPLES, '--out', planFile)).code).toBe(2);
    const saved = JSON.parse(await readFile(planFile, 'utf8')) as Plan;
    await writeFile(planFile, JSON.stringify({ ...saved, partnerId: 'p-9999' }));
    const r = await cli('apply', EXAMPLES, '--plan', planFile);
    expect(r.code).toBe(1);
    expect(r.err).toContain('was made for partner "p-9999", but the declaration is for partner "p-1234"');
    expect(otherPartner({ partnerId: 'p-1' }, 'p-1')).toBeUndefined();
  });

  it('reads only plan files of its format, with a message that says what to do', async () => {
    const { dir } = await setup();
    const old = path.join(dir, 'old.json');
    await writeFile(old, JSON.stringify({ formatVersion: 1, changes: [] }));
    expect(await readPlanFile(old)).toMatch(/is a plan of format 1, this release reads format 2; make it again with "cloudlink-tenancy plan --out/);
    const broken = path.join(dir, 'broken.json');
    await writeFile(broken, JSON.stringify({ formatVersion: 2, createdAt: 'x', partnerId: 'p', inputsDigest: 'd', accountKeys: [], problems: [], changes: [{ kind: 'user', address: 'a' }] }));
    expect(await readPlanFile(broken)).toMatch(/is not a valid plan \(changes\.0\./);
  });

  it('checkSavedPlan sorts saved changes into apply, no longer planned and stale (table)', () => {
    const base = { accountKey: 'a', reason: '', dependsOn: [] };
    const user = (stamp: string | null, action: 'create' | 'update' = 'update') => ({ ...base, address: 'u', kind: 'user' as const, action, id: { email: 'x@y.z' }, before: null, after: { name: 'N' }, stamp });
    const plan = (...changes: ReturnType<typeof user>[]): Plan => ({ formatVersion: 2, createdAt: '', partnerId: 'p', inputsDigest: 'd', accountKeys: ['a'], changes, problems: [] });
    expect(checkSavedPlan(plan(user('t1')), plan(user('t1')))).toMatchObject({ apply: [{ address: 'u' }], noLongerPlanned: [], stale: [] });
    expect(checkSavedPlan(plan(user('t1')), plan())).toMatchObject({ apply: [], noLongerPlanned: ['u'], stale: [] });
    expect(checkSavedPlan(plan(user('t1')), plan(user('t2'))).stale).toEqual([{ address: 'u', why: 'it was modified since the plan was made (t1 → t2)' }]);
    expect(checkSavedPlan(plan(user(null, 'create')), plan(user('t2'))).stale[0]?.why).toContain('did not exist when the plan was made');
    expect(checkSavedPlan(plan(), plan(user('t1'))).unplanned).toEqual(['u']);
  });
});
