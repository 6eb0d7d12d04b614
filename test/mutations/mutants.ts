/**
 * Deliberate breakages the test suite must catch (`npm run test:mutations`). Each mutant names
 * the code it breaks by a text anchor that must occur exactly once under `provider/` (so a
 * refactor that moves the code makes the mutant fail loudly instead of silently passing), the
 * replacement, and the test files that must go red.
 */
export interface Mutant {
  name: string;
  /** What the breakage means for a user. */
  why: string;
  /** Edits: each `find` must occur exactly once in the files under `provider/`. */
  edits: { find: string; replace: string }[];
  /** Build `dist/` in the scratch copy first (for tests that run the built CLI as a child process). */
  build?: boolean;
  /** Test files run against the mutant, by vitest config. */
  tests: { config: 'test/vitest.config.ts' | 'test/faults/vitest.config.ts'; files: string[] }[];
}

export const MUTANTS: Mutant[] = [
  {
    name: 'binding not one-to-one',
    why: 'two declared accounts (a copy by name, an adopt by number, a previous key still declared) bind one live account, and --destroy-account of the copy deletes the original',
    edits: [{ find: 'if (list.length < 2) return b;', replace: 'return b;' }],
    tests: [{ config: 'test/vitest.config.ts', files: ['test/engine/binding.test.ts', 'test/engine/identity-cli.test.ts'] }],
  },
  {
    name: 'no live protection guard',
    why: 'a plan deleting an account whose identity tag says protect: true is not refused (exit 3) when the file or the flag no longer says protect',
    edits: [{ find: 'if (a?.protected !== true) continue;', replace: 'continue;' }],
    tests: [{ config: 'test/vitest.config.ts', files: ['test/engine/binding.test.ts', 'test/engine/identity-cli.test.ts'] }],
  },
  {
    name: 'no live protection at delete time',
    why: 'the account delete does not re-read the live tag, so a saved or hand-made plan deletes a protected account',
    edits: [{ find: 'if (live?.protected === true) throw new Error(', replace: "if (false as boolean) throw new Error(" }],
    tests: [{ config: 'test/vitest.config.ts', files: ['test/engine/identity-cli.test.ts'] }],
  },
  {
    name: 'tagged accounts taken over by name',
    why: 'a partial run or an undeclared key change takes over an account tagged with another key by its name, and plans deleting its users',
    edits: [{ find: 'const untagged = named.filter((a) => a.identityKey === undefined);', replace: 'const untagged = named;' }],
    tests: [{ config: 'test/vitest.config.ts', files: ['test/engine/identity.test.ts', 'test/engine/identity-cli.test.ts'] }],
  },
  {
    name: 'destroy of a renamed key allowed',
    why: 'the removed identity resource of a rename runs --destroy-account <old key> and deletes the renamed account with its users',
    edits: [{ find: '  if (renamed) {', replace: '  if (renamed && Date.now() < 0) {' }],
    tests: [{ config: 'test/vitest.config.ts', files: ['test/engine/binding.test.ts', 'test/cdktf/cdktf.test.ts'] }],
  },
  {
    name: 'no re-read after a lost answer',
    why: 'after an ambiguous create failure the client POSTs again instead of looking the object up by natural key',
    edits: [{ find: 'mustLookUp = true;', replace: 'mustLookUp = false;' }],
    tests: [{ config: 'test/faults/vitest.config.ts', files: ['test/faults/lost-answers.test.ts'] }],
  },
  {
    name: 'no welcome de-duplication',
    why: 'the welcome e-mail is sent without checking the tag or the claim, so overlapping runs each send one',
    edits: [
      { find: "if (user.welcomeSentOn !== undefined && !options.force) return 'unchanged';", replace: '' },
      { find: "if (check?.welcomeClaim !== claim && !options.force) return 'unchanged';", replace: '' },
    ],
    tests: [{ config: 'test/faults/vitest.config.ts', files: ['test/faults/concurrency.test.ts'] }],
  },
  {
    name: 'no max-deletes guard',
    why: 'a plan deleting more than --max-deletes objects is no longer refused',
    edits: [{ find: 'if (count <= max) return undefined;', replace: 'return undefined;' }],
    tests: [{ config: 'test/vitest.config.ts', files: ['test/engine/diff.test.ts', 'test/engine/plan-apply.test.ts', 'test/cli.test.ts'] }],
  },
  {
    name: 'no protected-account guard',
    why: '--destroy-account deletes an account declared protect: true',
    edits: [{ find: 'if (p.d.protect) {', replace: 'if (p.d.protect && Date.now() < 0) {' }],
    tests: [{ config: 'test/vitest.config.ts', files: ['test/engine/diff.test.ts', 'test/engine/plan-apply.test.ts', 'test/cli.test.ts'] }],
  },
  {
    name: 'no secret redaction',
    why: 'passwords, client secrets and tokens reach errors, traces and reports unredacted',
    edits: [
      { find: "SECRET_KEY.test(k) ? '[redacted]' : redact(v)", replace: 'redact(v)' },
      { find: "for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');", replace: '' },
      { find: "out = out.replace(/(bearer\\s+)[A-Za-z0-9._~+/=-]+/gi, '$1[redacted]');", replace: '' },
    ],
    tests: [
      { config: 'test/faults/vitest.config.ts', files: ['test/faults/secrets.test.ts'] },
    ],
  },
  {
    name: 'no account-race settlement',
    why: 'two runs creating the same account at once both keep theirs: a duplicate customer account',
    edits: [{ find: 'return settleAccountRace(api, partnerId, fields.name, key, created.value);', replace: 'return created;' }],
    tests: [{ config: 'test/faults/vitest.config.ts', files: ['test/faults/concurrency.test.ts'] }],
  },
  {
    name: 'welcome recorded only after the send (checked by the crash trials alone)',
    why: 'a run killed between the send and the record leaves an e-mail nobody recorded; the next run sends a second one',
    edits: [
      { find: 'await api.users.recordWelcome(accountId, userId, sentOn, true, claim);', replace: '' },
      { find: "if (check?.welcomeClaim !== claim && !options.force) return 'unchanged';", replace: '' },
    ],
    build: true,
    tests: [{ config: 'test/faults/vitest.config.ts', files: ['test/faults/crash.test.ts'] }],
  },
  {
    name: 'ambiguous welcome send not recorded',
    why: 'no record before the send: after a send whose answer was lost, the next run sends a second e-mail',
    edits: [
      { find: 'await api.users.recordWelcome(accountId, userId, sentOn, true, claim);', replace: '' },
      { find: "if (check?.welcomeClaim !== claim && !options.force) return 'unchanged';", replace: '' },
    ],
    tests: [{ config: 'test/faults/vitest.config.ts', files: ['test/faults/lost-answers.test.ts'] }],
  },
  {
    name: 'welcome plan ignores the recorded send (checked by the crash trials alone)',
    why: 'every plan asks for the welcome e-mails again: a crashed apply never converges to an empty plan',
    edits: [{ find: 'const unsent = !have || have.welcomeSentOn === undefined;', replace: 'const unsent = !have || have.welcomeSentOn === undefined || Date.now() > 0;' }],
    build: true,
    tests: [{ config: 'test/faults/vitest.config.ts', files: ['test/faults/crash.test.ts'] }],
  },
  {
    name: 'Markdown code span fence too short',
    why: 'a value with a backtick closes its code span early in a PR comment: the rest of it is Markdown and raw HTML (<img onerror>, links, mentions)',
    edits: [{ find: "const fence = '`'.repeat(longestBacktickRun(text) + 1);", replace: "const fence = '`';" }],
    tests: [{ config: 'test/vitest.config.ts', files: ['test/report/hostile-names.test.ts'] }],
  },
  {
    name: 'Markdown prose not escaped',
    why: 'a refusal or an undeclared live account quoted in a PR comment carries its name raw: HTML, mentions, links and new lines from a customer\'s admin',
    edits: [{ find: '  return cut(escapeTerminalValue(value), options.max ?? Number.MAX_SAFE_INTEGER)', replace: "  if (value !== '') return value;\n  return cut(escapeTerminalValue(value), options.max ?? Number.MAX_SAFE_INTEGER)" }],
    tests: [{ config: 'test/vitest.config.ts', files: ['test/report/hostile-names.test.ts'] }],
  },
  {
    name: 'CSV formulas not neutralised',
    why: 'orders --format csv hands a spreadsheet cells starting with = + - @: a PO typed as =HYPERLINK(…) runs when the file is opened',
    edits: [{ find: "return FORMULA_START.test(cell) ? `'${cell}` : cell;", replace: 'return cell;' }],
    tests: [{ config: 'test/vitest.config.ts', files: ['test/report/hostile-names.test.ts'] }],
  },
  {
    name: 'terminal values not escaped',
    why: 'a name with a newline adds a fake line (a second "Plan:" summary) to the text plan shown before the "yes" prompt',
    edits: [{ find: 'return value.replace(INVISIBLE_CHARACTERS, visibleEscape);', replace: 'return value;' }],
    tests: [{ config: 'test/vitest.config.ts', files: ['test/report/hostile-names.test.ts'] }],
  },
  {
    name: 'input confinement by lexical path',
    why: 'a symlink inside the tenancy folder (users/acme.csv -> /elsewhere/secret.csv or /dev/zero) is read, and its content printed in diagnostics',
    edits: [{ find: 'if (options.roots && !isInside(real, options.roots)) {', replace: 'if (options.roots && !isInside(path.resolve(file), options.roots)) {' }],
    tests: [{ config: 'test/vitest.config.ts', files: ['test/load/hostile-inputs.test.ts'] }],
  },
  {
    name: 'input budget per file instead of per run',
    why: 'many files each under the limit add up: five 10 MB CSVs load 700,000 users and gigabytes of memory',
    edits: [{ find: '    this.used += n;\n', replace: '' }],
    tests: [{ config: 'test/vitest.config.ts', files: ['test/load/hostile-inputs.test.ts'] }],
  },
];
