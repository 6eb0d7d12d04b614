/**
 * Did CloudLink keep what apply wrote? Terraform stops with "Provider produced an unexpected
 * new value" when the remote object differs from what was planned; apply does the same in two
 * steps, behind one narrow interface (`KeptWrites`):
 *
 * 1. At once (`kept-gate.ts`, `kept-api.ts`): the first write of each kind in a run (account
 *    update, user create, user update, licence, contact, tag) is read back before any other
 *    write of that kind is sent (others wait for its verdict, across accounts). If the service
 *    did not keep a field, that change fails naming the field, and every later write of the
 *    kind fails unsent: an apply does not repeat the same mistake on 10,000 users. A user
 *    batch probes with one row first.
 * 2. At the end (`kept-verify.ts`): the accounts the apply touched are re-read, and every
 *    change it applied is compared with what is live, as the next plan would compare it. A
 *    change the service did not keep becomes a failure: "CloudLink did not keep: account acme
 *    language (sent de-DE, live en-US), correlation id …", so apply exits 1 instead of
 *    reporting success while the next plan repeats the change silently.
 *
 * A read-back that itself fails does not fail the write: the kind stays unverified and the
 * next write of it is read back instead.
 */
import type { CloudLinkApi } from '../../api/client-types.js';
import type { Change } from '../types.js';
import { checkedApi, type KeptNotes } from './kept-api.js';
import { FirstWriteGate } from './kept-gate.js';
import { verifyKept } from './kept-verify.js';
import type { ChangeResult } from './result.js';

export { NotKeptError, type WriteKind } from './kept-gate.js';

/** The read-back of one apply run. */
export interface KeptWrites {
  /** The client one account's changes are applied with: writes of the six kinds go through the first-write check. */
  forAccount(accountKey: string): CloudLinkApi;
  /** Re-reads the touched accounts; each `done` change the service did not keep comes back `failed`, naming the fields. */
  verify(changes: readonly Change[], results: readonly ChangeResult[]): Promise<ChangeResult[]>;
}

/** `KeptWrites` over the client (one per apply run: the first-write verdicts are shared by every account). */
export function keptWrites(api: CloudLinkApi): KeptWrites {
  const gate = new FirstWriteGate();
  const notes: KeptNotes = { touched: new Map(), lastWrite: new Map() };
  return {
    forAccount: (key) => checkedApi(api, gate, key, notes),
    verify: (changes, results) => verifyKept(api, notes, changes, results),
  };
}
