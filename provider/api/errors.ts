/**
 * The client's errors: stable `code`s, `transient` (worth retrying later) vs terminal, the
 * request id, and messages that name the route but never a secret.
 */

/** Machine codes of client errors. */
export type CloudLinkErrorCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'token_expired'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'license_exhausted'
  | 'rate_limited'
  | 'transient'
  | 'network'
  | 'schema'
  | 'http';

/** Any error the client raises. */
export class CloudLinkError extends Error {
  constructor(
    readonly code: CloudLinkErrorCode,
    message: string,
    readonly transient: boolean,
    readonly status?: number,
    readonly requestId?: string,
    readonly details?: Record<string, unknown>[],
  ) {
    super(message);
    this.name = 'CloudLinkError';
  }
}

/** The server answered a non-2xx status. */
export class CloudLinkHttpError extends CloudLinkError {
  constructor(code: CloudLinkErrorCode, message: string, status: number, requestId?: string, details?: Record<string, unknown>[]) {
    super(code, message, status === 429 || status >= 500, status, requestId, details);
    this.name = 'CloudLinkHttpError';
  }
}

/** A response did not match the contract's schema. */
export class CloudLinkSchemaError extends CloudLinkError {
  constructor(message: string, requestId?: string) {
    super('schema', message, false, undefined, requestId);
    this.name = 'CloudLinkSchemaError';
  }
}

/** Maps an HTTP status and body code to a stable client code. */
export function codeForStatus(status: number, bodyCode: string | undefined): CloudLinkErrorCode {
  if (bodyCode === 'token_expired') return 'token_expired';
  if (status === 400) return 'validation_failed';
  if (status === 401) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 412) return 'precondition_failed';
  if (status === 422) return bodyCode === 'license_exhausted' ? 'license_exhausted' : 'validation_failed';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'transient';
  return 'http';
}

const SECRET_KEY = /pass(word)?|secret|token|authorization|api[-_]?key/i;

/** A deep copy with every secret-looking field replaced by "[redacted]". */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redact(v)]));
  }
  return value;
}

/** Removes known secret strings from a text (belt and braces for messages built from server text). */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}
