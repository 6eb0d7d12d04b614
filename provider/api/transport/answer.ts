/**
 * Reading an HTTP answer: its headers and JSON body, and the errors a call throws for an
 * error status or for a body that does not match the contract (always naming the route and
 * the correlation id, never a secret).
 */
import type { z } from 'zod';
import { CloudLinkHttpError, CloudLinkSchemaError, codeForStatus, scrub } from '../errors.js';
import type { WireError } from '../wire.js';

/** Response headers as undici hands them over. */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** The first value of a response header, if any. */
export function header(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The body as JSON; `undefined` when it is empty or not JSON. */
export function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** ` (correlation id X)`, or a note that there was no answer to carry one. */
export function correlationNote(correlationId: string | undefined): string {
  return correlationId ? ` (correlation id ${correlationId})` : ' (no correlation id: no answer)';
}

/** Where in a response a zod issue sits: `_embedded.items[3].email: expected string`. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** The call an answer belongs to, as its errors name it. */
export interface AnsweredCall {
  /** `METHOD /template`. */
  label: string;
  method: string;
  /** The call writes (not a GET): a 5xx may have written. */
  write: boolean;
  correlationId: string | undefined;
  /** Every secret the client knows, scrubbed from server text. */
  secrets: readonly string[];
}

/**
 * The error for a status the caller did not accept: the service's `{ name, message }` (or
 * the start of its text), scrubbed, whether a write may have happened, and the correlation id.
 */
export function httpStatusError(call: AnsweredCall, status: number, body: WireError | undefined, text: string): CloudLinkHttpError {
  const { label, write, correlationId } = call;
  const serverText = body ? `${body.name ?? ''}${body.name && body.message ? ': ' : ''}${body.message ?? ''}` : text ? text.slice(0, 200) : 'no error body';
  const message = `${label} answered ${status}: ${scrub(serverText, call.secrets)}${status >= 500 && write ? '; the write may have happened' : ''}${correlationNote(correlationId)}`;
  return new CloudLinkHttpError(codeForStatus(status), message, { route: label, method: call.method, status, ...(correlationId ? { correlationId } : {}), ...(body?.name ? { errorName: body.name } : {}) });
}

/** The error for a body that does not match the contract: where the first issues sit (scrubbed), and the correlation id. */
export function contractError(call: AnsweredCall, status: number, error: z.ZodError): CloudLinkSchemaError {
  const { label, correlationId } = call;
  return new CloudLinkSchemaError(`${label}: the answer does not match the CloudLink contract: ${scrub(describeIssues(error), call.secrets)}${correlationNote(correlationId)}`, { route: label, method: call.method, status, ...(correlationId ? { correlationId } : {}) });
}
