/**
 * Every API route the sandbox serves, as full path templates (service prefix + template,
 * `{param}` names as in the client's route table). The server's dispatch is built from this
 * table (each entry's `name` selects its handler, and the handler map is typed by these
 * names), so the served routes cannot drift from it. `/sandbox/...` controls are not listed.
 */

export type SandboxMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export const AUTH_PREFIX = '/auth/2017-09-01';
export const ADMIN_PREFIX = '/admin/2017-09-01';
export const BILLING_PREFIX = '/billing/2019-03-01';

const A = AUTH_PREFIX;
const M = ADMIN_PREFIX;
const B = BILLING_PREFIX;

export const sandboxRouteTable = [
  // auth
  { name: 'token', method: 'POST', path: `${A}/token` },
  { name: 'tokenClaims', method: 'GET', path: `${A}/token` },
  // admin: accounts
  { name: 'listAccounts', method: 'GET', path: `${M}/accounts` },
  { name: 'createAccount', method: 'POST', path: `${M}/accounts` },
  { name: 'getAccount', method: 'GET', path: `${M}/accounts/{accountId}` },
  { name: 'updateAccount', method: 'PUT', path: `${M}/accounts/{accountId}` },
  { name: 'deleteAccount', method: 'DELETE', path: `${M}/accounts/{accountId}` },
  { name: 'putAccountTag', method: 'PUT', path: `${M}/accounts/{accountId}/tags/{tagId}` },
  { name: 'deleteAccountTag', method: 'DELETE', path: `${M}/accounts/{accountId}/tags/{tagId}` },
  // admin: contacts
  { name: 'listContacts', method: 'GET', path: `${M}/accounts/{accountId}/contacts` },
  { name: 'createContact', method: 'POST', path: `${M}/accounts/{accountId}/contacts` },
  { name: 'getContact', method: 'GET', path: `${M}/accounts/{accountId}/contacts/{contactId}` },
  { name: 'updateContact', method: 'PUT', path: `${M}/accounts/{accountId}/contacts/{contactId}` },
  { name: 'deleteContact', method: 'DELETE', path: `${M}/accounts/{accountId}/contacts/{contactId}` },
  // admin: users
  { name: 'listUsers', method: 'GET', path: `${M}/accounts/{accountId}/users` },
  { name: 'createUser', method: 'POST', path: `${M}/accounts/{accountId}/users` },
  { name: 'batchUsers', method: 'PATCH', path: `${M}/accounts/{accountId}/users` },
  { name: 'getUser', method: 'GET', path: `${M}/accounts/{accountId}/users/{userId}` },
  { name: 'updateUser', method: 'PUT', path: `${M}/accounts/{accountId}/users/{userId}` },
  { name: 'deleteUser', method: 'DELETE', path: `${M}/accounts/{accountId}/users/{userId}` },
  { name: 'putUserTag', method: 'PUT', path: `${M}/accounts/{accountId}/users/{userId}/tags/{tagId}` },
  { name: 'deleteUserTag', method: 'DELETE', path: `${M}/accounts/{accountId}/users/{userId}/tags/{tagId}` },
  { name: 'sendWelcome', method: 'POST', path: `${M}/accounts/{accountId}/users/{userId}/welcome-email` },
  { name: 'resetPassword', method: 'PUT', path: `${M}/users/{email}/password` },
  // admin: partners
  { name: 'getPartner', method: 'GET', path: `${M}/partners/{partnerId}` },
  // admin: integrations
  { name: 'catalog', method: 'GET', path: `${M}/integrations` },
  { name: 'listIntegrations', method: 'GET', path: `${M}/accounts/{accountId}/integrations` },
  { name: 'addIntegration', method: 'POST', path: `${M}/accounts/{accountId}/integrations` },
  { name: 'removeIntegration', method: 'DELETE', path: `${M}/accounts/{accountId}/integrations/{integrationId}` },
  // billing
  { name: 'listOrders', method: 'GET', path: `${B}/partner-subscriptions` },
  { name: 'updateOrder', method: 'PUT', path: `${B}/partner-subscriptions/{subscriptionId}` },
  { name: 'listSubscriptions', method: 'GET', path: `${B}/subscriptions` },
  { name: 'listLicenses', method: 'GET', path: `${B}/licenses` },
  { name: 'createLicense', method: 'POST', path: `${B}/licenses` },
  { name: 'deleteLicense', method: 'DELETE', path: `${B}/licenses/{licenseId}` },
] as const satisfies readonly { name: string; method: SandboxMethod; path: string }[];

export type SandboxRouteName = (typeof sandboxRouteTable)[number]['name'];

/** Every API route the sandbox serves (method + full path template). */
export const sandboxRoutes: readonly { method: SandboxMethod; path: string }[] = sandboxRouteTable.map(({ method, path }) => ({ method, path }));

/** A compiled route: its regular expression and parameter names. */
export interface CompiledRoute {
  name: SandboxRouteName;
  method: SandboxMethod;
  path: string;
  pattern: RegExp;
  params: string[];
}

export function compileRoutes(): CompiledRoute[] {
  return sandboxRouteTable.map((r) => {
    const params: string[] = [];
    // Templates hold only letters, digits, '-', '/' and {params}: nothing to escape.
    const source = r.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      params.push(name);
      return '([^/]+)';
    });
    return { name: r.name, method: r.method, path: r.path, pattern: new RegExp(`^${source}$`), params };
  });
}

/** Finds the route of a request (path parameters URL-decoded), or undefined. */
export function matchRoute(routes: CompiledRoute[], method: string, pathname: string): { route: CompiledRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(pathname);
    if (!m) continue;
    const params: Record<string, string> = {};
    route.params.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1] ?? '');
    });
    return { route, params };
  }
  return undefined;
}
