// The OData $filter golden cases on the embedded DuckDB store (in a temporary data directory).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { runODataGolden } from './odata-golden.case.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

runODataGolden('duckdb', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatelog-odata-golden-'));
  dirs.push(dir);
  return DuckDbStore.open({ dataDir: dir, threads: 2 });
});
