import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { outOfMemoryMessage, reportError } from './context.js';

const DUCKDB_OOM = `Out of Memory Error: could not allocate block of size 256.0 KiB (121.9 MiB/122.0 MiB used)

Possible solutions:
* Reducing the number of threads (SET threads=X)
* Increasing the memory limit (SET memory_limit='...GB')`;

describe('reportError', () => {
  it('says the store ran out of memory and which setting raises the limit, without DuckDB advice or a stack', () => {
    const out = new PassThrough();
    const code = reportError(new Error(DUCKDB_OOM), out);
    const text = String(out.read());
    expect(code).toBe(1);
    expect(text).toContain('the store ran out of memory (could not allocate block of size 256.0 KiB (121.9 MiB/122.0 MiB used))');
    expect(text).toContain('GATELOG_DUCKDB_MEMORY_LIMIT');
    expect(text).not.toContain('SET threads');
    expect(text).not.toContain('unexpected error');
    expect(text).not.toMatch(/\n\s+at /);
  });

  it('names the limit in force', () => {
    expect(outOfMemoryMessage(new Error(DUCKDB_OOM), { GATELOG_DUCKDB_MEMORY_LIMIT: '128MB' })).toContain('its limit is GATELOG_DUCKDB_MEMORY_LIMIT=128MB');
    expect(outOfMemoryMessage(new Error(DUCKDB_OOM), {})).toContain('the default, 512MB');
  });

  it('leaves other errors as unexpected, with their stack', () => {
    expect(outOfMemoryMessage(new Error('Binder Error: no such column'))).toBeNull();
    const out = new PassThrough();
    reportError(new Error('boom'), out);
    expect(String(out.read())).toMatch(/^gatelog: unexpected error: Error: boom\n\s+at /);
  });
});
