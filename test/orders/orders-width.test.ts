import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { OrderRow } from '../../provider/report/orders-rows.js';
import { renderOrdersText } from '../../provider/report/orders-text.js';

const row = (trackingNumber: string, accountName: string): OrderRow => ({
  orderId: trackingNumber,
  trackingNumber,
  sapOrderId: null,
  resellerPo: null,
  customerPo: null,
  product: 'miteam-meetings',
  accountId: 'a'.repeat(32),
  accountKey: null,
  accountName,
  orderDate: '2026-01-15',
  expiresOn: '2027-01-15',
  expired: false,
  licensesUsed: 1,
  licensesTotal: 5,
});

describe('orders text table', () => {
  it('aligns columns by display width: wide (CJK, emoji) and combining characters', () => {
    const text = renderOrdersText([row('TN-1', 'Acme'), row('TN-2', '株式会社日本'), row('TN-3', 'Cafe\u0301 Zürich'), row('TN-4', 'Pizza 🍕 Ltd')]);
    const lines = text.split('\n').slice(0, 5);
    // The "Order date" column starts at the same terminal column on every line.
    const starts = lines.map((l) => {
      const at = l.search(/Order date|2026-01-15/);
      return stringWidth(l.slice(0, at));
    });
    expect(new Set(starts).size).toBe(1);
  });
});
