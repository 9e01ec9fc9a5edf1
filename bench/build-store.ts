// Builds (once, then reuses) a DuckDB store of N demo sign-ins for the query benchmarks.
// The demo records are canonical, so this loads them with DuckDB's read_json straight into the
// store's tables, chunk by chunk, instead of through `gatelog import` (bench/import measures that):
// 10 million sign-ins would otherwise take the import's time before every query benchmark.
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateSignIns, type DemoOptions } from '../src/demo/generate-sign-ins.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { groupHashSql, keyHashSql, SIGN_IN_COLUMNS, readJsonColumnsSql } from '../src/store/duckdb/layout.js';
import { quoteIdent } from '../src/store/duckdb/duckdb-types.js';

export const QUERY_BENCH_END = new Date('2026-11-01T00:00:00Z');

export interface BuiltStore {
  dataDir: string;
  /** NDJSON of the first chunk, kept for tools that read files (jq). */
  firstChunk: string;
  firstChunkRecords: number;
}

const CHUNK = 250_000;

export async function buildStore(outDir: string, signIns: number, seed = 11): Promise<BuiltStore> {
  const dataDir = join(outDir, `query-store-${signIns}`);
  const firstChunk = join(outDir, `query-first-chunk-${signIns}.ndjson`);
  const marker = join(dataDir, 'built.json');
  const want = JSON.stringify({ signIns, seed, end: QUERY_BENCH_END.toISOString(), chunk: CHUNK, sorted: true });
  if (existsSync(marker) && readFileSync(marker, 'utf8') === want && existsSync(firstChunk)) {
    return { dataDir, firstChunk, firstChunkRecords: Math.min(CHUNK, signIns) };
  }
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  await (await DuckDbStore.open({ dataDir })).close(); // the store's own tables, by its migrations
  const instance = await DuckDBInstance.create(join(dataDir, 'gatelog.duckdb'), { preserve_insertion_order: 'false' });
  const con = await instance.connect();
  const options: DemoOptions = { signIns, days: 30, seed, end: QUERY_BENCH_END };
  const TENANT = `coalesce(r."resourceTenantId", '00000000-0000-0000-0000-000000000000')`;
  const cols = SIGN_IN_COLUMNS.map((c) => `r.${quoteIdent(c)}`).join(', ');
  let chunkFile = '';
  let out: ReturnType<typeof createWriteStream> | null = null;
  let inChunk = 0;
  let done = 0;
  let chunkNo = 0;
  const load = async (): Promise<void> => {
    if (!out) return;
    out.end();
    await once(out, 'finish');
    const src = `read_json('${chunkFile}', format = 'newline_delimited', columns = ${readJsonColumnsSql()})`;
    await con.run(`INSERT INTO sign_ins SELECT ${TENANT}, ${cols}, NULL, hash(r.id), now(), ${keyHashSql(TENANT, 'r.id')}, ${groupHashSql(TENANT, 'r."correlationId"', 'r.id')} FROM ${src} r ORDER BY 1, r."createdDateTime", r.id`);
    await con.run(
      `INSERT INTO sign_in_events SELECT coalesce(r."resourceTenantId", '00000000-0000-0000-0000-000000000000'), r.id, hash(r.id), r."createdDateTime", now(), 'graph', 'demo', NULL, NULL, NULL, NULL, NULL FROM ${src} r`,
    );
    if (chunkNo > 1) rmSync(chunkFile, { force: true });
    done += inChunk;
    process.stderr.write(`  store: ${done} of ${signIns} sign-ins\n`);
    out = null;
    inChunk = 0;
  };
  for (const r of generateSignIns(options)) {
    if (!out) {
      chunkNo++;
      chunkFile = chunkNo === 1 ? firstChunk : join(outDir, `query-chunk.ndjson`);
      out = createWriteStream(chunkFile);
    }
    if (!out.write(`${JSON.stringify(r)}\n`)) await once(out, 'drain');
    if (++inChunk === CHUNK) await load();
  }
  await load();
  await con.run('CHECKPOINT');
  con.closeSync();
  instance.closeSync();
  writeFileSync(marker, want);
  return { dataDir, firstChunk, firstChunkRecords: Math.min(CHUNK, signIns) };
}
