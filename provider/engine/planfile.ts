/**
 * Plan files: versioned, validated read and write, and the staleness check of `apply --plan`.
 *
 * Staleness is per object: each change carries the stamp of the object it touches (its
 * `modifiedOn`, a license or contact id, or null when it did not exist). Against a fresh plan
 * of the same declaration, a saved change is
 * - no longer planned when the fresh plan does not have it (skipped: an interrupted apply can be
 *   re-run; the plan cannot tell a change done by an earlier run from one the live state or the
 *   declaration made unnecessary, so it never claims "done");
 * - applicable when the fresh plan has it with the same stamp (the fresh copy is applied, with
 *   the ids learnt since, e.g. of users an interrupted run created);
 * - stale otherwise: the refusal names the object and how it moved.
 */
import { readFile } from 'node:fs/promises';
import { writePrivateFile } from '../fs/write-private-file.js';
import { z } from 'zod';
import { canonicalJson, digestOf } from '../model/canonical-json.js';
import { PLAN_FORMAT_VERSION, type Change, type Plan } from './types.js';

const text = z.string();
const nullable = <T extends z.ZodType>(t: T) => t.nullable();
const ids = z.record(z.string(), z.string());
const base = {
  address: text,
  accountKey: text,
  action: z.enum(['create', 'update', 'delete', 'noop']),
  reason: text,
  dependsOn: z.array(text),
  stamp: text.nullable(),
};
const accountAttrs = z.object({
  name: text.optional(),
  country: text.nullable().optional(),
  language: text.nullable().optional(),
  address: text.nullable().optional(),
  city: text.nullable().optional(),
  postalCode: text.nullable().optional(),
  stateOrProvince: text.nullable().optional(),
  identityKey: text.nullable().optional(),
  protect: z.boolean().optional(),
  tags: z.record(z.string(), text.nullable()).optional(),
  users: z.number().optional(),
});
const userAttrs = z.object({
  email: text.optional(),
  firstName: text.optional(),
  lastName: text.optional(),
  name: text.optional(),
  role: z.enum(['User', 'Account Admin', 'Partner Admin']).optional(),
  country: text.nullable().optional(),
});
/** Every change kind but the account (the changes that may wait for a console-created account). */
const objectChanges = [
  z.object({ ...base, kind: z.literal('contact'), id: ids, before: nullable(z.object({ email: text, type: text, name: text.optional() })), after: nullable(z.object({ email: text, type: text, name: text.optional() })) }),
  z.object({ ...base, kind: z.literal('integration'), id: ids, before: nullable(z.object({ type: text })), after: nullable(z.object({ type: text })) }),
  z.object({ ...base, kind: z.literal('order'), id: ids.and(z.object({ orderId: text })), before: nullable(z.object({ trackingNumber: text, quantity: z.number(), assigned: z.boolean() })), after: nullable(z.object({ trackingNumber: text, quantity: z.number(), assigned: z.boolean() })) }),
  z.object({ ...base, kind: z.literal('user'), id: ids, before: nullable(userAttrs), after: nullable(userAttrs), matched: z.number().optional() }),
  z.object({ ...base, kind: z.literal('license'), id: ids.and(z.object({ email: text, product: text })), before: nullable(z.object({ miteam: z.boolean() })), after: nullable(z.object({ miteam: z.boolean() })) }),
  z.object({ ...base, kind: z.literal('welcome'), id: ids.and(z.object({ email: text })), before: z.null(), after: nullable(z.object({ sent: z.literal(true) })) }),
] as const;
const changeSchema = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('account'), id: ids, before: nullable(accountAttrs), after: nullable(accountAttrs), previousKey: text.optional(), manual: z.literal('console').optional(), protect: z.boolean().optional(), waiting: z.array(z.discriminatedUnion('kind', [...objectChanges])).optional() }),
  ...objectChanges,
]);
const planSchema = z.object({
  formatVersion: z.literal(PLAN_FORMAT_VERSION),
  createdAt: text,
  partnerId: text,
  inputsDigest: text,
  accountKeys: z.array(text),
  changes: z.array(changeSchema),
  problems: z.array(z.object({ severity: z.literal('error'), code: text, guard: z.boolean(), accountKey: text.optional(), message: text }).passthrough()),
});

/** Writes a plan as indented JSON, mode 0600 (it holds users' names and e-mails). */
export async function writePlanFile(file: string, plan: Plan): Promise<void> {
  await writePrivateFile(file, `${JSON.stringify(plan, null, 2)}\n`);
}

/** Reads and validates a plan file; a message saying what is wrong and what to do otherwise. */
export async function readPlanFile(file: string, shown = file): Promise<Plan | string> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    return `cannot read the saved plan ${shown}: ${(e as Error).message}`;
  }
  const version = (data as { formatVersion?: unknown } | null)?.formatVersion;
  if (version !== PLAN_FORMAT_VERSION) {
    return `${shown} is a plan of format ${JSON.stringify(version ?? 'unknown')}, this release reads format ${PLAN_FORMAT_VERSION}; make it again with "cloudlink-tenancy plan --out ${shown}"`;
  }
  const parsed = planSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `${shown} is not a valid plan (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unknown problem'}); make it again with "cloudlink-tenancy plan --out ${shown}"`;
  }
  return parsed.data as unknown as Plan;
}

/** How a saved plan stands against a fresh plan of the same declaration. */
export interface SavedPlanCheck {
  /** The changes to apply (fresh copies of the saved ones). */
  apply: Change[];
  /** Addresses of saved changes the fresh plan no longer has (declaration or live state changed; skipped). */
  noLongerPlanned: string[];
  /** Saved changes whose object moved since the plan was made, each with how. */
  stale: { address: string; why: string }[];
  /** Changes the fresh plan has that the saved one does not (not applied). */
  unplanned: string[];
}

function why(saved: Change, fresh: Change): string {
  if (saved.stamp === null) return `it did not exist when the plan was made and exists now (${fresh.stamp ?? 'unknown state'})`;
  if (fresh.stamp === null) return `it existed when the plan was made (${saved.stamp}) and is gone now`;
  if (saved.stamp !== fresh.stamp) return `it was modified since the plan was made (${saved.stamp} → ${fresh.stamp})`;
  return `the change needed now differs from the saved one (${saved.action} → ${fresh.action})`;
}

/** Compares a saved plan with a fresh one, change by change. Pure. */
export function checkSavedPlan(saved: Plan, fresh: Plan): SavedPlanCheck {
  const freshBy = new Map(fresh.changes.map((c) => [c.address, c]));
  const savedAddresses = new Set(saved.changes.map((c) => c.address));
  const out: SavedPlanCheck = { apply: [], noLongerPlanned: [], stale: [], unplanned: [] };
  for (const s of saved.changes) {
    if (s.action === 'noop') continue;
    const f = freshBy.get(s.address);
    if (!f || f.action === 'noop') out.noLongerPlanned.push(s.address);
    else if (f.action === s.action && f.stamp === s.stamp && canonicalJson(f.after) === canonicalJson(s.after)) out.apply.push(f);
    else out.stale.push({ address: s.address, why: why(s, f) });
  }
  for (const f of fresh.changes) if (f.action !== 'noop' && !savedAddresses.has(f.address)) out.unplanned.push(f.address);
  return out;
}

/** How the skipped saved changes are reported: never "done", the tool cannot know who made them unnecessary. */
export const NO_LONGER_PLANNED = 'no longer planned (declaration or live state changed)';

/** A refusal when the saved plan was made for another partner than the declaration's; undefined when they agree. */
export function otherPartner(saved: Pick<Plan, 'partnerId'>, partnerId: string, shown = 'the saved plan'): string | undefined {
  if (saved.partnerId === partnerId) return undefined;
  return `${shown} was made for partner ${JSON.stringify(saved.partnerId)}, but the declaration is for partner ${JSON.stringify(partnerId)}; apply it with the declaration (and the credentials) it was made from, or make a new plan`;
}

/** True when the saved plan was made from the same declaration as the fresh one. */
export function sameDeclaration(saved: Plan, fresh: Plan): boolean {
  return saved.inputsDigest === fresh.inputsDigest && digestOf(saved.accountKeys) === digestOf(fresh.accountKeys);
}
