import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { runStoreSuite } from './store.case.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

runStoreSuite('duckdb', {
  async open(options = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'gatelog-duckdb-'));
    dirs.push(dir);
    return DuckDbStore.open({ dataDir: dir, threads: 2, ...options });
  },
});
