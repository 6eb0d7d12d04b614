import { describe, expect, it } from 'vitest';
import { routes } from '../../provider/api/routes.js';
import { createReadProbe, type ProbeAnswer, type ReadProbe } from '../../provider/api/index.js';
import { retryAfterForm, runDoctor, type DoctorReport } from '../../provider/doctor/checks.js';
import { renderDoctorMarkdown, renderDoctorText } from '../../provider/doctor/render.js';
import { DEMO_CREDENTIALS, type RunningSandbox } from '../../provider/sandbox/index.js';
import { sandboxPerTest } from '../helpers/sandbox.js';

/** 120 more customer accounts, so the account list is longer than one page of any profile. */
const BULK = { accounts: Array.from({ length: 120 }, (_, i) => ({ partnerId: 'p-1234', name: `Bulk ${i}` })) };

const plain = sandboxPerTest();
const strict = sandboxPerTest({ profile: 'strict' });

function probeOf(sandbox: RunningSandbox): ReadProbe {
  return createReadProbe({ authUrl: sandbox.authUrl, adminUrl: sandbox.adminUrl, billingUrl: sandbox.billingUrl, credentials: { username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password }, requestsPerSecond: 10_000, retry: { baseDelayMs: 5, maxDelayMs: 50 } });
}

const refutedIds = (r: DoctorReport): string[] => r.checks.filter((c) => c.verdict === 'refuted').map((c) => c.id).sort();

describe('doctor against the sandbox', () => {
  it('confirms every assumption of the default sandbox, covers every route of the route table, and exits 0', async () => {
    const { sandbox, cli } = await plain();
    sandbox.seed(BULK);
    const run = await cli('doctor', '--format', 'json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out) as DoctorReport;
    expect(refutedIds(report)).toEqual([]);
    // One row per route of the table (the login is judged by the claims row).
    for (const name of Object.keys(routes)) {
      if (name === 'token') expect(report.checks.find((c) => c.id === 'token.claims')?.verdict).toBe('confirmed');
      else expect(report.checks.map((c) => c.id)).toContain(`route.${name}`);
    }
    for (const id of ['page-size', 'count', 'expand-tags', 'billing', 'filter.userByEmail@listUsers', 'filter.accountsOfPartner@listAccounts', 'filter.byAccount@listSubscriptions', 'filter.ordersExpiringBefore@listOrders', 'token.lifetime', 'clock-skew', 'correlation-id']) {
      expect([id, report.checks.find((c) => c.id === id)?.verdict]).toEqual([id, 'confirmed']);
    }
    // Evidence carries the status and correlation id of the answer it rests on.
    const users = report.checks.find((c) => c.id === 'route.listUsers');
    expect(users).toMatchObject({ status: 200, correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(report.checks.find((c) => c.id === 'route.createLicense')).toMatchObject({ verdict: 'unknown', evidence: expect.stringContaining('never writes') });
  });

  it('reports each difference of the strict profile as refuted and exits 2', async () => {
    const { sandbox, cli } = await strict();
    sandbox.seed(BULK);
    const run = await cli('doctor', '--format', 'json');
    expect(run.code).toBe(2);
    const report = JSON.parse(run.out) as DoctorReport;
    expect(refutedIds(report)).toEqual(['billing', 'count', 'filter.userByEmail@listUsers', 'page-size', 'route.listSubscriptions']);
    expect(report.checks.find((c) => c.id === 'page-size')?.evidence).toContain('served 50 rows');
    expect(report.checks.find((c) => c.id === 'count')?.evidence).toContain('GET /accounts/{accountId}/users');
    expect(report.checks.find((c) => c.id === 'filter.userByEmail@listUsers')).toMatchObject({ status: 400, correlationId: expect.any(String) });
    expect(report.checks.find((c) => c.id === 'route.listSubscriptions')).toMatchObject({ status: 404 });
  });

  it('only reads: every request it sends is a GET, or the login', async () => {
    const { sandbox, cli } = await plain();
    sandbox.resetRequestCounts();
    const before = JSON.stringify(sandbox.state());
    expect((await cli('doctor')).code).toBe(0);
    const sent = Object.keys(sandbox.requestCounts());
    expect(sent.length).toBeGreaterThan(10);
    for (const key of sent) expect(key.startsWith('GET ') || key === 'POST /auth/2017-09-01/token').toBe(true);
    expect(JSON.stringify(sandbox.state())).toBe(before);
  });

  it('prints a text table and a Markdown report without the password or the token', async () => {
    const { cli } = await plain();
    const text = await cli('doctor');
    expect(text.out).toMatch(/^assumption +result +evidence$/m);
    expect(text.out).toMatch(/Nothing refuted\.\n$/);
    const md = await cli('doctor', '--format', 'markdown');
    expect(md.out).toContain('| assumption | basis | result | evidence | status | correlation id |');
    expect(md.out).toMatch(/\| `+ ?GET \/accounts\/\{accountId\}\/users \(admin\) answers ?`+ \| P \| \*\*confirmed\*\* \|/);
    for (const out of [text.out, md.out]) {
      expect(out).not.toContain(DEMO_CREDENTIALS.password);
      expect(out).not.toMatch(/sipPassword|bearer |access_token|refresh_token/i);
    }
  });

  it('reads the Retry-After of the 429s it meets', async () => {
    const { sandbox } = await plain();
    sandbox.setFaults({ rateLimitPerSec: 50, burst: 12 });
    const probe = probeOf(sandbox);
    try {
      const report = await runDoctor(probe);
      expect(report.checks.find((c) => c.id === 'retry-after')).toMatchObject({ verdict: 'confirmed', evidence: expect.stringContaining('seconds') });
    } finally {
      await probe.close();
    }
  });

  it('refutes the clock when this machine is two minutes off the Date header', async () => {
    const { sandbox } = await plain();
    const probe = probeOf(sandbox);
    try {
      const report = await runDoctor(probe, { now: () => new Date(Date.now() + 120_000) });
      expect(report.checks.find((c) => c.id === 'clock-skew')).toMatchObject({ verdict: 'refuted', evidence: expect.stringMatching(/largest difference 1[12]\d\.\d s \(this machine ahead\)/) });
    } finally {
      await probe.close();
    }
  });
});

describe('doctor outside the happy path', () => {
  it('refutes a token lifetime too short to refresh ahead of expiry', async () => {
    const { sandbox } = await plain();
    sandbox.setFaults({ tokenTtlSec: 120 });
    const probe = probeOf(sandbox);
    try {
      const report = await runDoctor(probe);
      expect(report.checks.find((c) => c.id === 'token.lifetime')).toMatchObject({ verdict: 'refuted', evidence: expect.stringContaining('lifetime 120 s') });
    } finally {
      await probe.close();
    }
  });

  it('says which variable to set when there are no credentials (exit 1), and refuses an unknown format', async () => {
    const { cli } = await plain();
    const { runCli } = await import('../../provider/cli/run.js');
    const { captureIo } = await import('../helpers/io.js');
    const io = captureIo({ env: {} });
    expect(await runCli(['doctor'], io)).toBe(1);
    expect(io.err()).toContain('set CLOUDLINK_USERNAME and CLOUDLINK_PASSWORD');
    const bad = await cli('doctor', '--format', 'html');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('use text, markdown or json');
  });
});

describe('doctor checks and report (small fakes)', () => {
  it('reads a Retry-After in seconds or as an HTTP date, and nothing else', () => {
    expect(retryAfterForm('3')).toBe('seconds');
    expect(retryAfterForm('Wed, 21 Oct 2026 07:28:00 GMT')).toBe('date');
    expect(retryAfterForm('soon')).toBeUndefined();
    expect(retryAfterForm('')).toBeUndefined();
  });

  /** A probe whose every answer is `answer` and which met these 429s. */
  const fake = (answer: Partial<ProbeAnswer>, retryAfter: string[] = []): ReadProbe => ({
    read: (route) => Promise.resolve({ route, status: 200, ...answer }),
    retryAfterSeen: () => retryAfter,
    close: () => Promise.resolve(),
  });

  it('refutes a 429 without a readable Retry-After, and keeps hostile correlation ids inside their Markdown cell and off the terminal', async () => {
    const hostile = "x` | **injected** |\n<!-- ``` \u001b[2J @team";
    const report = await runDoctor(fake({ correlationId: hostile }, ['soon']));
    expect(report.checks.find((c) => c.id === 'retry-after')?.verdict).toBe('refuted');
    const md = renderDoctorMarkdown(report);
    for (const line of md.split('\n').filter((l) => l.startsWith('| `'))) {
      // Six cells: seven unescaped pipes per row, however the value tries.
      expect(line.replace(/\\\|/g, '').split('|').length - 1).toBe(7);
    }
    expect(md).not.toContain('\u001b');
    expect(md).not.toMatch(/^<!--/m);
    const text = renderDoctorText(report);
    expect(text).not.toContain('\u001b');
    expect(text).toContain('\\u{1b}');
  });
});
