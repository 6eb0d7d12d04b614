/**
 * The admin API's handlers for accounts, account tags, contacts, the partner and
 * integrations: each checks the caller's scope, calls the store and shapes the answer.
 *
 * Decisions on the contract's [A] points made here:
 * - Account bodies never write tags (use the tag routes); tag PUT/DELETE answer 204 without a body.
 * - A partner's own account cannot be deleted (403).
 */
import { auditName, bodyObject, type RouteHandlers } from './handler-context.js';
import { FILTERS, filterOf, list, tagsWanted } from './lists.js';
import { requirePartnerAdmin, type AccountScope } from './scope.js';
import type { SandboxStore } from './store.js';
import { ApiFailure, type JsonValue } from './types.js';
import { accountView, integrationView } from './views.js';
import type { FaultSettings } from './faults.js';

/** The handlers of the account, contact, partner and integration routes. */
export function accountHandlers(store: SandboxStore, scope: AccountScope, faults: Pick<FaultSettings, 'integrationRemovalMs'>) {
  const { visible, visibleAccounts, pathAccountId } = scope;
  return {
    listAccounts: (ctx) => {
      const withTags = tagsWanted(ctx);
      return list(ctx, filterOf(ctx, visibleAccounts(ctx.principal), FILTERS.accounts).map((a) => accountView(a, withTags)), 'skip');
    },
    createAccount: (ctx) => {
      requirePartnerAdmin(ctx.principal, 'create accounts');
      return { status: 201, body: accountView(store.createAccount(ctx.principal.partnerId, bodyObject(ctx), auditName(ctx.principal)), false) };
    },
    getAccount: (ctx) => ({ status: 200, body: accountView(visible(ctx.principal, ctx.params.accountId ?? ''), tagsWanted(ctx)) }),
    updateAccount: (ctx) => ({ status: 200, body: accountView(store.updateAccount(pathAccountId(ctx), bodyObject(ctx), auditName(ctx.principal)), false) }),
    deleteAccount: (ctx) => {
      requirePartnerAdmin(ctx.principal, 'delete accounts');
      const accountId = pathAccountId(ctx);
      if (store.partnerOwning(accountId)) throw new ApiFailure(403, "A partner's own account cannot be deleted");
      // `?hard=true` and a plain DELETE both remove the account for good in the sandbox.
      store.deleteAccount(accountId, auditName(ctx.principal));
      return { status: 204 };
    },
    putAccountTag: (ctx) => {
      if (ctx.body === undefined) throw new ApiFailure(400, "The body is the tag's JSON value");
      store.setAccountTag(pathAccountId(ctx), ctx.params.tagId ?? '', ctx.body as JsonValue, auditName(ctx.principal));
      return { status: 204 };
    },
    deleteAccountTag: (ctx) => {
      store.deleteAccountTag(pathAccountId(ctx), ctx.params.tagId ?? '', auditName(ctx.principal));
      return { status: 204 };
    },

    listContacts: (ctx) => list(ctx, filterOf(ctx, store.contacts(pathAccountId(ctx)), FILTERS.contacts), 'skip'),
    createContact: (ctx) => ({ status: 201, body: store.createContact(pathAccountId(ctx), bodyObject(ctx), auditName(ctx.principal)) }),
    getContact: (ctx) => ({ status: 200, body: store.contact(pathAccountId(ctx), ctx.params.contactId ?? '') }),
    updateContact: (ctx) => ({ status: 200, body: store.updateContact(pathAccountId(ctx), ctx.params.contactId ?? '', bodyObject(ctx), auditName(ctx.principal)) }),
    deleteContact: (ctx) => {
      store.deleteContact(pathAccountId(ctx), ctx.params.contactId ?? '');
      return { status: 204 };
    },

    getPartner: (ctx) => {
      requirePartnerAdmin(ctx.principal, 'read partners');
      const partner = store.partners.get(ctx.params.partnerId ?? '');
      if (!partner || partner.partnerId !== ctx.principal.partnerId) throw new ApiFailure(404, `Partner ${ctx.params.partnerId ?? ''} not found`);
      return { status: 200, body: { partnerId: partner.partnerId, name: partner.name, accountId: partner.accountId } };
    },

    catalog: (ctx) => list(ctx, filterOf(ctx, store.catalog.map((c) => ({ type: c.type, name: c.name })), FILTERS.none), 'skip'),
    listIntegrations: (ctx) => list(ctx, filterOf(ctx, store.integrations(pathAccountId(ctx)), FILTERS.none).map(integrationView), 'skip'),
    addIntegration: (ctx) => ({ status: 201, body: integrationView(store.addIntegration(pathAccountId(ctx), bodyObject(ctx).type, auditName(ctx.principal))) }),
    removeIntegration: (ctx) => {
      store.removeIntegration(pathAccountId(ctx), ctx.params.integrationId ?? '', faults.integrationRemovalMs);
      return { status: 204 };
    },
  } satisfies Partial<RouteHandlers>;
}
