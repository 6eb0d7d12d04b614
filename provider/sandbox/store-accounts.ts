/**
 * The store's write rules for accounts and what hangs directly off them: account fields and
 * tags, contacts, and integrations. Every broken rule throws an `ApiFailure`.
 *
 * Decisions on the contract's [A] points made here:
 * - Removing an integration while licenses of its product are held is 409.
 * - Account tag writes change the account's `modifiedOn`.
 * - (2.1) Adding an integration sets the account's `privileges` (Delegated Authentication,
 *   Allow Guest Access) and its `modifiedOn`. A removal with `integrationRemovalMs` keeps the
 *   integration listed that long; a second DELETE meanwhile answers 204 and changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { ApiFailure, type AccountRecord, type ContactRecord, type IntegrationRecord, type JsonValue } from './types.js';
import { accountFields, contactFields } from './store-fields.js';
import { emptyAccountState, newId, orNotFound, StoreRecords } from './store-records.js';

/** The records plus the account, contact and integration rules (a layer of `SandboxStore`). */
export class AccountStore extends StoreRecords {
  /** Creates an account of the partner from a request body (400 on a broken field rule); it gets a fresh id and the next account number. */
  createAccount(partnerId: string, body: Record<string, unknown>, by = 'sandbox'): AccountRecord {
    const fields = accountFields(body, true);
    const account: AccountRecord = {
      accountId: newId(),
      accountNumber: this.nextAccountNumber(),
      name: fields.name ?? '',
      partnerId,
      organizationId: randomUUID(),
      active: fields.active ?? true,
      state: fields.active === false ? 'INACTIVE' : 'ACTIVE',
      domain: fields.domain ?? null,
      languageCode: fields.languageCode ?? 'en-US',
      location: { address: { street: '', city: '', stateOrProvince: '', zipCode: '', country: '', ...fields.address } },
      policyId: fields.policyId ?? null,
      userLimit: fields.userLimit ?? null,
      source: fields.source ?? 'api',
      tags: {},
      ...this.audit(by),
    };
    this.accounts.set(account.accountId, emptyAccountState(account));
    return account;
  }

  /** Updates only the fields given; `location.address` is merged field by field. */
  updateAccount(accountId: string, body: Record<string, unknown>, by = 'sandbox'): AccountRecord {
    const s = this.state(accountId);
    const { address, ...fields } = accountFields(body, false);
    const a = s.account;
    s.account = {
      ...a,
      ...fields,
      ...(fields.active !== undefined ? { state: fields.active ? 'ACTIVE' : 'INACTIVE' } : {}),
      location: { address: { ...a.location.address, ...address } },
      modifiedOn: this.stamp(),
      modifiedBy: by,
    };
    return s.account;
  }

  /** Removes the account with its users, contacts, integrations, licenses and tags; its orders become unassigned. */
  deleteAccount(accountId: string, by = 'sandbox'): void {
    const s = this.state(accountId);
    for (const userId of s.users.keys()) this.passwords.delete(userId);
    for (const licenseId of s.licenses.keys()) this.licenseIndex.delete(licenseId);
    for (const [id, c] of this.clients) if (c.accountId === accountId) this.clients.delete(id);
    for (const o of this.orderMap.values()) {
      if (o.accountId === accountId) Object.assign(o, { accountId: null, assignedOn: null, modifiedOn: this.stamp(), modifiedBy: by });
    }
    this.accounts.delete(accountId);
  }

  /** Sets one account tag (any JSON value) and stamps `modifiedOn`. 404 when the account does not exist. */
  setAccountTag(accountId: string, tagId: string, value: JsonValue, by = 'sandbox'): AccountRecord {
    const s = this.state(accountId);
    s.account = { ...s.account, tags: { ...s.account.tags, [tagId]: value }, modifiedOn: this.stamp(), modifiedBy: by };
    return s.account;
  }

  /** Removes one account tag and stamps `modifiedOn`. 404 when the account or the tag does not exist. */
  deleteAccountTag(accountId: string, tagId: string, by = 'sandbox'): void {
    const s = this.state(accountId);
    if (!(tagId in s.account.tags)) throw new ApiFailure(404, `Tag ${tagId} not found`);
    const { [tagId]: _gone, ...tags } = s.account.tags;
    s.account = { ...s.account, tags, modifiedOn: this.stamp(), modifiedBy: by };
  }

  /** The contact, or 404 (also when the account does not exist). */
  contact(accountId: string, contactId: string): ContactRecord {
    return orNotFound(this.state(accountId).contacts.get(contactId), `Contact ${contactId}`);
  }

  /** Creates a contact from a request body (400 on a broken field rule; `contactType` defaults to SUPPORT). */
  createContact(accountId: string, body: Record<string, unknown>, by = 'sandbox'): ContactRecord {
    const s = this.state(accountId);
    const f = contactFields(body, true);
    const contact: ContactRecord = { contactId: newId(), accountId, name: f.name ?? '', email: f.email ?? '', contactType: f.contactType ?? 'SUPPORT', ...this.audit(by) };
    s.contacts.set(contact.contactId, contact);
    return contact;
  }

  /** Updates only the contact fields given (same rules as create). 404 when the account or contact does not exist. */
  updateContact(accountId: string, contactId: string, body: Record<string, unknown>, by = 'sandbox'): ContactRecord {
    const s = this.state(accountId);
    const c = this.contact(accountId, contactId);
    const next: ContactRecord = { ...c, ...contactFields(body, false), modifiedOn: this.stamp(), modifiedBy: by };
    s.contacts.set(contactId, next);
    return next;
  }

  /** Deletes the contact, or 404. */
  deleteContact(accountId: string, contactId: string): void {
    this.contact(accountId, contactId);
    this.state(accountId).contacts.delete(contactId);
  }

  /** Adds an integration of a catalogue type: 400 for an unknown type, 409 when the account has it already. */
  addIntegration(accountId: string, type: unknown, by = 'sandbox'): IntegrationRecord {
    const s = this.state(accountId);
    if (typeof type !== 'string' || !this.catalog.some((c) => c.type === type)) {
      throw new ApiFailure(400, `Unknown integration type; the catalogue has ${this.catalog.map((c) => c.type).join(', ')}`);
    }
    if (this.integrations(accountId).some((i) => i.type === type)) throw new ApiFailure(409, `The account already has the ${type} integration`);
    const integration: IntegrationRecord = { integrationId: newId(), accountId, type, ...this.audit(by) };
    s.integrations.set(integration.integrationId, integration);
    // (2.1) Adding an integration also switches on these account privileges.
    s.account = { ...s.account, privileges: { delegatedAuthentication: true, allowGuestAccess: true }, modifiedOn: this.stamp(), modifiedBy: by };
    return integration;
  }

  /**
   * Removes an integration: 404 when unknown, 409 while users of the account hold licenses of
   * its product. With `delayMs` > 0 the removal is asynchronous (2.1): the integration is still
   * listed for that long; asking again meanwhile is accepted and changes nothing.
   */
  removeIntegration(accountId: string, integrationId: string, delayMs = 0): void {
    this.integrations(accountId);
    const s = this.state(accountId);
    const integration = s.integrations.get(integrationId);
    if (!integration) throw new ApiFailure(404, `Integration ${integrationId} not found`);
    if (integration.removeAt !== undefined) return;
    if (this.held(accountId, integration.type) > 0) throw new ApiFailure(409, `Users of the account hold ${integration.type} licenses; remove them first`);
    if (delayMs > 0) integration.removeAt = new Date(this.now().getTime() + delayMs).toISOString();
    else s.integrations.delete(integrationId);
  }
}
