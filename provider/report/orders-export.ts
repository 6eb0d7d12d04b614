/** The Orders page for machines: CSV (one header row, safe for spreadsheets: csv.ts) and versioned JSON (exact values). */
import type { OrderRow } from './orders-rows.js';
import { renderCsv } from './csv.js';
import { renderJson } from './json.js';

/** CSV with one header row (the console's column titles split into machine-friendly ones). */
export function renderOrdersCsv(rows: readonly OrderRow[]): string {
  const header = ['trackingNumber', 'sapOrderId', 'resellerPo', 'customerPo', 'accountKey', 'accountName', 'accountId', 'orderDate', 'expiresOn', 'licensesUsed', 'licensesTotal', 'usersWithoutLicenseAtExpiry'];
  const cells = rows.map((r) => [r.trackingNumber, r.sapOrderId ?? '', r.resellerPo ?? '', r.customerPo ?? '', r.accountKey ?? '', r.accountName ?? '', r.accountId ?? '', r.orderDate ?? '', r.expiresOn ?? '', String(r.licensesUsed), String(r.licensesTotal), r.impact ? String(r.impact.usersWithoutLicense) : '']);
  return renderCsv(header, cells);
}

/** Versioned JSON of the page. */
export function renderOrdersJson(rows: readonly OrderRow[], meta: { partnerId: string; generatedAt: string }): string {
  return renderJson({ formatVersion: 1, ...meta, orders: rows });
}
