/**
 * The YAML syntax error of a file as one diagnostic: the first structural error (by position)
 * with a hint about its usual cause. One mis-indented line makes the parser report a cascade
 * of follow-on errors (17 for one line in a 30-line file); those are not listed, because
 * they say nothing once the first is fixed.
 */
import type { LineCounter, YAMLError } from 'yaml';
import type { Diagnostic } from '../model/types.js';

/** What usually causes each of the parser's structural errors, and how to fix it. */
const HINTS: Readonly<Record<string, string>> = {
  BAD_INDENT: 'this line is indented differently from the lines it belongs with; indent it like them, with spaces',
  MISSING_CHAR: 'this line is indented differently from the lines it belongs with, or lacks its "- " or ":"; indent it like them',
  BLOCK_AS_IMPLICIT_KEY: 'the next line is indented deeper than this one, so YAML reads it as part of this value; indent it like this line, or quote a value that contains ": "',
  MULTILINE_IMPLICIT_KEY: 'a key and its value must be on one line; check the indentation of the next line',
  BAD_DQ_ESCAPE: 'a backslash in double quotes starts an escape; use single quotes or write \\\\',
  DUPLICATE_KEY: 'the same field is written twice in one place; keep one',
};

/** The first error of a document, as a diagnostic that says the later ones are not listed. */
export function firstYamlError(errors: readonly YAMLError[], lines: LineCounter, file: string): Diagnostic | undefined {
  const first = [...errors].sort((a, b) => a.pos[0] - b.pos[0])[0];
  if (!first) return undefined;
  const pos = lines.linePos(first.pos[0]);
  const text = first.message.split('\n')[0] ?? first.message;
  const hint = /^Flow (map|sequence)/.test(text) ? 'a { or [ opened above is not closed; close it on its own line or before this one' : HINTS[first.code];
  const later = errors.length - 1;
  const more = later > 0 ? `; fix this first (not listed: ${later === 1 ? '1 later YAML error' : `${later} later YAML errors`} of this file, which may follow from it)` : '';
  return { severity: 'error', file, line: pos.line, column: pos.col, message: `YAML syntax: ${text}${hint ? `: ${hint}` : ''}${more}` };
}
