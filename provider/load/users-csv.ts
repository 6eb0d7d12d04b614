/**
 * Reads the CloudLink console's bulk-import template saved as CSV (quoted fields, a UTF-8 BOM,
 * CRLF line ends, comma/semicolon/tab separators) and applies the console's checks
 * (`users-template.ts`). `readUsersTemplate` also reads the Excel (.xlsx) form. Nothing throws on
 * bad input: every problem is a diagnostic `file:row:col`.
 */
import { parse, type Options } from 'csv-parse/sync';
import { checkTemplateRows, MAX_TEMPLATE_ROWS, TEMPLATE_COLUMNS, type TemplateRow, type UsersTemplateOptions, type UsersTemplateResult } from './users-template.js';
import { parseUsersXlsx } from './users-xlsx.js';
import { InputBudget, readInputFile } from './input-file.js';

export type { UsersTemplateOptions, UsersTemplateResult } from './users-template.js';

function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]?.[0] ?? ',';
}

/**
 * The number of non-empty records in CSV text, counted up to `limit + 1` by one scan that honours
 * quotes (a quoted line break is not a record end). Cheap: the row limit is checked before parsing.
 */
export function countCsvRecords(text: string, limit: number): number {
  let records = 0;
  let quoted = false;
  let content = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x22) quoted = !quoted;
    if (!quoted && (c === 0x0a || c === 0x0d)) {
      if (content) records += 1;
      content = false;
      if (records > limit) return records;
    } else if (c !== 0x20 && c !== 0x09) content = true;
  }
  return content ? records + 1 : records;
}

/**
 * csv-parse's records as template rows: each record becomes its row (cells and line) as it is
 * parsed, so the parser's per-record info object dies young instead of living in a list of
 * `{ record, info }` mapped after the whole file (a 30,000-row template: tens of MB less garbage).
 */
function parseRows(text: string, options: Omit<Options, 'on_record' | 'info' | 'columns'>): TemplateRow[] {
  const toRow = (record: string[], context: { lines: number }): TemplateRow => ({ cells: record, line: context.lines });
  // The typings have no overload for an on_record that changes the record's type without `columns`.
  return parse(text, { ...options, on_record: toRow as unknown as Options['on_record'] }) as unknown as TemplateRow[];
}

function failure(file: string, message: string, line = 1): UsersTemplateResult {
  return { users: [], diagnostics: [{ severity: 'error', file, line, message }] };
}

/** Parses CSV template content already in memory. Synchronous, so cdktf synthesis can use it. */
export function parseUsersTemplate(content: Buffer | string, file: string, options: UsersTemplateOptions = {}): UsersTemplateResult {
  let text: string;
  if (typeof content === 'string') text = content;
  else {
    // Bytes read through readUsersTemplate are charged to its budget already; content handed in directly is checked here.
    const fresh = new InputBudget();
    if (!options.budget && content.length > fresh.remaining) return failure(file, `the template is ${content.length} bytes, over ${fresh.describe()}; split it into several files`);
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(content);
    } catch {
      return failure(file, 'the template is not UTF-8 text; export it from the spreadsheet as "CSV UTF-8" (or point fromXlsx at the .xlsx file)');
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return failure(file, `the template is empty; it needs a header row (${TEMPLATE_COLUMNS.join(', ')}) and one row per user`);

  const tooMany = `the template has more than ${MAX_TEMPLATE_ROWS} rows, the limit of one template; split the users over several files`;
  if (countCsvRecords(text, MAX_TEMPLATE_ROWS + 1) > MAX_TEMPLATE_ROWS + 1) return failure(file, tooMany);
  let rows: TemplateRow[];
  try {
    rows = parseRows(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      skip_empty_lines: true,
      trim: false,
      // Stop one row past the limit: a huge file costs at most the limit before it is refused.
      to: MAX_TEMPLATE_ROWS + 2,
    });
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? 1;
    return failure(file, `the template is not valid CSV (${(e as Error).message.replace(/^Invalid /, 'invalid ')}); check the quotes on this row`, line);
  }
  if (rows.length > MAX_TEMPLATE_ROWS + 1) return failure(file, tooMany);
  return checkTemplateRows(rows, file, options);
}

/** True when a template path names an Excel workbook rather than CSV. */
export function isXlsxPath(file: string): boolean {
  return /\.xlsx$/i.test(file);
}

/** Where a template may be read from: the real paths of the folders given on the command line. */
export interface ReadTemplateOptions extends UsersTemplateOptions {
  /** When given, the template's real path (symlinks followed) must be inside one of these real paths. */
  roots?: readonly string[];
  /** How the missing-file message says where the path is relative to (default: the YAML file). */
  relativeTo?: string;
}

/**
 * Reads a template file: `.xlsx` (the console's Excel template, first sheet) or CSV. An old
 * binary `.xls` is refused with a diagnostic saying to save it as .xlsx or CSV. Only a regular
 * file is read, within the run's budget and, with `roots`, only inside them (`input-file.ts`).
 */
export async function readUsersTemplate(file: string, options: ReadTemplateOptions = {}): Promise<UsersTemplateResult> {
  if (/\.xls$/i.test(file)) return failure(file, 'old binary .xls workbooks are not read; save the template as "Excel Workbook (.xlsx)" or "CSV UTF-8"');
  const budget = options.budget ?? new InputBudget();
  const kind = isXlsxPath(file) ? 'Excel' : 'CSV';
  const read = await readInputFile(file, budget, options.roots ? { roots: options.roots } : {});
  if (!read.ok) {
    if (read.reason === 'missing') return failure(file, `the ${kind} file does not exist; check the path (it is relative to ${options.relativeTo ?? 'the YAML file'})`);
    return failure(file, `the ${kind} file ${read.message}`);
  }
  const parseOptions = { ...options, budget };
  return isXlsxPath(file) ? parseUsersXlsx(read.bytes, file, parseOptions) : parseUsersTemplate(read.bytes, file, parseOptions);
}
