// The reports pages in real Chromium (playwright-core, Debian's /usr/bin/chromium) against the real
// `gatelog serve` holding a demo tenant: each page draws its charts, and what each chart plots and
// each table shows are the numbers the API answers for the same report. The non-interactive
// aggregate component is checked the same way. Screenshots go to test-results/screenshots/.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartPoints, type Report } from '../web/src/reports/report-types.js';
import { hasChromium, launchBrowser, newContext, saveScreenshot, signIn } from './helpers/browser.js';
import { runCli } from './helpers/cli.js';
import { startServe, type RunningServer } from './helpers/server.js';

const run = hasChromium();

// The browser's globals, as the page functions below use them (they run in Chromium).
declare const document: {
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
  querySelectorAll(selector: string): ArrayLike<{ getAttribute(name: string): string | null; querySelectorAll(s: string): ArrayLike<unknown>; textContent: string | null }>;
};

describe.skipIf(!run)('reports pages in Chromium', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  async function api<T>(path: string): Promise<T> {
    const r = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${server.token}` } });
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatelog-reports-web-'));
    const demo = await runCli(['demo', '--sign-ins', '3000', '--days', '5', '--seed', '4', '--end', '2026-11-01T00:00:00Z', '--data', dir]);
    if (demo.code !== 0) throw new Error(`gatelog demo failed: ${demo.stderr}`);
    server = await startServe(dir, [], { GATELOG_RATE_LIMIT: '1000' });
    browser = await launchBrowser();
    const context = await newContext(browser, { timezoneId: 'UTC' });
    page = await context.newPage();
    await signIn(page, server.url, server.token);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const name of ['overview', 'auth-methods', 'conditional-access', 'cross-tenant']) {
    it(`${name}: every section's chart plots the API's numbers, and its table shows them`, async () => {
      const expected = await api<Report>(`/api/reports/${name}`);
      await page.goto(`${server.url}/ui/reports/${name}`);
      await page.waitForSelector(`[data-report="${name}"][data-loaded="true"]`, { timeout: 60_000 });
      const shown = await page.evaluate(() =>
        Array.from(document.querySelectorAll('[data-section]')).map((s) => ({
          id: s.getAttribute('data-section'),
          kind: s.getAttribute('data-chart-kind'),
          points: JSON.parse(s.getAttribute('data-chart-points') ?? '[]') as [string, string, number][],
          // What the chart drew: SVG shapes (bars, points) inside its box.
          shapes: s.querySelectorAll('.report-chart svg rect, .report-chart svg path, .report-chart svg circle.map-point').length,
          mapPoints: s.querySelectorAll('circle.map-point').length,
          firstRow: Array.from(s.querySelectorAll('tbody tr:first-child td') as ArrayLike<{ getAttribute(n: string): string | null; textContent: string | null }>).map((td) => [td.getAttribute('data-column'), td.textContent ?? '']),
          rows: s.querySelectorAll('tbody tr').length,
        })),
      );
      expect(shown.map((s) => s.id)).toEqual(expected.sections.map((s) => s.id));
      expect(await page.getAttribute('[data-sign-ins]', 'data-sign-ins')).toBe(String(expected.signIns));
      for (const [i, s] of expected.sections.entries()) {
        const got = shown[i]!;
        const points = chartPoints(s);
        // The points the page plots are the API's numbers, point for point.
        expect(got.points, `${name}/${s.id}`).toEqual(points);
        if (points.some((p) => p[2] > 0) && (s.chart.kind === 'timeBars' || s.chart.kind === 'bars')) expect(got.shapes, `${name}/${s.id} draws bars`).toBeGreaterThan(0);
        if (s.chart.kind === 'map') expect(got.mapPoints).toBe(points.length);
        if (s.chart.kind !== 'figures') {
          expect(got.rows).toBe(s.rows.length);
          // The table's first row holds the API's first row (numbers as the page writes them).
          const first = s.rows[0];
          if (first) {
            for (const [col, text] of got.firstRow) {
              const v = first[col ?? ''];
              if (typeof v === 'number' && s.columns.find((c) => c.name === col)?.format === undefined) expect(String(text).replace(/,/g, ''), `${s.id}.${col}`).toBe(String(Math.round(v * 1e4) / 1e4));
              else if (typeof v === 'string' && s.columns.find((c) => c.name === col)?.format === 'text') expect(text).toBe(v);
            }
          }
        }
      }
      // Each number's definition is on the page.
      const anyDefinition = expected.sections.flatMap((s) => s.columns).find((c) => c.definition);
      if (anyDefinition?.definition) expect(await page.textContent('body')).toContain(anyDefinition.definition);
      await saveScreenshot(page, `report-${name}`);
    }, 120_000);
  }

  it('the non-interactive aggregate view shows the groups the API answers for the list\'s filter', async () => {
    const answered = page.waitForResponse((r) => r.url().includes('/api/signins/aggregate'));
    await page.goto(`${server.url}/ui/sign-ins?tab=noninteractive&aggregate=1&window=6h&range=custom&from=${encodeURIComponent('2026-10-01T00:00:00Z')}`);
    const response = await answered;
    const asked = new URL(response.url());
    expect(asked.searchParams.get('window')).toBe('6h');
    // The same question, asked of the API by the test.
    const expected = await api<{ rows: Record<string, unknown>[]; signIns: number }>(`${asked.pathname}${asked.search}`);
    expect(expected.signIns).toBeGreaterThan(0);
    await page.waitForSelector('[data-aggregate-window="6h"]');
    expect(await page.getAttribute('[data-aggregate-window]', 'data-sign-ins')).toBe(String(expected.signIns));
    const counts = await page.evaluate(() => Array.from(document.querySelectorAll('[data-aggregate-window] tbody tr td[data-column=signIns]')).map((td) => Number(td.textContent)));
    expect(counts).toEqual(expected.rows.map((r) => r['signIns']));
    await saveScreenshot(page, 'report-non-interactive-aggregate');
  }, 60_000);

  it('switches reports with the tabs and keeps the time range in the address', async () => {
    await page.goto(`${server.url}/ui/reports/overview?since=${encodeURIComponent('2026-10-30')}`);
    await page.waitForSelector('[data-report="overview"][data-loaded="true"]');
    const expected = await api<Report>(`/api/reports/overview?since=2026-10-30`);
    expect(await page.getAttribute('[data-sign-ins]', 'data-sign-ins')).toBe(String(expected.signIns));
    await page.getByRole('tab', { name: 'Cross-tenant access' }).click();
    await page.waitForSelector('[data-report="cross-tenant"][data-loaded="true"]');
    expect(new URL(page.url()).pathname).toBe('/ui/reports/cross-tenant');
    expect(new URL(page.url()).searchParams.get('since')).toBe('2026-10-30');
    const ct = await api<Report>(`/api/reports/cross-tenant?since=2026-10-30`);
    expect(await page.getAttribute('[data-sign-ins]', 'data-sign-ins')).toBe(String(ct.signIns));
  }, 60_000);
});
