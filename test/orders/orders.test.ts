import { parse as parseCsv } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_INITECH_ID } from '../../provider/sandbox/index.js';
import { sandboxWithClient } from '../helpers/sandbox.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

const DAY = 24 * 60 * 60 * 1000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();
const HOOLI = 'c'.repeat(32);

/** The demo tenant plus Hooli: 3 MiTeam users on two orders, one (3 licenses) expiring in 5 days, one (1 license) for a year. */
async function setup() {
  const s = await sandboxWithClient();
  closers.push(s.close);
  s.sandbox.seed({
    accounts: [
      {
        accountId: HOOLI,
        accountNumber: '100009',
        partnerId: 'p-1234',
        name: 'Hooli',
        languageCode: 'en-US',
        location: { address: { country: 'US' } },
        integrations: ['miteam-meetings'],
        users: ['gavin', 'jian', 'erlich'].map((n) => ({ email: `${n}@hooli.example`, firstName: n, lastName: 'H', miteam: true })),
      },
    ],
    orders: [
      { partnerId: 'p-1234', trackingNumber: 'TN-9001', sapOrderId: 'SAP-9001', customerPo: 'PO-HOOLI-1', product: 'miteam-meetings', quantity: 3, orderDate: '2026-02-01T00:00:00.000Z', expiresOn: inDays(5), accountId: HOOLI },
      { partnerId: 'p-1234', trackingNumber: 'TN-9002', product: 'miteam-meetings', quantity: 1, orderDate: '2026-02-02T00:00:00.000Z', expiresOn: inDays(365), accountId: HOOLI },
    ],
  });
  return s;
}

describe('orders (the console Orders page)', () => {
  it('lists every order with ids, POs, assigned account, dates and licenses used/total', async () => {
    const { cli } = await setup();
    const r = await cli('orders');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Tracking number\s+SAP order id\s+Reseller PO\s+Customer PO\s+Account\s+Order date\s+Expires\s+Licenses used\/total/);
    for (const tn of ['TN-1001', 'TN-1002', 'TN-1003', 'TN-1004', 'TN-1005', 'TN-1006', 'TN-1007', 'TN-9001', 'TN-9002']) expect(r.out).toContain(tn);
    const tn1003 = r.out.split('\n').find((l) => l.startsWith('TN-1003')) ?? '';
    expect(tn1003).toContain('SAP-2003');
    expect(tn1003).toContain('Initech');
    expect(tn1003).toContain('2026-03-15');
    expect(tn1003).toMatch(/\d+\/5$/);
    expect(r.out.split('\n').find((l) => l.startsWith('TN-1004'))).toMatch(/PO-ACME-77\s+unassigned/);
    expect(r.out).toContain('9 orders (4 assigned, 5 unassigned).');
  });

  it('names assigned accounts by their declared key when tenancy files are given', async () => {
    const { cli } = await setup();
    const r = await cli('orders', 'examples/yaml', '--format', 'json');
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out) as { formatVersion: number; partnerId: string; orders: { trackingNumber: string; accountKey: string | null; accountName: string | null; accountId: string | null }[] };
    expect(doc.formatVersion).toBe(1);
    expect(doc.partnerId).toBe('p-1234');
    expect(doc.orders.find((o) => o.trackingNumber === 'TN-1003')).toMatchObject({ accountKey: 'initech', accountName: 'Initech', accountId: DEMO_INITECH_ID });
    expect(doc.orders.find((o) => o.trackingNumber === 'TN-9001')).toMatchObject({ accountKey: null, accountName: 'Hooli' });
    const text = await cli('orders', 'examples/yaml');
    expect(text.out.split('\n').find((l) => l.startsWith('TN-1003'))).toContain('initech (Initech)');
  });

  it('--unassigned shows only orders no account holds', async () => {
    const { cli } = await setup();
    const r = await cli('orders', '--unassigned', '--format', 'csv');
    expect(r.code, r.err).toBe(0);
    expect(r.out.endsWith('\r\n')).toBe(true);
    const lines = parseCsv(r.out) as string[][];
    expect(lines[0]?.join(',')).toBe('trackingNumber,sapOrderId,resellerPo,customerPo,accountKey,accountName,accountId,orderDate,expiresOn,licensesUsed,licensesTotal,usersWithoutLicenseAtExpiry');
    expect(lines.slice(1).map((l) => l[0])).toEqual(['TN-1001', 'TN-1002', 'TN-1004', 'TN-1005', 'TN-1006']);
  });

  it('--expiring [DAYS] shows orders expiring soon and the MiTeam users each would leave without a license', async () => {
    const { cli } = await setup();
    const r = await cli('orders', '--expiring');
    expect(r.code, r.err).toBe(0);
    const rows = r.out.split('\n').filter((l) => /^TN-/.test(l)).map((l) => l.slice(0, 7));
    expect(rows).toEqual(['TN-1006', 'TN-9001']);
    expect(r.out).toContain(`TN-9001 expires ${inDays(5).slice(0, 10)}: 2 MiTeam users of Hooli would be left without a license (1 licenses left for 3 users enabled)`);
    const week = await cli('orders', '--expiring', '7', '--format', 'json');
    const doc = JSON.parse(week.out) as { orders: { trackingNumber: string; impact?: { usersWithoutLicense: number; licensesLeft: number; licensesHeld: number } }[] };
    expect(doc.orders.map((o) => o.trackingNumber)).toEqual(['TN-9001']);
    expect(doc.orders[0]?.impact).toMatchObject({ usersWithoutLicense: 2, licensesLeft: 1, licensesHeld: 3 });
    const none = await cli('orders', '--expiring', '1');
    expect(none.out).toBe('No orders match.\n');
    const bad = await cli('orders', '--expiring=soon');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--expiring "soon" is not a whole number of days');
  });

  it('--search matches any shown field, the expiry date too, in any case', async () => {
    const { cli } = await setup();
    const ids = async (...args: string[]) => {
      const r = await cli('orders', '--format', 'json', ...args);
      expect(r.code, r.err).toBe(0);
      return (JSON.parse(r.out) as { orders: { trackingNumber: string }[] }).orders.map((o) => o.trackingNumber);
    };
    expect(await ids('--search', 'po-acme')).toEqual(['TN-1004']);
    expect(await ids('--search', 'sap-900')).toEqual(['TN-9001']);
    expect(await ids('--search', 'RPO-1001')).toEqual(['TN-1001']);
    expect(await ids('--search', 'hooli')).toEqual(['TN-9001', 'TN-9002']);
    expect(await ids('--search', inDays(5).slice(0, 10))).toEqual(['TN-9001']);
    expect(await ids('--search', '2026-02-02')).toEqual(['TN-9002']);
    expect(await ids('--search', 'initech', '--unassigned')).toEqual([]);
  });

  it('refuses an unknown format and another partner\'s tenancy', async () => {
    const { cli } = await setup();
    expect((await cli('orders', '--format', 'xml')).err).toContain('--format "xml" is unknown; use text, json or csv');
    const other = await cli('orders', 'test/load/bad-multi/dup-key/a.yaml');
    expect(other.code).toBe(1);
    expect(other.err).toMatch(/Refused: .*p-1/);
  });
});
