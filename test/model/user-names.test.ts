import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTenancy } from '../../provider/load/index.js';
import { canonicalRole } from '../../provider/model/schema.js';

async function load(users: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'names-'));
  await writeFile(
    path.join(dir, 't.yaml'),
    `apiVersion: tenancy.cloudlink/v1\nkind: Tenancy\npartner: { id: p-1 }\naccounts:\n  - key: acme\n    name: Acme\n    country: CA\n    language: en-US\n    users:\n      items:\n${users}`,
  );
  return loadTenancy(['t.yaml'], { cwd: dir });
}

describe("the console's rule on user names and roles, in YAML", () => {
  it('accepts any one of name, firstName, lastName; name defaults to what is given', async () => {
    const r = await load('        - { email: a@acme.example, firstName: Ann }\n        - { email: b@acme.example, lastName: Bee }\n        - { email: c@acme.example, name: Front Desk }\n        - { email: d@acme.example, firstName: Dee, lastName: Dee }\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.tenancy?.accounts[0]?.users.items.map((u) => [u.firstName, u.lastName, u.name])).toEqual([
      ['Ann', '', 'Ann'],
      ['', 'Bee', 'Bee'],
      ['', '', 'Front Desk'],
      ['Dee', 'Dee', 'Dee Dee'],
    ]);
  });

  it('refuses a user with none of the three, at the user', async () => {
    const r = await load('        - { email: a@acme.example, role: User }\n');
    expect(r.diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`)).toEqual(["11:11: accounts[0].users.items[0]: a user needs at least one of name, firstName or lastName (the console's rule); add one"]);
  });

  it('matches the role without regard to case, spaces or underscores', async () => {
    const r = await load('        - { email: a@acme.example, name: A, role: account admin }\n        - { email: b@acme.example, name: B, role: ACCOUNT_ADMIN }\n        - { email: c@acme.example, name: C, role: user }\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.tenancy?.accounts[0]?.users.items.map((u) => u.role)).toEqual(['Account Admin', 'Account Admin', 'User']);
    expect(canonicalRole('  Account-Admin ')).toBe('Account Admin');
    expect(canonicalRole('admin')).toBeUndefined();
    const bad = await load('        - { email: a@acme.example, name: A, role: admin }\n');
    expect(bad.diagnostics[0]?.message).toBe('accounts[0].users.items[0].role: role "admin" is unknown; use "User" or "Account Admin" (any case)');
  });
});
