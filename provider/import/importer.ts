/** Reads live accounts for import: one list per resource, no per-user GETs. */
import type { CloudLinkApi } from '../api/client-types.js';
import type { Account, Order } from '../model/live.js';
import { assignKeys, type ImportedAccount } from './render.js';
import { collect, customerAccounts, mapLimit, readLiveAccount } from '../engine/snapshot.js';

/** What to import: explicit accounts, or every account of the partner. */
export interface ImportRequest {
  partnerId?: string;
  /** Each an accountId or the account number the Accounts Console shows. */
  accountIds?: readonly string[];
  all?: boolean;
}

/** The imported accounts (sorted by key) and ids that were not found. */
export interface ImportResult {
  partnerId: string;
  accounts: ImportedAccount[];
  missing: string[];
}

export async function importAccounts(api: CloudLinkApi, request: ImportRequest): Promise<ImportResult> {
  const principal = await api.principal.whoami();
  const listed = customerAccounts(await collect(api.accounts.list(request.partnerId ?? principal.partnerId ?? '')), principal.accountId);
  const missing: string[] = [];
  let chosen: Account[];
  if (request.all) chosen = listed.filter((a) => !request.partnerId || a.partnerId === request.partnerId);
  else {
    chosen = [];
    for (const id of request.accountIds ?? []) {
      const hit = listed.find((a) => a.accountId === id || a.accountNumber === id) ?? (await api.accounts.get(id));
      if (hit && !chosen.some((a) => a.accountId === hit.accountId)) chosen.push(hit);
      else if (!hit) missing.push(id);
    }
  }
  const partnerId = request.partnerId ?? chosen.find((a) => a.partnerId)?.partnerId ?? '';
  const orders: Order[] = partnerId ? await collect(api.orders.list(partnerId)) : [];
  const keys = assignKeys(chosen);
  const accounts = await mapLimit(chosen, 8, async (account): Promise<ImportedAccount> => {
    const live = await readLiveAccount(api, account);
    return { ...live, key: keys.get(account.accountId) ?? account.accountId, orders: orders.filter((o) => o.assignedAccountId === account.accountId) };
  });
  accounts.sort((a, b) => a.key.localeCompare(b.key));
  return { partnerId, accounts, missing };
}
