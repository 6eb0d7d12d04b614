/** An account's integrations over HTTP (`IntegrationsApi`): listed, added at most once (by type), removed, and the catalogue of types. */
import type { IntegrationsApi } from '../client-types.js';
import { catalogEntryFromWire, catalogSchema, integrationFromWire, integrationSchema, integrationToWire, pageFromWire, pageQueryToWire } from '../wire.js';
import type { CatalogEntry, Integration } from '../../model/live.js';
import type { ClientContext } from './context.js';
import { firstOf, list } from './reads.js';
import { createOnce, deleteObject, resolveConflict } from './writes.js';

/** `IntegrationsApi` over the context's transport, as `client-types.ts` specifies it. */
export function integrationsClient(c: ClientContext): IntegrationsApi {
  return {
    list: (accountId: string) => list(c, 'listIntegrations', { accountId }, integrationSchema, integrationFromWire, { key: (i) => i.integrationId }),
    add: async (accountId: string, type: string) => {
      const find = (): Promise<Integration | undefined> => firstOf(list(c, 'listIntegrations', { accountId }, integrationSchema, integrationFromWire, { match: (i) => i.type === type }));
      const existing = await find();
      if (existing) return { outcome: 'unchanged', value: existing };
      try {
        return await createOnce<Integration>(c, async () => integrationFromWire((await c.t.call({ route: 'addIntegration', params: { accountId }, body: integrationToWire(type), schema: integrationSchema })).value), find);
      } catch (e) {
        return resolveConflict(c, e, find);
      }
    },
    remove: (accountId: string, integrationId: string) => deleteObject<Integration>(c, 'removeIntegration', { accountId, integrationId }),
    catalog: async (): Promise<CatalogEntry[]> => {
      // The catalogue may come as a list envelope (followed page by page) or as a bare array.
      const out: CatalogEntry[] = [];
      let r = await c.t.call({ route: 'catalog', query: pageQueryToWire(), schema: catalogSchema });
      for (;;) {
        if (Array.isArray(r.value)) return r.value.map(catalogEntryFromWire);
        const p = pageFromWire(r.value);
        out.push(...p.items.map(catalogEntryFromWire));
        if (!p.next) return out;
        r = await c.t.call({ route: 'catalog', href: p.next, from: r.url, schema: catalogSchema });
      }
    },
  };
}
