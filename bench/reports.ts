// bench/reports: each report (and the non-interactive aggregate view) on N demo sign-ins (default
// 10,000,000) in the DuckDB store, through the same functions the API runs. Goal: ≤ 500 ms each.
//   npm run bench:reports                      (10,000,000 sign-ins; builds the store once if bench:query has not)
//   npm run bench:reports -- --sign-ins 1000000 --runs 5
//   npm run bench:reports -- --rebuild        (drops the day rollups first: times building them at open)
import { join } from 'node:path';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { aggregateNonInteractive } from '../src/reports/non-interactive-aggregate.js';
import { REPORT_NAMES, runReport } from '../src/reports/reports.js';
import type { ReportReader } from '../src/reports/report.js';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { buildStore, QUERY_BENCH_END } from './build-store.js';
import { machineLine, markdownTable, today, writeSection } from './machine.js';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', 'out');
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('sign-ins', 10_000_000);
const RUNS = arg('runs', 5);
const GOAL_MS = 500;
const flags = [...(N === 10_000_000 ? [] : [`--sign-ins ${N}`]), ...(process.argv.includes('--rebuild') ? ['--rebuild'] : [])];

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

mkdirSync(OUT, { recursive: true });
const loadAtStart = (await import('node:os')).loadavg()[0]!.toFixed(1);
console.error(`store of ${N} sign-ins…`);
const built = await buildStore(OUT, N);
// A copy of bench:query's store: other benchmarks may hold that one open (DuckDB locks its file).
const dataDir = join(OUT, `reports-store-${N}`);
const marker = readFileSync(join(built.dataDir, 'built.json'), 'utf8');
if (!existsSync(join(dataDir, 'built.json')) || readFileSync(join(dataDir, 'built.json'), 'utf8') !== marker) {
  mkdirSync(dataDir, { recursive: true });
  copyFileSync(join(built.dataDir, 'gatelog.duckdb'), join(dataDir, 'gatelog.duckdb'));
  writeFileSync(join(dataDir, 'built.json'), marker);
}
// Opening builds any day rollup the store lacks (the first open after an upgrade). With --rebuild,
// the rollups are dropped first, so the open times building all of them from 10 M sign-ins.
if (process.argv.includes('--rebuild')) {
  const db = await DuckDBInstance.create(join(dataDir, 'gatelog.duckdb'));
  const con = await db.connect();
  await con.run('DELETE FROM rollup_state');
  con.closeSync();
  db.closeSync();
}
const opened = performance.now();
let store = await DuckDbStore.open({ dataDir, memoryLimit: process.env['GATELOG_DUCKDB_MEMORY_LIMIT'] ?? '4GB' });
const openMs = performance.now() - opened;
const total = await store.count();

// The whole store (30 days), then the last 7 days of it (the demo data ends at QUERY_BENCH_END).
const WEEK = new Date(QUERY_BENCH_END.getTime() - 7 * 86_400_000).toISOString();
// A range as a person picks it: 7 days back from a time of day (its first and last days are partial).
const WEEK_MIDDAY = new Date(QUERY_BENCH_END.getTime() - 7.5 * 86_400_000).toISOString();
const UNTIL_MIDDAY = new Date(QUERY_BENCH_END.getTime() - 0.5 * 86_400_000).toISOString();
const DAY = new Date(QUERY_BENCH_END.getTime() - 86_400_000).toISOString();
type Case = { name: string; run: (reader: ReportReader) => Promise<unknown> };
const cases: Case[] = [
  ...REPORT_NAMES.map((name) => ({ name, run: (r: ReportReader) => runReport(name, r, {}) })),
  ...(['1h', '24h'] as const).map((window) => ({ name: `signins/aggregate (${window}, top 500)`, run: (r: ReportReader) => aggregateNonInteractive(r, { window, top: 500 }) })),
  ...REPORT_NAMES.map((name) => ({ name: `${name}, last 7 days`, run: (r: ReportReader) => runReport(name, r, { since: WEEK }) })),
  ...REPORT_NAMES.map((name) => ({ name: `${name}, 7 days from 12:00 to 12:00 UTC`, run: (r: ReportReader) => runReport(name, r, { since: WEEK_MIDDAY, until: UNTIL_MIDDAY }) })),
  // The list's default range is the last 24 hours: the aggregate view as the web UI first asks for it.
  ...(['1h', '24h'] as const).map((window) => ({ name: `signins/aggregate (${window}, top 500), last 24 hours`, run: (r: ReportReader) => aggregateNonInteractive(r, { window, top: 500, since: DAY }) })),
];
const counted = (answer: unknown): number => (answer as { signIns: number }).signIns;

const results: { name: string; p50: number; max: number; answer: string; counted: number }[] = [];
for (const c of cases) {
  const times: number[] = [];
  let answer: unknown;
  for (let i = 0; i < RUNS + 1; i++) {
    const t0 = performance.now();
    answer = await c.run(store);
    // The first run warms DuckDB's caches; it is not counted.
    if (i > 0) times.push(performance.now() - t0);
  }
  results.push({ name: c.name, p50: Math.round(pct(times, 50)), max: Math.round(Math.max(...times)), answer: JSON.stringify(answer), counted: counted(answer) });
  console.error(`${c.name}: p50 ${Math.round(pct(times, 50))} ms`);
}
await store.close();

// The baseline in the same run: the same queries reading sign_ins (no rollups), once each, and
// whether the answers are the same.
store = await DuckDbStore.open({ dataDir, memoryLimit: process.env['GATELOG_DUCKDB_MEMORY_LIMIT'] ?? '4GB', useRollups: false });
const rows: (string | number)[][] = [['report', 'p50 ms', 'max ms', 'from sign_ins, one run (ms)', 'same answer', 'sign-ins counted', `≤ ${GOAL_MS} ms`]];
let same = 0;
for (const [i, c] of cases.entries()) {
  const t0 = performance.now();
  const answer = JSON.stringify(await c.run(store));
  const ms = Math.round(performance.now() - t0);
  const r = results[i]!;
  if (answer === r.answer) same++;
  rows.push([c.name, r.p50, r.max, ms, answer === r.answer ? 'yes' : 'NO', r.counted.toLocaleString('en-US'), r.p50 <= GOAL_MS ? 'yes' : 'no']);
  console.error(`${c.name}: from sign_ins ${ms} ms, same answer: ${answer === r.answer}`);
}
await store.close();

writeSection(
  'Reports (bench/reports.ts)',
  `Run ${today()} on ${machineLine()}.
Data: ${total.toLocaleString('en-US')} demo sign-ins (30 days, all four event types), DuckDB store (memory limit ${process.env['GATELOG_DUCKDB_MEMORY_LIMIT'] ?? '4GB'}). Command: \`npm run bench:reports${flags.length > 0 ? ` -- ${flags.join(' ')}` : ''}\`.
Each report runs ${RUNS} times after one warm-up run, over the whole store (no time range), over its last 7 days (whole UTC days), and over 7 days from noon to noon (the first and last days partial), the aggregate view also over the last 24 hours (the list's default range), through the report functions the API calls (every section's aggregate queries, run concurrently). Load average when the run started: ${loadAtStart}.
Opening the store took ${(openMs / 1000).toFixed(1)} s${process.argv.includes('--rebuild') ? ': it built every day rollup and the successors from the 10 M sign-ins (`--rebuild` dropped them first), as the first open after an upgrade does' : ''}. Reports read the day rollups where they have every column a query reads (design/0009); the aggregate view's columns (IP address, resource) are in no rollup, so it reads sign_ins.
The same queries then ran once each on the same store reading sign_ins only (no rollups), as the baseline: ${same} of ${cases.length} answers are the same, field for field.

${markdownTable(rows)}
`,
);
