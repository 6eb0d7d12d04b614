/**
 * The YAML loader: many files or folders in, one canonical `Tenancy` out, or every problem
 * found as `file:line:col` diagnostics. Never throws on bad input; reports all problems of
 * all files in one run.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { z } from 'zod';
import type { Diagnostic, DesiredUser, SourceLocation, Tenancy } from '../model/types.js';
import { API_VERSION, tenancyDocumentSchema, tenancySchema, type AccountDocument } from '../model/schema.js';
import { BUILTIN_DEFAULTS, normalizeAccount, type TenancyDefaults } from '../model/normalize.js';
import { checkAccounts, where } from '../model/checks.js';
import { readSourceFiles, type SourceFile } from './files.js';
import { locate, pathLabel } from './positions.js';
import { salvageAccount } from './salvage.js';
import { isXlsxPath, readUsersTemplate } from './users-csv.js';

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

function zodDiagnostics(error: z.ZodError, doc: Document, lines: LineCounter, file: string, prefix: PropertyKey[] = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of error.issues) {
    const fullPath = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const at = locate(doc, lines, file, fullPath, key);
        out.push({ severity: 'error', ...at, message: `${pathLabel([...fullPath, key])}: unknown field "${key}"; remove it or check its spelling against the schema` });
      }
      continue;
    }
    const at = locate(doc, lines, file, fullPath);
    const label = pathLabel(fullPath);
    out.push({ severity: 'error', ...at, message: label ? `${label}: ${issue.message}` : issue.message });
  }
  return out;
}

function tabDiagnostics(file: SourceFile): Diagnostic[] {
  const out: Diagnostic[] = [];
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
  const lines = new LineCounter();
  const docs = parseAllDocuments(file.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length === 0 || list.every((d) => d.contents === null)) {
    diagnostics.push({ severity: 'error', file: file.display, line: 1, column: 1, message: `the file is empty; a tenancy file starts with "apiVersion: ${API_VERSION}" and "kind: Tenancy"` });
    return facts;
  }
  for (const doc of list) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = lines.linePos(e.pos[0]);
        const text = e.message.split('\n')[0] ?? e.message;
        diagnostics.push({ severity: 'error', file: file.display, line: pos.line, column: pos.col, message: `YAML syntax: ${text}` });
      }
      continue;
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (e) {
      diagnostics.push({ severity: 'error', file: file.display, line: 1, column: 1, message: `the document expands too many aliases (${(e as Error).message}); write the values out instead of anchors` });
      continue;
    }
    const parsed = tenancyDocumentSchema.safeParse(data);
    if (!parsed.success) {
      diagnostics.push(...zodDiagnostics(parsed.error, doc, lines, file.display));
      // Keep the accounts that are valid on their own, so cross-file checks still run.
      // Accounts with field errors are repaired for those checks only (salvage.ts): one run shows every problem.
      const raw = (data as { accounts?: unknown } | null)?.accounts;
      if (Array.isArray(raw)) {
        raw.forEach((item, index) => {
          const one = salvageAccount(item);
          if (one) facts.accounts.push(accountFacts(one, index, doc, lines, file));
        });
      }
      const partnerId = (data as { partner?: { id?: unknown } } | null)?.partner?.id;
      if (typeof partnerId === 'string' && partnerId.trim() !== '') facts.partner = { id: partnerId, at: locate(doc, lines, file.display, ['partner', 'id']) };
      continue;
    }
    const value = parsed.data;
    if (value.partner) facts.partner = { id: value.partner.id, at: locate(doc, lines, file.display, ['partner', 'id']) };
    if (value.defaults?.users?.policy) facts.defaults.usersPolicy = { value: value.defaults.users.policy, at: locate(doc, lines, file.display, DEFAULT_PATHS.usersPolicy) };
    if (value.defaults?.welcomeEmail) facts.defaults.welcomeEmail = { value: value.defaults.welcomeEmail, at: locate(doc, lines, file.display, DEFAULT_PATHS.welcomeEmail) };
    if (value.defaults?.accountCreation) facts.defaults.accountCreation = { value: value.defaults.accountCreation, at: locate(doc, lines, file.display, DEFAULT_PATHS.accountCreation) };
    (value.accounts ?? []).forEach((account, index) => facts.accounts.push(accountFacts(account, index, doc, lines, file)));
  }
  return facts;
}

function accountFacts(doc: AccountDocument, index: number, yaml: Document, lines: LineCounter, file: SourceFile): ParsedAccount {
  const base = ['accounts', index];
  const result: ParsedAccount = {
    doc,
    file,
    source: locate(yaml, lines, file.display, [...base, 'key']),
    userSources: (doc.users?.items ?? []).map((_, i) => locate(yaml, lines, file.display, [...base, 'users', 'items', i, 'email'])),
    miteamSources: (doc.users?.items ?? []).map((u, i) => (u.miteam !== undefined ? locate(yaml, lines, file.display, [...base, 'users', 'items', i], 'miteam') : undefined)),
    contactSources: (doc.supportContacts ?? []).map((_, i) => locate(yaml, lines, file.display, [...base, 'supportContacts', i])),
    templateSources: {},
  };
  for (const field of TEMPLATE_FIELDS) {
    if (doc.users?.[field]) result.templateSources[field] = locate(yaml, lines, file.display, [...base, 'users', field]);
  }
  return result;
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/** The two ways to point at the console's bulk-import template. */
const TEMPLATE_FIELDS = ['fromCsv', 'fromXlsx'] as const;

async function templateUsers(account: ParsedAccount, roots: readonly string[], cwd: string, diagnostics: Diagnostic[]): Promise<DesiredUser[]> {
  const out: DesiredUser[] = [];
  const existing = new Set((account.doc.users?.items ?? []).map((u) => u.email.trim().toLowerCase()));
  for (const field of TEMPLATE_FIELDS) {
    const relative = account.doc.users?.[field];
    const at = account.templateSources[field];
    if (!relative || !at) continue;
    const templatePath = path.resolve(path.dirname(account.file.absolute), relative);
    const inside = roots.some((root) => {
      const rel = path.relative(root, templatePath);
      return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
    });
    if (!inside) {
      diagnostics.push({ severity: 'error', ...at, message: `${field} "${relative}" points outside the folders given on the command line; keep the ${field === 'fromCsv' ? 'CSV' : 'workbook'} next to the YAML files` });
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
    const result = await readUsersTemplate(templatePath, { existingEmails: existing });
    const shown = path.relative(cwd, templatePath) || templatePath;
    diagnostics.push(...result.diagnostics.map((d) => ({ ...d, file: shown })));
    for (const u of result.users) {
      existing.add(u.email);
      out.push({ ...u, source: { file: shown, line: u.source?.line ?? 1, column: 1 } });
    }
  }
  return out;
}

/**
 * Loads the tenancy declared by YAML files and folders (merged). `cwd` resolves relative
 * paths and shortens file names in diagnostics.
 */
export async function loadTenancy(paths: readonly string[], options: { cwd?: string } = {}): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const { files, diagnostics } = await readSourceFiles(paths, cwd);
  const roots = await Promise.all(
    paths.map(async (p) => {
      const absolute = path.resolve(cwd, p);
      try {
        return (await stat(absolute)).isDirectory() ? absolute : path.dirname(absolute);
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

  const accounts = [];
  for (const f of facts) {
    for (const parsed of f.accounts) {
      const extra = await templateUsers(parsed, roots, cwd, diagnostics);
      accounts.push(normalizeAccount(parsed.doc, defaults, { account: parsed.source, users: parsed.userSources, miteam: parsed.miteamSources, contacts: parsed.contactSources }, extra));
    }
  }
  diagnostics.push(...checkAccounts(accounts));
  diagnostics.sort(byPosition);

  if (diagnostics.some((d) => d.severity === 'error') || !partner) return { diagnostics };
  return { tenancy: { apiVersion: API_VERSION, kind: 'Tenancy', partner: { id: partner.id }, accounts }, diagnostics };
}

/** Reads a canonical `tenancy.json` (as cdktf synthesis writes it). */
export function parseCanonicalTenancy(text: string, file: string): LoadResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { diagnostics: [{ severity: 'error', file, line: 1, column: 1, message: `not valid JSON (${(e as Error).message}); re-run "cdktf synth"` }] };
  }
  const parsed = tenancySchema.safeParse(data);
  if (!parsed.success) {
    return {
      diagnostics: parsed.error.issues.map((i) => ({ severity: 'error' as const, file, line: 1, column: 1, message: `${pathLabel(i.path)}: ${i.message}; re-run "cdktf synth" with this version of cloudlink-tenancy` })),
    };
  }
  const tenancy = parsed.data as Tenancy;
  const diagnostics = checkAccounts(tenancy.accounts);
  return diagnostics.some((d) => d.severity === 'error') ? { diagnostics } : { tenancy, diagnostics };
}
