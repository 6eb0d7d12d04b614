/**
 * Every CloudLink route the client calls, in ONE table (../shared/cloudlink-api.md, version 2).
 * A difference found against the real service is a one-line change here. Templates are
 * relative to the service's base URL: `CLOUDLINK_AUTH_URL`, `CLOUDLINK_ADMIN_URL` or
 * `CLOUDLINK_BILLING_URL`. `basis` says whether the route is public [P] or assumed [A].
 */
export const routes = {
  // auth [P]
  token: { service: 'auth', method: 'POST', template: '/token', basis: 'P' },
  tokenClaims: { service: 'auth', method: 'GET', template: '/token', basis: 'P' },
  // admin: accounts [P] (POST [A])
  listAccounts: { service: 'admin', method: 'GET', template: '/accounts', basis: 'P' },
  createAccount: { service: 'admin', method: 'POST', template: '/accounts', basis: 'A' },
  getAccount: { service: 'admin', method: 'GET', template: '/accounts/{accountId}', basis: 'P' },
  updateAccount: { service: 'admin', method: 'PUT', template: '/accounts/{accountId}', basis: 'P' },
  deleteAccount: { service: 'admin', method: 'DELETE', template: '/accounts/{accountId}', basis: 'P' },
  putAccountTag: { service: 'admin', method: 'PUT', template: '/accounts/{accountId}/tags/{tagId}', basis: 'P' },
  deleteAccountTag: { service: 'admin', method: 'DELETE', template: '/accounts/{accountId}/tags/{tagId}', basis: 'P' },
  // admin: contacts [P]
  listContacts: { service: 'admin', method: 'GET', template: '/accounts/{accountId}/contacts', basis: 'P' },
  createContact: { service: 'admin', method: 'POST', template: '/accounts/{accountId}/contacts', basis: 'P' },
  deleteContact: { service: 'admin', method: 'DELETE', template: '/accounts/{accountId}/contacts/{contactId}', basis: 'P' },
  // admin: users [P] (welcome-email path [A])
  listUsers: { service: 'admin', method: 'GET', template: '/accounts/{accountId}/users', basis: 'P' },
  createUser: { service: 'admin', method: 'POST', template: '/accounts/{accountId}/users', basis: 'P' },
  batchUsers: { service: 'admin', method: 'PATCH', template: '/accounts/{accountId}/users', basis: 'P' },
  getUser: { service: 'admin', method: 'GET', template: '/accounts/{accountId}/users/{userId}', basis: 'P' },
  updateUser: { service: 'admin', method: 'PUT', template: '/accounts/{accountId}/users/{userId}', basis: 'P' },
  deleteUser: { service: 'admin', method: 'DELETE', template: '/accounts/{accountId}/users/{userId}', basis: 'P' },
  putUserTag: { service: 'admin', method: 'PUT', template: '/accounts/{accountId}/users/{userId}/tags/{tagId}', basis: 'P' },
  deleteUserTag: { service: 'admin', method: 'DELETE', template: '/accounts/{accountId}/users/{userId}/tags/{tagId}', basis: 'P' },
  sendWelcome: { service: 'admin', method: 'POST', template: '/accounts/{accountId}/users/{userId}/welcome-email', basis: 'A' },
  resetPassword: { service: 'admin', method: 'PUT', template: '/users/{email}/password', basis: 'P' },
  // admin: partners [P]
  getPartner: { service: 'admin', method: 'GET', template: '/partners/{partnerId}', basis: 'P' },
  // admin: integrations [A]
  catalog: { service: 'admin', method: 'GET', template: '/integrations', basis: 'A' },
  listIntegrations: { service: 'admin', method: 'GET', template: '/accounts/{accountId}/integrations', basis: 'A' },
  addIntegration: { service: 'admin', method: 'POST', template: '/accounts/{accountId}/integrations', basis: 'A' },
  removeIntegration: { service: 'admin', method: 'DELETE', template: '/accounts/{accountId}/integrations/{integrationId}', basis: 'A' },
  // billing [P resource names, A shapes]
  listOrders: { service: 'billing', method: 'GET', template: '/partner-subscriptions', basis: 'A' },
  updateOrder: { service: 'billing', method: 'PUT', template: '/partner-subscriptions/{subscriptionId}', basis: 'A' },
  listSubscriptions: { service: 'billing', method: 'GET', template: '/subscriptions', basis: 'A' },
  listLicenses: { service: 'billing', method: 'GET', template: '/licenses', basis: 'A' },
  createLicense: { service: 'billing', method: 'POST', template: '/licenses', basis: 'A' },
  deleteLicense: { service: 'billing', method: 'DELETE', template: '/licenses/{licenseId}', basis: 'A' },
} as const satisfies Record<string, { service: ServiceName; method: HttpMethod; template: string; basis: 'P' | 'A' }>;

/**
 * [A] (contract 2.1, "E-mail on creation"): a single `POST …/users` sends the user a welcome
 * e-mail by itself, a batch `PATCH … add` sends none (as the console's bulk import). The apply
 * therefore creates users through `batchUsers` only, one user included, so the only welcome
 * e-mails are those its policy plans. A difference found live is a change here and in
 * `provider/engine/apply/apply.ts` (runPhase).
 */
export const CREATE_SENDS_WELCOME = { createUser: true, batchUsers: false } as const;

/** The three CloudLink services. */
export type ServiceName = 'auth' | 'admin' | 'billing';
/** Methods the contract uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type RouteName = keyof typeof routes;
export type Route = (typeof routes)[RouteName];

/** The path prefix of each service on the real hosts and in the sandbox (the base URL's path). */
export const servicePrefixes = {
  auth: '/auth/2017-09-01',
  admin: '/admin/2017-09-01',
  billing: '/billing/2019-03-01',
} as const satisfies Record<ServiceName, string>;

/** The real Mitel base URLs, used when the environment does not name others. */
export const DEFAULT_BASE_URLS = {
  auth: 'https://authentication.api.mitel.io/2017-09-01',
  admin: 'https://admin.api.mitel.io/2017-09-01',
  billing: 'https://billing.api.mitel.io/2019-03-01',
} as const satisfies Record<ServiceName, string>;

/** How errors, traces and counters name a route: `METHOD /template`, e.g. `POST /licenses`. */
export function routeLabel(name: RouteName): string {
  const route = routes[name];
  return `${route.method} ${route.template}`;
}

/** Fills `{name}` placeholders with URL-encoded values. */
export function expandRoute(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`route ${template}: missing parameter ${name}`);
    return encodeURIComponent(value);
  });
}
