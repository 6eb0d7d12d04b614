/**
 * Lost answers: every failed write in this test was committed (the sandbox injects only
 * `errorAfterCommitRate` and `dropAfterCommitRate`, no 5xx before the write), so any second
 * POST of a create is a second object sent to CloudLink. The client must re-read by natural key
 * after an ambiguous failure instead (a 409 carries no id in contract version 2), so the
 * sandbox must see exactly one create request per object, however many answers were lost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../provider/sandbox/index.js';
import { generateTenancy } from '../helpers/generate.js';
import { auditState, mustBeZero, ZERO } from './audit.js';
import { converge, faultClient, planIsEmpty } from './harness.js';
import { AmbiguityTally, observingProxy } from './proxy.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

const A = '/admin/2017-09-01';
const B = '/billing/2019-03-01';

describe('lost answers: writes that committed, then failed', () => {
  it('sends each create once (re-reads by natural key after a lost answer), 0 duplicates, every ambiguous welcome accounted for', async () => {
    const g = generateTenancy({ accounts: 12, usersPerAccount: 25, welcomeEmail: 'onEnable', seed: 11 });
    const s = await startSandbox({ seed: g.seed, faults: { errorAfterCommitRate: 0.25, dropAfterCommitRate: 0.25 } });
    closers.push(() => s.close());
    const tally = new AmbiguityTally();
    const { proxy, urls } = await observingProxy(s.url, tally.observe);
    closers.push(() => proxy.close());
    const c = faultClient(urls);
    closers.push(() => c.close());
    const { rounds } = await converge(c, g.tenancy);
    const counts = s.requestCounts();
    const injected = s.faultCounts();
    s.setFaults({ errorAfterCommitRate: 0, dropAfterCommitRate: 0 });
    expect(await planIsEmpty(c, g.tenancy)).toBe(true);
    const a = auditState(s.state(), g.tenancy);
    expect(mustBeZero(a)).toEqual(ZERO);

    const accounts = g.tenancy.accounts.length;
    const enables = g.tenancy.accounts.reduce((n, acc) => n + acc.users.items.filter((u) => u.miteam).length, 0);
    // Lost answers really happened on every kind of create.
    expect(injected.errorBeforeWrite).toBe(0);
    expect(tally.of(`POST ${A}/accounts`), 'no account create lost its answer').toBeGreaterThan(0);
    expect(tally.of(`PATCH ${A}/accounts/{accountId}/users`), 'no user batch lost its answer').toBeGreaterThan(0);
    expect(tally.of(`POST ${B}/licenses`), 'no license enable lost its answer').toBeGreaterThan(0);
    expect(tally.of(`POST ${A}/accounts/{accountId}/users/{userId}/welcome-email`), 'no welcome send lost its answer').toBeGreaterThan(0);
    // …and no create was sent twice: one committed POST per object. Welcome sends are retried after a lost
    // answer (at least once), so each lost send answer may cost exactly one second e-mail, no more.
    const sends = counts[`POST ${A}/accounts/{accountId}/users/{userId}/welcome-email`] ?? 0;
    expect(sends - enables).toBe(a.extraWelcomes);
    expect(a.extraWelcomes).toBeLessThanOrEqual(tally.of(`POST ${A}/accounts/{accountId}/users/{userId}/welcome-email`));
    expect({
      accountCreates: counts[`POST ${A}/accounts`],
      accountDeletes: counts[`DELETE ${A}/accounts/{accountId}`] ?? 0,
      contactCreates: counts[`POST ${A}/accounts/{accountId}/contacts`],
      integrationCreates: counts[`POST ${A}/accounts/{accountId}/integrations`],
      licenseCreates: counts[`POST ${B}/licenses`],
    }).toEqual({ accountCreates: accounts, accountDeletes: 0, contactCreates: accounts, integrationCreates: accounts, licenseCreates: enables });
    expect(a.welcomes).toBe(enables);
    console.log(
      `lost answers: converged in ${rounds} rounds; sandbox committed-then-failed ${injected.errorAfterCommit} writes (5xx) and cut ${injected.dropAfterCommit}; ` +
        `ambiguous creates: accounts ${tally.of(`POST ${A}/accounts`)}, user batches ${tally.of(`PATCH ${A}/accounts/{accountId}/users`)}, licenses ${tally.of(`POST ${B}/licenses`)}, welcome sends ${tally.of(`POST ${A}/accounts/{accountId}/users/{userId}/welcome-email`)}; ` +
        `client re-reads ${c.stats().rereads}; each create sent once; every MiTeam user welcomed, ${a.extraWelcomes} second e-mails (one per lost send answer retried)`,
    );
  });
});
