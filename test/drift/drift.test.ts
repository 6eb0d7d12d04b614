import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDriftReport } from '../../provider/engine/drift/report.js';
import { diffTenancy } from '../../provider/engine/plan/diff.js';
import { selectAccounts } from '../../provider/engine/select.js';
import type { DriftReport } from '../../provider/engine/drift/types.js';
import { renderDriftMarkdown } from '../../provider/report/drift-markdown.js';
import { renderDriftJunit } from '../../provider/report/drift-junit.js';
import { renderPlanMarkdown } from '../../provider/report/plan-markdown.js';
import { DEMO_INITECH_ID } from '../../provider/sandbox/index.js';
import { sandboxWithClient } from '../helpers/sandbox.js';
import { desiredAccount, desiredUser, integration, liveAccount, liveUser, NOW, order, snapshot, tenancy } from '../helpers/build.js';

const EXAMPLES = path.resolve('examples/yaml');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

describe('drift against a sandbox changed behind the tool', () => {
  it('reports each change in its category and exits 2', async () => {
    const s = await sandboxWithClient();
    closers.push(s.close);
    const { cli } = s;
    expect((await cli('apply', EXAMPLES, '--auto-approve')).code).toBe(0);
    expect((await cli('drift', EXAMPLES)).code).toBe(0);

    const store = s.sandbox.store;
    const acme = s.sandbox.state().accounts.find((a) => a.name === 'Acme Corp');
    const globex = s.sandbox.state().accounts.find((a) => a.name === 'Globex Corporation');
    if (!acme || !globex) throw new Error('apply did not create the accounts');
    // In the console: a user deleted, a toggle flipped, an extra user added, an expiring order assigned.
    const samir = store.userByEmail(DEMO_INITECH_ID, 'samir.nagheenanajar@initech.example');
    store.deleteUser(DEMO_INITECH_ID, samir?.userId ?? '');
    const bob = store.userByEmail(acme.accountId, 'bob.builder@acme.example');
    store.disableLicense(acme.accountId, bob?.userId ?? '', 'miteam-meetings');
    store.createUser(globex.accountId, { email: 'intruder@globex.example', firstName: 'In', lastName: 'Truder' });
    store.assignOrder('TN-1006', acme.accountId);

    const r = await cli('drift', EXAMPLES, '--format', 'json');
    expect(r.code).toBe(2);
    const report = JSON.parse(r.out) as DriftReport;
    expect(report.formatVersion).toBe(1);
    const by = (key: string) => report.accounts.find((a) => a.key === key);
    expect(by('initech')?.differences.map((d) => `${d.action} ${d.address}`)).toEqual(['create account.initech.user["samir.nagheenanajar@initech.example"]', 'update account.initech.user["samir.nagheenanajar@initech.example"].license.miteam-meetings']);
    expect(by('acme')?.differences.map((d) => d.message)).toEqual(['MiTeam is on in the declaration, off live']);
    expect(by('globex')?.undeclared).toEqual([expect.objectContaining({ kind: 'user', label: 'intruder@globex.example' })]);
    expect(by('acme')?.undeclared).toEqual([expect.objectContaining({ kind: 'order', label: 'TN-1006' })]);
    expect(by('acme')?.orders).toEqual([expect.objectContaining({ trackingNumber: 'TN-1006', status: 'expiring', daysLeft: 10, licensesLeft: 20, usersWithoutLicense: 0 })]);
    expect(by('acme')?.licenses).toEqual({ assigned: 25, enabled: 2, free: 23, overQuota: 0 });
    expect(by('initech')?.orders).toEqual([expect.objectContaining({ trackingNumber: 'TN-1007', status: 'expired' })]);
    expect(report.summary.drifted).toBe(3);

    // Drift changed nothing.
    expect(store.userByEmail(DEMO_INITECH_ID, 'samir.nagheenanajar@initech.example')).toBeUndefined();

    const dir = await mkdtemp(path.join(os.tmpdir(), 'drift-'));
    expect((await cli('drift', EXAMPLES, '--format', 'junit,html,markdown', '--out', dir)).code).toBe(2);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(await readFile(path.join(dir, 'drift-junit.xml'), 'utf8')) as { testsuites: { testsuite: { testcase: { '@_name': string; failure?: unknown }[]; '@_failures': string } } };
    expect(xml.testsuites.testsuite.testcase.map((t) => t['@_name'])).toEqual(['account acme', 'account globex', 'account initech']);
    expect(xml.testsuites.testsuite['@_failures']).toBe('3');
    expect(await readFile(path.join(dir, 'drift.html'), 'utf8')).toContain('<svg');
    expect(await readFile(path.join(dir, 'drift.md'), 'utf8')).toContain('intruder@globex.example');

    // Per-format files, in addition to the text on stdout.
    const perFormat = await cli('drift', EXAMPLES, '--out-junit', path.join(dir, 'j/junit.xml'), '--out-json', path.join(dir, 'r.json'));
    expect(perFormat.code).toBe(2);
    expect(perFormat.out).toContain('intruder@globex.example');
    expect(await readFile(path.join(dir, 'j/junit.xml'), 'utf8')).toContain('<testsuites');
    expect((JSON.parse(await readFile(path.join(dir, 'r.json'), 'utf8')) as DriftReport).summary.drifted).toBe(3);
  });
});

describe('drift reports at scale', () => {
  function big(accounts: number, usersPerAccount: number) {
    const declared = [];
    const live = [];
    const orders = [];
    for (let a = 0; a < accounts; a += 1) {
      const users = Array.from({ length: usersPerAccount }, (_, i) => desiredUser(`user${i}.acct${a}@big.example`, { miteam: i % 2 === 0 }));
      const d = desiredAccount(`acct-${a}`, { users: { policy: 'additive', items: users } });
      declared.push(d);
      const id = `A${a}`;
      live.push({ account: liveAccount(d, id), integrations: [integration()], users: users.map((u, i) => liveUser(id, u, { lastName: i % 3 === 0 ? 'Changed' : u.lastName, miteam: i % 4 === 0 })) });
      orders.push(order(`TN-${a}`, usersPerAccount, { assignedAccountId: id, expiresOn: a % 5 === 0 ? '2026-12-01T00:00:00.000Z' : '2027-12-01T00:00:00.000Z' }));
    }
    return { declared: tenancy(...declared), live: snapshot(live, orders) };
  }

  it('keeps Markdown plan and drift comments under 65,536 characters for 50,000 users, saying what it left out', () => {
    const { declared, live } = big(50, 1000);
    const drift = renderDriftMarkdown(buildDriftReport(declared, live, { now: NOW }));
    const plan = renderPlanMarkdown(diffTenancy(declared, live, { now: NOW, maxDeletes: 1e9 }));
    for (const text of [drift, plan]) {
      expect(text.length).toBeLessThanOrEqual(65_536);
      expect(text).toMatch(/are not shown: the comment would exceed/);
    }
  });

  it('lists users pending longer than --pending-days and orders by expiry window', () => {
    const d = desiredAccount('acme', { users: { policy: 'additive', items: [desiredUser('old.timer@x.example'), desiredUser('new.comer@x.example')] } });
    const live = snapshot(
      [{ account: liveAccount(d, 'A'), integrations: [integration()], users: [liveUser('A', desiredUser('old.timer@x.example'), { verified: false, createdOn: '2026-10-01T00:00:00.000Z' }), liveUser('A', desiredUser('new.comer@x.example'), { verified: false, createdOn: '2026-11-20T00:00:00.000Z' })] }],
      [order('TN-SOON', 5, { assignedAccountId: 'A', expiresOn: '2026-12-20T00:00:00.000Z' }), order('TN-LATER', 5, { assignedAccountId: 'A', expiresOn: '2027-06-01T00:00:00.000Z' })],
    );
    const report = buildDriftReport(tenancy({ ...d, orders: [{ trackingNumber: 'TN-SOON' }, { trackingNumber: 'TN-LATER' }] }), live, { now: NOW, pendingDays: 14, expiringDays: 30 });
    expect(report.accounts[0]?.pendingUsers).toEqual([{ email: 'old.timer@x.example', createdOn: '2026-10-01T00:00:00.000Z', days: 55 }]);
    expect(report.accounts[0]?.orders.map((o) => [o.trackingNumber, o.status, o.daysLeft])).toEqual([['TN-SOON', 'expiring', 25]]);
    expect(report.accounts[0]?.drifted).toBe(false);
    expect(buildDriftReport(tenancy(d), live, { now: NOW, expiringDays: 400 }).accounts[0]?.orders).toHaveLength(2);
  });

  it('writes JUnit XML that parses, with one test case per account', () => {
    const { declared, live } = big(5, 10);
    const xml = renderDriftJunit(buildDriftReport(declared, live, { now: NOW }));
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml) as { testsuites: { testsuite: { testcase: unknown[] } } };
    expect(parsed.testsuites.testsuite.testcase).toHaveLength(5);
  });

  it('gives the same findings sharded as whole', () => {
    const { declared, live } = big(30, 5);
    const whole = buildDriftReport(declared, live, { now: NOW }).accounts;
    const parts = [1, 2, 3].flatMap((index) => buildDriftReport(selectAccounts(declared, { shard: { index, count: 3 } }).tenancy, live, { now: NOW }).accounts);
    expect(parts.sort((a, b) => a.key.localeCompare(b.key))).toEqual([...whole].sort((a, b) => a.key.localeCompare(b.key)));
  });
});
