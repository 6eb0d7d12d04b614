/**
 * The client's errors: stable `code`s, `transient` (worth retrying later) vs terminal,
 * whether a write may have happened (`isAmbiguous`), the `x-mitel-correlation-id` Mitel
 * support asks for, and messages that name the route but never a secret.
 */

/** Machine codes of client errors. `http` is any other non-2xx status. */
export type CloudLinkErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'transient'
  | 'network'
  | 'timeout'
  | 'schema'
  | 'http';

/** Extra facts about a failure. */
export interface CloudLinkErrorInfo {
  status?: number;
  correlationId?: string;
  /** `METHOD /template` of the call. */
  route?: string;
  /** The HTTP method (a failed GET is never ambiguous). */
  method?: string;
  /** For network failures: the request may have reached the service (not a connect failure). */
  sent?: boolean;
  /** The service's error name (`{ name, message }` body). */
  errorName?: string;
}

/** Any error the client raises. */
export class CloudLinkError extends Error {
  readonly status?: number;
  readonly correlationId?: string;
  readonly route?: string;
  readonly method?: string;
  readonly sent?: boolean;
  readonly errorName?: string;

  constructor(
    readonly code: CloudLinkErrorCode,
    message: string,
    readonly transient: boolean,
    info: CloudLinkErrorInfo = {},
  ) {
    super(message);
    this.name = 'CloudLinkError';
    if (info.status !== undefined) this.status = info.status;
    if (info.correlationId !== undefined) this.correlationId = info.correlationId;
    if (info.route !== undefined) this.route = info.route;
    if (info.method !== undefined) this.method = info.method;
    if (info.sent !== undefined) this.sent = info.sent;
    if (info.errorName !== undefined) this.errorName = info.errorName;
  }
}

/** The service answered a non-2xx status. */
export class CloudLinkHttpError extends CloudLinkError {
  constructor(code: CloudLinkErrorCode, message: string, info: CloudLinkErrorInfo & { status: number }) {
    super(code, message, info.status === 429 || info.status >= 500, info);
    this.name = 'CloudLinkHttpError';
  }
}

/** A response did not match the contract's schema. */
export class CloudLinkSchemaError extends CloudLinkError {
  constructor(message: string, info: CloudLinkErrorInfo = {}) {
    super('schema', message, false, info);
    this.name = 'CloudLinkSchemaError';
  }
}

/** Maps an HTTP status to a stable client code. */
export function codeForStatus(status: number): CloudLinkErrorCode {
  if (status === 400) return 'bad_request';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'transient';
  return 'http';
}

/**
 * True when a write may have happened although the call failed: a 5xx, a timeout, or a
 * connection cut after the request was sent. Failed GETs are never ambiguous (no write);
 * nor are 4xx answers, schema errors or connect failures (the request never left).
 */
export function isAmbiguous(e: unknown): boolean {
  if (!(e instanceof CloudLinkError)) return false;
  if (e.method === 'GET') return false;
  if (e.code === 'transient' || e.code === 'timeout') return true;
  return e.code === 'network' && e.sent === true;
}

/** Keys whose values are secrets wherever they appear (bodies, headers, forms). */
const SECRET_KEY = /pass(word)?|secret|token|authorization|api[-_]?key|cookie|assertion|credential/i;

/** A deep copy with every secret-looking field (`sipPassword`, `password`, tokens, client secrets, authorization) replaced by "[redacted]". */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redact(v)]));
  }
  return value;
}

/**
 * Removes secrets from a text: every known secret string, bearer tokens, and
 * `"secretKey": "value"` / `secretKey=value` pairs (belt and braces for messages built from
 * server text).
 */
export function scrub(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  out = out.replace(/(bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1[redacted]');
  out = out.replace(/("?[A-Za-z_]*(?:pass(?:word)?|secret|token|authorization)[A-Za-z_]*"?\s*[:=]\s*)("(?:[^"\\]|\\.)*"|[^\s,;&}]+)/gi, '$1"[redacted]"');
  return out;
}
