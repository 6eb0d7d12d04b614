/**
 * The first-write gate of one apply run (see `kept.ts`): per kind of write, the first one is
 * read back before any other of the kind is sent; after one the service did not keep, none is
 * sent. Also the words of the "did not keep" messages.
 */
import { ACCOUNT_FIELDS, type Account, type AccountFields, type Contact, type User, type UserFields } from '../../model/live.js';

/** The kinds of write whose first one in a run is read back. */
export type WriteKind = 'account update' | 'user create' | 'user update' | 'licence' | 'contact' | 'tag';

/** A write the service did not keep, or one not sent because the first of its kind was not kept. */
export class NotKeptError extends Error {
  constructor(
    readonly kind: WriteKind,
    message: string,
    readonly correlationId?: string,
  ) {
    super(message);
    this.name = 'NotKeptError';
  }
}

/** One field that differs: what was sent and what is live. */
export interface Mismatch {
  field: string;
  sent: unknown;
  live: unknown;
}

/** What a read-back found: no write happened (nothing to judge), or the fields that differ. */
export type Verdict = { wrote: false } | { wrote: true; mismatches: Mismatch[] };

type KindState = { s: 'open' } | { s: 'probing'; done: Promise<void> } | { s: 'kept' } | { s: 'refused'; because: string };

/** A value as a message shows it: plain text, `(empty)`, `(none)`, or JSON. */
function shown(v: unknown): string {
  if (v === undefined || v === null) return '(none)';
  if (typeof v === 'string') return v === '' ? '(empty)' : v;
  return JSON.stringify(v);
}

/** `language (sent de-DE, live en-US)`, joined by `; `. */
export function describeMismatches(mismatches: readonly Mismatch[]): string {
  return mismatches.map((m) => `${m.field} (sent ${shown(m.sent)}, live ${shown(m.live)})`).join('; ');
}

/** `CloudLink did not keep: account acme language (sent de-DE, live en-US), correlation id …`. */
export function notKeptMessage(what: string, mismatches: readonly Mismatch[], correlationId: string | undefined): string {
  return `CloudLink did not keep: ${what} ${describeMismatches(mismatches)}${correlationId ? `, correlation id ${correlationId}` : ''}`;
}

/** The message of a write not sent because the first of its kind was not kept. */
export function notSentMessage(kind: WriteKind, because: string): string {
  return `not sent: the first ${kind} of this run was not kept by CloudLink (${because}); fix that first, then apply again`;
}

/** The account fields given that differ live (a missing account differs in all). */
export function accountMismatches(sent: AccountFields, live: Account | undefined): Mismatch[] {
  return ACCOUNT_FIELDS.filter((f) => sent[f] !== undefined && sent[f] !== live?.[f]).map((f) => ({ field: f, sent: sent[f], live: live?.[f] }));
}

/** The user fields the tool writes (besides the e-mail). */
export const USER_FIELDS = ['name', 'firstName', 'lastName', 'role', 'country'] as const;

/** The user fields given that differ live (e-mail compared case-insensitively). */
export function userMismatches(sent: Partial<UserFields>, live: User | undefined): Mismatch[] {
  const out: Mismatch[] = USER_FIELDS.filter((f) => sent[f] !== undefined && sent[f] !== live?.[f]).map((f) => ({ field: f, sent: sent[f], live: live?.[f] }));
  if (sent.email !== undefined && sent.email.toLowerCase() !== live?.email.toLowerCase()) out.unshift({ field: 'email', sent: sent.email, live: live?.email });
  return out;
}

/** The contact fields given that differ live (a missing contact is one mismatch). */
export function contactMismatches(sent: { email: string; name?: string; type: string }, live: Contact | undefined): Mismatch[] {
  if (!live) return [{ field: 'contact', sent: sent.email, live: undefined }];
  const out: Mismatch[] = [];
  if ((live.type ?? '').toLowerCase() !== sent.type.toLowerCase()) out.push({ field: 'type', sent: sent.type, live: live.type });
  if (sent.name !== undefined && live.name !== sent.name) out.push({ field: 'name', sent: sent.name, live: live.name });
  return out;
}

/** One write for the gate: what it is about (for messages), the write, its read-back, and its answer's correlation id. */
export interface GatedWrite<T> {
  what: () => string;
  write: () => Promise<T>;
  check: (result: T) => Promise<Verdict>;
  correlationOf?: (result: T) => string | undefined;
}

/** The per-kind verdicts of one run, shared by every account. */
export class FirstWriteGate {
  private readonly states = new Map<WriteKind, KindState>();

  /** `kept` once the first write of the kind was read back fine; `refused` after one that was not kept. */
  state(kind: WriteKind): KindState['s'] {
    return (this.states.get(kind) ?? { s: 'open' }).s;
  }

  /** Why writes of the kind are refused, when they are. */
  refusal(kind: WriteKind): string | undefined {
    const st = this.states.get(kind);
    return st?.s === 'refused' ? st.because : undefined;
  }

  /**
   * Runs a write of `kind`. The first one is read back while others of the kind wait; a read-back
   * that fails leaves the kind open (the next write is read back instead). Throws `NotKeptError`
   * for a write the service did not keep, and (unsent) for every write after it.
   */
  async run<T>(kind: WriteKind, w: GatedWrite<T>): Promise<T> {
    for (;;) {
      const st = this.states.get(kind) ?? { s: 'open' };
      if (st.s === 'kept') return w.write();
      if (st.s === 'refused') throw new NotKeptError(kind, notSentMessage(kind, st.because));
      if (st.s === 'probing') {
        await st.done;
        continue;
      }
      return this.probe(kind, w);
    }
  }

  private async probe<T>(kind: WriteKind, w: GatedWrite<T>): Promise<T> {
    let release = (): void => undefined;
    this.states.set(kind, { s: 'probing', done: new Promise<void>((r) => (release = r)) });
    try {
      const result = await w.write();
      let verdict: Verdict;
      try {
        verdict = await w.check(result);
      } catch {
        return result;
      }
      if (!verdict.wrote) return result;
      if (verdict.mismatches.length === 0) {
        this.states.set(kind, { s: 'kept' });
        return result;
      }
      this.states.set(kind, { s: 'refused', because: `${w.what()} ${describeMismatches(verdict.mismatches)}` });
      const correlationId = w.correlationOf?.(result);
      throw new NotKeptError(kind, notKeptMessage(w.what(), verdict.mismatches, correlationId), correlationId);
    } finally {
      if (this.states.get(kind)?.s === 'probing') this.states.set(kind, { s: 'open' });
      release();
    }
  }
}
