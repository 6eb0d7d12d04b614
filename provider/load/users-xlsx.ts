/**
 * Reads the console's bulk-import template as the Excel workbook (.xlsx) the console hands out,
 * with read-excel-file, and applies the same checks as the CSV form (`users-template.ts`), with
 * the sheet's own row and column numbers in every diagnostic.
 */
import readXlsxFile from 'read-excel-file/node';
import { checkTemplateRows, MAX_TEMPLATE_BYTES, type TemplateRow, type UsersTemplateOptions, type UsersTemplateResult } from './users-template.js';

/** One cell as the text a person sees: numbers and booleans as written, dates as YYYY-MM-DD. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

function failure(file: string, message: string): UsersTemplateResult {
  return { users: [], diagnostics: [{ severity: 'error', file, line: 1, message }] };
}

/**
 * Parses an .xlsx template already in memory: the first sheet that has an Email header (else the
 * first sheet), its first non-empty row the header. Never throws on a bad file.
 */
export async function parseUsersXlsx(content: Buffer, file: string, options: UsersTemplateOptions = {}): Promise<UsersTemplateResult> {
  if (content.length > MAX_TEMPLATE_BYTES) return failure(file, `the workbook is ${content.length} bytes, over the 10 MB limit; split it into several files`);
  let sheets: { sheet: string; data: unknown[][] }[];
  try {
    sheets = (await readXlsxFile(content)) as unknown as { sheet: string; data: unknown[][] }[];
  } catch (e) {
    return failure(file, `this is not a readable Excel workbook (${(e as Error).message}); save the template as "Excel Workbook (.xlsx)" or as "CSV UTF-8" and use fromCsv`);
  }
  const toRows = (data: unknown[][]): TemplateRow[] =>
    data.map((cells, index) => ({ cells: cells.map(cellText), line: index + 1 })).filter((row) => row.cells.some((c) => c.trim() !== ''));
  const withEmail = sheets.find((s) => toRows(s.data)[0]?.cells.some((c) => c.toLowerCase().replace(/[^a-z]/g, '').startsWith('email')));
  const sheet = withEmail ?? sheets[0];
  return checkTemplateRows(sheet ? toRows(sheet.data) : [], file, options);
}
