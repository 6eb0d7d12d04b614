/**
 * The store's write rules for billing: assigning orders to accounts, the subscriptions view of
 * assigned orders, and the licenses users hold against them. Every broken rule throws an
 * `ApiFailure`.
 *
 * Decisions on the contract's [A] points made here:
 * - License attribution: a license is not tied to one order. Capacity of an account for a
 *   product = Σ quantity of its assigned, unexpired orders. A subscription's `used` is a
 *   greedy split of the account's licenses over its unexpired orders (oldest `orderDate`
 *   first); expired orders report `used: 0`. Unassigning an unexpired order is refused (409)
 *   when the licenses held exceed what the account's OTHER unexpired orders cover; an
 *   expired order can always be unassigned (it no longer covers anything).
 */
import { ApiFailure, MICOLLAB_LICENSING_RULE, type LicenseRecord, type OrderRecord } from './types.js';
import { newId, type AccountState } from './store-records.js';
import { UserStore } from './store-users.js';

/** A subscription: an order as seen from the account holding it. */
export interface SubscriptionView {
  subscriptionId: string;
  accountId: string;
  product: string;
  quantity: number;
  used: number;
  startDate: string | null;
  expiresOn: string | null;
  createdOn: string;
  modifiedOn: string;
}

/** The user rules plus the order, subscription and license rules (a layer of `SandboxStore`). */
export class BillingStore extends UserStore {
  /**
   * Assigns an order (by subscription id or tracking number) to an account, or unassigns it
   * with null. 409 when another account holds it, or when unassigning would leave held
   * licenses uncovered (see the file comment).
   */
  assignOrder(idOrTrackingNumber: string, accountId: string | null, by = 'sandbox'): OrderRecord {
    const order = this.order(idOrTrackingNumber);
    if (!order) throw new ApiFailure(404, `Subscription ${idOrTrackingNumber} not found`);
    if (accountId === null) {
      if (order.accountId === null) return order;
      if (this.counts(order)) {
        const held = this.held(order.accountId, order.product);
        const others = this.capacity(order.accountId, order.product) - order.quantity;
        if (held > others) {
          throw new ApiFailure(409, `Licenses of this subscription are in use: the account holds ${held} ${order.product} licenses and its other subscriptions cover ${others}`);
        }
      }
      Object.assign(order, { accountId: null, assignedOn: null, modifiedOn: this.stamp(), modifiedBy: by });
      return order;
    }
    this.state(accountId);
    if (order.accountId === accountId) return order;
    if (order.accountId !== null) throw new ApiFailure(409, 'The subscription is assigned to another account');
    Object.assign(order, { accountId, assignedOn: this.stamp(), modifiedOn: this.stamp(), modifiedBy: by });
    return order;
  }

  /** Changes an order's expiry (tests: make an order expire). */
  setOrderExpiry(idOrTrackingNumber: string, expiresOn: string | null): OrderRecord {
    const order = this.order(idOrTrackingNumber);
    if (!order) throw new ApiFailure(404, `Subscription ${idOrTrackingNumber} not found`);
    Object.assign(order, { expiresOn, modifiedOn: this.stamp() });
    return order;
  }

  /** Every assigned order as a subscription, with `used` split greedily over unexpired orders (oldest first). */
  subscriptions(): SubscriptionView[] {
    const assigned = [...this.orderMap.values()].filter((o) => o.accountId !== null);
    const remaining = new Map<string, number>();
    const key = (o: OrderRecord): string => `${o.accountId ?? ''}\u0000${o.product}`;
    for (const o of assigned) if (!remaining.has(key(o))) remaining.set(key(o), this.held(o.accountId ?? '', o.product));
    const order = [...assigned].sort((a, b) => a.orderDate.localeCompare(b.orderDate) || a.subscriptionId.localeCompare(b.subscriptionId));
    const used = new Map<string, number>();
    for (const o of order) {
      if (!this.counts(o)) continue;
      const left = remaining.get(key(o)) ?? 0;
      const take = Math.min(left, o.quantity);
      used.set(o.subscriptionId, take);
      remaining.set(key(o), left - take);
    }
    return assigned.map((o) => ({
      subscriptionId: o.subscriptionId,
      accountId: o.accountId ?? '',
      product: o.product,
      quantity: o.quantity,
      used: used.get(o.subscriptionId) ?? 0,
      startDate: o.assignedOn,
      expiresOn: o.expiresOn,
      createdOn: o.createdOn,
      modifiedOn: o.modifiedOn,
    }));
  }

  /** Stores a license for the user without checking any rule (seeds, and `createLicense` once the rules passed). */
  protected putLicense(s: AccountState, userId: string, product: string, by: string): LicenseRecord {
    const ts = this.stamp();
    const license: LicenseRecord = { licenseId: newId(), accountId: s.account.accountId, userId, product, assignedOn: ts, ...this.audit(by, ts) };
    s.licenses.set(license.licenseId, license);
    this.licenseIndex.set(license.licenseId, s.account.accountId);
    return license;
  }

  /**
   * Gives a user a license. 409 (the message says which) when the account has the MiCollab
   * integration, the user already has it, the account lacks the product's integration, or no
   * license is free.
   */
  createLicense(accountId: string, userId: string, product: string, by = 'sandbox'): LicenseRecord {
    const s = this.state(accountId);
    if (!s.users.has(userId)) throw new ApiFailure(404, `User ${userId} not found in account ${accountId}`);
    this.refuseUnderMiCollab(accountId);
    if (!this.catalog.some((c) => c.type === product)) throw new ApiFailure(400, `Unknown product ${product}`);
    if ([...s.licenses.values()].some((l) => l.userId === userId && l.product === product)) throw new ApiFailure(409, `The user already has a ${product} license`);
    if (![...s.integrations.values()].some((i) => i.type === product)) throw new ApiFailure(409, `The account has no ${product} integration; add it first`);
    const capacity = this.capacity(accountId, product);
    const held = this.held(accountId, product);
    if (held >= capacity) throw new ApiFailure(409, `No free ${product} license in the account: ${held} held of ${capacity} available; assign another subscription`);
    return this.putLicense(s, userId, product, by);
  }

  /** (2.1) 409 with the console's rule when the account has the MiCollab integration: its licenses are not managed one by one. */
  private refuseUnderMiCollab(accountId: string): void {
    if (this.hasIntegration(accountId, 'micollab')) throw new ApiFailure(409, `License writes refused: ${MICOLLAB_LICENSING_RULE}`);
  }

  /** Deletes the license from whichever account holds it, or 404 (409 under MiCollab). */
  deleteLicense(licenseId: string): void {
    const license = this.license(licenseId);
    if (!license) throw new ApiFailure(404, `License ${licenseId} not found`);
    this.refuseUnderMiCollab(license.accountId);
    this.accounts.get(license.accountId)?.licenses.delete(licenseId);
    this.licenseIndex.delete(licenseId);
  }

  /** Test shorthand: gives the user the license (the rules apply); returns the existing one when held. */
  enableLicense(accountId: string, userId: string, product = 'miteam-meetings'): LicenseRecord {
    const existing = this.licenses(accountId).find((l) => l.userId === userId && l.product === product);
    return existing ?? this.createLicense(accountId, userId, product);
  }

  /** Test shorthand: removes the user's license of the product, if any. */
  disableLicense(accountId: string, userId: string, product = 'miteam-meetings'): void {
    const existing = this.licenses(accountId).find((l) => l.userId === userId && l.product === product);
    if (existing) this.deleteLicense(existing.licenseId);
  }
}
