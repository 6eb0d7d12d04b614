/**
 * Reads the CloudLink console's bulk-import spreadsheet template (columns First Name,
 * Last Name, Name, Email, Role; optional extensions Country and MiTeam) exported as CSV,
 * and applies the console's checks. Every problem is a diagnostic `file:row`, all rows
 * are checked in one pass, and nothing throws on bad input.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { DesiredUser, Diagnostic } from '../model/types.js';
import { isValidEmail, normalizeEmail } from '../model/email.js';
import { ISO_COUNTRIES } from '../model/countries.js';

/** Options of the template reader. */
export interface UsersTemplateOptions {
  /** E-mails (normalised) already declared for the account elsewhere; a row repeating one is an error. */
  existingEmails?: ReadonlySet<string>;
  /** The MiTeam toggle for rows without a MiTeam column (default false). */
  defaultMiteam?: boolean;
}

/** Users read from a template, plus every problem found. Users are only those rows without errors. */
export interface UsersTemplateResult {
  users: DesiredUser[];
  diagnostics: Diagnostic[];
}

type Column = 'firstName' | 'lastName' | 'name' | 'email' | 'role' | 'country' | 'miteam';

const HEADER_ALIASES: Record<string, Column> = {
  firstname: 'firstName',
  lastname: 'lastName',
  name: 'name',
  displayname: 'name',
  email: 'email',
  emailaddress: 'email',
  role: 'role',
  country: 'country',
  region: 'country',
  miteam: 'miteam',
  miteammeetings: 'miteam',
};

const MAX_TEMPLATE_BYTES = 10 * 1024 * 1024;

function headerKey(cell: string): string {
  return cell.toLowerCase().replace(/[^a-z]/g, '');
}

function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]?.[0] ?? ',';
}

function parseRole(raw: string): DesiredUser['role'] | undefined {
  const key = raw.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
  if (key === '' || key === 'user') return 'User';
  if (key === 'account admin') return 'Account Admin';
  return undefined;
}

function parseToggle(raw: string): boolean | undefined {
  const key = raw.trim().toLowerCase();
  if (['yes', 'y', 'true', '1', 'on', 'enabled'].includes(key)) return true;
  if (['', 'no', 'n', 'false', '0', 'off', 'disabled'].includes(key)) return false;
  return undefined;
}

/** Parses template content already in memory. Synchronous, so cdktf synthesis can use it. */
export function parseUsersTemplate(content: Buffer | string, file: string, options: UsersTemplateOptions = {}): UsersTemplateResult {
  const diagnostics: Diagnostic[] = [];
  const error = (line: number, message: string, column?: number): void => {
    diagnostics.push({ severity: 'error', message, file, line, ...(column ? { column } : {}) });
  };
  let text: string;
  if (typeof content === 'string') text = content;
  else {
    if (content.length > MAX_TEMPLATE_BYTES) {
      error(1, `the template is ${content.length} bytes, over the 10 MB limit; split it into several files`);
      return { users: [], diagnostics };
    }
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(content);
    } catch {
      error(1, 'the template is not UTF-8 text; export it from the spreadsheet as "CSV UTF-8"');
      return { users: [], diagnostics };
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') {
    error(1, 'the template is empty; it needs a header row (First Name, Last Name, Name, Email, Role) and one row per user');
    return { users: [], diagnostics };
  }

  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      trim: false,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? 1;
    error(line, `the template is not valid CSV (${(e as Error).message.replace(/^Invalid /, 'invalid ')}); check the quotes on this row`);
    return { users: [], diagnostics };
  }

  const [header, ...rows] = records;
  if (!header) return { users: [], diagnostics };
  const columns = new Map<Column, number>();
  header.record.forEach((cell, index) => {
    const column = HEADER_ALIASES[headerKey(cell)];
    if (column && !columns.has(column)) columns.set(column, index);
  });
  const missing = (['firstName', 'lastName', 'email'] as const).filter((c) => !columns.has(c));
  if (missing.length > 0) {
    error(
      header.info.lines,
      `the header row lacks ${missing.map((c) => ({ firstName: '"First Name"', lastName: '"Last Name"', email: '"Email"' })[c]).join(', ')}; use the console template columns First Name, Last Name, Name, Email, Role`,
    );
    return { users: [], diagnostics };
  }

  const seen = new Map<string, number>();
  const users: DesiredUser[] = [];
  for (const { record, info } of rows) {
    const line = info.lines;
    const cell = (c: Column): string => {
      const index = columns.get(c);
      return index === undefined ? '' : (record[index] ?? '').trim();
    };
    const col = (c: Column): number => (columns.get(c) ?? 0) + 1;
    if (record.every((v) => v.trim() === '')) continue;
    const before = diagnostics.length;
    const firstName = cell('firstName');
    const lastName = cell('lastName');
    const rawEmail = cell('email');
    const email = normalizeEmail(rawEmail);
    if (!firstName) error(line, 'First Name is empty; every user needs a first name', col('firstName'));
    if (!lastName) error(line, 'Last Name is empty; every user needs a last name', col('lastName'));
    if (!email) error(line, 'Email is empty; every user needs an e-mail address', col('email'));
    else if (!isValidEmail(email)) error(line, `"${rawEmail}" is not a valid e-mail address; write it as name@domain.example`, col('email'));
    else if (seen.has(email)) error(line, `e-mail ${email} is already on row ${seen.get(email)} of this file; each e-mail may appear once`, col('email'));
    else if (options.existingEmails?.has(email)) error(line, `e-mail ${email} already belongs to another declared user of this account; remove one of the two`, col('email'));
    if (email && !seen.has(email)) seen.set(email, line);
    const role = parseRole(cell('role'));
    if (!role) error(line, `role "${cell('role')}" is unknown; leave it blank for User or write "Account Admin"`, col('role'));
    const country = cell('country');
    if (country && !ISO_COUNTRIES.has(country.toUpperCase())) {
      error(line, `country "${country}" is not an ISO 3166 alpha-2 code; use two letters such as "CA"`, col('country'));
    }
    const miteam = columns.has('miteam') ? parseToggle(cell('miteam')) : (options.defaultMiteam ?? false);
    if (miteam === undefined) error(line, `MiTeam "${cell('miteam')}" is not yes or no; write yes or no`, col('miteam'));
    if (diagnostics.length > before || !role || miteam === undefined) continue;
    const user: DesiredUser = {
      email,
      firstName,
      lastName,
      name: cell('name') || `${firstName} ${lastName}`,
      role,
      miteam,
      source: { file, line, column: 1 },
    };
    if (country) user.country = country.toUpperCase();
    users.push(user);
  }
  return { users, diagnostics };
}

/** Reads a template file (`.csv`). Spreadsheets (`.xlsx`) are refused with a diagnostic saying to export CSV. */
export async function readUsersTemplate(file: string, options: UsersTemplateOptions = {}): Promise<UsersTemplateResult> {
  if (/\.xlsx?$/i.test(file)) {
    return {
      users: [],
      diagnostics: [{ severity: 'error', file, line: 1, column: 1, message: 'spreadsheets are not read directly; save the template as "CSV UTF-8" and point fromCsv at the .csv file' }],
    };
  }
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      users: [],
      diagnostics: [{ severity: 'error', file, line: 1, column: 1, message: code === 'ENOENT' ? 'the CSV file does not exist; check the fromCsv path (it is relative to the YAML file)' : `the CSV file cannot be read (${code ?? 'error'})` }],
    };
  }
  return parseUsersTemplate(content, file, options);
}
