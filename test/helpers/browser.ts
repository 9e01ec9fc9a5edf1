// Real Chromium for the web UI's end-to-end tests: Debian's /usr/bin/chromium driven by playwright-core
// (never a downloaded browser). When Chromium is missing the suite skips, except with CI=true, where
// it must fail. Screenshots go to test-results/screenshots/ (gitignored).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { ROOT } from './cli.js';

export const CHROMIUM_PATH = process.env['GATELOG_CHROMIUM'] ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'screenshots');

/** True when the browser can run; with CI=true a missing browser throws instead of answering false. */
export function hasChromium(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env['CI'] === 'true') throw new Error(`Chromium is missing at ${CHROMIUM_PATH} (CI=true: browser suites must run)`);
  return false;
}

/** Launches headless Chromium the way every browser test does. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium is missing at ${CHROMIUM_PATH}`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

/** A context that accepts the test certificate; pass timezoneId, viewport, colorScheme as needed. */
export function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 }, acceptDownloads: true, ...options });
}

/** Saves a full-page screenshot as test-results/screenshots/NAME.png and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^a-zA-Z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Signs a page's browser context in to a running `gatelog serve` the way a person does: by opening
 * the address `serve` prints (`/?token=TOKEN`), which sets the session cookie and redirects to `/`.
 */
export async function signIn(page: Page, baseUrl: string, token: string): Promise<void> {
  const r = await page.goto(`${baseUrl}/?token=${encodeURIComponent(token)}`);
  if (!r || r.status() >= 400) throw new Error(`web sign-in failed: ${r ? r.status() : 'no answer'}`);
}
