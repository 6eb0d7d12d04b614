import { describe, expect, it } from 'vitest';
import { DEMO_INITECH_ID, type RunningSandbox } from '../../provider/sandbox/index.js';
import { ADMIN, BILLING, call, login, q, sandbox } from './http.js';

const MANY = 'c'.repeat(32);

async function withMany(profile: 'default' | 'strict' = 'default'): Promise<{ s: RunningSandbox; t: string }> {
  const s = await sandbox({ profile });
  s.seed({
    accounts: [
      {
        accountId: MANY,
        partnerId: 'p-1234',
        name: 'Many',
        users: Array.from({ length: 1250 }, (_, i) => ({ email: `m${i}@many.example`, firstName: 'M', lastName: String(i) })),
        contacts: Array.from({ length: 7 }, (_, i) => ({ email: `c${i}@many.example`, name: `C ${i}` })),
      },
      ...Array.from({ length: 130 }, (_, i) => ({ partnerId: 'p-1234', name: `Bulk ${String(i).padStart(3, '0')}` })),
    ],
  });
  return { s, t: await login(s) };
}

describe('sandbox lists', () => {
  it('pages users with an integer $skip in an absolute next link, with a count, in a stable order', async () => {
    const { s, t } = await withMany();
    let href: string | undefined = `${ADMIN}/accounts/${MANY}/users?$top=500`;
    const sizes: number[] = [];
    const emails: string[] = [];
    while (href) {
      const page = await call(s, 'GET', href, { token: t });
      expect(page.status).toBe(200);
      expect(Object.keys(page.json).sort()).toEqual(['_embedded', '_links', 'count']);
      expect(page.json.count).toBe(1250);
      expect(typeof page.json._links.self).toBe('string');
      expect(page.json._links.self.startsWith(`${s.url}${ADMIN}/accounts/${MANY}/users`)).toBe(true);
      sizes.push(page.json._embedded.items.length);
      emails.push(...page.json._embedded.items.map((u: { email: string }) => u.email));
      href = page.json._links.next;
      if (href) {
        expect(typeof href).toBe('string');
        expect(href.startsWith(`${s.url}${ADMIN}/`)).toBe(true);
        const url = new URL(href);
        expect(url.searchParams.get('$skip')).toBe(String(emails.length));
      }
    }
    expect(sizes).toEqual([500, 500, 250]);
    expect(emails).toEqual(Array.from({ length: 1250 }, (_, i) => `m${i}@many.example`));
    // A deep page is the same rows whatever was read before; after a delete the order closes up.
    const deep = await call(s, 'GET', `${ADMIN}/accounts/${MANY}/users?$top=3&$skip=1200`, { token: t });
    expect(deep.json._embedded.items.map((u: { email: string }) => u.email)).toEqual(['m1200@many.example', 'm1201@many.example', 'm1202@many.example']);
    const gone = s.store.userByEmail(MANY, 'm5@many.example');
    s.store.deleteUser(MANY, gone?.userId ?? '');
    const after = await call(s, 'GET', `${ADMIN}/accounts/${MANY}/users?$top=2&$skip=4`, { token: t });
    expect(after.json.count).toBe(1249);
    expect(after.json._embedded.items.map((u: { email: string }) => u.email)).toEqual(['m4@many.example', 'm6@many.example']);
    const added = s.store.createUser(MANY, { email: 'late@many.example', firstName: 'Late' });
    const tail = await call(s, 'GET', `${ADMIN}/accounts/${MANY}/users?$top=5&$skip=1248`, { token: t });
    expect(tail.json._embedded.items.map((u: { userId: string }) => u.userId)).toEqual([s.store.userByEmail(MANY, 'm1249@many.example')?.userId, added.userId]);
    const byEmail = await call(s, 'GET', `${ADMIN}/accounts/${MANY}/users?$filter=${encodeURIComponent("email eq 'M7@MANY.example'")}`, { token: t });
    expect(byEmail.json).toMatchObject({ count: 1 });
    expect(byEmail.json._embedded.items.map((u: { email: string }) => u.email)).toEqual(['m7@many.example']);
  });

  it('pages other lists with an integer $skip and a count; $top defaults to 100 and is capped at 1,000', async () => {
    const { s, t } = await withMany();
    const first = await call(s, 'GET', `${ADMIN}/accounts`, { token: t });
    expect(first.json.count).toBe(133);
    expect(first.json._embedded.items).toHaveLength(100);
    expect(new URL(first.json._links.next).searchParams.get('$skip')).toBe('100');
    const second = await call(s, 'GET', first.json._links.next, { token: t });
    expect(second.json._embedded.items).toHaveLength(33);
    expect(second.json._links.next).toBeUndefined();
    const all = await call(s, 'GET', `${ADMIN}/accounts?$top=500`, { token: t });
    expect(all.json._embedded.items).toHaveLength(133);
    const capped = await call(s, 'GET', `${ADMIN}/accounts/${MANY}/users?$top=10000`, { token: t });
    expect(capped.json._embedded.items).toHaveLength(1000);
    expect(new URL(capped.json._links.next).searchParams.get('$skip')).toBe('1000');
    const small = await call(s, 'GET', `${ADMIN}/accounts/${MANY}/contacts?$top=3&$skip=6`, { token: t });
    expect(small.json).toMatchObject({ count: 7 });
    expect(small.json._embedded.items).toHaveLength(1);
    expect(small.json._links.next).toBeUndefined();
    expect((await call(s, 'GET', `${ADMIN}/accounts?$top=0`, { token: t })).status).toBe(400);
    expect((await call(s, 'GET', `${ADMIN}/accounts?$skip=abc`, { token: t })).status).toBe(400);
  });

  it('under the strict profile: pages of at most 50, no count on user lists, the user $filter refused, billing subscriptions absent', async () => {
    const { s, t } = await withMany('strict');
    const users = await call(s, 'GET', `${ADMIN}/accounts/${MANY}/users?$top=1000`, { token: t });
    expect(users.json._embedded.items).toHaveLength(50);
    expect(Object.keys(users.json).sort()).toEqual(['_embedded', '_links']);
    const accounts = await call(s, 'GET', `${ADMIN}/accounts?$top=1000`, { token: t });
    expect(accounts.json._embedded.items).toHaveLength(50);
    expect(accounts.json.count).toBe(133);
    expect((await call(s, 'GET', `${ADMIN}/accounts/${MANY}/users?${q("email eq 'm1@many.example'")}`, { token: t })).status).toBe(400);
    expect((await call(s, 'GET', `${ADMIN}/accounts?${q("name eq 'Many'")}`, { token: t })).status).toBe(200);
    const subscriptions = await call(s, 'GET', `${BILLING}/subscriptions?${q(`accountId eq '${MANY}'`)}`, { token: t });
    expect(subscriptions.status).toBe(404);
    expect(subscriptions.json).toEqual({ name: 'NotFound', message: expect.stringContaining('No route') });
    expect((await call(s, 'GET', `${BILLING}/licenses?${q(`accountId eq '${MANY}'`)}`, { token: t })).status).toBe(200);
  });

  it('filters in OData form and refuses unknown fields or syntax with 400', async () => {
    const { s, t } = await withMany();
    const get = async (path: string) => (await call(s, 'GET', path, { token: t })).json._embedded.items as Record<string, unknown>[];
    expect((await get(`${ADMIN}/accounts/${DEMO_INITECH_ID}/users?${q("email eq 'PETER.GIBBONS@initech.example'")}`)).map((u) => u.firstName)).toEqual(['Peter']);
    expect(await get(`${ADMIN}/accounts/${DEMO_INITECH_ID}/users?${q("email eq 'nobody@initech.example'")}`)).toEqual([]);
    expect((await get(`${ADMIN}/accounts?${q("name eq 'Initech' or name eq 'Many'")}`)).map((a) => a.name).sort()).toEqual(['Initech', 'Many']);
    expect((await get(`${ADMIN}/accounts?${q("partnerId eq 'p-1234' and accountNumber eq '100002'")}`)).map((a) => a.name)).toEqual(['Initech']);
    expect((await get(`${ADMIN}/accounts?${q("substringof(name,'bulk 12')")}`)).map((a) => a.name).sort()).toEqual(['Bulk 120', 'Bulk 121', 'Bulk 122', 'Bulk 123', 'Bulk 124', 'Bulk 125', 'Bulk 126', 'Bulk 127', 'Bulk 128', 'Bulk 129']);
    expect((await get(`${ADMIN}/accounts?${q("contains(name,'Initech')")}`)).map((a) => a.name)).toEqual(['Initech']);
    expect((await get(`${ADMIN}/accounts?${q("substringof('Initech', name)")}`)).map((a) => a.name)).toEqual(['Initech']);
    expect((await get(`${ADMIN}/accounts/${MANY}/contacts?${q("email eq 'C3@MANY.example'")}`)).map((c) => c.name)).toEqual(['C 3']);
    const refused = [
      `${ADMIN}/accounts?${q("colour eq 'red'")}`,
      `${ADMIN}/accounts?${q("name eq Initech")}`,
      `${ADMIN}/accounts?${q("name eq 'Initech' and")}`,
      `${ADMIN}/accounts?${q("(name eq 'x'")}`,
      `${ADMIN}/accounts/${DEMO_INITECH_ID}/users?${q("lastName eq 'Gibbons'")}`,
      `${ADMIN}/accounts/${DEMO_INITECH_ID}/users?${q("email lt 'x'")}`,
      `${ADMIN}/accounts/${DEMO_INITECH_ID}/integrations?${q("type eq 'miteam-meetings'")}`,
      `${BILLING}/partner-subscriptions?${q("quantity eq '5'")}`,
      `${BILLING}/partner-subscriptions?${q("expiresOn lt 'soon'")}`,
      `${BILLING}/licenses?${q("licenseId eq 'x'")}`,
    ];
    for (const path of refused) {
      const r = await call(s, 'GET', path, { token: t });
      expect([path, r.status, r.json.name]).toEqual([path, 400, 'BadRequest']);
      expect(Object.keys(r.json).sort()).toEqual(['message', 'name']);
    }
  });

  it('serves tags only with $expand=tags, as a map of JSON values', async () => {
    const s = await sandbox();
    const t = await login(s);
    const users = `${ADMIN}/accounts/${DEMO_INITECH_ID}/users`;
    const plain = (await call(s, 'GET', users, { token: t })).json._embedded.items;
    for (const u of plain) expect(u).not.toHaveProperty('tags');
    const tagged = (await call(s, 'GET', `${users}?$expand=tags&${q("email eq 'peter.gibbons@initech.example'")}`, { token: t })).json._embedded.items;
    expect(tagged[0].tags).toEqual({ 'cloudlink-tenancy': { welcomeSentOn: '2026-03-01T09:00:00.000Z' } });
    const michael = (await call(s, 'GET', `${users}?$expand=tags&${q("email eq 'michael.bolton@initech.example'")}`, { token: t })).json._embedded.items[0];
    expect(michael.tags).toEqual({});
    const accounts = (await call(s, 'GET', `${ADMIN}/accounts?$expand=tags`, { token: t })).json._embedded.items;
    const initech = accounts.find((a: { accountId: string }) => a.accountId === DEMO_INITECH_ID);
    expect(initech.tags).toEqual({});
    expect((await call(s, 'GET', `${ADMIN}/accounts/${DEMO_INITECH_ID}`, { token: t })).json).not.toHaveProperty('tags');
  });
});
