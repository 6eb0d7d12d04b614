/**
 * Checks across the whole tenancy that no single file can see: duplicate account keys,
 * the same e-mail twice in an account, an order claimed by two accounts, unknown
 * integration types. Used by the YAML loader and by the cdktf constructs alike.
 */
import type { Diagnostic, DesiredAccount, SourceLocation } from './types.js';
import { INTEGRATION_TYPE_PATTERN } from './schema.js';
import { describeOrder } from './normalize.js';
import { isValidEmail } from './email.js';
import { checkIdentities } from './identity-checks.js';

function at(source: SourceLocation | undefined): Pick<Diagnostic, 'file' | 'line' | 'column'> {
  return source ? { file: source.file, line: source.line, column: source.column } : {};
}

/** `file:line:col` of a declaration, or `code` for one built in TypeScript. */
export function where(source: SourceLocation | undefined): string {
  return source ? `${source.file}:${source.line}:${source.column}` : 'code';
}

/** Every cross-account problem, in declaration order. Returns an empty list when the tenancy is consistent. */
export function checkAccounts(accounts: readonly DesiredAccount[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const keys = new Map<string, DesiredAccount>();
  const orders = new Map<string, DesiredAccount>();
  const adopted = new Map<string, DesiredAccount>();
  /** Where each e-mail is first declared, over all accounts (CloudLink logins are e-mail based). */
  const emailOwners = new Map<string, { account: DesiredAccount; source: SourceLocation | undefined }>();
  for (const account of accounts) {
    const first = keys.get(account.key);
    if (first) {
      diagnostics.push({
        severity: 'error',
        message: `account key "${account.key}" is declared twice (first at ${where(first.source)}); keys must be unique, rename one`,
        ...at(account.source),
      });
    } else keys.set(account.key, account);

    if (account.adopt) {
      const label = 'accountId' in account.adopt ? `account id ${account.adopt.accountId}` : `account number ${account.adopt.accountNumber}`;
      const other = adopted.get(label);
      if (other && other !== account) {
        diagnostics.push({
          severity: 'error',
          message: `accounts "${other.key}" and "${account.key}" both adopt ${label}; an account can be adopted once`,
          ...at(account.source),
        });
      } else adopted.set(label, account);
    }

    const emails = new Map<string, SourceLocation | undefined>();
    for (const user of account.users.items) {
      if (emails.has(user.email)) {
        diagnostics.push({
          severity: 'error',
          message: `e-mail ${user.email} appears twice in account "${account.key}" (first at ${where(emails.get(user.email))}); an e-mail can belong to one user of an account`,
          ...at(user.source ?? account.source),
        });
      } else {
        emails.set(user.email, user.source);
        const owner = emailOwners.get(user.email);
        if (!owner) emailOwners.set(user.email, { account, source: user.source });
        else if (owner.account !== account) {
          diagnostics.push({
            severity: 'warning',
            code: 'email_in_two_accounts',
            message: `e-mail ${user.email} is declared in account "${owner.account.key}" (${where(owner.source ?? owner.account.source)}) and in account "${account.key}" (${where(user.source ?? account.source)}); CloudLink logins are e-mail based, so the person cannot log in to both as one user: keep the e-mail in one account unless that is intended`,
            ...at(user.source ?? account.source),
          });
        }
      }
    }

    (account.supportContacts ?? []).forEach((entry, i) => {
      // Offline, an entry with an @ must be an e-mail; any other text is a partner user's name, resolved at plan time.
      if (entry.includes('@') && !isValidEmail(entry.toLowerCase())) {
        diagnostics.push({
          severity: 'error',
          code: 'contact_invalid',
          message: `support contact "${entry}" is not a valid e-mail address; write it as name@domain.example, or the exact name of a user of your partner account`,
          ...at(account.supportContactSources?.[i] ?? account.source),
        });
      }
    });

    for (const type of account.integrations) {
      if (!INTEGRATION_TYPE_PATTERN.test(type)) {
        diagnostics.push({
          severity: 'error',
          message: `account "${account.key}": integration "${type}" is not a well-formed type; write lowercase letters, digits and dashes, e.g. miteam-meetings (the plan checks it against the CloudLink catalogue)`,
          ...at(account.source),
        });
      }
    }

    for (const order of account.orders) {
      const label = describeOrder(order);
      const owner = orders.get(label);
      if (owner && owner !== account) {
        diagnostics.push({
          severity: 'error',
          message: `order ${label} is selected by accounts "${owner.key}" (${where(owner.source)}) and "${account.key}"; an order can be assigned to one account`,
          ...at(account.source),
        });
      } else orders.set(label, account);
    }

    const enablesMiteam = account.users.items.some((u) => u.miteam);
    if (enablesMiteam && !account.integrations.includes('miteam-meetings')) {
      diagnostics.push({
        severity: 'error',
        message: `account "${account.key}" enables MiTeam for users but does not declare the miteam-meetings integration; add it to integrations`,
        ...at(account.source),
      });
    }
  }
  diagnostics.push(...checkIdentities(accounts));
  return diagnostics;
}
