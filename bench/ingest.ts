// bench/ingest: how fast sign-ins get in, by every road.
// 1. Live: Gatelog events through `POST /ingest/events` (the real `gatelog serve`, HTTPS, an
//    ingest API key), two concurrent clients each sending batches and waiting for the durable
//    answer before the next; events/s over the wall time, and the line items they make.
// 2. Files: `gatelog import` of the same N demo sign-ins in each file format, each in its own
//    process into a fresh store, records/s beside the Graph NDJSON path (the baseline of the run).
// The formats are derived from one demo tenant: Graph NDJSON (the demo's own), the admin center's
// JSON (an array) and CSV (`gatelog export --format csv`), Azure Monitor storage-account lines
// (`gatelog export --format azure-monitor`) and Event Hub batches of them, Log Analytics rows
// (JSON lines and the portal's CSV) and Gatelog events (a sign-in's basics, each authentication
// step, then its Conditional Access verdict: one event each).
//   npm run bench:ingest                      (100,000 sign-ins)
//   npm run bench:ingest -- --sign-ins 20000
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, createWriteStream, type WriteStream } from 'node:fs';
import { Agent, request } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { machineLine, markdownTable, today, writeSection } from './machine.js';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', 'out', 'ingest');
const BIN = join(ROOT, 'bin', 'gatelog');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const N = arg('sign-ins', 100_000);
const BATCH = arg('batch', 1000);
const CLIENTS = 2;

type Rec = Record<string, unknown>;

interface Measured {
  ms: number;
  maxRssMB: number;
  summary: string;
  read: number;
  rejected: number;
}

/** One `gatelog` command in its own process (bench/measured.mjs): time, peak RSS, and its summary line. */
function measuredImport(args: string[]): Measured {
  const r = spawnSync(process.execPath, [join(ROOT, 'bench', 'measured.mjs'), 'gatelog', ...args], { cwd: ROOT, maxBuffer: 1 << 26 });
  const out = r.stdout.toString();
  const err = r.stderr.toString();
  // Every record of every format must land, or the rate means nothing.
  if (r.status !== 0) throw new Error(`gatelog ${args.join(' ')} exited ${r.status}:\n${err}`);
  const lines = out.trim().split('\n');
  const m = JSON.parse(lines.pop() ?? '{}') as { ms: number; maxRssMB: number };
  const summary = `${out}\n${err}`.split('\n').find((l) => /^read \d+/.test(l)) ?? '';
  const num = (name: string): number => Number(new RegExp(`${name} (\\d+)`).exec(summary)?.[1] ?? NaN);
  return { ...m, summary, read: num('read'), rejected: num('rejected') };
}

function gatelog(args: string[]): string {
  return execFileSync(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 }).toString();
}

async function readNdjson(file: string): Promise<Rec[]> {
  const out: Rec[] = [];
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (line.trim()) out.push(JSON.parse(line) as Rec);
  return out;
}

function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const ws: WriteStream = createWriteStream(file);
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('finish', () => resolve());
    for (const l of lines) ws.write(`${l}\n`);
    ws.end();
  });
}

// ---- Log Analytics rows from Graph records (the table's column names: PascalCase, a few renamed) ----

const LA_RENAMED: Readonly<Record<string, string>> = {
  appliedConditionalAccessPolicies: 'ConditionalAccessPolicies',
  location: 'LocationDetails',
  resourceId: 'ResourceIdentity',
  processingTimeInMilliseconds: 'ProcessingTimeInMs',
};
const LA_TABLE: Readonly<Record<string, string>> = {
  interactiveUser: 'SigninLogs',
  nonInteractiveUser: 'AADNonInteractiveUserSignInLogs',
  servicePrincipal: 'AADServicePrincipalSignInLogs',
  managedIdentity: 'AADManagedIdentitySignInLogs',
};

function logAnalyticsRow(r: Rec): Rec {
  const types = (r['signInEventTypes'] as string[] | undefined) ?? ['interactiveUser'];
  const table = LA_TABLE[types[0] ?? 'interactiveUser'] ?? 'SigninLogs';
  const status = (r['status'] as Rec | undefined) ?? {};
  const row: Rec = {
    TenantId: '00000000-0000-4000-8000-00000000feed',
    SourceSystem: 'Azure AD',
    TimeGenerated: r['createdDateTime'],
    OperationName: 'Sign-in activity',
    Category: table === 'SigninLogs' ? 'SignInLogs' : table.replace(/^AAD/, ''),
    ResultType: String(status['errorCode'] ?? 0),
    ResultDescription: status['failureReason'] ?? '',
    AADTenantId: r['resourceTenantId'],
    Type: table,
  };
  for (const [k, v] of Object.entries(r)) {
    if (v === null || v === undefined) continue;
    row[LA_RENAMED[k] ?? k[0]!.toUpperCase() + k.slice(1)] = v;
  }
  return row;
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function* logAnalyticsCsv(rows: Rec[]): Generator<string> {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  // The portal's CSV export names columns `Name [UTC]` for times; the rest as they are.
  yield columns.map((c) => (c === 'TimeGenerated' || c === 'CreatedDateTime' ? `${c} [UTC]` : c)).join(',');
  for (const r of rows) yield columns.map((c) => csvCell(r[c])).join(',');
}

// ---- Gatelog events from Graph records: what an identity provider would send, step by step ----

const VERDICT = ['status', 'conditionalAccessStatus', 'appliedConditionalAccessPolicies', 'authenticationRequirement'];

function* eventsOf(r: Rec): Generator<Rec> {
  const id = r['id'] as string;
  const at = r['createdDateTime'] as string;
  const tenantId = r['resourceTenantId'];
  const basics: Rec = {};
  for (const [k, v] of Object.entries(r)) if (k !== 'authenticationDetails' && !VERDICT.includes(k)) basics[k] = v;
  yield { eventId: `${id}-0`, observedAt: at, tenantId, signIn: basics };
  const steps = (r['authenticationDetails'] as Rec[] | undefined) ?? [];
  let n = 1;
  for (const step of steps) {
    yield { eventId: `${id}-${n}`, observedAt: (step['authenticationStepDateTime'] as string | undefined) ?? at, tenantId, signIn: { id, createdDateTime: at, authenticationDetails: [step] }, partial: ['authenticationDetails'] };
    n++;
  }
  const verdict: Rec = { id, createdDateTime: at };
  for (const k of VERDICT) if (r[k] !== undefined) verdict[k] = r[k];
  const last = new Date(Date.parse(at) + 60_000).toISOString();
  yield { eventId: `${id}-${n}`, observedAt: last, tenantId, signIn: verdict, partial: VERDICT.filter((k) => r[k] !== undefined) };
}

// ---- Live ingestion ----

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function post(agent: Agent, port: number, path: string, key: string, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', agent, rejectUnauthorized: false, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function live(eventLines: string[]): Promise<{ ms: number; events: number; retries: number; imported: number; updated: number; rejected: number; serverRssMB: number }> {
  const data = join(OUT, 'live');
  rmSync(data, { recursive: true, force: true });
  const key = gatelog(['keys', 'create', '--scope', 'ingest', '--name', 'bench', '--data', data]).trim().split('\n')[0] ?? '';
  const port = await freePort();
  const server = spawn(process.execPath, [BIN, 'serve', '--data', data, '--port', String(port)], { cwd: ROOT, env: { ...process.env, GATELOG_ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout.on('data', (d: Buffer) => (log += d.toString()));
  server.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`gatelog serve exited ${server.exitCode}:\n${log}`);
      const up = await new Promise<boolean>((resolve) => {
        const req = request({ host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false }, (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        });
        req.on('error', () => resolve(false));
        req.end();
      });
      if (up) break;
      if (Date.now() > deadline) throw new Error(`gatelog serve did not answer:\n${log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const batches: string[] = [];
    for (let i = 0; i < eventLines.length; i += BATCH) batches.push(eventLines.slice(i, i + BATCH).join('\n'));
    let retries = 0;
    const totals = { imported: 0, updated: 0, rejected: 0 };
    const client = async (c: number): Promise<void> => {
      for (let b = c; b < batches.length; b += CLIENTS) {
        for (;;) {
          const tb = performance.now();
          const a = await post(agent, port, '/ingest/events', key, batches[b] as string);
          if (process.env['BENCH_VERBOSE']) console.error(`client ${c} batch ${b}: ${a.status} in ${Math.round(performance.now() - tb)} ms`);
          if (a.status === 200) {
            const j = JSON.parse(a.body) as { imported: number; updated: number; rejected: number };
            totals.imported += j.imported;
            totals.updated += j.updated;
            totals.rejected += j.rejected;
            break;
          }
          if (a.status !== 429 && a.status !== 503) throw new Error(`POST /ingest/events answered ${a.status}: ${a.body.slice(0, 500)}`);
          retries++;
          await new Promise((r) => setTimeout(r, 1000 * Number(a.headers['retry-after'] ?? 1)));
        }
      }
    };
    const t0 = performance.now();
    try {
      await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    } catch (e) {
      throw new Error(`${(e as Error).message}\nserver log:\n${log.slice(-4000)}`, { cause: e });
    }
    const ms = performance.now() - t0;
    const rss = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    return { ms, events: eventLines.length, retries, ...totals, serverRssMB: Math.round(rss) };
  } finally {
    agent.destroy();
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
}

// ---- The run ----

mkdirSync(OUT, { recursive: true });
const graphFile = join(OUT, `graph-${N}.ndjson`);
if (!existsSync(graphFile)) {
  console.error(`generating ${N} demo sign-ins…`);
  gatelog(['demo', '--sign-ins', String(N), '--days', '30', '--seed', '7', '--end', '2026-11-01T00:00:00Z', '--out', graphFile]);
}
const records = await readNdjson(graphFile);

console.error('writing the other formats…');
const files: { name: string; format: string; path: string }[] = [{ name: 'Graph NDJSON (baseline)', format: 'graph', path: graphFile }];
const portalJson = join(OUT, 'InteractiveSignIns.json');
writeFileSync(portalJson, `[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
const laRows = records.map(logAnalyticsRow);
const laJson = join(OUT, 'SigninLogs.jsonl');
await writeLines(laJson, laRows.map((r) => JSON.stringify(r)));
const laCsv = join(OUT, 'SigninLogs.csv');
await writeLines(laCsv, logAnalyticsCsv(laRows));
const eventsFile = join(OUT, 'events.ndjson');
const eventLines = records.flatMap((r) => [...eventsOf(r)].map((e) => JSON.stringify(e)));
await writeLines(eventsFile, eventLines);

// Azure Monitor and the admin center's CSV come from Gatelog's own export of the Graph import.
console.error('gatelog import: Graph NDJSON…');
const graphData = join(OUT, 'store-graph');
rmSync(graphData, { recursive: true, force: true });
const graphRun = measuredImport(['import', '--data', graphData, '--no-progress', '--format', 'graph', graphFile]);
const amFile = join(OUT, 'PT1H.json');
gatelog(['export', '--data', graphData, '--format', 'azure-monitor', '--out', amFile]);
const portalCsv = join(OUT, 'InteractiveSignIns.csv');
gatelog(['export', '--data', graphData, '--format', 'csv', '--out', portalCsv]);
const hubDir = join(OUT, 'eventhub');
rmSync(hubDir, { recursive: true, force: true });
mkdirSync(hubDir);
const amLines = readFileSync(amFile, 'utf8').split('\n').filter((l) => l.trim());
for (let i = 0, n = 0; i < amLines.length; i += 500, n++) writeFileSync(join(hubDir, `batch-${String(n).padStart(5, '0')}.json`), `{"records":[${amLines.slice(i, i + 500).join(',')}]}`);
rmSync(graphData, { recursive: true, force: true });

files.push(
  { name: 'Admin center JSON', format: 'portal-json', path: portalJson },
  { name: 'Admin center CSV', format: 'portal-csv', path: portalCsv },
  { name: 'Azure Monitor (storage account PT1H.json)', format: 'azure-monitor', path: amFile },
  { name: 'Azure Monitor (Event Hub batches of 500)', format: 'azure-monitor', path: hubDir },
  { name: 'Log Analytics JSON lines', format: 'log-analytics', path: laJson },
  { name: 'Log Analytics CSV', format: 'log-analytics', path: laCsv },
  { name: 'Gatelog events NDJSON', format: 'events', path: eventsFile },
);

const results: { name: string; format: string; run: Measured; records: number }[] = [{ name: files[0]!.name, format: 'graph', run: graphRun, records: N }];
for (const f of files.slice(1)) {
  console.error(`gatelog import: ${f.name}…`);
  const data = join(OUT, `store-${f.format}`);
  rmSync(data, { recursive: true, force: true });
  const run = measuredImport(['import', '--data', data, '--no-progress', '--format', f.format, f.path]);
  if (run.rejected > 0) console.error(`  ${run.summary}`);
  results.push({ name: f.name, format: f.format, run, records: run.read });
  rmSync(data, { recursive: true, force: true });
}

console.error(`POST /ingest/events: ${eventLines.length} events, ${CLIENTS} clients, batches of ${BATCH}…`);
const liveRun = await live(eventLines);

const graphRate = N / (graphRun.ms / 1000);
const rows: (string | number)[][] = [['format', 'records read', 'sign-ins', 'rejected', 'records/s', 'sign-ins/s', '÷ Graph NDJSON (sign-ins/s)', 'peak RSS (MB)', 'seconds']];
for (const r of results) {
  const perSignIn = N / (r.run.ms / 1000);
  rows.push([r.name, r.records, N, r.run.rejected, Math.round(r.records / (r.run.ms / 1000)), Math.round(perSignIn), (perSignIn / graphRate).toFixed(2), r.run.maxRssMB, (r.run.ms / 1000).toFixed(1)]);
}
const eventsPerSecond = Math.round(liveRun.events / (liveRun.ms / 1000));
const body = `Run ${today()} on ${machineLine()}.
Input: ${N.toLocaleString('en-US')} demo sign-ins (Graph NDJSON, ${Math.round(readFileSync(graphFile).length / N)} bytes per sign-in), written in every format Gatelog reads.
Command: \`npm run bench:ingest${N === 100_000 ? '' : ` -- --sign-ins ${N}`}\`. Each import runs in its own process into a fresh DuckDB store (peak RSS is that process's).

Live: \`POST /ingest/events\` over HTTPS with an ingest API key, ${CLIENTS} concurrent clients, batches of ${BATCH} events, each client waiting for the durable answer before its next batch (retrying on 429/503):

| events | line items | seconds | events/s | retries (429/503) | server peak RSS (MB) |
|---|---|---|---|---|---|
| ${liveRun.events} | ${liveRun.imported} | ${(liveRun.ms / 1000).toFixed(1)} | ${eventsPerSecond} | ${liveRun.retries} | ${liveRun.serverRssMB} |

Files: \`gatelog import --format F\`, the same sign-ins in each format (Azure Monitor: one record per raw event, so an MFA sign-in is several records; events: a sign-in's basics, one event per authentication step and its verdict):

${markdownTable(rows)}`;
writeSection('Ingest (bench/ingest.ts)', body);
console.log(body);
