// Day rollups (src/store/duckdb/rollups.ts): every report, and the aggregate view, answered from the
// rollups equals the same report read from sign_ins — over whole days, partial days, a range inside
// one day, filters the rollups can and cannot answer — and stays equal after line items are replaced
// (a version that moves to another day or changes its status).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSignIns } from '../src/demo/generate-sign-ins.js';
import { formatDateTime } from '../src/model/time.js';
import { planFilter } from '../src/query/plan.js';
import { TRUE } from '../src/query/sql/expr.js';
import type { AggregateQuery } from '../src/query/sql/aggregate.js';
import { aggregateNonInteractive } from '../src/reports/non-interactive-aggregate.js';
import type { ReportInput } from '../src/reports/report.js';
import { REPORT_NAMES, runReport } from '../src/reports/reports.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { FOLD_AFTER_BATCHES } from '../src/store/duckdb/duckdb-writer.js';
import { rowObjects } from '../src/store/duckdb/read-rows.js';
import { byDay, dayParts, DUCKDB_ROLLUPS, planRollup, rollupTables, SUCCESSORS_TABLE } from '../src/store/duckdb/rollups.js';
import { incoming, signIn } from './helpers/records.js';

const END = new Date('2026-05-07T13:30:00Z');
const DAY = 86_400_000;
const at = (ms: number): string => formatDateTime(BigInt(ms) * 1_000_000n);

const INPUTS: Record<string, ReportInput> = {
  'whole store': {},
  'whole days': { since: at(END.getTime() - 13.5 * 3_600_000 - 3 * DAY), until: at(END.getTime() - 13.5 * 3_600_000) },
  'partial days at both ends': { since: at(END.getTime() - 4.3 * DAY), until: at(END.getTime() - 1.7 * DAY) },
  'inside one day': { since: at(END.getTime() - 2 * DAY), until: at(END.getTime() - 2 * DAY + 5 * 3_600_000) },
  'since only, mid-day': { since: at(END.getTime() - 2.25 * DAY) },
  'until only, mid-day': { until: at(END.getTime() - 3.6 * DAY) },
  'a filter the rollups have': { since: at(END.getTime() - 3.2 * DAY), filter: planFilter("status/errorCode ne 0 and appDisplayName eq 'Microsoft Teams'", 'beta').condition },
  'a filter they do not have': { filter: planFilter("startsWith(ipAddress, '10.')", 'beta').condition },
};

interface Answers {
  results: Record<string, unknown>;
  /** Queries asked, with whether a rollup answers each. */
  planned: { report: string; rollup: string | null }[];
}

async function answers(dir: string, useRollups: boolean): Promise<Answers> {
  const store = await DuckDbStore.open({ dataDir: dir, useRollups });
  const planned: Answers['planned'] = [];
  const results: Record<string, unknown> = {};
  try {
    for (const [label, input] of Object.entries(INPUTS)) {
      for (const name of REPORT_NAMES) {
        const reader = {
          aggregate: (q: AggregateQuery) => {
            planned.push({ report: `${name} (${label})`, rollup: planRollup(q)?.rollup.table ?? null });
            return store.aggregate(q);
          },
        };
        results[`${name} (${label})`] = await runReport(name, reader, input);
      }
      for (const window of ['1h', '24h'] as const) results[`aggregate ${window} (${label})`] = await aggregateNonInteractive(store, { ...input, window, top: 50 });
    }
  } finally {
    await store.close();
  }
  return { results, planned };
}

async function rollupTotals(dir: string): Promise<{ table: string; rows: number; counted: number; expected: number }[]> {
  const store = await DuckDbStore.open({ dataDir: dir });
  try {
    const con = (store as unknown as { con: { runAndReadAll(sql: string): Promise<never> } }).con;
    const one = async (sql: string): Promise<number> => Number(rowObjects(await con.runAndReadAll(sql))[0]?.['n'] ?? 0);
    const out = [];
    const interactive = `(coalesce(list_contains("signInEventTypes", 'interactiveUser'), false) OR (coalesce(len("signInEventTypes"), 0) = 0 AND ("isInteractive" IS NULL OR "isInteractive" <> false)))`;
    // The newest interactive line item of each correlation group: what a de-duplicated count counts.
    const newest = `sign_ins WHERE (log_tenant_id, id) IN (SELECT log_tenant_id, arg_max(id, row("createdDateTime", id)) FROM sign_ins WHERE ${interactive} GROUP BY log_tenant_id, coalesce("correlationId", id))`;
    for (const r of DUCKDB_ROLLUPS) {
      const rows = r.dedupe ? newest : r.only ? 'sign_ins WHERE "homeTenantId" IS NOT NULL AND "resourceTenantId" IS NOT NULL AND lower("homeTenantId") <> lower("resourceTenantId")' : 'sign_ins';
      const elements = r.elementOnly ? ` WHERE e.result IN ('reportOnlyFailure', 'reportOnlyInterrupted')` : '';
      const source = r.element ? `(SELECT unnest("${r.element.collection}") AS e FROM ${rows})${elements}` : rows;
      out.push({
        table: r.table,
        rows: await one(`SELECT count(*) AS n FROM ${r.table}`),
        // Over the whole store a de-duplicated count counts the line items without a successor.
        counted: await one(`SELECT coalesce(sum(_n), 0) AS n FROM ${r.table}${r.dedupe ? ' WHERE _next IS NULL' : ''}`),
        expected: await one(`SELECT count(*) AS n FROM ${source}`),
      });
    }
    return out;
  } finally {
    await store.close();
  }
}

/** Every rollup counts what it should, and every report answers from the rollups as from sign_ins. */
type RawCon = { runAndReadAll(sql: string): Promise<unknown> };
const countOf = async (con: RawCon, sql: string): Promise<number> => Number(rowObjects((await con.runAndReadAll(sql)) as never)[0]?.['n'] ?? 0);
/** Rows recording an unfinished bulk import's start. */
const pendingSince = (con: RawCon): Promise<number> => countOf(con, 'SELECT count(*) AS n FROM deferred_derived_rows');
/** Policy-result rows of the line items an unfinished bulk import wrote. */
const elementRowsOfUnfinished = (con: RawCon): Promise<number> =>
  countOf(con, 'SELECT count(*) AS n FROM sign_in_ca_results WHERE (log_tenant_id, id) IN (SELECT log_tenant_id, id FROM sign_ins WHERE ingested_at >= (SELECT min(since) FROM deferred_derived_rows))');

async function expectSameAnswers(dir: string): Promise<void> {
  for (const t of await rollupTotals(dir)) expect(t.counted, t.table).toBe(t.expected);
  const fromRollups = await answers(dir, true);
  const fromSignIns = await answers(dir, false);
  for (const key of Object.keys(fromSignIns.results)) expect(fromRollups.results[key], key).toEqual(fromSignIns.results[key]);
}

describe('day rollups answer as sign_ins do', () => {
  let work: string;
  let dir: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'gatelog-rollups-'));
    dir = join(work, 'store');
    const store = await DuckDbStore.open({ dataDir: dir, batchRecords: 700 });
    const w = store.openWriter();
    for (const r of generateSignIns({ signIns: 3000, days: 6, seed: 5, end: END })) await w.add(incoming(r as unknown as Record<string, unknown>));
    // Correlation groups whose line items straddle midnight and every range bound above: the newest
    // line item of a group in a range is then not the newest of the group.
    const bounds = [END.getTime() - 13.5 * 3_600_000, END.getTime() - 13.5 * 3_600_000 - DAY, ...Object.values(INPUTS).flatMap((i) => [i.since, i.until]).filter((t): t is string => t !== undefined).map((t) => Date.parse(t))];
    let g = 0;
    for (const b of bounds) {
      g++;
      const correlationId = `c0000000-0000-4000-8000-${String(g).padStart(12, '0')}`;
      const steps = (method: string, ok: boolean) => [
        { authenticationMethod: 'Password', succeeded: true, authenticationStepResultDetail: 'Correct password' },
        { authenticationMethod: method, succeeded: ok, authenticationStepResultDetail: ok ? 'MFA successfully completed' : 'MFA denied; user declined the authentication' },
      ];
      const items = [
        { at: b - 600_000, requirement: 'singleFactorAuthentication', errorCode: 50074, details: steps('Mobile app notification', false) },
        { at: b - 60_000, requirement: 'multiFactorAuthentication', errorCode: 0, details: steps('Text message', true) },
        { at: b + 300_000, requirement: 'multiFactorAuthentication', errorCode: 0, details: steps('FIDO2 security key', true) },
      ];
      for (const it of items) {
        await w.add(incoming(signIn({ correlationId, createdDateTime: at(it.at), authenticationRequirement: it.requirement, status: { errorCode: it.errorCode }, authenticationDetails: it.details })));
      }
    }
    await w.flush();
    await store.close();
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('every report and the aggregate view: the same answers, and the rollups answer most of their queries', async () => {
    const fromRollups = await answers(dir, true);
    const fromSignIns = await answers(dir, false);
    expect(Object.keys(fromRollups.results).length).toBe(Object.keys(INPUTS).length * (REPORT_NAMES.length + 2));
    for (const key of Object.keys(fromSignIns.results)) expect(fromRollups.results[key], key).toEqual(fromSignIns.results[key]);
    // Not vacuous: the rollups did answer (every table used), and not where they cannot.
    const used = new Set(fromRollups.planned.map((p) => p.rollup).filter((x) => x !== null));
    expect([...used].sort()).toEqual(DUCKDB_ROLLUPS.map((r) => r.table).sort());
    for (const p of fromRollups.planned) {
      if (p.report.includes('they do not have')) expect(p.rollup, p.report).toBeNull();
      // De-duplication by correlation keeps the newest of what `where` keeps: a filter on other columns reads sign_ins.
      if (p.report.startsWith('auth-methods') && p.report.includes('filter')) expect(p.rollup, p.report).toBeNull();
      if ((p.report.startsWith('conditional-access') || p.report.startsWith('auth-methods')) && !p.report.includes('filter')) expect(p.rollup, p.report).not.toBeNull();
      if (p.report.startsWith('overview') && p.report.includes('the rollups have')) expect(p.rollup, p.report).not.toBeNull();
    }
    const overview = fromRollups.planned.filter((p) => p.report === 'overview (whole store)');
    expect(overview.length).toBeGreaterThan(4);
    expect(overview.every((p) => p.rollup !== null)).toBe(true);
    // Non-empty answers, so equality means something.
    const ca = fromRollups.results['conditional-access (partial days at both ends)'] as { signIns: number; sections: { id: string; rows: unknown[] }[] };
    expect(ca.signIns).toBeGreaterThan(100);
    expect(ca.sections.find((s) => s.id === 'policies')?.rows.length).toBeGreaterThan(3);
  }, 240_000);

  it('counts every sign-in (or, de-duplicated, every correlation group) once, in fewer rows', async () => {
    for (const t of await rollupTotals(dir)) {
      expect(t.counted, t.table).toBe(t.expected);
      expect(t.expected, t.table).toBeGreaterThan(0);
      expect(t.rows, t.table).toBeLessThanOrEqual(t.expected);
      if (t.table === 'rollup_day_ca_status' || t.table === 'rollup_day_ca_results') expect(t.rows * 3, t.table).toBeLessThan(t.expected);
    }
  });

  it('after new line items join correlation groups the store has, the de-duplicated answers still equal sign_ins\'', async () => {
    const store = await DuckDbStore.open({ dataDir: dir, batchRecords: 300 });
    const w = store.openWriter();
    let n = 0;
    for (const r of generateSignIns({ signIns: 3000, days: 6, seed: 5, end: END })) {
      const rec = r as unknown as Record<string, unknown>;
      if (++n % 5 !== 0 || !rec['correlationId']) continue;
      // A later line item of the same sign-in attempt (a new id in the same group), some the next day.
      const later = Date.parse(String(rec['createdDateTime'])) + (n % 10 === 0 ? DAY / 3 : 90_000);
      await w.add(incoming({ ...rec, id: `j${String(n).padStart(7, '0')}-0000-4000-8000-000000000000`, createdDateTime: at(later), authenticationRequirement: 'multiFactorAuthentication', status: { errorCode: 0 } }));
    }
    const counts = await w.flush();
    await store.close();
    expect(counts.inserted).toBeGreaterThan(300);
    await expectSameAnswers(dir);
  }, 240_000);

  it('after line items are replaced (status changed, moved to another day), the answers still equal sign_ins\'', async () => {
    const store = await DuckDbStore.open({ dataDir: dir, batchRecords: 400 });
    const w = store.openWriter();
    let n = 0;
    for (const r of generateSignIns({ signIns: 3000, days: 6, seed: 5, end: END })) {
      n++;
      if (n % 7 !== 0) continue;
      const rec = r as unknown as Record<string, unknown>;
      const moved = n % 14 === 0 ? { createdDateTime: at(Date.parse(String(rec['createdDateTime'])) - DAY) } : {};
      await w.add(incoming({ ...rec, ...moved, status: { errorCode: 50126, failureReason: 'Invalid username or password.' }, conditionalAccessStatus: 'failure', appliedConditionalAccessPolicies: [] }));
    }
    const counts = await w.flush();
    await store.close();
    expect(counts.updated).toBeGreaterThan(300);
    await expectSameAnswers(dir);
  }, 240_000);

  it('an import of many batches leaves one row per combination, as a rebuild from sign_ins does', async () => {
    const rowsOf = async (): Promise<Record<string, number>> => Object.fromEntries((await rollupTotals(dir)).map((t) => [t.table, t.rows]));
    const imported = await rowsOf();
    const store = await DuckDbStore.open({ dataDir: dir });
    await (store as unknown as { con: { run(sql: string): Promise<unknown> } }).con.run('DELETE FROM rollup_state');
    await store.close();
    expect(await rowsOf()).toEqual(imported);
    expect(imported['rollup_day_sign_ins']).toBeGreaterThan(100);
  });

  it('live ingest (a writer, a batch and a flush a request) is folded every few batches', async () => {
    const store = await DuckDbStore.open({ dataDir: dir });
    const con = (store as unknown as { con: { runAndReadAll(sql: string): Promise<never> } }).con;
    const rows = async (): Promise<number> => Number(rowObjects(await con.runAndReadAll('SELECT count(*) AS n FROM rollup_day_ca_status'))[0]?.['n'] ?? 0);
    const before = await rows();
    const most: number[] = [];
    // The same combination each time: folded, it is one row more at most.
    for (let i = 0; i < FOLD_AFTER_BATCHES * 2; i++) {
      const w = store.openWriter();
      await w.add(incoming(signIn({ createdDateTime: at(END.getTime() - 2 * DAY + i * 1000), status: { errorCode: 0 }, conditionalAccessStatus: 'success' })));
      await w.flush();
      most.push(await rows());
    }
    await store.close();
    expect(Math.max(...most)).toBeLessThan(before + FOLD_AFTER_BATCHES + 1);
    expect(most[most.length - 1]).toBeLessThanOrEqual(before + 1);
    for (const t of await rollupTotals(dir)) expect(t.counted, t.table).toBe(t.expected);
  });

  it('a bulk import writes element rows, successors and rollups once, when it flushes; one interrupted leaves them to be rebuilt', async () => {
    const joining = function* (prefix: string, every: number): Generator<Record<string, unknown>> {
      let n = 0;
      for (const r of generateSignIns({ signIns: 3000, days: 6, seed: 5, end: END })) {
        const rec = r as unknown as Record<string, unknown>;
        if (++n % every !== 0 || !rec['correlationId']) continue;
        const later = Date.parse(String(rec['createdDateTime'])) + (n % 2 === 0 ? DAY / 4 : 60_000);
        yield { ...rec, id: `${prefix}${String(n).padStart(7, '0')}-0000-4000-8000-000000000000`, createdDateTime: at(later), status: { errorCode: 0 } };
      }
    };
    const stale = async (con: { runAndReadAll(sql: string): Promise<unknown> }): Promise<number> =>
      Number(rowObjects((await con.runAndReadAll("SELECT count(*) AS n FROM rollup_state WHERE definition LIKE 'stale %'")) as never)[0]?.['n'] ?? 0);

    const store = await DuckDbStore.open({ dataDir: dir, batchRecords: 250, bulkLoad: true });
    const w = store.openWriter();
    for (const r of joining('b', 7)) await w.add(incoming(r));
    expect((await w.flush()).inserted).toBeGreaterThan(250);
    const con = (store as unknown as { con: { runAndReadAll(sql: string): Promise<unknown> } }).con;
    expect(await stale(con)).toBe(0);
    await store.close();
    await expectSameAnswers(dir);

    // Loaded batches, no flush: every derived table stays marked stale and the import's start is
    // recorded; opening writes the element rows of its line items and rebuilds the rest.
    const cut = await DuckDbStore.open({ dataDir: dir, batchRecords: 100, bulkLoad: true });
    const w2 = cut.openWriter();
    for (const r of joining('x', 3)) await w2.add(incoming(r));
    await cut.close();
    const raw = await DuckDBInstance.create(join(dir, 'gatelog.duckdb'));
    const rc = await raw.connect();
    expect(await stale(rc)).toBe(rollupTables().length + 1);
    expect(await pendingSince(rc)).toBe(1);
    expect(await elementRowsOfUnfinished(rc)).toBe(0);
    rc.closeSync();
    raw.closeSync();
    await expectSameAnswers(dir);
  }, 240_000);

  it('a bulk import of newer versions recounts the days they were on once, when it flushes; one interrupted leaves those rollups to be rebuilt', async () => {
    const staleNames = async (con: { runAndReadAll(sql: string): Promise<unknown> }): Promise<string[]> =>
      rowObjects((await con.runAndReadAll("SELECT name FROM rollup_state WHERE definition LIKE 'stale %' ORDER BY name")) as never).map((r) => String(r['name']));
    // Newer versions of stored sign-ins: failed now, and blocked by Conditional Access.
    const failed = (r: { record: unknown }) =>
      incoming({ ...(r.record as Record<string, unknown>), status: { errorCode: 53003, failureReason: 'Access has been blocked by Conditional Access policies.' }, conditionalAccessStatus: 'failure' });
    const store = await DuckDbStore.open({ dataDir: dir, batchRecords: 200, bulkLoad: true });
    const stored = await store.query({ where: TRUE, order: 'desc', limit: 900 });
    const w = store.openWriter();
    for (const r of stored.slice(0, 600)) await w.add(failed(r));
    expect((await w.flush()).updated).toBe(600);
    const con = (store as unknown as { con: { runAndReadAll(sql: string): Promise<unknown> } }).con;
    expect(await staleNames(con)).toEqual([]);
    await store.close();
    await expectSameAnswers(dir);

    // Loaded batches, no flush: every rollup the replaced line items were counted in stays stale.
    const cut = await DuckDbStore.open({ dataDir: dir, batchRecords: 100, bulkLoad: true });
    const w2 = cut.openWriter();
    for (const r of stored.slice(600)) await w2.add(failed(r));
    await cut.close();
    const raw = await DuckDBInstance.create(join(dir, 'gatelog.duckdb'));
    const rc = await raw.connect();
    expect(await staleNames(rc)).toEqual([...rollupTables().map((t) => t.name), SUCCESSORS_TABLE].sort());
    expect(await pendingSince(rc)).toBe(1);
    rc.closeSync();
    raw.closeSync();
    await expectSameAnswers(dir);
  }, 240_000);

  it('a bulk import of newer versions that move line items to other correlation groups recounts the groups they left', async () => {
    const store = await DuckDbStore.open({ dataDir: dir, batchRecords: 200, bulkLoad: true });
    const stored = await store.query({ where: TRUE, order: 'desc', limit: 400 });
    const w = store.openWriter();
    let moved = 0;
    for (const r of stored) {
      const rec = r.record as unknown as Record<string, unknown>;
      if (!rec['correlationId']) continue;
      moved++;
      await w.add(incoming({ ...rec, correlationId: `d${String(moved).padStart(7, '0')}-0000-4000-8000-000000000000` }));
    }
    expect(moved).toBeGreaterThan(100);
    expect((await w.flush()).updated).toBe(moved);
    await store.close();
    await expectSameAnswers(dir);
  }, 240_000);

  it('a store opened with a changed rollup definition rebuilds it from sign_ins', async () => {
    const store = await DuckDbStore.open({ dataDir: dir });
    const con = (store as unknown as { con: { run(sql: string): Promise<unknown> } }).con;
    await con.run("UPDATE rollup_state SET definition = 'old' WHERE name = 'rollup_day_sign_ins'");
    await con.run('DELETE FROM rollup_day_sign_ins');
    await store.close();
    const t = (await rollupTotals(dir)).find((x) => x.table === 'rollup_day_sign_ins');
    expect(t?.counted).toBe(t?.expected);
    expect(t?.rows).toBeGreaterThan(0);
  });

  it('recounts and folds a day at a time: every tenant of a day together, days in order', () => {
    const d = (tenant: string, day: string) => ({ tenant, day });
    expect(byDay([d('a', '2026-05-03 00:00:00'), d('b', '2026-05-01 00:00:00'), d('b', '2026-05-03 00:00:00'), d('a', '2026-05-01 00:00:00')])).toEqual([
      [d('b', '2026-05-01 00:00:00'), d('a', '2026-05-01 00:00:00')],
      [d('a', '2026-05-03 00:00:00'), d('b', '2026-05-03 00:00:00')],
    ]);
    expect(byDay([])).toEqual([]);
  });

  it('recounts a bulk import\'s days in parts of whole consecutive days up to a number of line items', () => {
    const d = (tenant: string, day: string) => ({ tenant, day });
    const n: Record<string, number> = { 'a 1': 60, 'b 1': 30, 'a 2': 50, 'a 3': 200, 'a 4': 10, 'b 4': 10 };
    const days = [d('a', '4'), d('a', '1'), d('b', '1'), d('a', '2'), d('a', '3'), d('b', '4')];
    const parts = dayParts(days, (x) => n[`${x.tenant} ${x.day}`] ?? 0, 100);
    // Day 1 (90) alone: adding day 2 would pass 100; day 3 (200) is over on its own; day 4 after it.
    expect(parts).toEqual([[d('a', '1'), d('b', '1')], [d('a', '2')], [d('a', '3')], [d('a', '4'), d('b', '4')]]);
    expect(dayParts(days, () => 1, 100)).toEqual([byDay(days).flat()]);
    expect(dayParts([], () => 1, 100)).toEqual([]);
  });

  it('plans: whole days from the rollup, partial ones from sign_ins; sub-day windows and correlation de-duplication read sign_ins', () => {
    const count = [{ name: 'n', measure: { kind: 'count' } }] as const;
    const created = { kind: 'column', path: ['createdDateTime'], type: 'datetime' } as const;
    const ge = (t: string) => ({ kind: 'compare', op: 'ge', left: created, right: { kind: 'value', value: t, type: 'datetime' }, caseInsensitive: false }) as const;
    const tables = (p: ReturnType<typeof planRollup>) => p?.parts.map((x) => x.table);
    // A whole day from midnight: the day table alone.
    const whole = planRollup({ where: ge('2026-05-03T00:00:00Z'), groupBy: [], measures: count });
    expect(tables(whole)).toEqual(['rollup_day_ca_status']);
    expect(JSON.stringify(whole?.parts[0]?.where)).toContain('2026-05-03T00:00:00Z');
    // From 06:00: whole days from the next midnight, the hours before it from the hour table.
    const partial = planRollup({ where: ge('2026-05-03T06:00:00Z'), groupBy: [], measures: count });
    expect(tables(partial)).toEqual(['rollup_day_ca_status', 'rollup_hour_ca_status']);
    expect(JSON.stringify(partial?.parts[0]?.where)).toContain('2026-05-04T00:00:00Z');
    // From 06:30 to 09:15 the same day: whole hours 07:00–09:00, the rest from sign_ins.
    const lt = (t: string) => ({ ...ge(t), op: 'lt' }) as const;
    const hours = planRollup({ where: { kind: 'and', items: [ge('2026-05-03T06:30:00Z'), lt('2026-05-03T09:15:00Z')] }, groupBy: [], measures: count });
    expect(tables(hours)).toEqual(['rollup_hour_ca_status', null, null]);
    expect(JSON.stringify(hours?.parts[0]?.where)).toContain('2026-05-03T07:00:00Z');
    expect(JSON.stringify(hours?.parts[0]?.where)).toContain('2026-05-03T09:00:00Z');
    // A rollup without an hour table reads the partial day's sign-ins.
    const user = { kind: 'operand', operand: { kind: 'column', path: ['userId'], type: 'string' } } as const;
    expect(tables(planRollup({ where: ge('2026-05-03T06:00:00Z'), groupBy: [{ name: 'u', key: user }], measures: count }))).toEqual(['rollup_day_sign_ins', null]);
    expect(planRollup({ where: { kind: 'true' }, groupBy: [{ name: 'w', key: { kind: 'timeBucket', hours: 1 } }], measures: count })).toBeNull();
    expect(planRollup({ where: { kind: 'true' }, dedupeByCorrelation: true, groupBy: [], measures: count })).toBeNull();
    expect(planRollup({ where: { kind: 'true' }, groupBy: [{ name: 'ip', key: { kind: 'operand', operand: { kind: 'column', path: ['ipAddress'], type: 'string' } } }], measures: count })).toBeNull();
  });
});
