/**
 * The CloudLink client: typed methods for every resource, async iteration over lists,
 * and creates made idempotent (a lost answer or a 5xx is followed by a lookup by natural
 * key before any second POST; a 409 carrying an existing id means "already done").
 */
import { z } from 'zod';
import type { CloudLinkApi, OrderListFilter, Precondition, WriteResult } from './client-types.js';
import {
  accountSchema,
  bulkRowResultSchema,
  catalogEntrySchema,
  integrationSchema,
  orderSchema,
  pageSchema,
  TENANCY_KEY_TAG,
  userSchema,
  type Account,
  type AccountInput,
  type BulkRowResult,
  type CatalogEntry,
  type Integration,
  type Order,
  type User,
  type UserInput,
} from './resources.js';
import { CloudLinkError } from './errors.js';
import type { RouteName } from './routes.js';
import { Transport, type ClientStats, type TransportOptions } from './transport.js';

/** A CloudLink client: the engine's interface plus lifecycle and counters. */
export interface CloudLinkClient extends CloudLinkApi {
  stats(): ClientStats;
  close(): Promise<void>;
}

const bulkAnswerSchema = z.object({ results: z.array(bulkRowResultSchema) });

/** OData string literal. */
function lit(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** True for failures after which a POST may or may not have been committed. */
function uncertain(e: unknown): boolean {
  return e instanceof CloudLinkError && (e.code === 'network' || e.code === 'transient');
}

function existingId(details: Record<string, unknown>[] | undefined, field: string): string | undefined {
  const hit = details?.find((d) => d.field === field);
  return typeof hit?.message === 'string' ? hit.message : undefined;
}

export class HttpCloudLinkClient implements CloudLinkClient {
  private readonly t: Transport;
  private readonly attempts: number;

  constructor(options: TransportOptions) {
    this.t = new Transport(options);
    this.attempts = options.retry?.attempts ?? 8;
  }

  stats(): ClientStats {
    return this.t.stats;
  }

  close(): Promise<void> {
    return this.t.close();
  }

  /** Iterates a paginated list, following `_links.next`. */
  private async *pages<T extends z.ZodType>(route: RouteName, params: Record<string, string>, item: T, filter?: string): AsyncIterable<z.infer<T>> {
    const schema = pageSchema(item);
    let href: string | undefined;
    const query: Record<string, string> = { $top: '100', ...(filter ? { $filter: filter } : {}) };
    for (;;) {
      const page = await this.t.call({ route, params, ...(href ? { href } : { query }), schema, idempotent: true });
      for (const value of page.value._embedded.items) yield value as z.infer<T>;
      href = page.value._links.next?.href;
      if (!href) return;
    }
  }

  private async first<T extends z.ZodType>(route: RouteName, params: Record<string, string>, item: T, filter: string): Promise<z.infer<T> | undefined> {
    for await (const value of this.pages(route, params, item, filter)) return value;
    return undefined;
  }

  private async get<T extends z.ZodType>(route: RouteName, params: Record<string, string>, schema: T): Promise<z.infer<T> | undefined> {
    const r = await this.t.call({ route, params, schema, idempotent: true, accept: [404] });
    return r.status === 404 ? undefined : (r.value as z.infer<T>);
  }

  /**
   * Runs a create so that it happens at most once: after an uncertain failure, `lookup` is
   * asked whether the object exists; if so it is returned as `unchanged`, else the POST is retried.
   */
  private async createOnce<T>(post: () => Promise<{ value?: T; existing?: () => Promise<T | undefined> }>, lookup: () => Promise<T | undefined>): Promise<WriteResult<T>> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const r = await post();
        if (r.value !== undefined) return { outcome: 'created', value: r.value };
        const found = r.existing ? await r.existing() : await lookup();
        if (found !== undefined) return { outcome: 'unchanged', value: found };
        throw new CloudLinkError('conflict', 'CloudLink reported a conflict but the existing object cannot be found', false, 409);
      } catch (e) {
        if (!uncertain(e) || attempt >= this.attempts) throw e;
        const found = await lookup();
        if (found !== undefined) return { outcome: 'unchanged', value: found };
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(5000, 100 * 2 ** attempt)));
      }
    }
  }

  readonly accounts: CloudLinkApi['accounts'] = {
    list: (_partnerId: string) => this.pages('listAccounts', {}, accountSchema),
    get: (accountId: string) => this.get('getAccount', { accountId }, accountSchema),
    create: async (partnerId: string, input: AccountInput) => {
      const existing = await this.findAccount(partnerId, input);
      if (existing) return { outcome: 'unchanged', value: existing };
      const r = await this.createOnce<Account>(
        async () => ({ value: (await this.t.call({ route: 'createAccount', body: input, schema: accountSchema, idempotent: false })).value }),
        () => this.findAccount(partnerId, input),
      );
      return r.outcome === 'created' && r.value ? this.settleAccountRace(partnerId, input, r.value) : r;
    },
    update: async (accountId: string, patch: Partial<AccountInput>, pre?: Precondition) => {
      const r = await this.t.call({ route: 'updateAccount', params: { accountId }, body: patch, ...(pre?.ifMatch ? { ifMatch: pre.ifMatch } : {}), schema: accountSchema, idempotent: true });
      return { outcome: 'updated', value: r.value };
    },
    delete: async (accountId: string, pre?: Precondition) => {
      const r = await this.t.call({ route: 'deleteAccount', params: { accountId }, ...(pre?.ifMatch ? { ifMatch: pre.ifMatch } : {}), schema: undefined, idempotent: true, accept: [404] });
      return { outcome: r.status === 404 ? 'unchanged' : 'deleted' };
    },
  };

  /**
   * Two runs creating the same account at once both succeed (CloudLink does not make names
   * unique). Both then see every account carrying the key; the oldest (by createdOn, then id)
   * wins everywhere, and the run that created a younger one deletes it while it is still empty.
   */
  private async settleAccountRace(partnerId: string, input: AccountInput, mine: Account): Promise<WriteResult<Account>> {
    const key = input.tags?.[TENANCY_KEY_TAG];
    const twins: Account[] = [];
    for await (const a of this.pages('listAccounts', {}, accountSchema, `name eq ${lit(input.name)}`)) {
      if (a.partnerId === partnerId && (key === undefined || a.tags[TENANCY_KEY_TAG] === key)) twins.push(a);
    }
    if (!twins.some((a) => a.accountId === mine.accountId)) twins.push(mine);
    twins.sort((a, b) => a.createdOn.localeCompare(b.createdOn) || a.accountId.localeCompare(b.accountId));
    const winner = twins[0] ?? mine;
    if (winner.accountId === mine.accountId) return { outcome: 'created', value: mine };
    await this.accounts.delete(mine.accountId);
    return { outcome: 'unchanged', value: winner };
  }

  /** Finds an account by its natural key: the tenancy-key tag, else the exact name under the partner. */
  private async findAccount(partnerId: string, input: AccountInput): Promise<Account | undefined> {
    const key = input.tags?.[TENANCY_KEY_TAG];
    for await (const a of this.pages('listAccounts', {}, accountSchema, `name eq ${lit(input.name)}`)) {
      if (a.partnerId !== partnerId) continue;
      if (key === undefined || a.tags[TENANCY_KEY_TAG] === key) return a;
    }
    return undefined;
  }

  readonly integrations: CloudLinkApi['integrations'] = {
    list: (accountId: string) => this.pages('listIntegrations', { accountId }, integrationSchema),
    add: (accountId: string, type: string) => {
      const find = async (): Promise<Integration | undefined> => {
        for await (const i of this.pages('listIntegrations', { accountId }, integrationSchema)) if (i.type === type) return i;
        return undefined;
      };
      return this.createOnce<Integration>(async () => {
        const r = await this.t.call({ route: 'addIntegration', params: { accountId }, body: { type }, schema: integrationSchema, idempotent: false, accept: [409] });
        return r.status === 409 ? { existing: find } : { value: r.value };
      }, find);
    },
    remove: async (accountId: string, integrationId: string) => {
      const r = await this.t.call({ route: 'removeIntegration', params: { accountId, integrationId }, schema: undefined, idempotent: true, accept: [404] });
      return { outcome: r.status === 404 ? 'unchanged' : 'deleted' };
    },
    catalog: async (): Promise<CatalogEntry[]> => {
      const out: CatalogEntry[] = [];
      for await (const c of this.pages('catalog', {}, catalogEntrySchema)) out.push(c);
      return out;
    },
  };

  readonly orders: CloudLinkApi['orders'] = {
    list: (partnerId: string, filter?: OrderListFilter) => {
      const clauses: string[] = [];
      if (filter?.unassigned) clauses.push("status eq 'unassigned'");
      if (filter?.expiresBefore) clauses.push(`expiresOn lt ${lit(filter.expiresBefore)}`);
      if (filter?.search) clauses.push(`contains(search, ${lit(filter.search)})`);
      return this.pages('listOrders', { partnerId }, orderSchema, clauses.join(' and ') || undefined);
    },
    get: (partnerId: string, orderId: string) => this.get('getOrder', { partnerId, orderId }, orderSchema),
    assign: async (partnerId: string, orderId: string, accountId: string) => {
      const lookup = async (): Promise<Order | undefined> => {
        const o = await this.get('getOrder', { partnerId, orderId }, orderSchema);
        return o?.assignedAccountId === accountId ? o : undefined;
      };
      const r = await this.createOnce<Order>(async () => ({ value: (await this.t.call({ route: 'assignOrder', params: { partnerId, orderId }, body: { accountId }, schema: orderSchema, idempotent: false })).value }), lookup);
      return { outcome: 'updated', ...(r.value ? { value: r.value } : {}) };
    },
    unassign: async (partnerId: string, orderId: string) => {
      const r = await this.t.call({ route: 'unassignOrder', params: { partnerId, orderId }, schema: orderSchema, idempotent: true });
      return { outcome: 'updated', value: r.value };
    },
  };

  readonly users: CloudLinkApi['users'] = {
    list: (accountId: string) => this.pages('listUsers', { accountId }, userSchema),
    findByEmail: (accountId: string, email: string) => this.first('listUsers', { accountId }, userSchema, `email eq ${lit(email)}`),
    create: (accountId: string, input: UserInput) =>
      this.createOnce<User>(
        async () => {
          const r = await this.t.call({ route: 'createUser', params: { accountId }, body: input, schema: userSchema, idempotent: false, accept: [409] });
          if (r.status !== 409) return { value: r.value };
          const id = existingId(r.error?.details, 'userId');
          return { existing: async () => (id ? await this.get('getUser', { accountId, userId: id }, userSchema) : await this.users.findByEmail(accountId, input.email)) };
        },
        () => this.users.findByEmail(accountId, input.email),
      ),
    bulkCreate: async (accountId: string, inputs: UserInput[]): Promise<BulkRowResult[]> => {
      if (inputs.length > 100) throw new Error('bulkCreate takes at most 100 users per call');
      try {
        const r = await this.t.call({ route: 'bulkUsers', params: { accountId }, body: { users: inputs }, schema: bulkAnswerSchema, idempotent: false });
        return r.value.results;
      } catch (e) {
        if (!uncertain(e)) throw e;
        // The batch may or may not have been committed: create each row idempotently.
        const results: BulkRowResult[] = [];
        for (const input of inputs) {
          try {
            const w = await this.users.create(accountId, input);
            results.push({ status: w.outcome === 'created' ? 201 : 200, ...(w.value ? { userId: w.value.userId } : {}) });
          } catch (rowError) {
            const err = rowError as CloudLinkError;
            results.push({ status: err.status ?? 500, error: { code: err.code ?? 'error', message: err.message } });
          }
        }
        return results;
      }
    },
    update: async (accountId: string, userId: string, patch: Partial<UserInput>, pre?: Precondition) => {
      const r = await this.t.call({ route: 'updateUser', params: { accountId, userId }, body: patch, ...(pre?.ifMatch ? { ifMatch: pre.ifMatch } : {}), schema: userSchema, idempotent: true });
      return { outcome: 'updated', value: r.value };
    },
    delete: async (accountId: string, userId: string, pre?: Precondition) => {
      const r = await this.t.call({ route: 'deleteUser', params: { accountId, userId }, ...(pre?.ifMatch ? { ifMatch: pre.ifMatch } : {}), schema: undefined, idempotent: true, accept: [404] });
      return { outcome: r.status === 404 ? 'unchanged' : 'deleted' };
    },
    enableLicense: async (accountId: string, userId: string, product: string) => {
      const r = await this.t.call({ route: 'enableLicense', params: { accountId, userId, product }, schema: userSchema, idempotent: true });
      return { outcome: 'updated', value: r.value };
    },
    disableLicense: async (accountId: string, userId: string, product: string) => {
      const r = await this.t.call({ route: 'disableLicense', params: { accountId, userId, product }, schema: userSchema, idempotent: true, accept: [404] });
      return { outcome: r.status === 404 ? 'unchanged' : 'updated', ...(r.value ? { value: r.value } : {}) };
    },
    sendWelcome: async (accountId: string, userId: string, options?: { resend?: boolean }) => {
      // At most one welcome e-mail per call, and none when another run already sent it: the POST
      // carries If-Match with the etag just read (our API extension), so of two racing runs one
      // gets 412, reads the user again and sees welcomeEmailSentOn. After an uncertain failure the
      // user is read back and a welcomeEmailSentOn newer than the call counts as sent.
      for (let attempt = 1; ; attempt += 1) {
        const before = await this.get('getUser', { accountId, userId }, userSchema);
        if (!before) throw new CloudLinkError('not_found', `user ${userId} not found in account ${accountId}`, false, 404);
        const previous = before.welcomeEmailSentOn;
        if (previous && !options?.resend) return { outcome: 'unchanged', value: before };
        try {
          const r = await this.createOnce<User>(
            async () => ({ value: (await this.t.call({ route: 'welcome', params: { accountId, userId }, ifMatch: before.etag, schema: userSchema, idempotent: false })).value }),
            async () => {
              const u = await this.get('getUser', { accountId, userId }, userSchema);
              return u && u.welcomeEmailSentOn && u.welcomeEmailSentOn !== previous ? u : undefined;
            },
          );
          return { outcome: r.outcome === 'created' ? 'updated' : 'unchanged', ...(r.value ? { value: r.value } : {}) };
        } catch (e) {
          if (!(e instanceof CloudLinkError && e.code === 'precondition_failed') || attempt >= 5) throw e;
        }
      }
    },
    resetPassword: async (accountId: string, userId: string) => {
      const r = await this.t.call({ route: 'passwordReset', params: { accountId, userId }, schema: userSchema, idempotent: false });
      return { outcome: 'updated', value: r.value };
    },
  };
}
