/**
 * Writes the console's bulk-import template (the header row First Name, Last Name, Name, Email,
 * Role) as an Excel workbook or CSV, for `cloudlink-tenancy users template`.
 */
import writeXlsxFile from 'write-excel-file/node';
import { TEMPLATE_COLUMNS } from './users-template.js';

/** The template file's bytes: `.xlsx` when `xlsx` is true (a bold, frozen header row), else CSV (UTF-8, CRLF). */
export async function templateFileContent(xlsx: boolean): Promise<Buffer> {
  if (!xlsx) return Buffer.from(`${TEMPLATE_COLUMNS.join(',')}\r\n`, 'utf8');
  const header = TEMPLATE_COLUMNS.map((value) => ({ value, fontWeight: 'bold' as const }));
  return writeXlsxFile([header], { sheet: 'Users', columns: TEMPLATE_COLUMNS.map((c) => ({ width: c === 'Email' ? 36 : 18 })), stickyRowsCount: 1 }).toBuffer();
}
