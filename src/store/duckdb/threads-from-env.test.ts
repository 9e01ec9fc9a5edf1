import { describe, expect, it } from 'vitest';
import { threadsFromEnv } from './duckdb-store.js';

describe('threadsFromEnv (GATELOG_DUCKDB_THREADS)', () => {
  it('reads a whole number of threads; unset or empty leaves the default', () => {
    expect(threadsFromEnv('2')).toBe(2);
    expect(threadsFromEnv(' 8 ')).toBe(8);
    expect(threadsFromEnv(undefined)).toBeUndefined();
    expect(threadsFromEnv('')).toBeUndefined();
  });

  it('refuses what is not a number of threads, naming the variable and the value', () => {
    for (const bad of ['0', '-1', '1.5', 'two', '100000']) {
      expect(() => threadsFromEnv(bad)).toThrow(`GATELOG_DUCKDB_THREADS='${bad}' is not a number of threads`);
    }
  });
});

describe('DuckDbStore.open', () => {
  it('reads GATELOG_DUCKDB_THREADS when it opens a store, and refuses a bad value', async () => {
    const { DuckDbStore } = await import('./duckdb-store.js');
    const before = process.env['GATELOG_DUCKDB_THREADS'];
    process.env['GATELOG_DUCKDB_THREADS'] = 'many';
    try {
      await expect(DuckDbStore.open({ dataDir: ':memory:' })).rejects.toThrow("GATELOG_DUCKDB_THREADS='many'");
      process.env['GATELOG_DUCKDB_THREADS'] = '2';
      const store = await DuckDbStore.open({ dataDir: ':memory:' });
      await store.close();
    } finally {
      if (before === undefined) delete process.env['GATELOG_DUCKDB_THREADS'];
      else process.env['GATELOG_DUCKDB_THREADS'] = before;
    }
  });
});
