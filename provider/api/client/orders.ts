/**
 * The partner's orders over HTTP (`OrdersApi`, billing `partner-subscriptions`): listed with
 * server-side filters when the service takes them (checked locally either way), read by id,
 * and assigned or unassigned with a read-back after an ambiguous failure or a 409.
 */
import type { OrderListFilter, OrdersApi, WriteResult } from '../client-types.js';
import { CloudLinkError, isAmbiguous } from '../errors.js';
import { filters, orderAssignmentToWire, orderFromWire, orderSchema } from '../wire.js';
import type { Order } from '../../model/live.js';
import { lower, pauseBeforeRetry, type ClientContext } from './context.js';
import { firstOf, list } from './reads.js';

/** The partner's orders passing `match` (orders naming another partner never pass). */
function orderList(c: ClientContext, partnerId: string, filter: string[], match: (o: Order) => boolean): AsyncIterable<Order> {
  return list(c, 'listOrders', {}, orderSchema, orderFromWire, { filter, key: (o) => o.orderId, match: (o) => (o.partnerId === undefined || o.partnerId === partnerId) && match(o) });
}

function getOrder(c: ClientContext, partnerId: string, orderId: string): Promise<Order | undefined> {
  return firstOf(orderList(c, partnerId, [filters.orderById(orderId), filters.ordersOfPartner(partnerId)], (o) => o.orderId === orderId));
}

/** PUT the order's assignment; after an ambiguous failure or a 409 the order is read back. */
async function assignOrder(c: ClientContext, partnerId: string, orderId: string, accountId: string | null): Promise<WriteResult<Order>> {
  const before = await getOrder(c, partnerId, orderId);
  if (!before) throw new CloudLinkError('not_found', `order ${orderId} of partner ${partnerId} not found (no correlation id: read by list)`, false, { status: 404 });
  if (before.assignedAccountId === accountId) return { outcome: 'unchanged', value: before };
  for (let attempt = 1; ; attempt += 1) {
    try {
      const r = await c.t.call({ route: 'updateOrder', params: { subscriptionId: orderId }, body: orderAssignmentToWire(accountId), schema: orderSchema.optional(), idempotent: false });
      const value = r.value ? orderFromWire(r.value) : await getOrder(c, partnerId, orderId);
      return { outcome: 'updated', ...(value ? { value } : {}) };
    } catch (e) {
      const ambiguous = isAmbiguous(e);
      const conflict = e instanceof CloudLinkError && e.code === 'conflict';
      if (!ambiguous && !conflict) throw e;
      c.t.stats.rereads += 1;
      const now = await getOrder(c, partnerId, orderId);
      if (now && now.assignedAccountId === accountId) return { outcome: 'updated', value: now };
      if (conflict || attempt >= c.attempts) throw e;
      await pauseBeforeRetry(c, attempt);
    }
  }
}

/** The partner's orders under the console's filters: asked of the service in one `$filter` (else by partner alone), checked here either way. */
function listOrders(c: ClientContext, partnerId: string, filter: OrderListFilter): AsyncIterable<Order> {
  const clauses = [filters.ordersOfPartner(partnerId)];
  if (filter.unassigned) clauses.push(filters.unassignedOrders());
  if (filter.expiresBefore) clauses.push(filters.ordersExpiringBefore(filter.expiresBefore));
  if (filter.search) clauses.push(filters.orderSearch(filter.search));
  const before = filter.expiresBefore ? Date.parse(filter.expiresBefore) : undefined;
  const text = lower(filter.search);
  return orderList(c, partnerId, clauses.length > 1 ? [clauses.join(' and '), filters.ordersOfPartner(partnerId)] : clauses, (o) => {
    if (filter.unassigned && o.assignedAccountId !== null) return false;
    if (before !== undefined && !(o.expiresOn !== null && Date.parse(o.expiresOn) < before)) return false;
    if (text && ![o.trackingNumber, o.sapOrderId, o.resellerPo, o.customerPo].some((f) => lower(f).includes(text))) return false;
    return true;
  });
}

/** `OrdersApi` over the context's transport, as `client-types.ts` specifies it. */
export function ordersClient(c: ClientContext): OrdersApi {
  return {
    list: (partnerId: string, filter: OrderListFilter = {}) => listOrders(c, partnerId, filter),
    get: (partnerId: string, orderId: string) => getOrder(c, partnerId, orderId),
    assign: (partnerId: string, orderId: string, accountId: string) => assignOrder(c, partnerId, orderId, accountId),
    unassign: (partnerId: string, orderId: string) => assignOrder(c, partnerId, orderId, null),
  };
}
