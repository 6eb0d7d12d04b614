import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildDriftReport } from '../../provider/engine/drift/report.js';
import { diffTenancy } from '../../provider/engine/plan/diff.js';
import { renderDriftText } from '../../provider/report/drift-text.js';
import { renderDriftMarkdown } from '../../provider/report/drift-markdown.js';
import { renderDriftJunit } from '../../provider/report/drift-junit.js';
import { renderDriftHtml } from '../../provider/report/drift-html.js';
import { desiredAccount, desiredUser, integration, liveAccount, liveUser, NOW, order, snapshot, tenancy } from '../helpers/build.js';

/** One account with every notice category, built by hand (no sandbox). */
function fixture() {
  const alice = desiredUser('alice@a.example', { miteam: true });
  const bob = desiredUser('bob@a.example', { miteam: true });
  const carol = desiredUser('carol@a.example', { miteam: true });
  const d = desiredAccount('a', {
    users: { policy: 'additive', items: [alice, bob] },
    orders: [{ trackingNumber: 'TN-1' }, { trackingNumber: 'TN-2' }, { trackingNumber: 'TN-3' }],
  });
  const clean = desiredAccount('b', { users: { policy: 'additive', items: [] }, orders: [] });
  const live = snapshot(
    [
      {
        account: liveAccount(d, 'A'),
        integrations: [integration()],
        users: [
          liveUser('A', alice),
          liveUser('A', bob, { verified: false, createdOn: '2026-10-01T00:00:00.000Z' }),
          liveUser('A', carol, { verified: false, createdOn: '2026-11-20T00:00:00.000Z' }),
        ],
      },
      { account: liveAccount(clean, 'B'), integrations: [integration()], users: [] },
    ],
    [
      order('TN-1', 1, { assignedAccountId: 'A' }),
      order('TN-2', 5, { assignedAccountId: 'A', expiresOn: '2026-11-01T00:00:00.000Z' }),
      order('TN-3', 1, { assignedAccountId: 'A', expiresOn: '2026-12-10T00:00:00.000Z' }),
    ],
  );
  return { declared: tenancy(d, clean), live };
}

describe('buildDriftReport with a hand-made snapshot', () => {
  it('sorts findings into their categories: undeclared, license use, expiring/expired orders, pending users', () => {
    const { declared, live } = fixture();
    const report = buildDriftReport(declared, live, { now: NOW });
    const a = report.accounts.find((x) => x.key === 'a');
    expect(a?.undeclared).toEqual([expect.objectContaining({ kind: 'user', label: 'carol@a.example' })]);
    // TN-2 has expired, so only TN-1 and TN-3 count; three users have MiTeam on.
    expect(a?.licenses).toEqual({ assigned: 2, enabled: 3, free: 0, overQuota: 1 });
    expect(a?.orders).toEqual([
      expect.objectContaining({ trackingNumber: 'TN-2', status: 'expired', quantity: 5 }),
      expect.objectContaining({ trackingNumber: 'TN-3', status: 'expiring', daysLeft: 15 }),
    ]);
    // bob has been pending 55 days (> 14); carol only 5.
    expect(a?.pendingUsers).toEqual([{ email: 'bob@a.example', createdOn: '2026-10-01T00:00:00.000Z', days: 55 }]);
    expect(a?.drifted).toBe(true);
    expect(report.accounts.find((x) => x.key === 'b')?.drifted).toBe(false);
    expect(report.summary).toMatchObject({ accounts: 2, drifted: 1, undeclared: 1, overQuota: 1, expiringOrders: 1, expiredOrders: 1, pendingUsers: 1 });
  });

  it('honours --expiring-days and --pending-days', () => {
    const { declared, live } = fixture();
    const a = buildDriftReport(declared, live, { now: NOW, expiringDays: 10, pendingDays: 60 }).accounts.find((x) => x.key === 'a');
    expect(a?.orders.map((o) => o.trackingNumber)).toEqual(['TN-2']);
    expect(a?.pendingUsers).toEqual([]);
  });

  it('reuses a plan given to it instead of diffing again', () => {
    const { declared, live } = fixture();
    const declaredMore = tenancy({ ...declared.accounts[0]!, users: { policy: 'additive', items: [...declared.accounts[0]!.users.items, desiredUser('dan@a.example')] } }, declared.accounts[1]!);
    const plan = diffTenancy(declaredMore, live, { now: NOW, maxDeletes: 1e9 });
    expect(buildDriftReport(declaredMore, live, { now: NOW }).accounts[0]?.differences.length).toBeGreaterThan(0);
    const reused = buildDriftReport(declaredMore, live, { now: NOW, plan: { ...plan, changes: [] } });
    expect(reused.accounts[0]?.differences).toEqual([]);
  });

  it('renders the same findings in every format', () => {
    const { declared, live } = fixture();
    const report = buildDriftReport(declared, live, { now: NOW });
    for (const text of [renderDriftText(report), renderDriftMarkdown(report), renderDriftHtml(report)]) {
      expect(text).toContain('carol@a.example');
      expect(text).toContain('TN-2');
      expect(text).toContain('bob@a.example');
    }
    const xml = new XMLParser({ ignoreAttributes: false }).parse(renderDriftJunit(report)) as { testsuites: { testsuite: { testcase: { '@_name': string; failure?: unknown }[] } } };
    expect(xml.testsuites.testsuite.testcase.map((t) => [t['@_name'], t.failure !== undefined])).toEqual([['account a', true], ['account b', false]]);
  });

  it('escapes user-controlled text in the HTML report', () => {
    const { declared, live } = fixture();
    const evil = desiredAccount('x', { name: '<script>alert(1)</script>', users: { policy: 'additive', items: [] }, orders: [] });
    const html = renderDriftHtml(buildDriftReport(tenancy(...declared.accounts, evil), live, { now: NOW }));
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toMatch(/(src|href)=["']https?:/);
  });
});
