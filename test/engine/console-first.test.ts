/**
 * The default account flow (`accountCreation: console`) end to end against the sandbox, as a
 * pull request sees it: the plan shows the changes that wait for the account, apply exits 4
 * and prints the console's fields, a person creates the account outside the tool, the next
 * plan adopts it and applies the rest, and the plan after that is empty.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AccountChange, Plan } from '../../provider/engine/types.js';
import { sandboxPerTest } from '../helpers/sandbox.js';

const setup = sandboxPerTest();

const users = Array.from({ length: 7 }, (_, i) => `        - { email: u${i}@hooli.example, firstName: User, lastName: N${i}, miteam: true }`).join('\n');

const HOOLI = `apiVersion: tenancy.cloudlink/v1
kind: Tenancy
partner: { id: p-1234 }
defaults: { welcomeEmail: onEnable }
accounts:
  - key: hooli
    name: Hooli Inc
    country: US
    city: Palo Alto
    language: en-US
    integrations: [miteam-meetings]
    orders: [ { trackingNumber: TN-1005 } ]
    users:
      items:
${users}
`;

async function tenancyDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'console-first-'));
  await writeFile(path.join(dir, 'tenancy.yaml'), HOOLI);
  return dir;
}

type Setup = Awaited<ReturnType<typeof setup>>;

/** Plan shows what waits, apply exits 4 with the console's fields and writes nothing. */
async function reviewAndWait(s: Setup, dir: string): Promise<void> {
  const plan = await s.cli('plan', dir);
  expect(plan.code).toBe(2);
  expect(plan.out).toContain('+ account.hooli  # create in the Accounts Console');
  expect(plan.out).toContain('once the account exists: 1 integration, 7 users, 7 licences, 7 welcome e-mails, order "TN-1005"');
  // The first waiting lines, then a count of the rest.
  expect(plan.out).toContain('+ account.hooli.integration.miteam-meetings');
  expect(plan.out).toMatch(/… and \d+ more waiting changes/);
  expect(plan.out).toContain('Plan: 1 to create, 0 to update, 0 to delete. 23 more wait for 1 account to be created in the Accounts Console.');

  const md = await s.cli('plan', dir, '--format', 'markdown');
  expect(md.out).toContain('once the account exists: 1 integration, 7 users, 7 licences, 7 welcome e-mails');

  const json = JSON.parse((await s.cli('plan', dir, '--format', 'json')).out) as Plan;
  expect(json.changes).toHaveLength(1);
  const account = json.changes[0] as AccountChange;
  expect(account.manual).toBe('console');
  expect(account.waiting?.filter((c) => c.kind === 'user')).toHaveLength(7);
  expect(account.waiting?.filter((c) => c.kind === 'welcome')).toHaveLength(7);
  expect(account.waiting?.some((c) => c.kind === 'order' && c.after?.trackingNumber === 'TN-1005')).toBe(true);

  // Saved and shown again (the PR's plan artifact), the waiting changes are still there.
  const saved = path.join(dir, 'plan.json');
  expect((await s.cli('plan', dir, '--out', saved)).code).toBe(2);
  expect((await s.cli('show', saved)).out).toContain('once the account exists: 1 integration, 7 users');

  s.sandbox.resetRequestCounts();
  const fromSaved = await s.cli('apply', dir, '--plan', saved);
  expect(fromSaved.code).toBe(4);
  expect(fromSaved.out).toContain('Customer Name: Hooli Inc');
  const asJson = await s.cli('apply', dir, '--auto-approve', '--format', 'json');
  expect(asJson.code).toBe(4);
  const result = JSON.parse(asJson.out) as { outcome: string; waitingForConsole: { address: string; fields: { name?: string } }[] };
  expect(result.outcome).toBe('waiting');
  expect(result.waitingForConsole).toEqual([{ address: 'account.hooli', fields: expect.objectContaining({ name: 'Hooli Inc', country: 'US' }) }]);
  const apply = await s.cli('apply', dir, '--auto-approve');
  expect(apply.code).toBe(4);
  expect(apply.out).toContain('waiting for the Accounts Console: account.hooli');
  for (const field of ['Customer Name: Hooli Inc', 'Country: US', 'City/Town: Palo Alto', 'Default Language: en-US']) expect(apply.out).toContain(field);
  expect(apply.err).toContain('Waiting for a person (exit 4)');
  // Apply acted on none of the waiting changes: only reads.
  const writes = Object.keys(s.sandbox.requestCounts()).filter((r) => !r.startsWith('GET ') && !r.includes('/token'));
  expect(writes).toEqual([]);
  expect(s.sandbox.store.accountByName('Hooli Inc')).toBeUndefined();
}

/** The person created it: the next plan adopts it, apply converges, the plan after is empty. */
async function adoptAndConverge(s: Setup, dir: string, createdAs: string): Promise<void> {
  s.sandbox.store.createAccount('p-1234', { name: createdAs, languageCode: 'en-US', location: { address: { city: 'Palo Alto', country: 'US' } } });
  const next = await s.cli('plan', dir);
  expect(next.code).toBe(2);
  expect(next.out).not.toContain('create in the Accounts Console');
  expect(next.out).toContain('+ account.hooli.user["u0@hooli.example"]');
  const apply = await s.cli('apply', dir, '--auto-approve');
  expect(apply.code).toBe(0);
  const after = await s.cli('plan', dir);
  expect(after.code).toBe(0);
  expect(after.out).toContain('No changes.');
}

describe('console-first account flow', () => {
  it('plan lists the waiting changes, apply exits 4, the account made in the console by its exact name is adopted and converged', async () => {
    const s = await setup();
    const dir = await tenancyDir();
    await reviewAndWait(s, dir);
    await adoptAndConverge(s, dir, 'Hooli Inc');
  });

  it('adopts the account created in the console with other case and spacing ("hooli inc " for "Hooli Inc")', async () => {
    const s = await setup();
    const dir = await tenancyDir();
    await reviewAndWait(s, dir);
    await adoptAndConverge(s, dir, 'hooli  inc ');
  });
});
