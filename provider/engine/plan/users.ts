/**
 * Planner of users, their MiTeam license toggle and their welcome e-mail. Pure.
 * - users: create the missing, update attributes that differ, and under users policy
 *   authoritative delete the undeclared (deleting a user frees its licenses);
 * - the MiTeam toggle is an update of the user's license (`miteam: false -> true`), never a deletion;
 * - welcome e-mails converge on state (the user tag records a send): every user the policy
 *   names who has not registered and has no record gets one planned, so a crashed apply sends
 *   the missing ones on the re-run (at least once; see apply/welcome.ts).
 */
import { MICOLLAB_INTEGRATION, MICOLLAB_LICENSING_RULE, MITEAM_PRODUCT, type User } from '../../model/live.js';
import type { DesiredUser } from '../../model/types.js';
import type { LicenseChange, LiveAccount } from '../types.js';
import { differing, liveUserFields, userFields, userMatches } from './attributes.js';
import { userAddress, type AccountPlan } from './account-plan.js';

/** The user ids of an account holding a license of `product`, with the license ids. */
export function licensesByUser(live: Pick<LiveAccount, 'licenses'> | undefined, product = MITEAM_PRODUCT): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of live?.licenses ?? []) if (l.product === product) out.set(l.userId, l.licenseId);
  return out;
}

/** What the users planner tells the guards. */
export interface UsersOutcome {
  /** MiTeam users after the apply. */
  enabledAfter: number;
  /** Licenses the apply enables. */
  enables: number;
}

/** Addresses the license enables depend on besides their user. */
export interface LicensePrerequisites {
  integration?: string;
  orders: string[];
}

function planLicense(p: AccountPlan, u: DesiredUser, have: User | undefined, licenseId: string | undefined, prerequisites: LicensePrerequisites): LicenseChange | undefined {
  const licensed = licenseId !== undefined;
  if (u.miteam === licensed) return undefined;
  const address = userAddress(p.key, u.email);
  const change: LicenseChange = {
    address: `${address}.license.${MITEAM_PRODUCT}`,
    accountKey: p.key,
    kind: 'license',
    action: 'update',
    id: p.id({ userId: have?.userId, email: u.email, product: MITEAM_PRODUCT, licenseId: licenseId || undefined }),
    before: { miteam: licensed },
    after: { miteam: u.miteam },
    reason: u.miteam ? 'MiTeam toggle on' : 'MiTeam toggle off',
    dependsOn: u.miteam ? [...(have ? [] : [address]), ...(prerequisites.integration ? [prerequisites.integration] : []), ...prerequisites.orders] : [],
    stamp: licenseId ?? null,
  };
  p.changes.push(change);
  return change;
}

/**
 * True when the user's tag records a welcome e-mail sent. Records of the old claim scheme
 * (`unconfirmed`, `claim`: the e-mail may never have gone out) count as not sent.
 */
export function welcomeRecorded(u: Pick<User, 'welcomeSentOn' | 'welcomeUnconfirmed' | 'welcomeClaim'>): boolean {
  return u.welcomeSentOn !== undefined && u.welcomeUnconfirmed !== true && u.welcomeClaim === undefined;
}

/** True when a welcome e-mail is still due to the user: not registered (`userVerified`) and none recorded. */
export function welcomeStillDue(u: Pick<User, 'verified' | 'welcomeSentOn' | 'welcomeUnconfirmed' | 'welcomeClaim'>): boolean {
  return !u.verified && !welcomeRecorded(u);
}

/** True when the declared policy names this user for a welcome e-mail (`onCreate`: every user; `onEnable`: MiTeam users). */
export function policyWantsWelcome(policy: string, miteam: boolean): boolean {
  return policy === 'onCreate' || (policy === 'onEnable' && miteam);
}

function planWelcome(p: AccountPlan, u: DesiredUser, have: User | undefined, enable: LicenseChange | undefined): void {
  const policy = p.d.welcomeEmail;
  if (!((!have || welcomeStillDue(have)) && policyWantsWelcome(policy, u.miteam))) return;
  const address = userAddress(p.key, u.email);
  p.add({
    address: `${address}.welcome`,
    kind: 'welcome',
    action: 'create',
    id: p.id({ userId: have?.userId, email: u.email }),
    before: null,
    after: { sent: true },
    reason: policy === 'onCreate' ? 'welcomeEmail onCreate, not sent yet' : 'welcomeEmail onEnable, MiTeam on, not sent yet',
    dependsOn: [...(have ? [] : [address]), ...(enable?.after?.miteam ? [enable.address] : [])],
    stamp: null,
  });
}

function planUser(p: AccountPlan, u: DesiredUser, have: User | undefined): boolean {
  const address = userAddress(p.key, u.email);
  if (!have) {
    p.add({ address, kind: 'user', action: 'create', id: p.id({ email: u.email }), before: null, after: userFields(u), reason: 'declared but not in the account', dependsOn: p.accountDeps, stamp: null });
    return false;
  }
  if (userMatches(u, have)) return true;
  const { email: _e, ...want } = userFields(u);
  const delta = differing(want, liveUserFields(have));
  if (!delta) return true;
  p.add({ address, kind: 'user', action: 'update', id: p.id({ userId: have.userId, email: u.email }), before: delta.before, after: delta.after, reason: 'attributes differ', dependsOn: [], stamp: have.modifiedOn ?? null });
  return false;
}

function planUndeclared(p: AccountPlan, licensed: ReadonlyMap<string, string>): number {
  const declared = new Set(p.d.users.items.map((u) => u.email));
  let keptLicenses = 0;
  for (const u of p.live?.users ?? []) {
    const email = u.email.toLowerCase();
    if (declared.has(email)) continue;
    if (p.d.users.policy === 'authoritative') {
      p.add({ address: userAddress(p.key, email), kind: 'user', action: 'delete', id: { accountId: u.accountId, userId: u.userId, email }, before: liveUserFields(u), after: null, reason: 'live but not declared (users policy authoritative)', dependsOn: [], stamp: u.modifiedOn ?? null });
    } else if (licensed.has(u.userId)) keptLicenses += 1;
  }
  return keptLicenses;
}

/** (2.1) True when the account has the MiCollab integration, declared or live: MiCollab assigns its MiTeam licenses. */
export function micollabControlsLicensing(p: Pick<AccountPlan, 'd' | 'live'>): boolean {
  return p.d.integrations.includes(MICOLLAB_INTEGRATION) || (p.live?.integrations.some((i) => i.type === MICOLLAB_INTEGRATION) ?? false);
}

/** A MiTeam toggle declared on a MiCollab account: a plan error at the user's place, quoting the console's rule. */
function refuseToggle(p: AccountPlan, u: DesiredUser): void {
  p.problem({
    severity: 'error',
    code: 'micollab_licensing',
    guard: false,
    message: `account "${p.key}": user ${u.email} declares miteam: true, but the account has the MiCollab integration and "${MICOLLAB_LICENSING_RULE}" (Mitel); remove miteam from this user (MiCollab assigns the license)`,
    ...((u.miteamSource ?? u.source) ? { source: u.miteamSource ?? u.source } : {}),
  });
}

export function planUsers(p: AccountPlan, prerequisites: LicensePrerequisites): UsersOutcome {
  const liveByEmail = new Map<string, User>();
  for (const u of p.live?.users ?? []) liveByEmail.set(u.email.toLowerCase(), u);
  const licensed = licensesByUser(p.live);
  const out: UsersOutcome = { enabledAfter: 0, enables: 0 };
  // Under MiCollab no license is planned either way: MiCollab assigns them, and they are not drift.
  const micollab = micollabControlsLicensing(p);
  let matched = 0;
  for (const u of p.d.users.items) {
    const have = liveByEmail.get(u.email);
    // The hot path of big tenancies: unchanged users are counted into one noop entry per account, not one each.
    if (planUser(p, u, have)) matched += 1;
    if (micollab && u.miteam) refuseToggle(p, u);
    const license = micollab ? undefined : planLicense(p, u, have, have ? licensed.get(have.userId) : undefined, prerequisites);
    if (u.miteam && !micollab) out.enabledAfter += 1;
    if (license?.after?.miteam) out.enables += 1;
    planWelcome(p, u, have, license);
  }
  if (matched > 0) p.add({ address: `${p.address}.users`, kind: 'user', action: 'noop', id: p.id({}), before: null, after: null, reason: `${matched} declared users match live`, dependsOn: [], stamp: null, matched });
  const kept = planUndeclared(p, licensed);
  if (!micollab) out.enabledAfter += kept;
  return out;
}
