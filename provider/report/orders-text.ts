/** The Orders page as a text table, like the console's. */
import stringWidth from 'string-width';
import type { OrderRow } from './orders-rows.js';

/** `text` padded with spaces to `width` terminal columns (wide characters count as two, combining marks as none). */
function padDisplay(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

/** Colour functions the text form may use (picocolors' shape; identity when colour is off). */
export interface OrdersColors {
  red(text: string): string;
  yellow(text: string): string;
  bold(text: string): string;
}

const plain: OrdersColors = { red: (t) => t, yellow: (t) => t, bold: (t) => t };

/** The column titles, as the console names them. */
export const ORDER_COLUMNS = ['Tracking number', 'SAP order id', 'Reseller PO', 'Customer PO', 'Account', 'Order date', 'Expires', 'Licenses used/total'] as const;

function account(row: OrderRow): string {
  if (!row.accountId) return 'unassigned';
  if (row.accountKey && row.accountName) return `${row.accountKey} (${row.accountName})`;
  return row.accountKey ?? row.accountName ?? row.accountId;
}

function cells(row: OrderRow): string[] {
  return [row.trackingNumber, row.sapOrderId ?? '', row.resellerPo ?? '', row.customerPo ?? '', account(row), row.orderDate ?? '', row.expiresOn ?? 'never', `${row.licensesUsed}/${row.licensesTotal}`];
}

/** What an expiring order leaves its account, as one sentence. */
export function impactLine(row: OrderRow): string | undefined {
  const i = row.impact;
  if (!i) return undefined;
  const who = account(row);
  if (i.usersWithoutLicense === 0) return `${row.trackingNumber} expires ${row.expiresOn}: ${who} keeps ${i.licensesLeft} licenses for its ${i.licensesHeld} MiTeam users; no user loses MiTeam.`;
  return `${row.trackingNumber} expires ${row.expiresOn}: ${i.usersWithoutLicense} MiTeam user${i.usersWithoutLicense === 1 ? '' : 's'} of ${who} would be left without a license (${i.licensesLeft} licenses left for ${i.licensesHeld} users enabled); renew the order or assign another before then.`;
}

/** The text table, with a summary line and, for `--expiring`, the license impact of each order. */
export function renderOrdersText(rows: readonly OrderRow[], colors: OrdersColors = plain): string {
  if (rows.length === 0) return 'No orders match.\n';
  const table = [ORDER_COLUMNS.slice() as string[], ...rows.map(cells)];
  const widths = ORDER_COLUMNS.map((_, i) => Math.max(...table.map((r) => stringWidth(r[i] ?? ''))));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : padDisplay(c, widths[i] ?? 0))).join('  ').trimEnd();
  const out = [colors.bold(line(table[0] ?? [])), ...rows.map((row, i) => {
    const text = line(table[i + 1] ?? []);
    return row.expired ? colors.red(text) : row.impact ? colors.yellow(text) : text;
  })];
  const unassigned = rows.filter((r) => !r.accountId).length;
  out.push('', `${rows.length} order${rows.length === 1 ? '' : 's'} (${rows.length - unassigned} assigned, ${unassigned} unassigned).`);
  const impacts = rows.map(impactLine).filter((l): l is string => l !== undefined);
  if (impacts.length > 0) out.push('', 'License impact of the expiring orders:', ...impacts.map((l) => `  ${l}`));
  return `${out.join('\n')}\n`;
}
