/**
 * The pure diff: declared tenancy + live snapshot → ordered plan. No I/O, no clock (the
 * caller passes `now`), deterministic output for equal inputs.
 *
 * Apply order within an account (tenancy-spec.md): account → contacts → integrations →
 * order assignments → license disables → user deletes → user creates/updates → license
 * enables → welcome e-mails → integration removals → order unassignments → account delete.
 * License disables and user deletes run before enables so freed licenses can be reused.
 *
 * Only attributes written in the declaration are compared and written (optional attributes
 * left out are not managed).
 */
import { MITEAM_PRODUCT, type Account, type Order, type User } from '../model/live.js';
import type { DesiredAccount, DesiredUser, Tenancy } from '../model/types.js';
import { isValidEmail } from '../model/email.js';
import { describeOrder } from '../model/normalize.js';
import { matchAccount, matchOrder, type AccountMatch } from './match.js';
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
  if (kind === 'account') return action === 'delete' ? 11 : 0;
  if (kind === 'contact') return 1;
  if (kind === 'integration') return action === 'delete' ? 9 : 2;
  if (kind === 'order') return action === 'delete' ? 10 : 3;
  if (kind === 'license') return action === 'delete' ? 4 : 7;
  if (kind === 'user') return action === 'delete' ? 5 : 6;
  return 8;
}

/** The address of a user and of its sub-objects. */
export const userAddress = (key: string, email: string): string => `account.${key}.user[${JSON.stringify(email)}]`;

/** True when an order still provides licenses at `now`. */
export function orderCounts(order: Order, now: Date): boolean {
  return order.expiresOn === null || new Date(order.expiresOn).getTime() > now.getTime();
}

/** The optional account attributes, managed only when declared. */
const OPTIONAL_ACCOUNT_FIELDS = ['address', 'city', 'postalCode', 'stateOrProvince'] as const;

/** The declared account attributes (the ones the plan compares and writes). */
export function declaredAccountFields(d: DesiredAccount): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = { name: d.name, country: d.country, language: d.language };
  for (const f of OPTIONAL_ACCOUNT_FIELDS) {
    const v = d[f];
    if (v !== undefined) out[f] = v;
  }
  return out;
}

function liveAccountFields(a: Account): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = { name: a.name, country: a.country ?? null, language: a.language ?? null };
  for (const f of OPTIONAL_ACCOUNT_FIELDS) out[f] = a[f] ?? null;
  return out;
}

function same(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  return JSON.stringify(x) === JSON.stringify(y);
}

/** The attributes of `want` that differ in `have`, as before/after maps; undefined when none. */
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
    have.role === u.role &&
    (u.country === undefined || have.country === u.country)
  );
}

/** The declared user attributes (country only when declared). */
export function userFields(u: DesiredUser): Record<string, JsonValue> {
  return { email: u.email, firstName: u.firstName, lastName: u.lastName, name: u.name, role: u.role, ...(u.country !== undefined ? { country: u.country } : {}) };
}

/** A live user's attributes in the plan's vocabulary. */
export function liveUserFields(u: User): Record<string, JsonValue> {
  return { email: u.email.toLowerCase(), firstName: u.firstName, lastName: u.lastName, name: u.name, role: u.role, ...(u.country !== undefined ? { country: u.country } : {}) };
}

/** What one account's diff produced. */
interface AccountDiff {
  changes: Change[];
  problems: PlanProblem[];
  touched: unknown[];
}

/** Collects the changes of one account, stamping its key. */
class AccountPlan {
  readonly changes: Change[] = [];
  readonly problems: PlanProblem[] = [];
  constructor(readonly d: DesiredAccount, readonly live: LiveAccount | undefined) {}
  get key(): string {
    return this.d.key;
  }
  get address(): string {
    return `account.${this.d.key}`;
  }
  get accountId(): string | undefined {
    return this.live?.account.accountId;
  }
  /** Changes that need the account to exist first. */
  get accountDeps(): string[] {
    return this.live ? [] : [this.address];
  }
  add(c: Omit<Change, 'accountKey'>): void {
    this.changes.push({ ...c, accountKey: this.d.key });
  }
  problem(p: Omit<PlanProblem, 'accountKey'>): void {
    this.problems.push({ ...p, accountKey: this.d.key });
  }
}

function matchReason(match: AccountMatch, d: DesiredAccount, partnerId: string): string {
  const rule = match.kind === 'matched' ? match.rule : 'tag';
  if (rule === 'adopt') return `adopted account ${match.kind === 'matched' ? match.account.accountId : ''}`;
  if (rule === 'tag') return 'matched by its cloudlink-tenancy tag';
  return `matched by exact name "${d.name}" under partner ${partnerId}; the cloudlink-tenancy tag is added so later runs match by tag`;
}

/** The account itself: create (by API or in the console), update or noop. Returns false when the rest must wait. */
function planAccount(p: AccountPlan, match: AccountMatch, partnerId: string): boolean {
  const d = p.d;
  const want = declaredAccountFields(d);
  if (!p.live) {
    const after: Record<string, JsonValue> = { ...want, identityKey: d.key, ...(Object.keys(d.tags).length ? { tags: { ...d.tags } } : {}) };
    if (d.accountCreation === 'console') {
      p.add({ address: p.address, kind: 'account', action: 'create', before: null, after, manual: 'console', reason: 'no live account has this adopt id, cloudlink-tenancy tag or name: create it in the Accounts Console with these fields; the next plan finds it by exact name, tags it and plans the rest of this account', dependsOn: [] });
      return false;
    }
    p.add({ address: p.address, kind: 'account', action: 'create', before: null, after, reason: 'no live account has this adopt id, cloudlink-tenancy tag or name', dependsOn: [] });
    return true;
  }
  const live = p.live.account;
  const delta = differing(want, liveAccountFields(live)) ?? { before: {}, after: {} };
  if (d.adopt === undefined && live.identityKey !== d.key) {
    delta.before.identityKey = live.identityKey ?? null;
    delta.after.identityKey = d.key;
  }
  const tagDelta = differing(d.tags, live.tags);
  if (tagDelta) {
    delta.before.tags = tagDelta.before;
    delta.after.tags = tagDelta.after;
  }
  const target = { accountId: live.accountId };
  const reason = matchReason(match, d, partnerId);
  if (Object.keys(delta.after).length > 0) p.add({ address: p.address, kind: 'account', action: 'update', before: delta.before, after: delta.after, reason, dependsOn: [], target });
  else p.add({ address: p.address, kind: 'account', action: 'noop', before: null, after: null, reason, dependsOn: [], target });
  return true;
}

/** Support contacts, when declared: add the missing e-mails, remove live support contacts not declared. */
function planContacts(p: AccountPlan): void {
  const declared = p.d.supportContacts;
  if (declared === undefined) return;
  const want = new Set<string>();
  for (const entry of declared) {
    if (isValidEmail(entry.toLowerCase())) want.add(entry.toLowerCase());
    else p.problem({ code: 'contact_unresolved', guard: false, message: `account "${p.key}": support contact "${entry}": Last entered text doesn't match with partner user nor is it a valid email address; write an e-mail address` });
  }
  const live = (p.live?.contacts ?? []).filter((c) => (c.type ?? 'SUPPORT') === 'SUPPORT');
  const have = new Set(live.map((c) => c.email.toLowerCase()));
  for (const email of want) {
    if (have.has(email)) continue;
    p.add({ address: `${p.address}.contact[${JSON.stringify(email)}]`, kind: 'contact', action: 'create', before: null, after: { email, type: 'SUPPORT' }, reason: 'declared support contact missing', dependsOn: p.accountDeps, ...(p.accountId ? { target: { accountId: p.accountId } } : {}) });
  }
  for (const c of live) {
    const email = c.email.toLowerCase();
    if (want.has(email)) continue;
    p.add({ address: `${p.address}.contact[${JSON.stringify(email)}]`, kind: 'contact', action: 'delete', before: { email }, after: null, reason: 'live support contact not declared', dependsOn: [], target: { accountId: c.accountId, contactId: c.contactId } });
  }
}

/** Integrations: add the declared ones; with users policy authoritative, remove the others. Returns the addresses of adds by type. */
function planIntegrations(p: AccountPlan, snapshot: LiveSnapshot): Map<string, string> {
  const adds = new Map<string, string>();
  for (const type of p.d.integrations) {
    const address = `${p.address}.integration.${type}`;
    if (!snapshot.catalog.some((c) => c.type === type)) {
      p.problem({ code: 'unknown_integration', guard: false, message: `account "${p.key}": integration "${type}" is not in the CloudLink catalogue (${snapshot.catalog.map((c) => c.type).join(', ')}); fix the type` });
      continue;
    }
    const existing = p.live?.integrations.find((i) => i.type === type);
    if (existing) p.add({ address, kind: 'integration', action: 'noop', before: null, after: null, reason: 'present', dependsOn: [], target: { ...(p.accountId ? { accountId: p.accountId } : {}), integrationId: existing.integrationId } });
    else {
      p.add({ address, kind: 'integration', action: 'create', before: null, after: { type }, reason: 'declared but not added', dependsOn: p.accountDeps, ...(p.accountId ? { target: { accountId: p.accountId } } : {}) });
      adds.set(type, address);
    }
  }
  if (p.live && p.d.users.policy === 'authoritative') {
    for (const i of p.live.integrations) {
      if (p.d.integrations.includes(i.type)) continue;
      p.add({ address: `${p.address}.integration.${i.type}`, kind: 'integration', action: 'delete', before: { type: i.type }, after: null, reason: 'live but not declared (users policy authoritative)', dependsOn: [], target: { accountId: p.live.account.accountId, integrationId: i.integrationId } });
    }
  }
  return adds;
}

/** Order assignments. Returns the MiTeam capacity after the apply, the addresses of assigns and the orders touched. */
function planOrders(p: AccountPlan, snapshot: LiveSnapshot, now: Date): { capacity: number; assigns: string[]; touched: Order[] } {
  let capacity = 0;
  const assigns: string[] = [];
  const touched: Order[] = [];
  const accountId = p.accountId;
  for (const selector of p.d.orders) {
    const m = matchOrder(selector, snapshot.orders, p.key);
    if ('problem' in m) {
      p.problems.push(m.problem);
      continue;
    }
    const order = m.order;
    touched.push(order);
    const address = `${p.address}.order.${order.trackingNumber}`;
    if (order.assignedAccountId && order.assignedAccountId !== accountId) {
      p.problem({ code: 'order_conflict', guard: false, message: `account "${p.key}": order ${order.trackingNumber} (${describeOrder(selector)}) is already assigned to another account (${order.assignedAccountId}); unassign it there in the console or select another order` });
      continue;
    }
    if (order.product === MITEAM_PRODUCT && orderCounts(order, now)) capacity += order.quantity;
    if (accountId && order.assignedAccountId === accountId) {
      p.add({ address, kind: 'order', action: 'noop', before: null, after: null, reason: 'assigned', dependsOn: [], target: { accountId, orderId: order.orderId } });
    } else {
      p.add({ address, kind: 'order', action: 'create', before: { assignedAccountId: null }, after: { trackingNumber: order.trackingNumber, quantity: order.quantity, assigned: true }, reason: `assign ${describeOrder(selector)} (${order.quantity} licenses)`, dependsOn: p.accountDeps, target: { ...(accountId ? { accountId } : {}), orderId: order.orderId } });
      assigns.push(address);
    }
  }
  // Orders assigned live but not declared still count towards capacity (the tool never unassigns them).
  for (const o of snapshot.orders) {
    if (accountId && o.assignedAccountId === accountId && !touched.includes(o) && o.product === MITEAM_PRODUCT && orderCounts(o, now)) capacity += o.quantity;
  }
  return { capacity, assigns, touched };
}

/** The user ids of an account holding a license of `product`, with the license ids. */
export function licensesByUser(live: LiveAccount | undefined, product = MITEAM_PRODUCT): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of live?.licenses ?? []) if (l.product === product) out.set(l.userId, l.licenseId);
  return out;
}

/** Users, their MiTeam license and welcome e-mail; the license shortfall guard. */
function planUsers(p: AccountPlan, miteamIntegration: string | undefined, orders: { capacity: number; assigns: string[] }): void {
  const d = p.d;
  const accountId = p.accountId;
  const liveByEmail = new Map<string, User>();
  for (const u of p.live?.users ?? []) liveByEmail.set(u.email.toLowerCase(), u);
  const licensed = licensesByUser(p.live);
  let enabledAfter = 0;
  let enables = 0;
  let unchanged = 0;
  for (const u of d.users.items) {
    const address = userAddress(p.key, u.email);
    const have = liveByEmail.get(u.email);
    const target = have ? { ...(accountId ? { accountId } : {}), userId: have.userId } : accountId ? { accountId } : undefined;
    if (!have) {
      p.add({ address, kind: 'user', action: 'create', before: null, after: userFields(u), reason: 'declared but not in the account', dependsOn: p.accountDeps, ...(target ? { target } : {}) });
    } else if (userMatches(u, have)) {
      // The hot path of big tenancies: unchanged users are counted into one noop entry per account, not one each.
      unchanged += 1;
    } else {
      const delta = differing(userFields(u), liveUserFields(have));
      if (delta) p.add({ address, kind: 'user', action: 'update', before: delta.before, after: { ...delta.after, email: u.email }, reason: 'attributes differ', dependsOn: [], ...(target ? { target } : {}) });
    }
    const licenseId = have ? licensed.get(have.userId) : undefined;
    const licenseAddr = `${address}.license.${MITEAM_PRODUCT}`;
    if (u.miteam) enabledAfter += 1;
    if (u.miteam && licenseId === undefined) {
      enables += 1;
      p.add({ address: licenseAddr, kind: 'license', action: 'create', before: { enabled: false }, after: { email: u.email, product: MITEAM_PRODUCT, enabled: true }, reason: 'MiTeam toggle on', dependsOn: [...(have ? [] : [address]), ...(miteamIntegration ? [miteamIntegration] : []), ...orders.assigns], ...(target ? { target } : {}) });
    } else if (!u.miteam && licenseId !== undefined) {
      p.add({ address: licenseAddr, kind: 'license', action: 'delete', before: { email: u.email, product: MITEAM_PRODUCT, enabled: true }, after: null, reason: 'MiTeam toggle off', dependsOn: [], target: { ...target, licenseId } });
    }
    planWelcome(p, u, have, address, u.miteam && licenseId === undefined ? licenseAddr : undefined, target);
  }
  if (unchanged > 0) p.add({ address: `${p.address}.users`, kind: 'user', action: 'noop', before: null, after: null, reason: `${unchanged} declared users match live`, dependsOn: [] });
  const declared = new Set(d.users.items.map((u) => u.email));
  for (const u of p.live?.users ?? []) {
    const email = u.email.toLowerCase();
    if (declared.has(email)) continue;
    if (d.users.policy === 'authoritative') {
      p.add({ address: userAddress(p.key, email), kind: 'user', action: 'delete', before: liveUserFields(u), after: null, reason: 'live but not declared (users policy authoritative)', dependsOn: [], target: { accountId: u.accountId, userId: u.userId } });
    } else if (licensed.has(u.userId)) enabledAfter += 1;
  }
  if (enables > 0 && enabledAfter > orders.capacity) {
    const short = enabledAfter - orders.capacity;
    p.problem({ code: 'license_shortfall', guard: true, message: `account "${p.key}" would have ${enabledAfter} MiTeam users but its assigned, unexpired orders provide ${orders.capacity} licenses (short by ${short}); assign another order or turn MiTeam off for ${short} users` });
  }
}

/** Welcome e-mails converge on state (the user tag records a send), so a crashed apply still sends them on the re-run, and never twice. */
function planWelcome(p: AccountPlan, u: DesiredUser, have: User | undefined, address: string, enableAddr: string | undefined, target: Change['target']): void {
  const d = p.d;
  const pending = !have || !have.verified;
  const unsent = !have || have.welcomeSentOn === undefined;
  const wanted = d.welcomeEmail === 'onCreate' || (d.welcomeEmail === 'onEnable' && u.miteam);
  if (!(pending && unsent && wanted)) return;
  p.add({
    address: `${address}.welcome`,
    kind: 'welcome',
    action: 'create',
    before: null,
    after: { email: u.email },
    reason: d.welcomeEmail === 'onCreate' ? 'welcomeEmail onCreate, not sent yet' : 'welcomeEmail onEnable, MiTeam on, not sent yet',
    dependsOn: [...(have ? [] : [address]), ...(enableAddr ? [enableAddr] : [])],
    ...(target ? { target } : {}),
  });
}

/** The live account deleted by `--destroy-account` (protected accounts refuse). */
function planDestroy(p: AccountPlan): void {
  if (p.d.protect) {
    p.problem({ code: 'protected_account', guard: true, message: `account "${p.key}" (${p.d.name}) is protected and is never deleted; set protect: false first if you really mean to delete it` });
  } else if (p.live) {
    p.add({ address: p.address, kind: 'account', action: 'delete', before: { name: p.live.account.name, users: p.live.users.length }, after: null, reason: `--destroy-account ${p.key}`, dependsOn: [], target: { accountId: p.live.account.accountId } });
  }
}

/** What a saved plan's staleness check compares: ids and modification times of what it touches. */
function touchedOf(live: LiveAccount | undefined, orders: Order[]): unknown[] {
  const stamp = (items: { modifiedOn?: string | undefined }[], id: (x: never) => string): string => items.map((x) => `${id(x as never)}:${x.modifiedOn ?? ''}`).join(',');
  const orderStamps = stamp(orders, (o: Order) => o.orderId);
  if (!live) return [orderStamps];
  return [
    live.account.accountId,
    live.account.modifiedOn ?? '',
    live.contacts.map((c) => c.contactId).join(','),
    live.integrations.map((i) => i.integrationId).join(','),
    stamp(live.users, (u: User) => u.userId),
    live.licenses.map((l) => l.licenseId).join(','),
    orderStamps,
  ];
}

function diffAccount(d: DesiredAccount, snapshot: LiveSnapshot, options: DiffOptions): AccountDiff {
  const match = matchAccount(d, snapshot.accounts.map((a) => a.account), snapshot.partnerId);
  if (match.kind === 'problem') return { changes: [], problems: [match.problem], touched: [] };
  const live = match.kind === 'matched' ? snapshot.accounts.find((a) => a.account.accountId === match.account.accountId) : undefined;
  const p = new AccountPlan(d, live);
  if (options.destroyAccounts?.includes(d.key)) {
    planDestroy(p);
    return { changes: p.changes, problems: p.problems, touched: live ? [live.account.accountId, live.account.modifiedOn ?? ''] : [] };
  }
  if (!planAccount(p, match, snapshot.partnerId)) return { changes: p.changes, problems: p.problems, touched: [] };
  planContacts(p);
  const integrationAdds = planIntegrations(p, snapshot);
  const orders = planOrders(p, snapshot, options.now);
  planUsers(p, integrationAdds.get(MITEAM_PRODUCT), orders);
  return { changes: p.changes, problems: p.problems, touched: touchedOf(live, orders.touched) };
}

/** Sorts each account's block of changes by phase, keeping declaration order within a phase. */
function orderChanges(changes: Change[]): Change[] {
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
  return sorted;
}

/** Kinds whose deletion `--max-deletes` counts (license toggles and contacts are not deletions of people or accounts). */
const COUNTED_DELETES: ReadonlySet<ChangeKind> = new Set<ChangeKind>(['account', 'user', 'integration', 'order']);

/** The deletions `--max-deletes` counts: accounts (with their users), users, integrations and unassigned orders. */
export function countDeletes(changes: readonly Change[]): number {
  let n = 0;
  for (const c of changes) {
    if (c.action !== 'delete' || !COUNTED_DELETES.has(c.kind)) continue;
    const users = c.kind === 'account' && typeof c.before?.users === 'number' ? c.before.users : 0;
    n += 1 + users;
  }
  return n;
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
  const sorted = orderChanges(changes);
  const deletes = countDeletes(sorted);
  const maxDeletes = options.maxDeletes ?? 10;
  if (deletes > maxDeletes) {
    problems.push({ code: 'max_deletes', guard: true, message: `the plan deletes ${deletes} objects (accounts count with their users), more than --max-deletes ${maxDeletes}; review the deletions and re-run with --max-deletes ${deletes} if they are intended` });
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
