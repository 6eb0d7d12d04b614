import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildDriftReport } from '../../provider/engine/drift/report.js';
import { renderDriftHtml } from '../../provider/report/drift-html.js';
import { desiredAccount, desiredUser, integration, liveAccount, liveUser, NOW, order, snapshot, tenancy } from '../helpers/build.js';

/** Debian's Chromium (installed by .ci/run), or CHROMIUM_PATH. */
const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
const CHROMIUM = CANDIDATES.find((p) => existsSync(p));
/** CI never skips the browser check: without Chromium the run fails and says how to install it. */
const IN_CI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const INSTALL = 'sudo apt-get install -y chromium (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium binary';

if (!CHROMIUM && IN_CI) {
  describe('HTML drift report in a real browser', () => {
    it('needs Chromium: CI is set, so the browser check may not be skipped', () => {
      throw new Error(`Chromium not found (looked at ${CANDIDATES.join(', ')}); CI is set, so the browser check may not be skipped. Install it: ${INSTALL}`);
    });
  });
} else if (!CHROMIUM) {
  console.warn(`test/browser: skipped: Chromium not found (looked at ${CANDIDATES.join(', ')}); install it with: ${INSTALL}. With CI set, this fails instead.`);
}

describe.skipIf(!CHROMIUM)(`HTML drift report in a real browser${CHROMIUM ? '' : ` (skipped: Chromium not found; ${INSTALL})`}`, () => {
  it('shows the right numbers with no network access, and is screenshotted', async () => {
    const users = ['ann.a', 'ben.b', 'cat.c'].map((n) => desiredUser(`${n}@x.example`, { miteam: true }));
    const a = desiredAccount('alpha', { name: 'Alpha <script>alert(1)</script>', users: { policy: 'additive', items: users } });
    const b = desiredAccount('beta', { users: { policy: 'additive', items: users.slice(0, 1) } });
    const live = snapshot(
      [
        { account: liveAccount(a, 'A'), integrations: [integration()], users: users.map((u) => liveUser('A', u)) },
        { account: liveAccount(b, 'B'), integrations: [integration()], users: [liveUser('B', users[0] ?? desiredUser('z@x.example')), liveUser('B', desiredUser('extra.e@x.example'), { miteam: true })] },
      ],
      [order('TN-A', 2, { assignedAccountId: 'A' }), order('TN-B', 10, { assignedAccountId: 'B', expiresOn: '2026-12-05T00:00:00.000Z' })],
    );
    const html = renderDriftHtml(buildDriftReport(tenancy(a, b), live, { now: NOW }));
    const dir = path.resolve('test/artifacts');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'drift-report.html');
    await writeFile(file, html);

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(pathToFileURL(file).href);
      const card = (id: string) => page.locator(`[data-testid="${id}"]`).innerText();
      expect(await card('accounts')).toBe('2');
      expect(await card('drifted')).toBe('2');
      expect(await card('licenses-enabled')).toBe('5');
      expect(await card('licenses-assigned')).toBe('12');
      expect(await card('over-quota')).toBe('1');
      expect(await card('expiring')).toBe('1');
      const alphaRow = page.locator('tr[data-account="alpha"] td.n');
      expect(await alphaRow.allInnerTexts()).toEqual(['0', '1', '3', '2', '0', '1', '0', '0']);
      expect(await page.locator('svg rect.used').count()).toBe(2);
      expect(await page.locator('svg rect.over').count()).toBe(1);
      expect(await page.locator('tr[data-account="alpha"] small').innerText()).toBe('Alpha <script>alert(1)</script>');
      expect(dialogs).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
      await page.screenshot({ path: path.join(dir, 'drift-report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
