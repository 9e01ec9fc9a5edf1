import { describe, expect, it } from 'vitest';
import { bytesOf, nextStamp, readerMemoryLimit, stampsAfter } from './duckdb-writer.js';

describe('bytesOf', () => {
  it('reads DuckDB memory sizes in decimal and binary units', () => {
    expect(bytesOf('512MB')).toBe(512_000_000);
    expect(bytesOf('488.2 MiB')).toBeCloseTo(488.2 * 2 ** 20);
    expect(bytesOf('1GB')).toBe(1_000_000_000);
    expect(bytesOf('2GiB')).toBe(2 * 2 ** 30);
    expect(bytesOf('201326592B')).toBe(201_326_592);
    expect(bytesOf('64kb')).toBe(64_000);
  });

  it('says null for what is not a size, so that the store keeps its own limit', () => {
    expect(bytesOf('')).toBeNull();
    expect(bytesOf('lots')).toBeNull();
    expect(bytesOf('80%')).toBeNull();
  });
});

describe('readerMemoryLimit', () => {
  it('bounds the JSON reader below the store limit, with room for four of the largest record', () => {
    expect(readerMemoryLimit({ memoryLimit: '512MB', bulkLoad: true }, 0)).toBe(`${192 * 2 ** 20}B`);
    expect(readerMemoryLimit({ memoryLimit: '4GB', bulkLoad: true }, 10_000_000)).toBe(`${192 * 2 ** 20 + 40_000_000}B`);
    // Never above the store's own limit.
    expect(readerMemoryLimit({ memoryLimit: '128MB', bulkLoad: true }, 0)).toBeNull();
    expect(readerMemoryLimit({ memoryLimit: '512MB', bulkLoad: true }, 100_000_000)).toBeNull();
  });
});

describe('nextStamp', () => {
  it('gives DuckDB timestamps of the wall clock, each later than the one before, even within a microsecond', () => {
    const before = Date.now();
    const stamps = Array.from({ length: 1000 }, () => nextStamp());
    const after = Date.now();
    for (const s of stamps) expect(s).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/);
    // Fixed-width text: later sorts after.
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! > stamps[i - 1]!).toBe(true);
    const ms = (s: string) => Date.parse(`${s.replace(' ', 'T').slice(0, 23)}Z`);
    expect(ms(stamps[0]!)).toBeGreaterThanOrEqual(before);
    expect(ms(stamps[0]!)).toBeLessThanOrEqual(after);
  });
});

describe('stampsAfter', () => {
  it('makes the next write times later than a store\'s newest, should the clock be behind it', () => {
    // A store written an hour ahead of this clock (microseconds since the epoch).
    const ahead = BigInt(Date.now() + 3_600_000) * 1000n;
    stampsAfter(ahead);
    const next = nextStamp();
    const us = BigInt(Date.parse(`${next.replace(' ', 'T').slice(0, 19)}Z`)) * 1000n + BigInt(next.slice(20));
    expect(us).toBe(ahead + 1n);
    // An earlier time changes nothing.
    stampsAfter(0n);
    expect(nextStamp() > next).toBe(true);
  });
});
