import { describe, expect, it } from 'vitest';
import { newestVersions } from './layout.js';

const row = (id: string, createdNs: string, version: string, deleted: number, record = `{"id":"${id}","v":${version}}`) => ({
  log_tenant_id: 't1',
  id,
  created_ns: createdNs,
  version,
  deleted,
  record,
  extra: null,
});

describe('newestVersions (what FINAL with deleted = 0 returns)', () => {
  it('keeps the newest version of each (tenant, time, id), whatever order the parts come in', () => {
    const out = newestVersions([row('a', '10', '2', 0), row('a', '10', '7', 0), row('a', '10', '5', 0), row('b', '10', '1', 0)]);
    expect([...out.keys()]).toEqual(['t1\u0000a\u000010', 't1\u0000b\u000010']);
    expect(out.get('t1\u0000a\u000010')?.version).toBe('7');
  });

  it('drops a key whose newest version is a tombstone, and keeps the same id at its new time', () => {
    const out = newestVersions([row('a', '10', '1', 0), row('a', '10', '3', 1), row('a', '20', '3', 0)]);
    expect([...out.keys()]).toEqual(['t1\u0000a\u000020']);
  });

  it('compares versions as 64-bit integers, not as text', () => {
    const out = newestVersions([row('a', '10', '9', 0), row('a', '10', '18446744073709551615', 0)]);
    expect(out.get('t1\u0000a\u000010')?.version).toBe('18446744073709551615');
  });
});
