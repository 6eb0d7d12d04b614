/**
 * The console's bulk-import template (columns First Name, Last Name, Name, Email, Role; optional
 * extensions Country and MiTeam) as rows of text, whatever file it came from (CSV or Excel), and
 * the console's checks on it. Every problem is a diagnostic `file:row:col`; all rows are checked
 * in one pass; nothing throws on bad input.
 */
import type { DesiredUser, Diagnostic } from '../model/types.js';
import { isValidEmail, normalizeEmail } from '../model/email.js';
import { ISO_COUNTRIES } from '../model/countries.js';
import { countryFromName } from '../model/country-names.js';
import { canonicalRole } from '../model/schema.js';
import { defaultUserName } from '../model/normalize.js';
import { INPUT_BUDGET_BYTES, type InputBudget } from './input-file.js';

/** Options of the template readers. */
export interface UsersTemplateOptions {
  /** E-mails (normalised) already declared for the account elsewhere; a row repeating one is an error. */
  existingEmails?: ReadonlySet<string>;
  /** The MiTeam toggle for rows without a MiTeam column (default false). */
  defaultMiteam?: boolean;
  /** The byte budget of the run (shared with the other inputs); a fresh one of `INPUT_BUDGET_BYTES` when absent. */
  budget?: InputBudget;
}

/** Users read from a template, plus every problem found. Users are only those rows without errors. */
export interface UsersTemplateResult {
  users: DesiredUser[];
  diagnostics: Diagnostic[];
}

/** One row of the sheet: its cells as text and its 1-based row (line) number in the file. */
export interface TemplateRow {
  cells: string[];
  line: number;
}

/** The template's header cells, in the order the console's template has them. */
export const TEMPLATE_COLUMNS = ['First Name', 'Last Name', 'Name', 'Email', 'Role'] as const;

/** The largest template file read (CSV or Excel): the whole input budget of a run. */
export const MAX_TEMPLATE_BYTES = INPUT_BUDGET_BYTES;

/** Most rows (users) one template may have, header not counted (CSV or all sheets of a workbook). */
export const MAX_TEMPLATE_ROWS = 100_000;

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

function headerKey(cell: string): string {
  return cell.toLowerCase().replace(/[^a-z]/g, '');
}

function parseToggle(raw: string): boolean | undefined {
  const key = raw.trim().toLowerCase();
  if (['yes', 'y', 'true', '1', 'on', 'enabled'].includes(key)) return true;
  if (['', 'no', 'n', 'false', '0', 'off', 'disabled'].includes(key)) return false;
  return undefined;
}

/**
 * Applies the console's checks to a template's rows (the first is the header): a header with
 * Email and at least one name column; per row a valid e-mail not repeated in the file nor
 * declared elsewhere in the account, at least one of First Name, Last Name, Name, a known role
 * (any case; blank is User), a country code, a MiTeam yes/no.
 */
export function checkTemplateRows(rows: readonly TemplateRow[], file: string, options: UsersTemplateOptions = {}): UsersTemplateResult {
  const diagnostics: Diagnostic[] = [];
  const error = (line: number, message: string, column?: number): void => {
    diagnostics.push({ severity: 'error', message, file, line, ...(column ? { column } : {}) });
  };
  const [header, ...body] = rows;
  if (!header) {
    error(1, `the template is empty; it needs a header row (${TEMPLATE_COLUMNS.join(', ')}) and one row per user`);
    return { users: [], diagnostics };
  }
  const columns = new Map<Column, number>();
  header.cells.forEach((cell, index) => {
    const column = HEADER_ALIASES[headerKey(cell)];
    if (column && !columns.has(column)) columns.set(column, index);
  });
  const hasName = columns.has('firstName') || columns.has('lastName') || columns.has('name');
  if (!columns.has('email') || !hasName) {
    const lacking = [...(columns.has('email') ? [] : ['"Email"']), ...(hasName ? [] : ['a name column ("First Name", "Last Name" or "Name")'])];
    error(header.line, `the header row lacks ${lacking.join(' and ')}; use the console template columns ${TEMPLATE_COLUMNS.join(', ')}`, 1);
    return { users: [], diagnostics };
  }

  const seen = new Map<string, number>();
  const users: DesiredUser[] = [];
  for (const { cells, line } of body) {
    const cell = (c: Column): string => {
      const index = columns.get(c);
      return index === undefined ? '' : (cells[index] ?? '').trim();
    };
    const col = (c: Column): number => (columns.get(c) ?? 0) + 1;
    if (cells.every((v) => v.trim() === '')) continue;
    const before = diagnostics.length;
    const firstName = cell('firstName');
    const lastName = cell('lastName');
    const name = cell('name');
    const rawEmail = cell('email');
    const email = normalizeEmail(rawEmail);
    if (!firstName && !lastName && !name) {
      const first = (['firstName', 'lastName', 'name'] as const).find((c) => columns.has(c)) ?? 'firstName';
      error(line, 'First Name, Last Name and Name are all empty; the console needs at least one of them', col(first));
    }
    if (!email) error(line, 'Email is empty; every user needs an e-mail address', col('email'));
    else if (!isValidEmail(email)) error(line, `"${rawEmail}" is not a valid e-mail address; write it as name@domain.example`, col('email'));
    else if (seen.has(email)) error(line, `e-mail ${email} is already on row ${seen.get(email)} of this file; each e-mail may appear once`, col('email'));
    else if (options.existingEmails?.has(email)) error(line, `e-mail ${email} already belongs to another declared user of this account; remove one of the two`, col('email'));
    if (email && !seen.has(email)) seen.set(email, line);
    const role = canonicalRole(cell('role'));
    if (!role) error(line, `role "${cell('role')}" is unknown; leave it blank for User or write "Account Admin" (any case)`, col('role'));
    const country = cell('country');
    if (country && !ISO_COUNTRIES.has(country.toUpperCase())) {
      const hint = countryFromName(country);
      error(line, `country "${country}" is not an ISO 3166 alpha-2 code; use two letters${hint ? `: did you mean "${hint}"?` : ' such as "CA"'}`, col('country'));
    }
    const miteam = columns.has('miteam') ? parseToggle(cell('miteam')) : (options.defaultMiteam ?? false);
    if (miteam === undefined) error(line, `MiTeam "${cell('miteam')}" is not yes or no; write yes or no`, col('miteam'));
    if (diagnostics.length > before || !role || miteam === undefined) continue;
    const user: DesiredUser = {
      email,
      firstName,
      lastName,
      name: name || defaultUserName(firstName, lastName),
      role,
      miteam,
      source: { file, line, column: 1 },
    };
    if (country) user.country = country.toUpperCase();
    users.push(user);
  }
  return { users, diagnostics };
}
