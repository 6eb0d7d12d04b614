/**
 * The end-state audit of the reliability suite, on the sandbox's flat state dump (contract
 * version 2): users carry their accountId; the outbox lists every e-mail the sandbox "sent".
 */
import type { StateDump } from '../../provider/sandbox/index.js';
import type { Tenancy } from '../../provider/model/types.js';

/** What the audit found. Every `duplicate*`, `lost*` and `extraWelcomes` must be 0 after convergence. */
export interface Audit {
  duplicateAccounts: number;
  duplicateUsers: number;
  duplicateLicenses: number;
  lostUsers: number;
  /** Welcome e-mails beyond the first to the same user (the outbox is the truth). */
  extraWelcomes: number;
  /** Users that got at least one welcome e-mail. */
  welcomes: number;
  /** Users whose tag records a welcome e-mail the outbox does not hold (a record without an e-mail: must be 0). */
  recordedNotSent: number;
  /** Users the declared policy names who got no welcome e-mail (must be 0 after convergence: at least once). */
  missingWelcomes: number;
}

function tagOf(tags: Record<string, unknown> | undefined): { welcomeSentOn?: string } {
  const t = tags?.['cloudlink-tenancy'];
  return t && typeof t === 'object' ? (t as { welcomeSentOn?: string }) : {};
}

/** Audits the sandbox state against the declared tenancy (accounts matched by exact name). */
export function auditState(state: StateDump, tenancy: Tenancy): Audit {
  const declaredNames = new Set(tenancy.accounts.map((a) => a.name));
  const accounts = state.accounts.filter((a) => declaredNames.has(a.name));
  const nameOf = new Map(accounts.map((a) => [a.accountId, a.name]));
  const byName = new Map<string, number>();
  for (const a of accounts) byName.set(a.name, (byName.get(a.name) ?? 0) + 1);
  const users = state.users.filter((u) => nameOf.has(u.accountId));
  const live = users.map((u) => `${nameOf.get(u.accountId)}|${u.email.toLowerCase()}`);
  const liveSet = new Set(live);
  const declared = tenancy.accounts.flatMap((a) => a.users.items.map((u) => `${a.name}|${u.email.toLowerCase()}`));
  const licenseKeys = state.licenses.filter((l) => nameOf.has(l.accountId)).map((l) => `${l.userId}|${l.product}`);
  const sent = new Map<string, number>();
  for (const m of state.outbox) if (m.type === 'welcome' && nameOf.has(m.accountId)) sent.set(m.userId, (sent.get(m.userId) ?? 0) + 1);
  const wantsWelcome = new Set(
    tenancy.accounts.flatMap((a) => a.users.items.filter((u) => a.welcomeEmail === 'onCreate' || (a.welcomeEmail === 'onEnable' && u.miteam)).map((u) => `${a.name}|${u.email.toLowerCase()}`)),
  );
  let recordedNotSent = 0;
  let missingWelcomes = 0;
  for (const u of users) {
    const tag = tagOf(u.tags as Record<string, unknown>);
    if (tag.welcomeSentOn !== undefined && !sent.has(u.userId)) recordedNotSent += 1;
    if (wantsWelcome.has(`${nameOf.get(u.accountId)}|${u.email.toLowerCase()}`) && !sent.has(u.userId)) missingWelcomes += 1;
  }
  return {
    duplicateAccounts: [...byName.values()].reduce((n, v) => n + v - 1, 0),
    duplicateUsers: live.length - liveSet.size,
    duplicateLicenses: licenseKeys.length - new Set(licenseKeys).size,
    lostUsers: declared.filter((d) => !liveSet.has(d)).length,
    extraWelcomes: [...sent.values()].reduce((n, v) => n + v - 1, 0),
    welcomes: sent.size,
    recordedNotSent,
    missingWelcomes,
  };
}

/**
 * The audit's must-be-zero part. Second welcome e-mails are not in it: welcome e-mails are
 * promised at least once, and each test bounds `extraWelcomes` by what it saw (sends in flight
 * at a kill, ambiguous send answers).
 */
export function mustBeZero(a: Audit): Pick<Audit, 'duplicateAccounts' | 'duplicateUsers' | 'duplicateLicenses' | 'lostUsers' | 'recordedNotSent' | 'missingWelcomes'> {
  return { duplicateAccounts: a.duplicateAccounts, duplicateUsers: a.duplicateUsers, duplicateLicenses: a.duplicateLicenses, lostUsers: a.lostUsers, recordedNotSent: a.recordedNotSent, missingWelcomes: a.missingWelcomes };
}

export const ZERO = { duplicateAccounts: 0, duplicateUsers: 0, duplicateLicenses: 0, lostUsers: 0, recordedNotSent: 0, missingWelcomes: 0 };
