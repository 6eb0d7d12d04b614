/**
 * Every CloudLink path the client uses, in ONE table (cloudlink-api.md). A difference found
 * against the real service is a one-line change here. Templates are relative to the
 * service base URL (`CLOUDLINK_AUTH_URL` or `CLOUDLINK_ADMIN_URL`).
 */
export const routes = {
  token: { service: 'auth', method: 'POST', template: '/token' },
  catalog: { service: 'admin', method: 'GET', template: '/integrations/catalog' },
  listAccounts: { service: 'admin', method: 'GET', template: '/accounts' },
  createAccount: { service: 'admin', method: 'POST', template: '/accounts' },
  getAccount: { service: 'admin', method: 'GET', template: '/accounts/{accountId}' },
  updateAccount: { service: 'admin', method: 'PUT', template: '/accounts/{accountId}' },
  deleteAccount: { service: 'admin', method: 'DELETE', template: '/accounts/{accountId}' },
  listIntegrations: { service: 'admin', method: 'GET', template: '/accounts/{accountId}/integrations' },
  addIntegration: { service: 'admin', method: 'POST', template: '/accounts/{accountId}/integrations' },
  removeIntegration: { service: 'admin', method: 'DELETE', template: '/accounts/{accountId}/integrations/{integrationId}' },
  listOrders: { service: 'admin', method: 'GET', template: '/partners/{partnerId}/orders' },
  getOrder: { service: 'admin', method: 'GET', template: '/partners/{partnerId}/orders/{orderId}' },
  assignOrder: { service: 'admin', method: 'POST', template: '/partners/{partnerId}/orders/{orderId}/assign' },
  unassignOrder: { service: 'admin', method: 'POST', template: '/partners/{partnerId}/orders/{orderId}/unassign' },
  listUsers: { service: 'admin', method: 'GET', template: '/accounts/{accountId}/users' },
  createUser: { service: 'admin', method: 'POST', template: '/accounts/{accountId}/users' },
  bulkUsers: { service: 'admin', method: 'POST', template: '/accounts/{accountId}/users/bulk' },
  getUser: { service: 'admin', method: 'GET', template: '/accounts/{accountId}/users/{userId}' },
  updateUser: { service: 'admin', method: 'PUT', template: '/accounts/{accountId}/users/{userId}' },
  deleteUser: { service: 'admin', method: 'DELETE', template: '/accounts/{accountId}/users/{userId}' },
  enableLicense: { service: 'admin', method: 'PUT', template: '/accounts/{accountId}/users/{userId}/licenses/{product}' },
  disableLicense: { service: 'admin', method: 'DELETE', template: '/accounts/{accountId}/users/{userId}/licenses/{product}' },
  welcome: { service: 'admin', method: 'POST', template: '/accounts/{accountId}/users/{userId}/welcome' },
  passwordReset: { service: 'admin', method: 'POST', template: '/accounts/{accountId}/users/{userId}/password-reset' },
} as const satisfies Record<string, { service: 'auth' | 'admin'; method: 'GET' | 'POST' | 'PUT' | 'DELETE'; template: string }>;

export type RouteName = keyof typeof routes;
export type Route = (typeof routes)[RouteName];

/** Fills `{name}` placeholders with URL-encoded values. */
export function expandRoute(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`route ${template}: missing parameter ${name}`);
    return encodeURIComponent(value);
  });
}
