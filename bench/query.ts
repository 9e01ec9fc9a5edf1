// bench/query: 12 typical $filter queries on N demo sign-ins (default 10,000,000) through the API
// (HTTPS, the real server, a real client) beside the same SQL run directly on DuckDB in the same
// run; a page of 1000 full beta records; and jq over the same NDJSON for 3 of the filters.
//   npm run bench:query                      (10,000,000 sign-ins; builds the store once, ~20 min)
//   npm run bench:query -- --sign-ins 1000000
import { execFileSync } from 'node:child_process';
import { request } from 'node:https';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { loadOrCreateCertificate } from '../src/api/tls.js';
import { sha256Hex } from '../src/api/secrets.js';
import { buildServer } from '../src/api/server.js';
import { INTERACTIVE_ONLY, planFilter } from '../src/query/plan.js';
import { and, TRUE, type Condition } from '../src/query/sql/expr.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { buildStore, QUERY_BENCH_END } from './build-store.js';
import { machineLine, today, writeSection } from './machine.js';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', 'out');
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('sign-ins', 10_000_000);
const RUNS = arg('runs', 15);
const TOKEN = 'bench-token-0123456789abcdef';

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

mkdirSync(OUT, { recursive: true });
console.error(`store of ${N} sign-ins…`);
const built = await buildStore(OUT, N);
const store = await DuckDbStore.open({ dataDir: built.dataDir });
const tls = await loadOrCreateCertificate(OUT);
const app = await buildServer({ store, auth: { adminTokenHash: sha256Hex(TOKEN) }, skipTokenKey: Buffer.alloc(32, 5), tls, throttle: { perSecond: 1e6, burst: 1e6 } });
await app.listen({ host: '127.0.0.1', port: 0 });
const port = (app.server.address() as { port: number }).port;

function get(path: string): Promise<{ ms: number; status: number; body: string }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: 'localhost', port, path, ca: tls.cert, headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

// Values that exist in the data, taken from the newest sign-ins.
const sample = await store.query({ where: TRUE, order: 'desc', limit: 2000 });
const withUser = sample.find((s) => s.record.userPrincipalName && s.record.signInEventTypes?.includes('interactiveUser'));
const reportOnly = sample.flatMap((s) => s.record.appliedConditionalAccessPolicies ?? []).find((p) => p.result === 'reportOnlyFailure');
const some = sample[sample.length - 1];
if (!withUser || !reportOnly || !some) throw new Error('the demo data lacks the values the benchmark filters on');
const endMs = QUERY_BENCH_END.getTime();
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

const FILTERS: { name: string; filter: string; jq?: string }[] = [
  { name: 'by id', filter: `id eq '${some.record.id}'` },
  { name: 'by user', filter: `userPrincipalName eq '${withUser.record.userPrincipalName}'`, jq: `select(.userPrincipalName == "${withUser.record.userPrincipalName}")` },
  { name: 'by correlationId', filter: `correlationId eq '${some.record.correlationId}'` },
  { name: 'errorCode ne 0, last day', filter: `status/errorCode ne 0 and createdDateTime ge ${iso(endMs - 86_400_000)}`, jq: `select(.status.errorCode != 0 and .createdDateTime[0:19] >= "${iso(endMs - 86_400_000).slice(0, 19)}")` },
  { name: 'startsWith(appDisplayName)', filter: "startsWith(appDisplayName, 'Microsoft')" },
  { name: 'CA failure', filter: "conditionalAccessStatus eq 'failure'" },
  { name: 'report-only failure of one policy', filter: `appliedConditionalAccessPolicies/any(p: p/id eq '${reportOnly.id}' and p/result eq 'reportOnlyFailure')` },
  { name: 'signInEventTypes/any', filter: "signInEventTypes/any(t: t eq 'servicePrincipal')" },
  { name: 'ipAddress startsWith', filter: "startsWith(ipAddress, '203.0.113.')" },
  { name: 'location/city', filter: "location/city eq 'Seattle'", jq: 'select(.location.city == "Seattle")' },
  { name: 'crossTenantAccessType', filter: "crossTenantAccessType eq 'b2bCollaboration'" },
  { name: 'date range (1 hour)', filter: `createdDateTime ge ${iso(endMs - 5 * 86_400_000)} and createdDateTime lt ${iso(endMs - 5 * 86_400_000 + 3_600_000)}` },
];

interface Row {
  name: string;
  apiP50: number;
  apiP95: number;
  directP50: number;
  directP95: number;
  returned: number;
}

const rows: Row[] = [];
for (const f of FILTERS) {
  const planned = planFilter(f.filter, 'beta');
  const where: Condition = and(planned.condition, planned.mentionsEventTypes ? TRUE : INTERACTIVE_ONLY);
  const direct_ = { where, order: 'desc' as const, limit: 1001, graphBeta: true };
  const path = `/beta/auditLogs/signIns?$filter=${encodeURIComponent(f.filter)}`;
  const api: number[] = [];
  const direct: number[] = [];
  let returned = 0;
  // Warm both paths once, then alternate so both see the same cache state.
  await get(path);
  await store.queryDirect(direct_);
  for (let i = 0; i < RUNS; i++) {
    const r = await get(path);
    if (r.status !== 200) throw new Error(`${f.name}: ${r.status} ${r.body.slice(0, 300)}`);
    api.push(r.ms);
    returned = (JSON.parse(r.body) as { value: unknown[] }).value.length;
    const t0 = performance.now();
    await store.queryDirect(direct_);
    direct.push(performance.now() - t0);
  }
  rows.push({ name: f.name, apiP50: pct(api, 50), apiP95: pct(api, 95), directP50: pct(direct, 50), directP95: pct(direct, 95), returned });
  console.error(`${f.name}: api p50 ${pct(api, 50).toFixed(0)} ms, direct p50 ${pct(direct, 50).toFixed(0)} ms, ${returned} rows`);
}

// A page of 1000 full beta records: all event types, newest first.
const all = "signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser' or t eq 'servicePrincipal' or t eq 'managedIdentity')";
const page: number[] = [];
let pageBytes = 0;
for (let i = 0; i < RUNS; i++) {
  const r = await get(`/beta/auditLogs/signIns?$top=1000&$filter=${encodeURIComponent(all)}`);
  page.push(r.ms);
  pageBytes = r.body.length;
}

// jq over NDJSON: the first chunk of the same data, scaled to N. jq has no index, so to answer the
// same question (the newest matching sign-ins) it must read every line; it writes every match, and
// the count of them is kept to show the filter did select.
const jqRows: { name: string; seconds: number; projected: number; matched: number; apiMs: number }[] = [];
for (const f of FILTERS.filter((x) => x.jq)) {
  const t0 = performance.now();
  const matched = Number(execFileSync('sh', ['-c', `jq -c '${f.jq as string}' '${built.firstChunk}' | wc -l`], { encoding: 'utf8' }).trim());
  const s = (performance.now() - t0) / 1000;
  const projected = s * (N / built.firstChunkRecords);
  jqRows.push({ name: f.name, seconds: s, projected, matched, apiMs: rows.find((r) => r.name === f.name)?.apiP50 ?? 0 });
  console.error(`jq ${f.name}: ${s.toFixed(1)} s, ${matched} matches`);
}

await app.close();
await store.close();

const fmt = (x: number): string => (x < 10 ? x.toFixed(1) : x.toFixed(0));
const table = [
  '| filter | API p50 ms | API p95 ms | direct SQL p50 ms | direct p95 ms | API ÷ direct (p50) | rows returned |',
  '|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.name} | ${fmt(r.apiP50)} | ${fmt(r.apiP95)} | ${fmt(r.directP50)} | ${fmt(r.directP95)} | ${(r.apiP50 / r.directP50).toFixed(2)} | ${r.returned} |`),
].join('\n');
const worst = Math.max(...rows.map((r) => r.apiP50 / r.directP50));
const jqTable = [
  `| filter | jq on ${built.firstChunkRecords.toLocaleString('en-US')} records (s) | matches there | jq projected to ${N.toLocaleString('en-US')} (s) | API p50 (ms) | API faster by |`,
  '|---|---|---|---|---|---|',
  ...jqRows.map((j) => `| ${j.name} | ${j.seconds.toFixed(1)} | ${j.matched.toLocaleString('en-US')} | ${j.projected.toFixed(0)} | ${fmt(j.apiMs)} | ${Math.round((j.projected * 1000) / j.apiMs)}× |`),
].join('\n');
const body = `Run ${today()} on ${machineLine()}.
Data: ${N.toLocaleString('en-US')} demo sign-ins (all four event types), DuckDB store. Command: \`npm run bench:query${N === 10_000_000 ? '' : ` -- --sign-ins ${N}`}\`.
Each filter runs ${RUNS} times through \`GET /beta/auditLogs/signIns?$filter=…\` (HTTPS, the real server and a Node client in one process; Graph's default page of up to 1000 full records, interactive sign-ins unless the filter names event types) and, alternating, the very statements the store runs for it (the page's keys; its rows copied out and written by DuckDB as Graph's JSON), directly on DuckDB, with the JSON texts read but not sent.

${table}

Goal API ≤ 1.5× direct: worst p50 ratio ${worst.toFixed(2)}×.
A page of 1000 full beta records (all event types, ${(pageBytes / 2 ** 20).toFixed(1)} MB of JSON): p50 ${fmt(pct(page, 50))} ms, p95 ${fmt(pct(page, 95))} ms (goal ≤ 200 ms).

jq over the same NDJSON (the first ${built.firstChunkRecords.toLocaleString('en-US')} records of it, scaled linearly to the whole): \`jq -c 'select(…)' FILE\` with the same condition (for the last day, the same time bound), every match written. jq has no index, so it reads every line whatever the filter; the API answers the newest page of up to 1000.

${jqTable}

Goal ≥ 100× faster than jq: worst ${Math.min(...jqRows.map((j) => Math.round((j.projected * 1000) / j.apiMs)))}×.`;
writeSection('Query (bench/query.ts)', body);
console.log(body);
