/**
 * The one-to-one binding rules `validate` can check offline (tenancy-spec.md, "Binding is
 * one-to-one"): two declared accounts must never be able to bind one live account. Found
 * here: the same account name twice (names compared as binding compares them: without regard
 * to case and spaces), and a `previousKeys` entry that is another account's key or another
 * account's previous key too. Everything else (adopt, tag or name leading to one live
 * account) is found by `plan`, which sees live state.
 */
import { accountNameKey } from './account-names.js';
import { where } from './checks.js';
import type { DesiredAccount, Diagnostic } from './types.js';

function at(a: DesiredAccount): Pick<Diagnostic, 'file' | 'line' | 'column'> {
  return a.source ? { file: a.source.file, line: a.source.line, column: a.source.column } : {};
}

/** The cross-account identity problems, in declaration order; empty when binding can be one-to-one. */
export function checkIdentities(accounts: readonly DesiredAccount[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byName = new Map<string, DesiredAccount>();
  const byKey = new Map(accounts.map((a) => [a.key, a]));
  const byPrevious = new Map<string, DesiredAccount>();
  for (const a of accounts) {
    const name = accountNameKey(a.name);
    const first = byName.get(name);
    // Two accounts that both adopt never bind by name (their adopt ids are checked elsewhere); one key twice is reported as such.
    if (first && first.key !== a.key && !(first.adopt && a.adopt)) {
      out.push({
        severity: 'error',
        code: 'account_name_twice',
        message: `accounts "${first.key}" (${where(first.source)}) and "${a.key}" (${where(a.source)}) are both named ${JSON.stringify(a.name)}${first.name !== a.name ? ` (as ${JSON.stringify(first.name)}, ignoring case and spaces)` : ''}; both would bind the same live account: remove the copy or rename one (two customers with one name each need adopt: { accountId })`,
        ...at(a),
      });
    } else if (name && !first) byName.set(name, a);
    for (const k of a.previousKeys ?? []) {
      const owner = byKey.get(k);
      if (owner && owner !== a) {
        out.push({
          severity: 'error',
          code: 'previous_key_declared',
          message: `account "${a.key}" (${where(a.source)}) lists "${k}" in previousKeys, but account "${k}" (${where(owner.source)}) is still declared; both would bind its live account: remove "${k}" from previousKeys, or remove the old account "${k}" if this is its rename`,
          ...at(a),
        });
      }
      const other = byPrevious.get(k);
      if (other && other !== a) {
        out.push({
          severity: 'error',
          code: 'previous_key_twice',
          message: `accounts "${other.key}" (${where(other.source)}) and "${a.key}" (${where(a.source)}) both list "${k}" in previousKeys; a renamed account has one new key: keep it in one of them`,
          ...at(a),
        });
      } else byPrevious.set(k, a);
    }
  }
  return out;
}
