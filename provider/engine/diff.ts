/**
 * The pure diff: declared tenancy + live snapshot → ordered plan. No I/O, no clock (the
 * caller passes `now`), deterministic output for equal inputs.
 *
 * Apply order within an account (tenancy-spec.md): account → integrations → order
 * assignments → users → license enable → welcome e-mails; removals run in reverse order
 * of dependency (license disable → user delete → integration removal). License disables
 * and user deletes run before enables so freed licenses can be reused in the same apply.
 */
import { MITEAM_PRODUCT, TENANCY_KEY_TAG, type Account, type Order, type User, type WireRole } from '../api/resources.js';
import type { DesiredAccount, DesiredUser, Tenancy } from '../model/types.js';
import { describeOrder } from '../model/normalize.js';
import { matchAccount, matchOrder } from './match.js';
import { digestOf } from './digest.js';
import { PLAN_FORMAT_VERSION, type Change, type ChangeAction, type ChangeKind, type JsonValue, type LiveAccount, type LiveSnapshot, type Plan, type PlanProblem } from './types.js';

/** Options of the diff. */
export interface DiffOptions {
  /** Deletes allowed before the plan is refused (default 10). */
  maxDeletes?: number;
  /** The clock used for order expiry. */
  now: Date;
  /** Declared account keys whose live account is to be deleted (cdktf destroy). */
  destroyAccounts?: readonly string[];
}

/** Position of each (kind, action) in the apply order. */
export function phaseOf(kind: ChangeKind, action: ChangeAction): number {
  if (kind === 'account') return action === 'delete' ? 9 : 0;
  if (kind === 'integration') return action === 'delete' ? 8 : 1;
  if (kind === 'order') return action === 'delete' ? 8 : 2;
  if (kind === 'license') return action === 'delete' ? 3 : 6;
  if (kind === 'user') return action === 'delete' ? 4 : 5;
  return 7;
}

const wireRole = (role: DesiredUser['role']): WireRole => (role === 'Account Admin' ? 'ACCOUNT_ADMIN' : 'USER');

/** The address of a user and of its sub-objects. */
export const userAddress = (key: string, email: string): string => `account.${key}.user[${JSON.stringify(email)}]`;

function orderLabel(order: Order): string {
  return order.trackingNumber;
}

function hasLicense(user: User, product = MITEAM_PRODUCT): boolean {
  for (const l of user.licenses) if (l.product === product) return true;
  return false;
}

function orderCounts(order: Order, now: Date): boolean {
  return order.expiresOn === null || new Date(order.expiresOn).getTime() > now.getTime();
}

/** Desired account attributes as sent to CloudLink (tags merged with what live has, plus the tenancy-key tag). */
export function desiredAccountFields(d: DesiredAccount, live?: Account): Record<string, JsonValue> {
  // Adopted accounts are found by id, so they need no tenancy-key tag (and an import round-trips unchanged).
  const keyTag = live?.tags[TENANCY_KEY_TAG] ?? (d.adopt && live ? undefined : d.key);
  return {
    name: d.name,
    country: d.country,
    address: d.address,
    city: d.city,
    postalCode: d.postalCode,
    language: d.language,
    supportContacts: d.supportContacts,
    tags: { ...(live?.tags ?? {}), ...d.tags, ...(keyTag !== undefined ? { [TENANCY_KEY_TAG]: keyTag } : {}) },
  };
}

function same(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  return JSON.stringify(x) === JSON.stringify(y);
}

function differing(want: Record<string, JsonValue>, have: Record<string, JsonValue>): { before: Record<string, JsonValue>; after: Record<string, JsonValue> } | undefined {
  let before: Record<string, JsonValue> | undefined;
  let after: Record<string, JsonValue> | undefined;
  for (const k in want) {
    const v = want[k] ?? null;
    if (!same(v, have[k])) {
      (before ??= {})[k] = have[k] ?? null;
      (after ??= {})[k] = v;
    }
  }
  return before && after ? { before, after } : undefined;
}

/** True when a live user already has every declared attribute (the common case, checked without allocating). */
function userMatches(u: DesiredUser, have: User): boolean {
  return (
    have.email.toLowerCase() === u.email &&
    have.firstName === u.firstName &&
    have.lastName === u.lastName &&
    have.name === u.name &&
    have.role === wireRole(u.role) &&
    (u.country === undefined || have.country === u.country)
  );
}

function userFields(u: DesiredUser): Record<string, JsonValue> {
  return { email: u.email, firstName: u.firstName, lastName: u.lastName, name: u.name, role: wireRole(u.role), ...(u.country !== undefined ? { country: u.country } : {}) };
}

function liveUserFields(u: User): Record<string, JsonValue> {
  return { email: u.email.toLowerCase(), firstName: u.firstName, lastName: u.lastName, name: u.name, role: u.role, country: u.country };
}

interface AccountDiff {
  changes: Change[];
  problems: PlanProblem[];
  touched: unknown[];
}

function diffAccount(d: DesiredAccount, snapshot: LiveSnapshot, options: DiffOptions): AccountDiff {
  const changes: Change[] = [];
  const problems: PlanProblem[] = [];
  const key = d.key;
  const accAddr = `account.${key}`;
  const add = (c: Omit<Change, 'accountKey'>): void => {
    (c as Change).accountKey = key;
    changes.push(c as Change);
  };
  const match = matchAccount(d, snapshot.accounts.map((a) => a.account), snapshot.partnerId);
  if (match.kind === 'problem') return { changes, problems: [match.problem], touched: [] };
  const live: LiveAccount | undefined = match.kind === 'matched' ? snapshot.accounts.find((a) => a.account.accountId === match.account.accountId) : undefined;
  const accountId = live?.account.accountId;
  const accountTarget = accountId ? { accountId, etag: live.account.etag } : undefined;

  if (options.destroyAccounts?.includes(key)) {
    if (d.protect) {
      problems.push({ code: 'protected_account', guard: true, accountKey: key, message: `account "${key}" (${d.name}) is protected and is never deleted; set protect: false first if you really mean to delete it` });
    } else if (live) {
      add({ address: accAddr, kind: 'account', action: 'delete', before: { name: live.account.name, users: live.users.length }, after: null, reason: `the declaration of "${key}" was removed`, dependsOn: [], target: { accountId: live.account.accountId, etag: live.account.etag } });
    }
    return { changes, problems, touched: live ? [live] : [] };
  }

  // Account.
  const wantFields = desiredAccountFields(d, live?.account);
  if (!live) {
    add({ address: accAddr, kind: 'account', action: 'create', before: null, after: wantFields, reason: 'no live account has this adopt id, tenancy-key tag or name', dependsOn: [] });
  } else {
    const haveFields: Record<string, JsonValue> = { name: live.account.name, country: live.account.country, address: live.account.address, city: live.account.city, postalCode: live.account.postalCode, language: live.account.language, supportContacts: live.account.supportContacts, tags: live.account.tags };
    const delta = differing(wantFields, haveFields);
    const rule = match.kind === 'matched' ? match.rule : 'tag';
    const why = rule === 'adopt' ? `adopted account ${live.account.accountId}` : rule === 'tag' ? `matched by tenancy-key tag` : `matched by exact name "${d.name}" under partner ${snapshot.partnerId}; the tenancy-key tag is added so later runs match by tag`;
    if (delta) add({ address: accAddr, kind: 'account', action: 'update', before: delta.before, after: delta.after, reason: why, dependsOn: [], ...(accountTarget ? { target: accountTarget } : {}) });
    else add({ address: accAddr, kind: 'account', action: 'noop', before: null, after: null, reason: why, dependsOn: [], ...(accountTarget ? { target: accountTarget } : {}) });
  }
  const accountDeps = live ? [] : [accAddr];

  // Integrations.
  const integrationAddrs = new Map<string, string>();
  for (const type of d.integrations) {
    const address = `${accAddr}.integration.${type}`;
    const existing = live?.integrations.find((i) => i.type === type);
    if (!snapshot.catalog.some((c) => c.type === type)) {
      problems.push({ code: 'unknown_integration', guard: false, accountKey: key, message: `account "${key}": integration "${type}" is not in the CloudLink catalogue (${snapshot.catalog.map((c) => c.type).join(', ')}); fix the type` });
      continue;
    }
    if (existing) add({ address, kind: 'integration', action: 'noop', before: null, after: null, reason: 'present', dependsOn: [], target: { ...(accountId ? { accountId } : {}), integrationId: existing.integrationId } });
    else {
      add({ address, kind: 'integration', action: 'create', before: null, after: { type }, reason: 'declared but not added', dependsOn: accountDeps, ...(accountId ? { target: { accountId } } : {}) });
      integrationAddrs.set(type, address);
    }
  }
  if (live && d.users.policy === 'authoritative') {
    for (const i of live.integrations) {
      if (d.integrations.includes(i.type)) continue;
      add({ address: `${accAddr}.integration.${i.type}`, kind: 'integration', action: 'delete', before: { type: i.type }, after: null, reason: 'live but not declared (users policy authoritative)', dependsOn: [], target: { accountId: live.account.accountId, integrationId: i.integrationId, etag: i.etag } });
    }
  }

  // Orders.
  let capacity = 0;
  const orderAddrs: string[] = [];
  const touchedOrders: Order[] = [];
  for (const selector of d.orders) {
    const m = matchOrder(selector, snapshot.orders, key);
    if ('problem' in m) {
      problems.push(m.problem);
      continue;
    }
    const order = m.order;
    touchedOrders.push(order);
    const address = `${accAddr}.order.${orderLabel(order)}`;
    if (order.assignedAccountId && order.assignedAccountId !== accountId) {
      problems.push({ code: 'order_conflict', guard: false, accountKey: key, message: `account "${key}": order ${order.trackingNumber} (${describeOrder(selector)}) is already assigned to another account (${order.assignedAccountId}); unassign it there in the console or select another order` });
      continue;
    }
    if (orderCounts(order, options.now)) capacity += order.quantity;
    if (order.assignedAccountId === accountId && accountId) {
      add({ address, kind: 'order', action: 'noop', before: null, after: null, reason: 'assigned', dependsOn: [], target: { accountId, orderId: order.orderId, etag: order.etag } });
    } else {
      add({ address, kind: 'order', action: 'create', before: { assignedAccountId: null }, after: { trackingNumber: order.trackingNumber, quantity: order.quantity, assigned: true }, reason: `assign ${describeOrder(selector)} (${order.quantity} licenses)`, dependsOn: accountDeps, target: { ...(accountId ? { accountId } : {}), orderId: order.orderId, etag: order.etag } });
      orderAddrs.push(address);
    }
  }
  // Orders assigned live but not declared still count towards capacity (the tool never unassigns them).
  for (const o of snapshot.orders) {
    if (accountId && o.assignedAccountId === accountId && !touchedOrders.includes(o) && o.product === MITEAM_PRODUCT && orderCounts(o, options.now)) capacity += o.quantity;
  }

  // Users.
  const liveByEmail = new Map<string, User>();
  for (const u of live?.users ?? []) liveByEmail.set(u.email.toLowerCase(), u);
  const declared = new Set(d.users.items.map((u) => u.email));
  let enabledAfter = 0;
  let enables = 0;
  let unchangedUsers = 0;
  const miteamIntegration = integrationAddrs.get(MITEAM_PRODUCT);
  for (const u of d.users.items) {
    const address = userAddress(key, u.email);
    const have = liveByEmail.get(u.email);
    const userTarget = have ? { ...(accountId ? { accountId } : {}), userId: have.userId, etag: have.etag } : accountId ? { accountId } : undefined;
    let created = false;
    if (!have) {
      created = true;
      add({ address, kind: 'user', action: 'create', before: null, after: userFields(u), reason: 'declared but not in the account', dependsOn: accountDeps, ...(userTarget ? { target: userTarget } : {}) });
    } else if (userMatches(u, have)) {
      // The hot path of big tenancies: unchanged users are counted into one noop entry per account, not one each.
      unchangedUsers += 1;
    } else {
      const compare = userFields(u);
      if (u.country === undefined) delete compare.country;
      const delta = differing(compare, liveUserFields(have));
      if (delta) add({ address, kind: 'user', action: 'update', before: delta.before, after: { ...delta.after, email: u.email }, reason: 'attributes differ', dependsOn: [], ...(userTarget ? { target: userTarget } : {}) });
      else add({ address, kind: 'user', action: 'noop', before: null, after: null, reason: 'matches', dependsOn: [], ...(userTarget ? { target: userTarget } : {}) });
    }
    const licensed = have ? hasLicense(have) : false;
    const licenseAddr = `${address}.license.${MITEAM_PRODUCT}`;
    if (u.miteam) enabledAfter += 1;
    if (u.miteam && !licensed) {
      enables += 1;
      add({ address: licenseAddr, kind: 'license', action: 'create', before: { enabled: false }, after: { email: u.email, product: MITEAM_PRODUCT, enabled: true }, reason: 'MiTeam toggle on', dependsOn: [...(created ? [address] : []), ...(miteamIntegration ? [miteamIntegration] : []), ...orderAddrs], ...(userTarget ? { target: userTarget } : {}) });
    } else if (!u.miteam && licensed) {
      add({ address: licenseAddr, kind: 'license', action: 'delete', before: { email: u.email, product: MITEAM_PRODUCT, enabled: true }, after: null, reason: 'MiTeam toggle off', dependsOn: [], ...(userTarget ? { target: userTarget } : {}) });
    }
    // Welcome e-mails converge on state, so a crashed apply still sends them on the re-run, and never twice.
    const pending = !have || have.status === 'pending';
    const unsent = !have || !have.welcomeEmailSentOn;
    const wanted = d.welcomeEmail === 'onCreate' || (d.welcomeEmail === 'onEnable' && u.miteam);
    if (pending && unsent && wanted) {
      add({ address: `${address}.welcome`, kind: 'welcome', action: 'create', before: null, after: { email: u.email }, reason: d.welcomeEmail === 'onCreate' ? 'welcomeEmail onCreate, not sent yet' : 'welcomeEmail onEnable, MiTeam on, not sent yet', dependsOn: [...(created ? [address] : []), ...(u.miteam && !licensed ? [licenseAddr] : [])], ...(userTarget ? { target: userTarget } : {}) });
    }
  }
  if (unchangedUsers > 0) {
    add({ address: `${accAddr}.users`, kind: 'user', action: 'noop', before: null, after: null, reason: `${unchangedUsers} declared users match live`, dependsOn: [] });
  }
  for (const u of live?.users ?? []) {
    const email = u.email.toLowerCase();
    if (declared.has(email)) continue;
    if (d.users.policy === 'authoritative') {
      add({ address: userAddress(key, email), kind: 'user', action: 'delete', before: liveUserFields(u), after: null, reason: 'live but not declared (users policy authoritative)', dependsOn: [], target: { accountId: u.accountId, userId: u.userId, etag: u.etag } });
    } else if (hasLicense(u)) enabledAfter += 1;
  }
  if (enables > 0 && enabledAfter > capacity) {
    problems.push({ code: 'license_shortfall', guard: true, accountKey: key, message: `account "${key}" would have ${enabledAfter} MiTeam users but its assigned, unexpired orders provide ${capacity} licenses (short by ${enabledAfter - capacity}); assign another order or turn MiTeam off for ${enabledAfter - capacity} users` });
  }
  const etags = (items: { etag: string }[], id: (x: never) => string): string => items.map((x) => `${id(x as never)}:${x.etag}`).join(',');
  const orderTags = etags(touchedOrders, (o: Order) => o.orderId);
  return {
    changes,
    problems,
    touched: live
      ? [live.account.accountId, live.account.etag, etags(live.integrations, (i: LiveAccount['integrations'][number]) => i.integrationId), etags(live.users, (u: User) => u.userId), orderTags]
      : [orderTags],
  };
}

/** Computes the plan for the declared tenancy against the snapshot. Pure. */
export function diffTenancy(tenancy: Tenancy, snapshot: LiveSnapshot, options: DiffOptions): Plan {
  const changes: Change[] = [];
  const problems: PlanProblem[] = [];
  const touched: unknown[] = [];
  for (const d of tenancy.accounts) {
    const r = diffAccount(d, snapshot, options);
    changes.push(...r.changes);
    problems.push(...r.problems);
    touched.push([d.key, r.touched]);
  }
  // Changes are produced account by account, so a stable sort by phase within each account is all that is needed.
  const sorted: Change[] = [];
  let start = 0;
  while (start < changes.length) {
    let end = start;
    const key = changes[start]?.accountKey;
    while (end < changes.length && changes[end]?.accountKey === key) end += 1;
    const block = changes.slice(start, end).map((c, i) => ({ c, i, p: phaseOf(c.kind, c.action) }));
    block.sort((a, b) => a.p - b.p || a.i - b.i);
    for (const x of block) sorted.push(x.c);
    start = end;
  }
  const deletes = sorted.filter((c) => c.action === 'delete').length;
  const maxDeletes = options.maxDeletes ?? 10;
  if (deletes > maxDeletes) {
    problems.push({ code: 'max_deletes', guard: true, message: `the plan deletes ${deletes} objects, more than --max-deletes ${maxDeletes}; review the deletions and re-run with --max-deletes ${deletes} if they are intended` });
  }
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    createdAt: options.now.toISOString(),
    partnerId: tenancy.partner.id,
    inputsDigest: digestOf(tenancy.accounts, ['source']),
    liveDigest: digestOf(touched),
    accountKeys: tenancy.accounts.map((a) => a.key),
    changes: sorted,
    problems,
  };
}

/** Counts of changes by action (noops excluded from "changes"). */
export function summarize(plan: Plan): { create: number; update: number; delete: number; noop: number } {
  const out = { create: 0, update: 0, delete: 0, noop: 0 };
  for (const c of plan.changes) out[c.action] += 1;
  return out;
}

/** True when the plan has something to do. */
export function hasChanges(plan: Plan): boolean {
  return plan.changes.some((c) => c.action !== 'noop');
}
