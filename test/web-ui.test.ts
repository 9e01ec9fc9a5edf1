// The web UI end to end: real Chromium (playwright-core, Debian's /usr/bin/chromium) against the
// real `gatelog serve` holding a demo tenant. Every list the page shows is compared with what the
// API answers for the same filter, written here independently of the page's own filter builder.
// One browser for the whole file; screenshots of the list and of each details tab are saved in
// test-results/screenshots/.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERRUPTED_ERROR_CODES } from '../src/export/portal-csv.js';
import { INTERRUPTED_CODES } from '../web/src/sign-ins/view-state.js';
import { hasChromium, launchBrowser, newContext, saveScreenshot, signIn } from './helpers/browser.js';
import { runCli } from './helpers/cli.js';
import { startServe, type RunningServer } from './helpers/server.js';

const run = hasChromium();
const ZONE = 'Asia/Kolkata';
const OFFSET_MINUTES = 330;

// The browser's globals, as the page functions below use them (they run in Chromium, not in Node;
// the page's Content-Security-Policy forbids evaluating them from text).
declare const document: { querySelector(selector: string): { textContent: string | null; parentElement: unknown } | null };
declare const location: { search: string; pathname: string };
declare function requestAnimationFrame(callback: () => void): number;
declare function getComputedStyle(element: unknown): { backgroundColor: string };

/** The list has its first page. */
const NOT_LOADING = () => !/Loading/.test(document.querySelector('[data-testid=list-status]')?.textContent ?? 'Loading');

type Rec = Record<string, unknown>;
interface ListAnswer {
  value: Rec[];
  skiptoken: string | null;
  count?: number;
}

describe.skipIf(!run)('web UI in Chromium', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  // A demo tenant with a fixed end, and every view below on one custom range (its whole window):
  // the same rows on every run.
  const END = '2026-11-01T00:00:00Z';
  const FROM = new Date(Date.parse(END) - 8 * 86_400_000).toISOString();
  const RANGE = `createdDateTime ge ${FROM}`;
  const RANGE_QUERY = `range=custom&from=${encodeURIComponent(FROM)}`;

  async function api<T>(path: string, query: Record<string, string> = {}): Promise<T> {
    const qs = new URLSearchParams(query).toString();
    const r = await fetch(`${server.url}${path}${qs ? `?${qs}` : ''}`, { headers: { authorization: `Bearer ${server.token}` } });
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  }

  /** Every id the API lists for a filter and event type, newest first. */
  async function apiIds(filter: string, eventType: string): Promise<string[]> {
    const ids: string[] = [];
    let skiptoken: string | null = null;
    do {
      const a: ListAnswer = await api<ListAnswer>('/api/signins', { filter, eventTypes: eventType, top: '1000', ...(skiptoken ? { skiptoken } : {}) });
      ids.push(...a.value.map((r) => String(r['id'])));
      skiptoken = a.skiptoken;
    } while (skiptoken);
    return ids;
  }

  async function apiCount(filter: string, eventType: string): Promise<number> {
    return (await api<ListAnswer>('/api/signins', { filter, eventTypes: eventType, top: '1', count: 'true' })).count ?? -1;
  }

  async function frames(p: Page): Promise<void> {
    await p.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  }

  /** Waits until the list has settled (first page in, count known), then the count it shows. */
  async function shownCount(p: Page): Promise<number> {
    await p.waitForFunction(() => /^[\d,]+ sign-ins match$/.test(document.querySelector('[data-testid=count]')?.textContent ?? ''));
    await p.waitForFunction(NOT_LOADING);
    const text = (await p.textContent('[data-testid=count]')) ?? '';
    return Number(text.replace(/[^\d]/g, ''));
  }

  /** Every id the list shows, scrolling it to its end (the rows render only in view). */
  async function listedIds(p: Page, max = 3000): Promise<string[]> {
    await shownCount(p);
    const byIndex = new Map<number, string>();
    for (let i = 0; i < 2000; i++) {
      const rows = await p.$$eval('[role=row][data-id]', (els) => els.map((e) => [Number(e.getAttribute('aria-rowindex')), e.getAttribute('data-id') ?? ''] as const));
      for (const [idx, id] of rows) byIndex.set(idx, id);
      const state = await p.$eval('[data-testid=list-scroller]', (el) => {
        const status = el.ownerDocument.querySelector('[data-testid=list-status]')?.textContent ?? '';
        const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
        el.scrollTop += Math.floor(el.clientHeight * 0.8);
        return { atEnd, done: /^[\d,]+ sign-ins$/.test(status) };
      });
      if ((state.atEnd && state.done) || byIndex.size >= max) break;
      await frames(p);
      if (state.atEnd) await p.waitForFunction(NOT_LOADING);
    }
    await p.$eval('[data-testid=list-scroller]', (el) => (el.scrollTop = 0));
    return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, id]) => id);
  }

  async function open(p: Page, query: string): Promise<void> {
    await p.goto(`${server.url}/${query}`);
    await shownCount(p);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatelog-web-'));
    const demo = await runCli(['demo', '--sign-ins', '6000', '--days', '7', '--seed', '7', '--end', END, '--data', dir]);
    if (demo.code !== 0) throw new Error(`gatelog demo failed: ${demo.stderr}`);
    server = await startServe(dir, [], { GATELOG_RATE_LIMIT: '1000' });
    browser = await launchBrowser();
    context = await newContext(browser, { timezoneId: ZONE });
    page = await context.newPage();
    await signIn(page, server.url, server.token);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists rows in each of the four tabs, newest first, as the API does', async () => {
    const tabs = [
      ['interactive', 'interactiveUser', 'User sign-ins (interactive)'],
      ['noninteractive', 'nonInteractiveUser', 'User sign-ins (non-interactive)'],
      ['serviceprincipal', 'servicePrincipal', 'Service principal sign-ins'],
      ['managedidentity', 'managedIdentity', 'Managed identity sign-ins'],
    ] as const;
    await open(page, `?${RANGE_QUERY}`);
    for (const [key, eventType, label] of tabs) {
      await page.getByRole('tab', { name: label }).click();
      await page.waitForFunction((k) => (k === 'interactive' ? !location.search.includes('tab=') : location.search.includes(`tab=${k}`)), key);
      const count = await shownCount(page);
      expect(count, label).toBe(await apiCount(RANGE, eventType));
      expect(count, label).toBeGreaterThan(0);
      const shown = await page.$$eval('[role=row][data-id]', (els) => els.map((e) => e.getAttribute('data-id')));
      const expected = (await apiIds(RANGE, eventType)).slice(0, shown.length);
      expect(shown, label).toEqual(expected);
      expect(await page.getByRole('grid', { name: label }).count()).toBe(1);
      await saveScreenshot(page, `list-${key}`);
    }
  });

  it('keeps the portal\'s Interrupted codes in step with the CSV download', () => {
    expect([...INTERRUPTED_CODES].sort()).toEqual([...INTERRUPTED_ERROR_CODES].sort());
  });

  it('filters by user and failure status through "Add filters" exactly as the API does, and a copied link reproduces the view', async () => {
    await open(page, `?${RANGE_QUERY}`);
    const FAILED = `status/errorCode ne 0 and not (status/errorCode in (${INTERRUPTED_ERROR_CODES.join(', ')}))`;
    const first = (await api<ListAnswer>('/api/signins', { filter: `${RANGE} and ${FAILED}`, eventTypes: 'interactiveUser', top: '1' })).value[0] as Rec;
    const upn = String(first['userPrincipalName']);
    const prefix = upn.slice(0, upn.indexOf('@'));

    await page.getByRole('button', { name: 'Add filters' }).click();
    await page.getByRole('menuitem', { name: 'User', exact: true }).click();
    await page.locator('input[name=user]').fill(prefix);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() => location.search.includes('user='));
    const q = prefix.replace(/'/g, "''");
    const byUser = `${RANGE} and (startsWith(userDisplayName, '${q}') or startsWith(userPrincipalName, '${q}'))`;
    expect(await listedIds(page)).toEqual(await apiIds(byUser, 'interactiveUser'));

    await page.getByRole('button', { name: 'Add filters' }).click();
    await page.getByRole('menuitem', { name: 'Status', exact: true }).click();
    await page.locator('select[name=status]').selectOption('failure');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() => location.search.includes('status=failure'));
    const failed = `${byUser} and ${FAILED}`;
    const ids = await listedIds(page);
    const expected = await apiIds(failed, 'interactiveUser');
    expect(expected.length).toBeGreaterThan(0);
    expect(ids).toEqual(expected);
    const statuses = await page.$$eval('[role=row][data-id] [data-col=status]', (els) => els.map((e) => e.textContent));
    expect(new Set(statuses)).toEqual(new Set(['Failure']));
    await saveScreenshot(page, 'list-filtered');

    // The address alone reproduces the view in a fresh page.
    const link = page.url();
    const fresh = await context.newPage();
    await fresh.goto(link);
    expect(await listedIds(fresh)).toEqual(expected);
    expect(await fresh.locator('[data-filter=user]').textContent()).toContain(prefix);
    await fresh.close();
  });

  it('filters by Conditional Access status and by one policy\'s report-only result', async () => {
    await open(page, `?${RANGE_QUERY}&ca=failure`);
    const caIds = await listedIds(page);
    const caExpected = await apiIds(`${RANGE} and conditionalAccessStatus eq 'failure'`, 'interactiveUser');
    // More rows than one screen: the list had to scroll (and render rows it had not rendered) to show them all.
    expect(caExpected.length).toBeGreaterThan(20);
    expect(caIds).toEqual(caExpected);

    const sample = (await api<{ value: Rec[] }>('/beta/auditLogs/signIns', { $filter: "appliedConditionalAccessPolicies/any(p: p/result eq 'reportOnlyFailure')", $top: '1' })).value[0] as Rec;
    const policy = ((sample['appliedConditionalAccessPolicies'] as Rec[]).find((p) => p['result'] === 'reportOnlyFailure') as Rec)['displayName'] as string;
    await open(page, `?${RANGE_QUERY}`);
    await page.getByRole('button', { name: 'Add filters' }).click();
    await page.getByRole('menuitem', { name: 'Report-only result (per policy)' }).click();
    await page.locator('select[name=roResult]').selectOption('reportOnlyFailure');
    await page.locator('input[name=roPolicy]').fill(policy);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() => location.search.includes('roResult=reportOnlyFailure'));
    const roExpected = await apiIds(`${RANGE} and appliedConditionalAccessPolicies/any(p: p/displayName eq '${policy.replace(/'/g, "''")}' and p/result eq 'reportOnlyFailure')`, 'interactiveUser');
    expect(roExpected.length).toBeGreaterThan(0);
    expect(await listedIds(page)).toEqual(roExpected);
  });

  it('opens a row\'s details with every tab filled, by mouse and by keyboard', async () => {
    // A sign-in with authentication steps, enforced and report-only policies.
    const withAll = `${RANGE} and authenticationDetails/any() and appliedConditionalAccessPolicies/any(p: p/result eq 'success') and appliedConditionalAccessPolicies/any(p: startsWith(p/result, 'reportOnly'))`;
    const rec = (await api<{ value: Rec[] }>('/beta/auditLogs/signIns', { $filter: withAll, $top: '1' })).value[0] as Rec;
    const id = String(rec['id']);
    await open(page, `?${RANGE_QUERY}&requestId=${id}`);
    expect(await listedIds(page)).toEqual([id]);
    await page.locator(`[role=row][data-id="${id}"]`).click();
    await page.waitForFunction(() => location.search.includes('id='));
    const panel = page.getByRole('tabpanel');
    await panel.getByText(id, { exact: true }).waitFor();
    const details = page.getByRole('tablist', { name: 'Details' });

    const policies = rec['appliedConditionalAccessPolicies'] as Rec[];
    const enforced = policies.find((p) => !String(p['result']).startsWith('reportOnly')) as Rec;
    const reportOnly = policies.find((p) => String(p['result']).startsWith('reportOnly')) as Rec;
    const steps = rec['authenticationDetails'] as Rec[];
    const expectations: Record<string, readonly string[]> = {
      'Basic info': [id, String(rec['correlationId']), String(rec['uniqueTokenIdentifier']), String(rec['userPrincipalName']), String(rec['appDisplayName'])],
      Location: [String(rec['ipAddress']), String((rec['location'] as Rec)['city'])],
      'Device info': [String((rec['deviceDetail'] as Rec)['operatingSystem'])],
      'Authentication details': [String(steps[0]?.['authenticationMethod'])],
      'Conditional Access': [String(enforced['displayName'])],
      'Report-only': [String(reportOnly['displayName'])],
      'Additional details': [`"id": "${id}"`],
    };
    for (const [tab, texts] of Object.entries(expectations)) {
      await details.getByRole('tab', { name: tab }).click();
      await expect.poll(async () => (await panel.getAttribute('aria-label')) ?? '').toBe(tab);
      const content = (await panel.textContent()) ?? '';
      for (const t of texts) expect(content, `${tab} shows ${t}`).toContain(t);
      await saveScreenshot(page, `details-${tab.toLowerCase().replace(/\s+/g, '-')}`);
    }
    // The Troubleshoot action goes to the diagnose page with the sign-in's id.
    await details.getByRole('tab', { name: 'Basic info' }).click();
    await page.getByRole('button', { name: 'Troubleshoot' }).click();
    await page.waitForFunction(() => location.pathname === '/ui/diagnose');
    expect(new URL(page.url()).searchParams.get('id')).toBe(id);

    // Keyboard: the grid's rows take arrow keys, Enter opens the focused row.
    await open(page, `?${RANGE_QUERY}`);
    const ids = await page.$$eval('[role=row][data-id]', (els) => els.map((e) => e.getAttribute('data-id')));
    await page.locator('[role=row][data-id]').first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.search.includes('id='));
    expect(new URL(page.url()).searchParams.get('id')).toBe(ids[2]);
  });

  it('sorts by date and shows the columns chosen, kept in the address', async () => {
    await open(page, `?${RANGE_QUERY}`);
    await page.getByRole('columnheader', { name: /Date/ }).getByRole('button').click();
    await page.waitForFunction(() => location.search.includes('order=asc'));
    await shownCount(page);
    expect(await page.getByRole('columnheader', { name: /Date/ }).getAttribute('aria-sort')).toBe('ascending');
    const oldest = (await api<ListAnswer>('/api/signins', { filter: RANGE, eventTypes: 'interactiveUser', orderby: 'createdDateTime asc', top: '5' })).value.map((r) => r['id']);
    expect(await page.$$eval('[role=row][data-id]', (els) => els.slice(0, 5).map((e) => e.getAttribute('data-id')))).toEqual(oldest);

    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('checkbox', { name: 'Correlation ID' }).check();
    await page.waitForFunction(() => location.search.includes('cols='));
    await page.keyboard.press('Escape');
    const first = (await api<ListAnswer>('/api/signins', { filter: RANGE, eventTypes: 'interactiveUser', orderby: 'createdDateTime asc', top: '1' })).value[0] as Rec;
    expect(await page.locator('[role=row][data-id] [data-col=correlationId]').first().textContent()).toBe(first['correlationId']);
    expect(await page.getByRole('columnheader').allTextContents()).toContain('Correlation ID');
  });

  it('shows times in the viewer\'s zone, or in UTC with the switch, naming the zone in use', async () => {
    await open(page, `?${RANGE_QUERY}`);
    const newest = (await api<ListAnswer>('/api/signins', { filter: RANGE, eventTypes: 'interactiveUser', top: '1' })).value[0] as Rec;
    const at = new Date(String(newest['createdDateTime']));
    const fmt = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');
    const dateCell = () => page.locator('[role=row][data-id] [data-col=date]').first().textContent();
    expect(await dateCell()).toBe(fmt(new Date(at.getTime() + OFFSET_MINUTES * 60_000)));
    expect(await page.textContent('[data-testid=zone]')).toContain('UTC+05:30');
    await page.getByRole('switch', { name: 'UTC' }).click();
    await page.waitForFunction(() => location.search.includes('utc=1'));
    expect(await dateCell()).toBe(fmt(at));
    expect(await page.textContent('[data-testid=zone]')).toBe('Times in UTC');
  });

  it('downloads the current view as JSON and CSV with exactly the API\'s rows, in UTC', async () => {
    await open(page, `?${RANGE_QUERY}&ca=failure`);
    const expected = await apiIds(`${RANGE} and conditionalAccessStatus eq 'failure'`, 'interactiveUser');
    const fetchDownload = async (label: string): Promise<string> => {
      await page.getByRole('button', { name: 'Download' }).click();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: label }).click()]);
      return readFileSync(await download.path(), 'utf8');
    };
    const json = JSON.parse(await fetchDownload('Download JSON')) as Rec[];
    expect(json.map((r) => r['id'])).toEqual(expected);
    expect(json.every((r) => String(r['createdDateTime']).endsWith('Z'))).toBe(true);
    const csv = await fetchDownload('Download CSV');
    const lines = csv.trim().split(/\r\n/);
    expect(lines.length - 1).toBe(expected.length);
    for (const id of expected.slice(0, 20)) expect(csv).toContain(id);
  });

  it('shows a correlation\'s sign-ins and raw events on a timeline', async () => {
    const rec = (await api<ListAnswer>('/api/signins', { filter: RANGE, eventTypes: 'interactiveUser', top: '1' })).value[0] as Rec;
    const corr = String(rec['correlationId']);
    const view = await api<{ signIns: Rec[]; events: Rec[] }>(`/api/correlations/${corr}`);
    await page.goto(`${server.url}/ui/correlations/${corr}`);
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.waitFor();
    expect(await timeline.locator('li[data-kind="sign-in"]').count()).toBe(view.signIns.length);
    expect(await timeline.locator('li[data-kind="raw event"]').count()).toBe(view.events.length);
    await saveScreenshot(page, 'correlation-timeline');
  });

  it('switches to the dark theme', async () => {
    await open(page, `?${RANGE_QUERY}`);
    const background = () => page.evaluate(() => getComputedStyle(document.querySelector('main')?.parentElement).backgroundColor);
    const light = await background();
    await page.getByRole('switch', { name: 'Dark theme' }).click();
    await expect.poll(background).not.toBe(light);
    await saveScreenshot(page, 'list-dark');
    await page.getByRole('switch', { name: 'Dark theme' }).click();
  });
});
