/**
 * The CloudLink API client (the only code that talks HTTP) and how it is configured from
 * the environment.
 */
import type { Diagnostic } from '../model/types.js';
import { HttpCloudLinkClient, type CloudLinkClient } from './client.js';
import type { TransportOptions } from './transport.js';

export type { CloudLinkClient } from './client.js';
export type { ClientStats, Credentials, RetryOptions } from './transport.js';
export { CloudLinkError, CloudLinkHttpError, CloudLinkSchemaError, redact } from './errors.js';
export type { CloudLinkErrorCode } from './errors.js';
export { fileTraceSink, type TraceEvent, type TraceSink } from './trace.js';
export { routes } from './routes.js';

/** Options of `createCloudLinkClient`. */
export type ClientOptions = TransportOptions;

/** The real Mitel hosts, used when the environment does not say otherwise. */
export const DEFAULT_AUTH_URL = 'https://authentication.api.mitel.io/2017-09-01';
export const DEFAULT_ADMIN_URL = 'https://admin.api.mitel.io/2017-09-01';

/** Creates a client. It logs in lazily on the first call. */
export function createCloudLinkClient(options: ClientOptions): CloudLinkClient {
  return new HttpCloudLinkClient(options);
}

/**
 * Reads `CLOUDLINK_*` variables: USERNAME+PASSWORD (optional ACCOUNT_ID) or CLIENT_ID+CLIENT_SECRET,
 * AUTH_URL, ADMIN_URL, CA_FILE, RATE (requests/s). Missing or half-set credentials become
 * diagnostics that name the variable to set.
 */
export function clientOptionsFromEnv(env: NodeJS.ProcessEnv): ClientOptions | Diagnostic[] {
  const problems: Diagnostic[] = [];
  const { CLOUDLINK_USERNAME: user, CLOUDLINK_PASSWORD: pass, CLOUDLINK_CLIENT_ID: id, CLOUDLINK_CLIENT_SECRET: secret } = env;
  let credentials: TransportOptions['credentials'] | undefined;
  if (user || pass) {
    if (!user) problems.push({ severity: 'error', message: 'CLOUDLINK_PASSWORD is set but CLOUDLINK_USERNAME is not; set both' });
    else if (!pass) problems.push({ severity: 'error', message: 'CLOUDLINK_USERNAME is set but CLOUDLINK_PASSWORD is not; set both' });
    else credentials = { username: user, password: pass, ...(env.CLOUDLINK_ACCOUNT_ID ? { accountId: env.CLOUDLINK_ACCOUNT_ID } : {}) };
  } else if (id || secret) {
    if (!id) problems.push({ severity: 'error', message: 'CLOUDLINK_CLIENT_SECRET is set but CLOUDLINK_CLIENT_ID is not; set both' });
    else if (!secret) problems.push({ severity: 'error', message: 'CLOUDLINK_CLIENT_ID is set but CLOUDLINK_CLIENT_SECRET is not; set both' });
    else credentials = { clientId: id, clientSecret: secret };
  } else {
    problems.push({ severity: 'error', message: 'no CloudLink credentials: set CLOUDLINK_USERNAME and CLOUDLINK_PASSWORD, or CLOUDLINK_CLIENT_ID and CLOUDLINK_CLIENT_SECRET' });
  }
  const rate = env.CLOUDLINK_RATE ? Number(env.CLOUDLINK_RATE) : 40;
  if (!Number.isFinite(rate) || rate <= 0) problems.push({ severity: 'error', message: `CLOUDLINK_RATE "${env.CLOUDLINK_RATE}" is not a positive number of requests per second` });
  for (const name of ['CLOUDLINK_AUTH_URL', 'CLOUDLINK_ADMIN_URL'] as const) {
    const value = env[name];
    if (value && !/^https?:\/\//.test(value)) problems.push({ severity: 'error', message: `${name} "${value}" is not an http(s) URL` });
  }
  if (problems.length > 0 || !credentials) return problems;
  return {
    authUrl: env.CLOUDLINK_AUTH_URL || DEFAULT_AUTH_URL,
    adminUrl: env.CLOUDLINK_ADMIN_URL || DEFAULT_ADMIN_URL,
    credentials,
    requestsPerSecond: rate,
    ...(env.CLOUDLINK_CA_FILE ? { caFile: env.CLOUDLINK_CA_FILE } : {}),
  };
}
