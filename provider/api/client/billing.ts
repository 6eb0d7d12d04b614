/**
 * An account's billing over HTTP (`BillingApi`): its subscriptions and licenses, and a
 * license given to a user at most once (re-read by user and product after an ambiguous
 * failure or a 409) or freed.
 */
import type { BillingApi } from '../client-types.js';
import { CloudLinkError } from '../errors.js';
import { routeLabel } from '../routes.js';
import { filters, licenseFromWire, licenseSchema, licenseToWire, subscriptionFromWire, subscriptionSchema } from '../wire.js';
import type { License } from '../../model/live.js';
import type { ClientContext } from './context.js';
import { list } from './reads.js';
import { createOnce, deleteObject, resolveConflict } from './writes.js';

function licensesOf(c: ClientContext, accountId: string): AsyncIterable<License> {
  return list(c, 'listLicenses', {}, licenseSchema, licenseFromWire, { filter: filters.byAccount(accountId), key: (l) => l.licenseId, match: (l) => l.accountId === accountId });
}

/** `BillingApi` over the context's transport, as `client-types.ts` specifies it. */
export function billingClient(c: ClientContext): BillingApi {
  return {
    subscriptions: (accountId: string) => list(c, 'listSubscriptions', {}, subscriptionSchema, subscriptionFromWire, { filter: filters.byAccount(accountId), key: (s) => s.subscriptionId, match: (s) => s.accountId === accountId }),
    licenses: (accountId: string) => licensesOf(c, accountId),
    enable: async (accountId: string, userId: string, product: string) => {
      const find = async (): Promise<License | undefined> => {
        for await (const l of licensesOf(c, accountId)) if (l.userId === userId && l.product === product) return l;
        return undefined;
      };
      try {
        return await createOnce<License>(c, async () => {
          const r = await c.t.call({ route: 'createLicense', body: licenseToWire(accountId, userId, product), schema: licenseSchema.optional() });
          const value = r.value ? licenseFromWire(r.value) : await find();
          if (!value) throw new CloudLinkError('schema', `${routeLabel('createLicense')} answered ${r.status} without a license, and none is listed for user ${userId}${r.correlationId ? ` (correlation id ${r.correlationId})` : ''}`, false, { status: r.status, ...(r.correlationId ? { correlationId: r.correlationId } : {}) });
          return value;
        }, find);
      } catch (e) {
        // 409: the user holds it already (unchanged), or no free license / no integration (the 409 stands).
        return resolveConflict(c, e, find);
      }
    },
    disable: (licenseId: string) => deleteObject<License>(c, 'deleteLicense', { licenseId }),
  };
}
