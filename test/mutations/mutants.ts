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
    name: 'no apply lock',
    why: 'a lease is held without checking the read back: two applies that take it at once both write the account and send welcome e-mails twice',
    edits: [{ find: 'if (current?.id === id) return holdLease(store, accountId, mine, t);', replace: 'if (current?.id === id || current !== undefined) return holdLease(store, accountId, mine, t);' }],
    tests: [
      { config: 'test/vitest.config.ts', files: ['test/engine/lease.test.ts'] },
      { config: 'test/faults/vitest.config.ts', files: ['test/faults/concurrency.test.ts'] },
    ],
  },
  {
    name: 'no welcome refresh after taking the lease',
    why: 'a run that waited for the lock sends the welcome e-mails its old plan lists, though the previous holder sent them',
    edits: [{ find: "if (c.kind === 'user' || !welcomeStillDue(u)) done(", replace: "if (c.kind === 'user') done(" }],
    tests: [
      { config: 'test/vitest.config.ts', files: ['test/engine/apply-lease.test.ts'] },
      { config: 'test/faults/vitest.config.ts', files: ['test/faults/concurrency.test.ts'] },
    ],
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
    edits: [{ find: 'return settleAccountRace(api, partnerId, fields.name, key, created.value, protect);', replace: 'return created;' }],
    tests: [{ config: 'test/faults/vitest.config.ts', files: ['test/faults/concurrency.test.ts'] }],
  },
  {
    name: 'welcome send not recorded',
    why: 'the tag never records the send: every later plan mails the user again',
    edits: [{ find: 'await api.users.recordWelcome(accountId, userId, now().toISOString());', replace: '' }],
    build: true,
    tests: [
      { config: 'test/vitest.config.ts', files: ['test/engine/welcome.test.ts'] },
      { config: 'test/faults/vitest.config.ts', files: ['test/faults/crash.test.ts'] },
    ],
  },
  {
    name: 'welcome plan ignores the recorded send',
    why: 'every plan asks for the welcome e-mails again: a crashed apply never converges to an empty plan',
    edits: [{ find: 'return u.welcomeSentOn !== undefined && u.welcomeUnconfirmed !== true && u.welcomeClaim === undefined;', replace: 'return false;' }],
    build: true,
    tests: [
      { config: 'test/vitest.config.ts', files: ['test/engine/welcome.test.ts'] },
      { config: 'test/faults/vitest.config.ts', files: ['test/faults/crash.test.ts'] },
    ],
  },
  {
    name: 'registered users mailed',
    why: 'apply plans a welcome e-mail for a user who registered already',
    edits: [{ find: 'return !u.verified && !welcomeRecorded(u);', replace: 'return !welcomeRecorded(u);' }],
    tests: [{ config: 'test/vitest.config.ts', files: ['test/engine/welcome.test.ts'] }],
  },
  {
    name: 'one user created by a single POST',
    why: 'a lone user create goes through POST …/users, which sends a welcome e-mail by itself (contract 2.1)',
    edits: [
      { find: 'const batched = creates.length >= 1 &&', replace: 'const batched = creates.length >= 2 &&' },
      {
        find: 'const [row] = await api.users.createMany(accountId(), [userFieldsOf(email, c.after ?? {})]);',
        replace: "const one = await api.users.create(accountId(), userFieldsOf(email, c.after ?? {}));\n        const row = { ok: true, outcome: one.outcome, user: one.value, status: 201, message: '', correlationId: undefined };",
      },
    ],
    tests: [{ config: 'test/vitest.config.ts', files: ['test/engine/apply-fake.test.ts'] }],
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
