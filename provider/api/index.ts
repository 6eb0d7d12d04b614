/**
 * The CloudLink API client (the only code that talks HTTP; contract version 2) and how it
 * is configured from the environment.
 */
import type { Diagnostic } from '../model/types.js';
import { HttpCloudLinkClient, type CloudLinkClient } from './client.js';
import { DEFAULT_BASE_URLS } from './routes.js';
import { DEFAULT_RETRY_ATTEMPTS, type Credentials, type TransportOptions } from './transport.js';

export type { CloudLinkClient } from './client.js';
export type {
  BatchCreateRow,
  BillingApi,
  CloudLinkApi,
  ContactsApi,
  IntegrationsApi,
  OrderListFilter,
  OrdersApi,
  PrincipalApi,
  UsersApi,
  AccountsApi,
  WriteOutcome,
  WriteResult,
} from './client-types.js';
export type { ClientStats, Credentials, RetryOptions } from './transport.js';
export { DEFAULT_MAX_CONCURRENCY } from './transport.js';
export { CloudLinkError, CloudLinkHttpError, CloudLinkSchemaError, isAmbiguous, redact, scrub } from './errors.js';
export type { CloudLinkErrorCode } from './errors.js';
export { fileTraceSink, type TraceEvent, type TraceSink } from './trace.js';
export { routes, servicePrefixes, DEFAULT_BASE_URLS } from './routes.js';
export { IDENTITY_TAG, MITEAM_PRODUCT } from '../model/live.js';
export type {
  Account,
  AccountFields,
  CatalogEntry,
  Contact,
  Integration,
  JsonValue,
  License,
  LiveRole,
  Order,
  Principal,
  Subscription,
  User,
  UserFields,
} from '../model/live.js';

/** Options of `createCloudLinkClient`. */
export type ClientOptions = TransportOptions;

/** The real Mitel hosts, used when the environment does not say otherwise. */
export const DEFAULT_AUTH_URL: string = DEFAULT_BASE_URLS.auth;
export const DEFAULT_ADMIN_URL: string = DEFAULT_BASE_URLS.admin;
export const DEFAULT_BILLING_URL: string = DEFAULT_BASE_URLS.billing;

/** Creates a client. It logs in lazily on the first call. */
export function createCloudLinkClient(options: ClientOptions): CloudLinkClient {
  return new HttpCloudLinkClient(options);
}

/**
 * Reads `CLOUDLINK_*` variables: USERNAME+PASSWORD or CLIENT_ID+CLIENT_SECRET (the
 * recommended grant for CI), ACCOUNT_ID (sent as `account_id` with either grant),
 * AUTH_URL, ADMIN_URL, BILLING_URL, CA_FILE, RATE (requests/s), RETRIES (attempts per call,
 * the first included; 1 fails fast, e.g. in CI when the service is down). Missing or half-set
 * credentials become diagnostics that name the variable to set.
 */
export function clientOptionsFromEnv(env: NodeJS.ProcessEnv): ClientOptions | Diagnostic[] {
  const problems: Diagnostic[] = [];
  const { CLOUDLINK_USERNAME: user, CLOUDLINK_PASSWORD: pass, CLOUDLINK_CLIENT_ID: id, CLOUDLINK_CLIENT_SECRET: secret, CLOUDLINK_ACCOUNT_ID: accountId } = env;
  let credentials: Credentials | undefined;
  if (user || pass) {
    if (!user) problems.push({ severity: 'error', message: 'CLOUDLINK_PASSWORD is set but CLOUDLINK_USERNAME is not; set both' });
    else if (!pass) problems.push({ severity: 'error', message: 'CLOUDLINK_USERNAME is set but CLOUDLINK_PASSWORD is not; set both' });
    else credentials = { username: user, password: pass, ...(accountId ? { accountId } : {}) };
  } else if (id || secret) {
    if (!id) problems.push({ severity: 'error', message: 'CLOUDLINK_CLIENT_SECRET is set but CLOUDLINK_CLIENT_ID is not; set both' });
    else if (!secret) problems.push({ severity: 'error', message: 'CLOUDLINK_CLIENT_ID is set but CLOUDLINK_CLIENT_SECRET is not; set both' });
    else credentials = { clientId: id, clientSecret: secret, ...(accountId ? { accountId } : {}) };
  } else {
    problems.push({ severity: 'error', message: 'no CloudLink credentials: set CLOUDLINK_USERNAME and CLOUDLINK_PASSWORD, or CLOUDLINK_CLIENT_ID and CLOUDLINK_CLIENT_SECRET' });
  }
  const rate = env.CLOUDLINK_RATE ? Number(env.CLOUDLINK_RATE) : 40;
  if (!Number.isFinite(rate) || rate <= 0) problems.push({ severity: 'error', message: `CLOUDLINK_RATE "${env.CLOUDLINK_RATE}" is not a positive number of requests per second` });
  const attempts = env.CLOUDLINK_RETRIES ? Number(env.CLOUDLINK_RETRIES) : undefined;
  if (attempts !== undefined && !(Number.isInteger(attempts) && attempts >= 1 && attempts <= 20)) problems.push({ severity: 'error', message: `CLOUDLINK_RETRIES "${env.CLOUDLINK_RETRIES}" is not a whole number of attempts from 1 to 20 (1 = no retry; default ${DEFAULT_RETRY_ATTEMPTS})` });
  for (const name of ['CLOUDLINK_AUTH_URL', 'CLOUDLINK_ADMIN_URL', 'CLOUDLINK_BILLING_URL'] as const) {
    const value = env[name];
    if (value && !/^https?:\/\//.test(value)) problems.push({ severity: 'error', message: `${name} "${value}" is not an http(s) URL` });
  }
  if (problems.length > 0 || !credentials) return problems;
  return {
    authUrl: env.CLOUDLINK_AUTH_URL || DEFAULT_AUTH_URL,
    adminUrl: env.CLOUDLINK_ADMIN_URL || DEFAULT_ADMIN_URL,
    billingUrl: env.CLOUDLINK_BILLING_URL || DEFAULT_BILLING_URL,
    credentials,
    requestsPerSecond: rate,
    ...(attempts !== undefined ? { retry: { attempts } } : {}),
    ...(env.CLOUDLINK_CA_FILE ? { caFile: env.CLOUDLINK_CA_FILE } : {}),
  };
}
export { createReadProbe, isReadRoute, type ReadProbe, type ReadRouteName, type ProbeAnswer, type ProbeQuery } from './probe.js';
export { REQUESTED_PAGE_SIZE, ASSUMED_MIN_PAGE_SIZE } from './paging.js';
