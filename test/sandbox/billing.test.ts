import { describe, expect, it } from 'vitest';
import { DEMO_INITECH_ID, type RunningSandbox } from '../../provider/sandbox/index.js';
import { ADMIN, BILLING, call, login, q, sandbox } from './http.js';

const ORDERS = `${BILLING}/partner-subscriptions`;

async function orderId(s: RunningSandbox, trackingNumber: string): Promise<string> {
  const id = s.store.order(trackingNumber)?.subscriptionId;
  if (!id) throw new Error(`no order ${trackingNumber}`);
  return id;
}

const tns = (items: { trackingNumber: string }[]): string[] => items.map((o) => o.trackingNumber).sort();

describe('sandbox billing: orders', () => {
  it('lists the partner’s orders with v2 fields and filters them', async () => {
    const s = await sandbox();
    const t = await login(s);
    const all = await call(s, 'GET', ORDERS, { token: t });
    expect(all.json.count).toBe(7);
    const tn3 = all.json._embedded.items.find((o: { trackingNumber: string }) => o.trackingNumber === 'TN-1003');
    expect(Object.keys(tn3).sort()).toEqual(
      ['accountId', 'createdBy', 'createdOn', 'customerPo', 'expiresOn', 'modifiedBy', 'modifiedOn', 'orderDate', 'partnerId', 'product', 'quantity', 'resellerPo', 'sapOrderId', 'subscriptionId', 'trackingNumber'].sort(),
    );
    expect(tn3).toMatchObject({ partnerId: 'p-1234', sapOrderId: 'SAP-2003', product: 'miteam-meetings', quantity: 5, accountId: DEMO_INITECH_ID, orderDate: '2026-03-15T00:00:00.000Z' });
    const get = async (f: string) => tns((await call(s, 'GET', `${ORDERS}?${q(f)}`, { token: t })).json._embedded.items);
    expect(await get('accountId eq null')).toEqual(['TN-1001', 'TN-1002', 'TN-1004', 'TN-1005', 'TN-1006']);
    expect(await get(`accountId eq '${DEMO_INITECH_ID}'`)).toEqual(['TN-1003', 'TN-1007']);
    const soon = new Date(Date.now() + 20 * 86_400_000).toISOString();
    expect(await get(`expiresOn lt '${soon}'`)).toEqual(['TN-1006', 'TN-1007']);
    expect(await get(`expiresOn gt '${soon}' and accountId eq null`)).toEqual(['TN-1001', 'TN-1002', 'TN-1004', 'TN-1005']);
    expect(await get("substringof(sapOrderId,'2003')")).toEqual(['TN-1003']);
    expect(await get("contains(customerPo,'acme') or contains(resellerPo,'RPO')")).toEqual(['TN-1001', 'TN-1004']);
    expect(await get("partnerId eq 'p-1234' and trackingNumber eq 'TN-1005'")).toEqual(['TN-1005']);
    expect(await get(`subscriptionId eq '${await orderId(s, 'TN-1002')}'`)).toEqual(['TN-1002']);
  });

  it('assigns and unassigns orders: 409 when another account holds it, 409 while its licenses are in use', async () => {
    const s = await sandbox();
    const t = await login(s);
    const acme = (await call(s, 'POST', `${ADMIN}/accounts`, { token: t, body: { name: 'Acme' } })).json.accountId as string;
    const put = (tn: string, body: unknown) => orderId(s, tn).then((id) => call(s, 'PUT', `${ORDERS}/${id}`, { token: t, body }));
    const assigned = await put('TN-1001', { accountId: acme });
    expect(assigned.status).toBe(200);
    expect(assigned.json).toMatchObject({ trackingNumber: 'TN-1001', accountId: acme });
    expect((await put('TN-1001', { accountId: acme })).status).toBe(200);
    const taken = await put('TN-1003', { accountId: acme });
    expect(taken.status).toBe(409);
    expect(Object.keys(taken.json).sort()).toEqual(['message', 'name']);
    expect((await put('TN-1002', { accountId: 'aa11bb22cc33dd44ee55ff6677889900' })).status).toBe(404);
    expect((await put('TN-1002', {})).status).toBe(400);
    expect((await call(s, 'PUT', `${ORDERS}/${'0'.repeat(32)}`, { token: t, body: { accountId: acme } })).status).toBe(404);
    // Initech holds 2 licenses; TN-1003 (5) is its only unexpired order.
    const inUse = await put('TN-1003', { accountId: null });
    expect(inUse.status).toBe(409);
    expect(inUse.json.message).toMatch(/in use/);
    // An expired order can always be unassigned.
    expect((await put('TN-1007', { accountId: null })).json.accountId).toBeNull();
    // Once another order covers the licenses, TN-1003 can go.
    expect((await put('TN-1002', { accountId: DEMO_INITECH_ID })).status).toBe(200);
    expect((await put('TN-1003', { accountId: null })).json.accountId).toBeNull();
    expect((await put('TN-1001', { accountId: null })).status).toBe(200);
  });

  it('serves subscriptions with used split over unexpired orders, and startDate', async () => {
    const s = await sandbox();
    const t = await login(s);
    const subs = (await call(s, 'GET', `${BILLING}/subscriptions?${q(`accountId eq '${DEMO_INITECH_ID}'`)}`, { token: t })).json._embedded.items;
    const byId = new Map(subs.map((x: { subscriptionId: string }) => [x.subscriptionId, x]));
    expect(byId.get(await orderId(s, 'TN-1003'))).toMatchObject({ accountId: DEMO_INITECH_ID, product: 'miteam-meetings', quantity: 5, used: 2, startDate: '2026-03-15T00:00:00.000Z' });
    expect(byId.get(await orderId(s, 'TN-1007'))).toMatchObject({ quantity: 5, used: 0 });
    for (const sub of subs) expect(Object.keys(sub)).toEqual(expect.arrayContaining(['subscriptionId', 'accountId', 'product', 'quantity', 'used', 'startDate', 'expiresOn']));
    expect((await call(s, 'GET', `${BILLING}/subscriptions?${q("accountId eq 'aa11bb22cc33dd44ee55ff6677889900'")}`, { token: t })).json.count).toBe(0);
  });
});

describe('sandbox billing: licenses', () => {
  it('grants licenses up to capacity and says why it refuses (already held, no free license, no integration)', async () => {
    const s = await sandbox();
    const t = await login(s);
    const users = `${ADMIN}/accounts/${DEMO_INITECH_ID}/users`;
    const michael = s.store.userByEmail(DEMO_INITECH_ID, 'michael.bolton@initech.example')?.userId ?? '';
    const grant = (accountId: string, userId: string, product = 'miteam-meetings') => call(s, 'POST', `${BILLING}/licenses`, { token: t, body: { accountId, userId, product } });
    const first = await grant(DEMO_INITECH_ID, michael);
    expect(first.status).toBe(201);
    expect(Object.keys(first.json)).toEqual(expect.arrayContaining(['licenseId', 'accountId', 'userId', 'product', 'assignedOn']));
    const again = await grant(DEMO_INITECH_ID, michael);
    expect(again.status).toBe(409);
    expect(again.json.message).toMatch(/already has/);
    const extra: string[] = [];
    for (let i = 0; i < 3; i += 1) extra.push((await call(s, 'POST', users, { token: t, body: { email: `e${i}@initech.example`, name: `E${i}` } })).json.userId);
    expect((await grant(DEMO_INITECH_ID, extra[0] ?? '')).status).toBe(201);
    expect((await grant(DEMO_INITECH_ID, extra[1] ?? '')).status).toBe(201);
    const full = await grant(DEMO_INITECH_ID, extra[2] ?? '');
    expect(full.status).toBe(409);
    expect(full.json.message).toMatch(/No free miteam-meetings license/);
    expect(s.store.held(DEMO_INITECH_ID, 'miteam-meetings')).toBe(5);
    // Freeing one makes room again.
    expect((await call(s, 'DELETE', `${BILLING}/licenses/${first.json.licenseId as string}`, { token: t })).status).toBe(204);
    expect((await call(s, 'DELETE', `${BILLING}/licenses/${first.json.licenseId as string}`, { token: t })).status).toBe(404);
    expect((await grant(DEMO_INITECH_ID, extra[2] ?? '')).status).toBe(201);
    // An account with an order but without the integration.
    const acme = (await call(s, 'POST', `${ADMIN}/accounts`, { token: t, body: { name: 'Acme' } })).json.accountId as string;
    await call(s, 'PUT', `${BILLING}/partner-subscriptions/${s.store.order('TN-1001')?.subscriptionId ?? ''}`, { token: t, body: { accountId: acme } });
    const wile = (await call(s, 'POST', `${ADMIN}/accounts/${acme}/users`, { token: t, body: { email: 'wile@acme.example', name: 'Wile' } })).json.userId as string;
    const noIntegration = await grant(acme, wile);
    expect(noIntegration.status).toBe(409);
    expect(noIntegration.json.message).toMatch(/integration/);
    await call(s, 'POST', `${ADMIN}/accounts/${acme}/integrations`, { token: t, body: { type: 'miteam-meetings' } });
    expect((await grant(acme, wile)).status).toBe(201);
    // Unknown user, unknown product, missing fields, invisible account.
    expect((await grant(acme, '0'.repeat(32))).status).toBe(404);
    expect((await grant(acme, wile, 'teleport')).status).toBe(400);
    expect((await call(s, 'POST', `${BILLING}/licenses`, { token: t, body: { accountId: acme } })).status).toBe(400);
    expect((await grant('aa11bb22cc33dd44ee55ff6677889900', wile)).status).toBe(404);
    const listed = (await call(s, 'GET', `${BILLING}/licenses?${q(`accountId eq '${acme}' and userId eq '${wile}'`)}`, { token: t })).json;
    expect(listed._embedded.items).toHaveLength(1);
  });

  it('stops counting expired orders but keeps existing licenses (the account may be over quota)', async () => {
    const s = await sandbox();
    const t = await login(s);
    const michael = s.store.userByEmail(DEMO_INITECH_ID, 'michael.bolton@initech.example')?.userId ?? '';
    expect(s.store.capacity(DEMO_INITECH_ID, 'miteam-meetings')).toBe(5);
    s.store.setOrderExpiry('TN-1003', new Date(Date.now() - 1000).toISOString());
    expect(s.store.capacity(DEMO_INITECH_ID, 'miteam-meetings')).toBe(0);
    const licenses = (await call(s, 'GET', `${BILLING}/licenses?${q(`accountId eq '${DEMO_INITECH_ID}'`)}`, { token: t })).json;
    expect(licenses.count).toBe(2);
    const refused = await call(s, 'POST', `${BILLING}/licenses`, { token: t, body: { accountId: DEMO_INITECH_ID, userId: michael, product: 'miteam-meetings' } });
    expect(refused.status).toBe(409);
    expect(refused.json.message).toMatch(/2 held of 0/);
    const subs = (await call(s, 'GET', `${BILLING}/subscriptions?${q(`accountId eq '${DEMO_INITECH_ID}'`)}`, { token: t })).json._embedded.items;
    expect(subs.map((x: { used: number }) => x.used)).toEqual([0, 0]);
    // An expired order no longer covers anything, so it may be unassigned.
    expect((await call(s, 'PUT', `${BILLING}/partner-subscriptions/${s.store.order('TN-1003')?.subscriptionId ?? ''}`, { token: t, body: { accountId: null } })).status).toBe(200);
  });

  it('exposes store helpers for tests that change the tenant behind the tool’s back', async () => {
    const s = await sandbox();
    const peter = s.store.userByEmail(DEMO_INITECH_ID, 'peter.gibbons@initech.example');
    const created = s.store.createUser(DEMO_INITECH_ID, { email: 'stray@initech.example', name: 'Stray' });
    expect(s.store.updateUser(DEMO_INITECH_ID, created.userId, { lastName: 'Cat' }).lastName).toBe('Cat');
    expect(() => s.store.createUser(DEMO_INITECH_ID, { email: 'STRAY@initech.example', name: 'Again' })).toThrow('One or more of the attribute values are already in use');
    s.store.disableLicense(DEMO_INITECH_ID, peter?.userId ?? '');
    expect(s.store.licenses(DEMO_INITECH_ID)).toHaveLength(1);
    s.store.enableLicense(DEMO_INITECH_ID, created.userId);
    expect(s.store.licenses(DEMO_INITECH_ID).map((l) => l.userId)).toContain(created.userId);
    expect(s.store.setUserVerified(DEMO_INITECH_ID, created.userId).userVerified).toBe(true);
    s.store.deleteUser(DEMO_INITECH_ID, created.userId);
    expect(s.store.licenses(DEMO_INITECH_ID)).toHaveLength(1);
    const tn5 = s.store.assignOrder('TN-1005', DEMO_INITECH_ID);
    expect(s.store.orders().find((o) => o.trackingNumber === 'TN-1005')?.accountId).toBe(DEMO_INITECH_ID);
    expect(tn5.subscriptionId).toMatch(/^[0-9a-f]{32}$/);
    expect(s.store.accountByName('Initech')?.accountId).toBe(DEMO_INITECH_ID);
  });
});
