import { describe, expect, it } from 'vitest';
import { DEMO_INITECH_ID, MICOLLAB_LICENSING_RULE } from '../../provider/sandbox/index.js';
import { ADMIN, BILLING, call, login, sandbox } from './http.js';

const INITECH = `${ADMIN}/accounts/${DEMO_INITECH_ID}`;

describe('sandbox contract 2.1', () => {
  it('drops the fields named in faults.ignoreFields from every write, at any depth, set through POST /sandbox/faults', async () => {
    const s = await sandbox();
    const t = await login(s);
    expect((await call(s, 'POST', '/sandbox/faults', { body: { ignoreFields: 'languageCode' } })).status).toBe(400);
    expect((await call(s, 'POST', '/sandbox/faults', { body: { ignoreFields: ['languageCode', 'city'] } })).json.ignoreFields).toEqual(['languageCode', 'city']);
    const r = await call(s, 'PUT', INITECH, { token: t, body: { languageCode: 'de-DE', name: 'Initech GmbH', location: { address: { city: 'Berlin', street: 'Unter den Linden 1' } } } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ name: 'Initech GmbH', languageCode: 'en-US', location: { address: { street: 'Unter den Linden 1' } } });
    expect(r.json.location.address.city).not.toBe('Berlin');
    await call(s, 'POST', '/sandbox/reset');
    expect((await call(s, 'GET', '/sandbox/faults')).json.ignoreFields).toEqual([]);
  });

  it('serves micollab in the catalogue and answers license writes on a MiCollab account with 409 and the rule', async () => {
    const s = await sandbox();
    const t = await login(s);
    const user = s.store.users(DEMO_INITECH_ID).find((u) => !s.store.licenses(DEMO_INITECH_ID).some((l) => l.userId === u.userId));
    const held = s.store.licenses(DEMO_INITECH_ID)[0];
    expect((await call(s, 'POST', `${INITECH}/integrations`, { token: t, body: { type: 'micollab' } })).status).toBe(201);
    const post = await call(s, 'POST', `${BILLING}/licenses`, { token: t, body: { accountId: DEMO_INITECH_ID, userId: user?.userId, product: 'miteam-meetings' } });
    expect(post.status).toBe(409);
    expect(post.json.message).toContain(MICOLLAB_LICENSING_RULE);
    const del = await call(s, 'DELETE', `${BILLING}/licenses/${held?.licenseId ?? ''}`, { token: t });
    expect(del.status).toBe(409);
    expect(del.json.message).toContain(MICOLLAB_LICENSING_RULE);
  });

  it('keeps a removed integration listed for integrationRemovalMs, without saying so, then removes it', async () => {
    const s = await sandbox({ faults: { integrationRemovalMs: 300 } });
    const t = await login(s);
    const chat = await call(s, 'POST', `${INITECH}/integrations`, { token: t, body: { type: 'cloudlink-chat' } });
    expect(chat.status).toBe(201);
    expect(s.state().accounts.find((a) => a.accountId === DEMO_INITECH_ID)?.privileges).toEqual({ delegatedAuthentication: true, allowGuestAccess: true });
    const id = chat.json.integrationId as string;
    expect((await call(s, 'DELETE', `${INITECH}/integrations/${id}`, { token: t })).status).toBe(204);
    const listed = (await call(s, 'GET', `${INITECH}/integrations`, { token: t })).json._embedded.items as Record<string, unknown>[];
    expect(listed.find((i) => i.integrationId === id)).toEqual({ integrationId: id, accountId: DEMO_INITECH_ID, type: 'cloudlink-chat', createdOn: expect.any(String), createdBy: expect.any(String), modifiedOn: expect.any(String), modifiedBy: expect.any(String) });
    expect((await call(s, 'DELETE', `${INITECH}/integrations/${id}`, { token: t })).status).toBe(204);
    await new Promise((r) => setTimeout(r, 350));
    const after = (await call(s, 'GET', `${INITECH}/integrations`, { token: t })).json._embedded.items as Record<string, unknown>[];
    expect(after.map((i) => i.integrationId)).not.toContain(id);
  });
});
