// The Sign-in Diagnostic's scenarios against the embedded DuckDB store (test/diagnose.case.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { runDiagnoseSuite } from './diagnose.case.js';

const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

runDiagnoseSuite('duckdb', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatelog-diagnose-'));
  dirs.push(dir);
  return DuckDbStore.open({ dataDir: dir });
});
