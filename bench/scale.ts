// bench/scale: the same N demo sign-ins imported into the embedded DuckDB store and into a
// ClickHouse cluster of two shards (two clickhouse-server processes on this machine), through
// `gatelog import`, then the same queries on both, in one run.
//   npm run bench:scale                       (1,000,000 sign-ins)
//   npm run bench:scale -- --sign-ins 10000000
//   npm run bench:scale -- --sign-ins 10000000 --resume   (keeps a DuckDB half finished by an
//                                                          interrupted run, with its timing)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startClickHouseCluster } from '../test/helpers/clickhouse.js';
import { INTERACTIVE_ONLY, planFilter } from '../src/query/plan.js';
import { and, TRUE } from '../src/query/sql/expr.js';
import { createStore } from '../src/store/create-store.js';
import type { SignInStore } from '../src/store/sign-in-store.js';
import { machineLine, today, writeSection } from './machine.js';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', 'out');
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('sign-ins', 1_000_000);
const RUNS = 7;

function gatelog(args: string[], env: NodeJS.ProcessEnv = {}): number {
  const t0 = performance.now();
  execFileSync(process.execPath, [join(ROOT, 'bin', 'gatelog'), ...args], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
  return performance.now() - t0;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

mkdirSync(OUT, { recursive: true });
const file = join(OUT, `scale-${N}.ndjson.gz`);
if (!existsSync(file)) {
  console.error(`generating ${N} sign-ins…`);
  gatelog(['demo', '--sign-ins', String(N), '--days', '30', '--seed', '13', '--end', '2026-11-01T00:00:00Z', '--out', file]);
}

const duckDir = join(OUT, `scale-duckdb-${N}`);
// The DuckDB half of a long run is kept with its timing until the whole run has finished, so
// `--resume` can go on from the ClickHouse half after an interruption. The results say so.
const duckState = join(OUT, `scale-duckdb-${N}.json`);
interface DuckHalf {
  ms: number;
  bytes: number;
  at: string;
}
let duckHalf: DuckHalf | undefined;
const duckResumed = process.argv.includes('--resume') && existsSync(duckState) && existsSync(duckDir);
if (duckResumed) {
  duckHalf = JSON.parse(readFileSync(duckState, 'utf8')) as DuckHalf;
  console.error(`resuming: the DuckDB import of ${duckHalf.at} is kept`);
} else {
  rmSync(duckDir, { recursive: true, force: true });
  rmSync(duckState, { force: true });
  console.error('import into DuckDB…');
  const ms = gatelog(['import', '--no-progress', '--no-geo', '--data', duckDir, file]);
  duckHalf = { ms, bytes: statSync(join(duckDir, 'gatelog.duckdb')).size, at: new Date().toISOString() };
  writeFileSync(duckState, JSON.stringify(duckHalf));
}
const { ms: duckMs, bytes: duckBytes } = duckHalf;

// The ClickHouse half is kept the same way: its servers' folders and the import's timing stay
// until the queries have run, so a failure there does not cost the import again.
const chDir = join(OUT, `scale-clickhouse-${N}`);
const chState = join(OUT, `scale-clickhouse-${N}.json`);
let chHalf: { ms: number; at: string } | undefined;
const chResumed = process.argv.includes('--resume') && existsSync(chState) && existsSync(chDir);
if (chResumed) {
  chHalf = JSON.parse(readFileSync(chState, 'utf8')) as { ms: number; at: string };
  console.error(`resuming: the ClickHouse import of ${chHalf.at} is kept`);
} else {
  rmSync(chDir, { recursive: true, force: true });
  rmSync(chState, { force: true });
}
console.error('starting a ClickHouse cluster of two shards…');
const cluster = await startClickHouseCluster({ shards: 2, merges: true, root: chDir });
try {
  const url = `${cluster.url}/gatelog_bench`;
  if (!chHalf) {
    console.error('import into ClickHouse…');
    const ms = gatelog(['import', '--no-progress', '--no-geo', '--store', 'clickhouse', '--clickhouse-url', url, '--clickhouse-cluster', cluster.name, file]);
    chHalf = { ms, at: new Date().toISOString() };
    writeFileSync(chState, JSON.stringify(chHalf));
  }
  const chMs = chHalf.ms;
  const duck = await createStore({ kind: 'duckdb', dataDir: duckDir });
  const ch = await createStore({ kind: 'clickhouse', url, cluster: cluster.name });
  let chBytes = 0;
  for (const s of cluster.servers) {
    const r = await fetch(`${s.url}/?query=${encodeURIComponent("SELECT sum(bytes_on_disk) FROM system.parts WHERE database = 'gatelog_bench' AND active")}`);
    chBytes += Number((await r.text()).trim());
  }
  const filters = [
    ['newest page (no filter)', ''],
    ['by user', "userPrincipalName eq 'lynne.smith@contoso-demo.example'"],
    ['errorCode ne 0', 'status/errorCode ne 0'],
    ["startsWith(appDisplayName, 'Microsoft')", "startsWith(appDisplayName, 'Microsoft')"],
    ['CA failure', "conditionalAccessStatus eq 'failure'"],
    ['report-only failure of any policy', "appliedConditionalAccessPolicies/any(p: p/result eq 'reportOnlyFailure')"],
    ['location/city', "location/city eq 'Seattle'"],
    ['one hour', 'createdDateTime ge 2026-10-20T10:00:00Z and createdDateTime lt 2026-10-20T11:00:00Z'],
  ] as const;
  const measure = async (store: SignInStore, filter: string): Promise<number> => {
    const where = filter ? and(planFilter(filter, 'beta').condition, INTERACTIVE_ONLY) : INTERACTIVE_ONLY;
    const times: number[] = [];
    await store.query({ where, order: 'desc', limit: 1000 });
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await store.query({ where, order: 'desc', limit: 1000 });
      times.push(performance.now() - t0);
    }
    return pct(times, 50);
  };
  const rows: string[] = [];
  for (const [name, f] of filters) rows.push(`| ${name} | ${(await measure(duck, f)).toFixed(0)} | ${(await measure(ch, f)).toFixed(0)} |`);
  const countMs = async (store: SignInStore): Promise<number> => {
    const t0 = performance.now();
    await store.count(TRUE);
    return performance.now() - t0;
  };
  rows.push(`| count of all sign-ins | ${(await countMs(duck)).toFixed(0)} | ${(await countMs(ch)).toFixed(0)} |`);
  await duck.close();
  await ch.close();
  const rate = (ms: number): number => Math.round(N / (ms / 1000));
  const kept = [duckResumed ? `the DuckDB import finished at ${duckHalf.at}` : '', chResumed ? `the ClickHouse import finished at ${chHalf.at}` : ''].filter(Boolean);
  const resumed = kept.length ? ` Resumed (\`--resume\`), kept from an earlier run: ${kept.join(', and ')}; the rest ran after.` : '';
  const body = `Run ${today()} on ${machineLine()}; ClickHouse ${'18.16'} (Debian's package), two shards as two server processes on this same machine.${resumed}
Data: ${N.toLocaleString('en-US')} demo sign-ins, one gzipped Graph NDJSON file. Command: \`npm run bench:scale${N === 1_000_000 ? '' : ` -- --sign-ins ${N}`}\`.

| | DuckDB (embedded) | ClickHouse (2 shards) |
|---|---|---|
| \`gatelog import\` (records/s) | ${rate(duckMs)} | ${rate(chMs)} |
| bytes on disk per sign-in | ${Math.round(duckBytes / N)} | ${Math.round(chBytes / N)} |

Pages of up to 1000 full records, interactive sign-ins, newest first, p50 of ${RUNS} runs in ms (the store's query, in process):

| query | DuckDB | ClickHouse (2 shards) |
|---|---|---|
${rows.join('\n')}

Both shards share this machine's 2 cores here; on a cluster each shard has its own.`;
  writeSection('Scale-out (bench/scale.ts)', body);
  console.log(body);
} finally {
  await cluster.stop();
}
// Both halves are kept until the run has finished (a failure above skips this), for `--resume`.
for (const path of [duckDir, duckState, chDir, chState]) rmSync(path, { recursive: true, force: true });
