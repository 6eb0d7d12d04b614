/** An account's contacts over HTTP (`ContactsApi`): listed, added at most once (by e-mail and type), removed. */
import type { ContactsApi } from '../client-types.js';
import { contactFromWire, contactSchema, contactToWire } from '../wire.js';
import type { Contact } from '../../model/live.js';
import { lower, type ClientContext } from './context.js';
import { firstOf, list } from './reads.js';
import { createOnce, deleteObject, resolveConflict } from './writes.js';

/** `ContactsApi` over the context's transport, as `client-types.ts` specifies it. */
export function contactsClient(c: ClientContext): ContactsApi {
  return {
    list: (accountId: string) => list(c, 'listContacts', { accountId }, contactSchema, (w) => contactFromWire(w, accountId), { key: (x) => x.contactId, match: (x) => x.accountId === accountId }),
    add: async (accountId: string, contact: { email: string; name?: string; type: string }) => {
      const find = (): Promise<Contact | undefined> =>
        firstOf(list(c, 'listContacts', { accountId }, contactSchema, (w) => contactFromWire(w, accountId), { match: (x) => x.accountId === accountId && lower(x.email) === lower(contact.email) && lower(x.type) === lower(contact.type) }));
      const existing = await find();
      if (existing) return { outcome: 'unchanged', value: existing };
      try {
        return await createOnce<Contact>(c, async () => contactFromWire((await c.t.call({ route: 'createContact', params: { accountId }, body: contactToWire(contact), schema: contactSchema })).value, accountId), find);
      } catch (e) {
        return resolveConflict(c, e, find);
      }
    },
    remove: (accountId: string, contactId: string) => deleteObject<Contact>(c, 'deleteContact', { accountId, contactId }),
  };
}
