// bench/import: `gatelog import` of N generated sign-ins (Graph NDJSON, realistic sizes: the demo
// tenant with 30 Conditional Access policies, so user sign-ins carry dozens of policy entries),
// beside DuckDB's own read_json_auto loading the same file into a table, in the same run.
// Measures records/s, peak RSS (each side in its own process) and bytes on disk per sign-in.
//   npm run bench:import                  (1,000,000 sign-ins)
//   npm run bench:import -- --sign-ins 200000
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { machineLine, markdownTable, today, writeSection } from './machine.js';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', 'out');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const N = arg('sign-ins', 1_000_000);
const POLICIES = 30;

interface Measured {
  ms: number;
  maxRssMB: number;
}

function measured(args: string[]): Measured {
  const out = execFileSync(process.execPath, [join(ROOT, 'bench', 'measured.mjs'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 }).toString();
  const last = out.trim().split('\n').pop() ?? '{}';
  return JSON.parse(last) as Measured;
}

function sizeOf(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

mkdirSync(OUT, { recursive: true });
const file = join(OUT, `import-${N}-p${POLICIES}.ndjson`);
if (!existsSync(file)) {
  console.error(`generating ${N} sign-ins into ${file}…`);
  execFileSync(process.execPath, [join(ROOT, 'bin', 'gatelog'), 'demo', '--sign-ins', String(N), '--days', '30', '--seed', '7', '--policies', String(POLICIES), '--end', '2026-11-01T00:00:00Z', '--out', file], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
const fileBytes = sizeOf(file);
// The machine may be shared: its load when the run started says how far the seconds can be trusted.
const load = loadavg()[0]?.toFixed(1) ?? '?';

const baseDb = join(OUT, 'baseline.duckdb');
rmSync(baseDb, { force: true });
rmSync(`${baseDb}.wal`, { force: true });
console.error('baseline: DuckDB read_json_auto…');
const base = measured(['duckdb-read-json-auto', file, baseDb]);
const baseBytes = sizeOf(baseDb);

const data = join(OUT, 'gatelog-import');
rmSync(data, { recursive: true, force: true });
console.error('gatelog import…');
const ours = measured(['gatelog', 'import', '--data', data, '--no-progress', file]);
const oursBytes = sizeOf(join(data, 'gatelog.duckdb'));
console.error('gatelog import again (everything unchanged)…');
const again = measured(['gatelog', 'import', '--data', data, '--no-progress', file]);
rmSync(baseDb, { force: true });
rmSync(data, { recursive: true, force: true });

const rate = (m: Measured): number => Math.round(N / (m.ms / 1000));
const mb = (b: number): string => (b / 2 ** 20).toFixed(0);
const rows = [
  ['', 'records/s', 'peak RSS (MB)', 'bytes on disk / sign-in', 'seconds'],
  ['DuckDB read_json_auto (baseline)', rate(base), base.maxRssMB, Math.round(baseBytes / N), (base.ms / 1000).toFixed(1)],
  ['gatelog import', rate(ours), ours.maxRssMB, Math.round(oursBytes / N), (ours.ms / 1000).toFixed(1)],
  ['gatelog import, same file again', rate(again), again.maxRssMB, '', (again.ms / 1000).toFixed(1)],
];
const table = markdownTable(rows);
const ratio = (rate(ours) / rate(base)).toFixed(2);
const diskRatio = (oursBytes / baseBytes).toFixed(2);
const body = `Run ${today()} on ${machineLine()}; load average ${load} at the start.
Input: ${N.toLocaleString('en-US')} demo sign-ins (${POLICIES} Conditional Access policies), Graph NDJSON, ${mb(fileBytes)} MB (${Math.round(fileBytes / N)} bytes per sign-in).
Command: \`npm run bench:import${N === 1_000_000 ? '' : ` -- --sign-ins ${N}`}\`. Each side runs in its own process (peak RSS is that process's).

${table}

Goals: ≥ 1.0× DuckDB's records/s (measured: ${ratio}×), ≤ 1.5× its bytes on disk (measured: ${diskRatio}×), peak RSS ≤ 512 MB (measured: ${ours.maxRssMB} MB).
gatelog's store also keeps, per sign-in, its raw-event row (identity, source file and line), the ingest metadata, and the rows of the element tables reports read, which the import writes at its end, where it also recounts the day rollups and correlation successors (design/0002, "Derived rows at a bulk import's end"); the baseline table holds only the parsed records.
Where the memory and the time go, and what bounds them: docs/design/0002-loading-duckdb-with-read-json.md (Revisited).`;
writeSection('Import (bench/import.ts)', body);
console.log(body);
