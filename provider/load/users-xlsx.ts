/**
 * Reads the console's bulk-import template as the Excel workbook (.xlsx) the console hands out,
 * with read-excel-file, and applies the same checks as the CSV form (`users-template.ts`), with
 * the sheet's own row and column numbers in every diagnostic. The workbook is bounded first
 * (`xlsx-zip.ts`: unpacked size within the run's budget, rows and cells within the template's
 * limits), so the parser only ever sees a workbook already counted.
 */
import readXlsxFile from 'read-excel-file/node';
import { checkTemplateRows, type TemplateRow, type UsersTemplateOptions, type UsersTemplateResult } from './users-template.js';
import { InputBudget } from './input-file.js';
import { boundXlsx } from './xlsx-zip.js';

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
 * first sheet), its first non-empty row the header. Its unpacked XML is charged to
 * `options.budget`. Never throws on a bad file.
 */
export async function parseUsersXlsx(content: Buffer, file: string, options: UsersTemplateOptions = {}): Promise<UsersTemplateResult> {
  const budget = options.budget ?? new InputBudget();
  // Bytes read through readUsersTemplate are charged to its budget already; content handed in directly is checked here.
  if (!options.budget && content.length > budget.remaining) return failure(file, `the workbook is ${content.length} bytes, over ${budget.describe()}; split it into several files`);
  const bounded = boundXlsx(content, budget.remaining);
  if (!bounded.ok) {
    const message = /unpacks to more than/.test(bounded.message) ? `${bounded.message}, over ${budget.describe()}; split it into several files` : bounded.message;
    return failure(file, /Excel workbook \(/.test(message) ? `${message}; save the template as "Excel Workbook (.xlsx)" or as "CSV UTF-8" and use fromCsv` : message);
  }
  budget.take(bounded.unpackedBytes);
  let sheets: { sheet: string; data: unknown[][] }[];
  try {
    sheets = (await readXlsxFile(bounded.zip)) as unknown as { sheet: string; data: unknown[][] }[];
  } catch (e) {
    return failure(file, `this is not a readable Excel workbook (${(e as Error).message}); save the template as "Excel Workbook (.xlsx)" or as "CSV UTF-8" and use fromCsv`);
  }
  const toRows = (data: unknown[][]): TemplateRow[] =>
    data.map((cells, index) => ({ cells: cells.map(cellText), line: index + 1 })).filter((row) => row.cells.some((c) => c.trim() !== ''));
  const withEmail = sheets.find((s) => toRows(s.data)[0]?.cells.some((c) => c.toLowerCase().replace(/[^a-z]/g, '').startsWith('email')));
  const sheet = withEmail ?? sheets[0];
  return checkTemplateRows(sheet ? toRows(sheet.data) : [], file, options);
}
