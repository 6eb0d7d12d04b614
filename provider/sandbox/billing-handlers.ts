/**
 * The billing API's handlers: partner subscriptions (orders) and their assignment, the
 * subscriptions of the visible accounts, and licenses. Each checks the caller's scope, calls
 * the store and shapes the answer.
 */
import { auditName, bodyObject, type RouteHandlers } from './handler-context.js';
import { FILTERS, filterOf, list } from './lists.js';
import { requirePartnerAdmin, type AccountScope } from './scope.js';
import type { SandboxStore } from './store.js';
import { ApiFailure } from './types.js';
import { orderView } from './views.js';

/** The handlers of the billing routes. */
export function billingHandlers(store: SandboxStore, scope: AccountScope) {
  const { visible, visibleAccounts } = scope;
  return {
    listOrders: (ctx) => {
      requirePartnerAdmin(ctx.principal, 'list partner subscriptions');
      return list(ctx, filterOf(ctx, store.orders().filter((o) => o.partnerId === ctx.principal.partnerId), FILTERS.orders).map(orderView), 'skip');
    },
    updateOrder: (ctx) => {
      requirePartnerAdmin(ctx.principal, 'assign partner subscriptions');
      const id = ctx.params.subscriptionId ?? '';
      const order = store.orders().find((o) => o.subscriptionId === id);
      if (!order || order.partnerId !== ctx.principal.partnerId) throw new ApiFailure(404, `Subscription ${id} not found`);
      const b = bodyObject(ctx);
      if (!('accountId' in b) || (b.accountId !== null && typeof b.accountId !== 'string')) throw new ApiFailure(400, 'accountId (an account id, or null to unassign) is required');
      const accountId = b.accountId === null ? null : visible(ctx.principal, b.accountId as string).accountId;
      return { status: 200, body: orderView(store.assignOrder(order.subscriptionId, accountId, auditName(ctx.principal))) };
    },
    listSubscriptions: (ctx) => {
      const mine = new Set(visibleAccounts(ctx.principal).map((a) => a.accountId));
      return list(ctx, filterOf(ctx, store.subscriptions().filter((s) => mine.has(s.accountId)), FILTERS.subscriptions), 'skip');
    },
    listLicenses: (ctx) => {
      const licenses = visibleAccounts(ctx.principal).flatMap((a) => store.licenses(a.accountId));
      return list(ctx, filterOf(ctx, licenses, FILTERS.licenses), 'skip');
    },
    createLicense: (ctx) => {
      const b = bodyObject(ctx);
      for (const k of ['accountId', 'userId', 'product']) if (typeof b[k] !== 'string' || !b[k]) throw new ApiFailure(400, `${k} is required`);
      const accountId = visible(ctx.principal, b.accountId as string).accountId;
      return { status: 201, body: store.createLicense(accountId, b.userId as string, b.product as string, auditName(ctx.principal)) };
    },
    deleteLicense: (ctx) => {
      const id = ctx.params.licenseId ?? '';
      const license = store.license(id);
      if (!license) throw new ApiFailure(404, `License ${id} not found`);
      visible(ctx.principal, license.accountId);
      store.deleteLicense(id);
      return { status: 204 };
    },
  } satisfies Partial<RouteHandlers>;
}
