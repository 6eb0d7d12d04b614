/**
 * One-pass validation: an account with field errors is repaired *for the cross-file checks
 * only* (duplicate keys, unknown integrations, MiTeam without the integration, orders claimed
 * twice …), so one run reports every problem. The field errors themselves are reported by the
 * schema; a repaired account never reaches a `Tenancy` (the loader returns none while any
 * error exists).
 */
import type { z } from 'zod';
import { accountDocumentSchema, type AccountDocument } from '../model/schema.js';
import { isRecord, type Json } from '../model/is-record.js';

export { isRecord, type Json };

/** Stand-ins for required account fields that are missing or invalid (never shown, never sent). */
const PLACEHOLDERS: Json = { name: 'salvaged', country: 'US', language: 'en-US' };
/** Lists whose bad entries are left out. */
const LISTS = new Set(['integrations', 'orders', 'supportContacts', 'previousKeys']);
/** Marks a list entry to leave out. */
const DROP = Symbol('drop');

function placeholderEmail(index: number): string {
  return `salvaged-${index}@salvaged.example`;
}

/** Repairs what one issue points at; false when the account cannot be repaired (its key is bad). */
function repair(account: Json, issue: z.core.$ZodIssue): boolean {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  if (issue.code === 'unrecognized_keys') {
    const target = path.reduce<unknown>((node, seg) => (isRecord(node) || Array.isArray(node) ? (node as Json)[seg as string] : undefined), account);
    if (isRecord(target)) for (const k of issue.keys) delete target[k];
    return true;
  }
  const [head, ...rest] = path;
  if (head === undefined) return false;
  if (head === 'key') return false;
  if (typeof head === 'string' && head in PLACEHOLDERS && rest.length === 0) {
    account[head] = PLACEHOLDERS[head];
    return true;
  }
  if (head === 'users' && rest[0] === 'items' && typeof rest[1] === 'number') {
    const items = (account.users as Json).items as unknown[];
    const index = rest[1];
    const field = rest[2];
    const user = items[index];
    if (!isRecord(user)) items[index] = { email: placeholderEmail(index), name: 'salvaged' };
    else if (field === undefined) user.name = 'salvaged';
    else if (field === 'email') user.email = placeholderEmail(index);
    else delete user[field as string];
    return true;
  }
  if (typeof head === 'string' && LISTS.has(head) && typeof rest[0] === 'number') {
    const list = account[head];
    const items = Array.isArray(list) ? list : isRecord(list) && Array.isArray(list.items) ? list.items : undefined;
    if (items) items[rest[0]] = DROP;
    else delete account[head];
    return true;
  }
  // Anything else: leave the offending value out (optional fields are then simply not declared).
  let parent: unknown = account;
  for (const seg of path.slice(0, -1)) parent = isRecord(parent) || Array.isArray(parent) ? (parent as Json)[seg as string] : undefined;
  const last = path[path.length - 1];
  if (isRecord(parent) && last !== undefined) delete parent[last as string];
  else delete account[head as string];
  return true;
}

function dropMarked(account: Json): void {
  for (const name of LISTS) {
    const list = account[name];
    if (Array.isArray(list)) account[name] = list.filter((v) => v !== DROP);
    else if (isRecord(list) && Array.isArray(list.items)) list.items = list.items.filter((v) => v !== DROP);
  }
}

/**
 * The account as the schema would accept it after leaving out or standing in for every invalid
 * value, or undefined when it has no usable key. User entries keep their positions.
 */
export function salvageAccount(raw: unknown): AccountDocument | undefined {
  if (!isRecord(raw)) return undefined;
  const account = structuredClone(raw);
  for (let pass = 0; pass < 6; pass += 1) {
    const parsed = accountDocumentSchema.safeParse(account);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) if (!repair(account, issue)) return undefined;
    dropMarked(account);
  }
  return undefined;
}
