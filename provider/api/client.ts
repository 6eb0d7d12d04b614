/**
 * The CloudLink client (contract version 2): `CloudLinkApi` over HTTP, in domain types.
 *
 * - Lists ask for a large page (`REQUESTED_PAGE_SIZE`, `paging.ts`) and follow `_links.next`
 *   verbatim; a list with `count` paged by `$skip` has its pages read concurrently. A refused `$filter` (400)
 *   falls back to the unfiltered list, filtered here; every row is checked against what was
 *   asked either way (`client/reads.ts`).
 * - Writes are not idempotent on the service. After an ambiguous failure of a create (5xx,
 *   timeout, connection cut after sending: `isAmbiguous`) the object is re-read by its
 *   natural key before anything is sent again; a 409 (which never carries an id) is
 *   resolved by the same re-read (`client/writes.ts`).
 *
 * This file composes one client per service (`client/accounts.ts`, `contacts.ts`,
 * `integrations.ts`, `orders.ts`, `billing.ts`, `users.ts`) over one shared transport.
 */
import type { CloudLinkApi } from './client-types.js';
import type { ClientStats, TransportOptions } from './transport.js';
import { accountsClient } from './client/accounts.js';
import { billingClient } from './client/billing.js';
import { contactsClient } from './client/contacts.js';
import { clientContext, type ClientContext } from './client/context.js';
import { integrationsClient } from './client/integrations.js';
import { ordersClient } from './client/orders.js';
import { usersClient } from './client/users.js';

/** A CloudLink client: the engine's interface plus lifecycle and counters. */
export interface CloudLinkClient extends CloudLinkApi {
  stats(): ClientStats;
  close(): Promise<void>;
}

/** `CloudLinkClient` over HTTP: every service shares one transport (token, budget, counters) and one memory of refused filters. */
export class HttpCloudLinkClient implements CloudLinkClient {
  private readonly c: ClientContext;
  readonly principal: CloudLinkApi['principal'];
  readonly accounts: CloudLinkApi['accounts'];
  readonly contacts: CloudLinkApi['contacts'];
  readonly integrations: CloudLinkApi['integrations'];
  readonly orders: CloudLinkApi['orders'];
  readonly billing: CloudLinkApi['billing'];
  readonly users: CloudLinkApi['users'];

  /** Builds the transport (reading the CA file, checking the base URLs); logs in lazily on the first call. */
  constructor(options: TransportOptions) {
    const c = clientContext(options);
    this.c = c;
    this.principal = { whoami: () => c.t.whoami() };
    this.accounts = accountsClient(c);
    this.contacts = contactsClient(c);
    this.integrations = integrationsClient(c);
    this.orders = ordersClient(c);
    this.billing = billingClient(c);
    this.users = usersClient(c);
  }

  /** The live counters of this client (the same object on every call). */
  stats(): ClientStats {
    return this.c.t.stats;
  }

  /** Closes the connections and the trace sink (once; later calls wait for the first). */
  close(): Promise<void> {
    return this.c.t.close();
  }
}
