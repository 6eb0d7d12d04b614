/**
 * The YAML loader: many files or folders in, one canonical `Tenancy` out, or every problem
 * found as `file:line:col` diagnostics. Never throws on bad input; reports all problems of
 * all files in one run.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic, DesiredUser, SourceLocation, Tenancy } from '../model/types.js';
import { API_VERSION, tenancyDocumentSchema, type AccountDocument } from '../model/schema.js';
import { BUILTIN_DEFAULTS, normalizeAccount, type TenancyDefaults } from '../model/normalize.js';
import { checkAccounts, where } from '../model/checks.js';
import { INPUT_BUDGET_CODE, readSourceFiles, type SourceFile } from './files.js';
import { locate, locateEach, type Positions } from './positions.js';
import { readYaml } from './read-yaml.js';
import { zodDiagnostics } from './zod-diagnostics.js';
import { salvageAccount } from './salvage.js';
import { firstYamlError } from './yaml-errors.js';
import { isXlsxPath, parseUsersTemplate } from './users-csv.js';
import { parseUsersXlsx } from './users-xlsx.js';
import { InputBudget, isInside, readInputFile, realPathOf } from './input-file.js';

/** The loader's answer: a tenancy only when there is no error diagnostic. */
export interface LoadResult {
  tenancy?: Tenancy;
  diagnostics: Diagnostic[];
}

/** Most aliases a document may expand (refuses "billion laughs" documents). */
const MAX_ALIASES = 100;

interface ParsedAccount {
  doc: AccountDocument;
  file: SourceFile;
  source: SourceLocation;
  userSources: SourceLocation[];
  /** Where each user's `miteam` key is (undefined where it is not written). */
  miteamSources: (SourceLocation | undefined)[];
  contactSources: SourceLocation[];
  /** Where `users.fromCsv` / `users.fromXlsx` are written. */
  templateSources: { fromCsv?: SourceLocation; fromXlsx?: SourceLocation };
}

/** Where each tenancy-wide default is written in a file. */
const DEFAULT_PATHS: { [K in keyof TenancyDefaults]: string[] } = {
  usersPolicy: ['defaults', 'users', 'policy'],
  welcomeEmail: ['defaults', 'welcomeEmail'],
  accountCreation: ['defaults', 'accountCreation'],
};

interface FileFacts {
  partner?: { id: string; at: SourceLocation };
  defaults: { [K in keyof TenancyDefaults]?: { value: TenancyDefaults[K]; at: SourceLocation } };
  accounts: ParsedAccount[];
}

function tabDiagnostics(file: SourceFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Most files have no tab at all: then there is nothing to look for line by line.
  if (!file.text.includes('\t')) return out;
  file.text.split(/\r?\n/).forEach((line, index) => {
    const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
    const tab = indent.indexOf('\t');
    if (tab >= 0 && line.trim() !== '') {
      out.push({ severity: 'error', file: file.display, line: index + 1, column: tab + 1, message: 'a tab is used for indentation; YAML indents with spaces only, replace the tab with spaces' });
    }
  });
  return out;
}

function parseFile(file: SourceFile, diagnostics: Diagnostic[]): FileFacts {
  const facts: FileFacts = { defaults: {}, accounts: [] };
  const tabs = tabDiagnostics(file);
  if (tabs.length > 0) {
    diagnostics.push(...tabs);
    return facts;
  }
  const { lines, docs } = readYaml(file.text);
  if (docs.length === 0 || docs.every((d) => d.empty)) {
    diagnostics.push({ severity: 'error', file: file.display, line: 1, column: 1, message: `the file is empty; a tenancy file starts with "apiVersion: ${API_VERSION}" and "kind: Tenancy"` });
    return facts;
  }
  for (const doc of docs) {
    const syntax = firstYamlError(doc.errors, lines, file.display);
    if (syntax) {
      // The first structural error only, then stop reading this file: the rest is a cascade.
      diagnostics.push(syntax);
      return facts;
    }
    let data: unknown;
    try {
      data = doc.toJS(MAX_ALIASES);
    } catch (e) {
      diagnostics.push({ severity: 'error', file: file.display, line: 1, column: 1, message: `the document expands too many aliases (${(e as Error).message}); write the values out instead of anchors` });
      continue;
    }
    const at = doc.at;
    const parsed = tenancyDocumentSchema.safeParse(data);
    if (!parsed.success) {
      diagnostics.push(...zodDiagnostics(parsed.error, at, file.display));
      // Keep the accounts that are valid on their own, so cross-file checks still run.
      // Accounts with field errors are repaired for those checks only (salvage.ts): one run shows every problem.
      const raw = (data as { accounts?: unknown } | null)?.accounts;
      if (Array.isArray(raw)) {
        raw.forEach((item, index) => {
          const one = salvageAccount(item);
          if (one) facts.accounts.push(accountFacts(one, index, at, file));
        });
      }
      const partnerId = (data as { partner?: { id?: unknown } } | null)?.partner?.id;
      if (typeof partnerId === 'string' && partnerId.trim() !== '') facts.partner = { id: partnerId, at: locate(at, file.display, ['partner', 'id']) };
      continue;
    }
    const value = parsed.data;
    if (value.partner) facts.partner = { id: value.partner.id, at: locate(at, file.display, ['partner', 'id']) };
    if (value.defaults?.users?.policy) facts.defaults.usersPolicy = { value: value.defaults.users.policy, at: locate(at, file.display, DEFAULT_PATHS.usersPolicy) };
    if (value.defaults?.welcomeEmail) facts.defaults.welcomeEmail = { value: value.defaults.welcomeEmail, at: locate(at, file.display, DEFAULT_PATHS.welcomeEmail) };
    if (value.defaults?.accountCreation) facts.defaults.accountCreation = { value: value.defaults.accountCreation, at: locate(at, file.display, DEFAULT_PATHS.accountCreation) };
    (value.accounts ?? []).forEach((account, index) => facts.accounts.push(accountFacts(account, index, at, file)));
  }
  return facts;
}

function accountFacts(doc: AccountDocument, index: number, at: Positions, file: SourceFile): ParsedAccount {
  const base = ['accounts', index];
  const items = [...base, 'users', 'items'];
  const users = doc.users?.items ?? [];
  const result: ParsedAccount = {
    doc,
    file,
    source: locate(at, file.display, [...base, 'key']),
    userSources: locateEach(at, file.display, items, users.length, ['email']),
    miteamSources: locateEach(at, file.display, items, users.length, [], 'miteam').map((where, i) => (users[i]?.miteam !== undefined ? where : undefined)),
    contactSources: (doc.supportContacts ?? []).map((_, i) => locate(at, file.display, [...base, 'supportContacts', i])),
    templateSources: {},
  };
  for (const field of TEMPLATE_FIELDS) {
    if (doc.users?.[field]) result.templateSources[field] = locate(at, file.display, [...base, 'users', field]);
  }
  return result;
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/** The two ways to point at the console's bulk-import template. */
const TEMPLATE_FIELDS = ['fromCsv', 'fromXlsx'] as const;

/** One template an account points at, read (bytes only) or refused. */
interface TemplateRead {
  field: (typeof TEMPLATE_FIELDS)[number];
  shown: string;
  at: SourceLocation;
  bytes?: Buffer;
  /** True when it was refused for the run's byte budget. */
  overBudget?: boolean;
}

/**
 * Reads (does not parse) the templates of one account: confined by real path to `roots`, regular
 * files only, charged to `budget`. Parsing waits until every input of the run is read, so a run
 * over its budget is refused before any template is parsed.
 */
async function readTemplates(account: ParsedAccount, roots: readonly string[], cwd: string, budget: InputBudget, diagnostics: Diagnostic[]): Promise<TemplateRead[]> {
  const out: TemplateRead[] = [];
  for (const field of TEMPLATE_FIELDS) {
    const relative = account.doc.users?.[field];
    const at = account.templateSources[field];
    if (!relative || !at) continue;
    const kind = field === 'fromCsv' ? 'CSV' : 'workbook';
    const templatePath = path.resolve(path.dirname(account.file.absolute), relative);
    if (!isInside(templatePath, roots) && !isInside(await realPathOf(templatePath), roots)) {
      diagnostics.push({ severity: 'error', ...at, message: `${field} "${relative}" points outside the folders given on the command line; keep the ${kind} next to the YAML files` });
      continue;
    }
    if (field === 'fromXlsx' && !isXlsxPath(templatePath)) {
      diagnostics.push({ severity: 'error', ...at, message: `fromXlsx "${relative}" is not an .xlsx file; point fromXlsx at the Excel template, or use fromCsv for a CSV file` });
      continue;
    }
    if (field === 'fromCsv' && isXlsxPath(templatePath)) {
      diagnostics.push({ severity: 'error', ...at, message: `fromCsv "${relative}" is an Excel workbook; write it as fromXlsx: ${relative}` });
      continue;
    }
    const shown = path.relative(cwd, templatePath) || templatePath;
    // Confinement by real path: a symlink inside the folder that leads out of it is refused here.
    const read = await readInputFile(templatePath, budget, { roots });
    if (!read.ok) {
      const message =
        read.reason === 'missing'
          ? `${field} "${relative}": the ${kind} file does not exist; check the path (it is relative to the YAML file)`
          : read.reason === 'outside'
            ? `${field} "${relative}" ${read.message}; keep the ${kind} itself next to the YAML files`
            : `${field} "${relative}": the ${kind} file ${read.message}`;
      diagnostics.push({ severity: 'error', ...at, message });
      out.push({ field, shown, at, overBudget: read.reason === 'budget' });
      continue;
    }
    out.push({ field, shown, at, bytes: read.bytes });
  }
  return out;
}

/** Parses the templates `readTemplates` read, checking e-mails against the account's own items. */
async function templateUsers(account: ParsedAccount, reads: readonly TemplateRead[], budget: InputBudget, diagnostics: Diagnostic[]): Promise<DesiredUser[]> {
  const out: DesiredUser[] = [];
  const existing = new Set((account.doc.users?.items ?? []).map((u) => u.email.trim().toLowerCase()));
  for (const read of reads) {
    if (!read.bytes) continue;
    const options = { existingEmails: existing, budget };
    const result = read.field === 'fromXlsx' ? await parseUsersXlsx(read.bytes, read.shown, options) : parseUsersTemplate(read.bytes, read.shown, options);
    diagnostics.push(...result.diagnostics.map((d) => ({ ...d, file: read.shown })));
    for (const u of result.users) {
      existing.add(u.email);
      out.push({ ...u, source: { file: read.shown, line: u.source?.line ?? 1, column: 1 } });
    }
  }
  return out;
}

/**
 * Loads the tenancy declared by YAML files and folders (merged). `cwd` resolves relative
 * paths and shortens file names in diagnostics.
 */
export async function loadTenancy(paths: readonly string[], options: { cwd?: string; budget?: InputBudget } = {}): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  // One byte budget for every input of the run: YAML, CSV and Excel (unpacked) together.
  const budget = options.budget ?? new InputBudget();
  const { files, diagnostics } = await readSourceFiles(paths, cwd, budget);
  // Over the budget: parse nothing (the run is refused anyway; parsing would cost what the budget prevents).
  if (diagnostics.some((d) => d.code === INPUT_BUDGET_CODE)) return { diagnostics };
  // Real paths (symlinks resolved) of the folders given: templates must really lie inside them.
  const roots = await Promise.all(
    paths.map(async (p) => {
      const absolute = path.resolve(cwd, p);
      try {
        return realPathOf((await stat(absolute)).isDirectory() ? absolute : path.dirname(absolute));
      } catch {
        return absolute;
      }
    }),
  );

  const facts = files.map((file) => parseFile(file, diagnostics));
  let partner: { id: string; at: SourceLocation } | undefined;
  const defaults: TenancyDefaults = { ...BUILTIN_DEFAULTS };
  const setAt: { [K in keyof TenancyDefaults]?: SourceLocation } = {};
  for (const f of facts) {
    if (f.partner) {
      if (partner && partner.id !== f.partner.id) {
        diagnostics.push({ severity: 'error', ...f.partner.at, message: `partner.id "${f.partner.id}" differs from "${partner.id}" at ${where(partner.at)}; one tenancy belongs to one partner` });
      } else partner ??= f.partner;
    }
    for (const name of Object.keys(DEFAULT_PATHS) as (keyof TenancyDefaults)[]) {
      const given = f.defaults[name];
      if (!given) continue;
      const first = setAt[name];
      if (first && defaults[name] !== given.value) {
        diagnostics.push({ severity: 'error', ...given.at, message: `${DEFAULT_PATHS[name].join('.')} is set differently at ${where(first)}; set the defaults in one file` });
      }
      (defaults as Record<keyof TenancyDefaults, string>)[name] = given.value;
      setAt[name] ??= given.at;
    }
  }
  if (!partner && files.length > 0 && !diagnostics.some((d) => d.severity === 'error')) {
    diagnostics.push({ severity: 'error', file: files[0]?.display, line: 1, column: 1, message: 'no file sets partner.id; add "partner: { id: <your partner account id> }" to one file' });
  }

  const parsedAccounts = facts.flatMap((f) => f.accounts);
  const reads: TemplateRead[][] = [];
  for (const parsed of parsedAccounts) reads.push(await readTemplates(parsed, roots, cwd, budget, diagnostics));
  // Over the budget: parse no template at all (the run is refused anyway; parsing would cost what the budget prevents).
  const overBudget = reads.some((list) => list.some((r) => r.overBudget));
  const accounts = [];
  for (const [index, parsed] of parsedAccounts.entries()) {
    const extra = overBudget ? [] : await templateUsers(parsed, reads[index] ?? [], budget, diagnostics);
    accounts.push(normalizeAccount(parsed.doc, defaults, { account: parsed.source, users: parsed.userSources, miteam: parsed.miteamSources, contacts: parsed.contactSources }, extra));
  }
  diagnostics.push(...checkAccounts(accounts));
  diagnostics.sort(byPosition);

  if (diagnostics.some((d) => d.severity === 'error') || !partner) return { diagnostics };
  return { tenancy: { apiVersion: API_VERSION, kind: 'Tenancy', partner: { id: partner.id }, accounts }, diagnostics };
}

export { parseCanonicalTenancy } from './tenancy-json.js';
