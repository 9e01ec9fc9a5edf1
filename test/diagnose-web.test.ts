// The Diagnose page in real Chromium against the real `gatelog serve`: the address the details
// pane's "Troubleshoot" button opens (/ui/diagnose?id=ID) runs the diagnosis at once and shows its
// findings with their evidence; the token form finds a token's sign-in without putting the token
// in the address. Screenshots in test-results/screenshots/.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, newContext, saveScreenshot, signIn as signInBrowser } from './helpers/browser.js';
import { signIn } from './helpers/records.js';
import { ingest, startServe, type RunningServer } from './helpers/server.js';
import { makeToken } from './diagnose.case.js';

const run = hasChromium();

const blocked = signIn({
  createdDateTime: '2026-05-01T08:00:00Z',
  status: { errorCode: 53003, failureReason: 'Access has been blocked by Conditional Access policies.' },
  conditionalAccessStatus: 'failure',
  appliedConditionalAccessPolicies: [{ id: 'p1', displayName: 'Block unknown countries', result: 'failure', enforcedGrantControls: ['Block'], conditionsSatisfied: 'application,users,location' }],
});
const withToken = signIn({ id: '35918bc9-196d-40ea-9779-889d79b753f0', uniqueTokenIdentifier: 'yYuRNW0Z6kCXeYidebdT8A', createdDateTime: '2026-05-01T09:00:00Z', status: { errorCode: 50126 } });

describe.skipIf(!run)('the Diagnose page in Chromium', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatelog-diagnose-web-'));
    server = await startServe(dir, ['--store', 'duckdb']);
    await ingest(server, [blocked, withToken]);
    browser = await launchBrowser();
    page = await (await newContext(browser, { timezoneId: 'UTC' })).newPage();
    await signInBrowser(page, server.url, server.token);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('/ui/diagnose?id=ID runs the diagnosis at once: the finding, its policy and next steps', async () => {
    await page.goto(`${server.url}/ui/diagnose?id=${String(blocked['id'])}`);
    const finding = page.locator('section[data-scenario="blocked-by-conditional-access"]');
    await finding.waitFor();
    const text = await finding.innerText();
    expect(text).toContain('Blocked by Conditional Access');
    expect(text).toContain("'Block unknown countries'");
    expect(text).toContain('appliedConditionalAccessPolicies/0/enforcedGrantControls');
    expect(text).toContain('Next steps');
    expect(await page.getByText('BlockedByConditionalAccess').first().isVisible()).toBe(true);
    await saveScreenshot(page, 'diagnose-by-id');
  });

  it('the token form finds the sign-in by its uti, says the signature is not checked, and keeps the token out of the address', async () => {
    await page.goto(`${server.url}/ui/diagnose`);
    await page.getByRole('tab', { name: 'Token' }).click();
    await page.getByRole('textbox').fill(makeToken({ uti: 'yYuRNW0Z6kCXeYidebdT8A' }));
    await page.getByRole('button', { name: 'Diagnose' }).click();
    const card = page.locator('section[data-scenario="invalid-username-or-password"]');
    await card.waitFor();
    const body = await page.locator('body').innerText();
    expect(body).toContain('without checking its signature');
    expect(body).toContain('35918bc9-196d-40ea-9779-889d79b753f0');
    expect(body).toContain('uniqueTokenIdentifier, requestId');
    expect(page.url()).not.toContain('eyJ');
    await saveScreenshot(page, 'diagnose-by-token');
  });

  it('an error is shown in words', async () => {
    await page.goto(`${server.url}/ui/diagnose?user=megan@contoso.example`);
    await page.getByText('since: is required with user').waitFor();
  });
});
