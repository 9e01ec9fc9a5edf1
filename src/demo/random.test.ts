import { describe, expect, it } from 'vitest';
import { Random, Weighted, guidFromWords, hashString, stableGuid, stableGuidOf } from './random.js';

const GUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('Random', () => {
  it('repeats for a seed and differs between seeds', () => {
    const take = (seed: number): number[] => {
      const r = new Random(seed);
      return Array.from({ length: 8 }, () => r.u32());
    };
    expect(take(1)).toEqual(take(1));
    expect(take(1)).not.toEqual(take(2));
  });

  it('stays in range and is roughly uniform', () => {
    const r = new Random(7);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const f = r.float();
      expect(f >= 0 && f < 1).toBe(true);
      (buckets[Math.floor(f * 10)] as number)++;
    }
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
    for (let i = 0; i < 1000; i++) {
      const n = r.between(3, 5);
      expect(n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true);
      const f = r.float53();
      expect(f >= 0 && f < 1).toBe(true);
    }
  });

  it('makes lower-case version-4 GUIDs', () => {
    const r = new Random(3);
    for (let i = 0; i < 100; i++) expect(r.guid()).toMatch(GUID_V4);
    expect(guidFromWords(0, 0, 0, 0)).toBe('00000000-0000-4000-8000-000000000000');
    expect(guidFromWords(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff)).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
  });
});

describe('stable ids', () => {
  it('gives the same GUID for the same name or coordinates', () => {
    expect(stableGuid('user:1')).toBe(stableGuid('user:1'));
    expect(stableGuid('user:1')).not.toBe(stableGuid('user:2'));
    expect(stableGuid('user:1')).toMatch(GUID_V4);
    expect(stableGuidOf(1, 2, 3, 4)).toBe(stableGuidOf(1, 2, 3, 4));
    expect(stableGuidOf(1, 2, 3, 4)).not.toBe(stableGuidOf(1, 2, 3, 5));
    expect(hashString('a')).not.toBe(hashString('b'));
  });
});

describe('Weighted', () => {
  it('picks in proportion to the weights and never a zero weight', () => {
    const w = new Weighted([
      ['a', 1],
      ['b', 3],
      ['never', 0],
      ['c', 6],
    ] as const);
    const r = new Random(11);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 100_000; i++) {
      const x = w.pick(r);
      counts[x] = (counts[x] ?? 0) + 1;
    }
    expect(counts['never']).toBeUndefined();
    expect(Math.abs((counts['a'] ?? 0) / 100_000 - 0.1)).toBeLessThan(0.01);
    expect(Math.abs((counts['b'] ?? 0) / 100_000 - 0.3)).toBeLessThan(0.01);
    expect(Math.abs((counts['c'] ?? 0) / 100_000 - 0.6)).toBeLessThan(0.01);
  });

  it('refuses empty lists and bad weights', () => {
    expect(() => new Weighted([])).toThrow();
    expect(() => new Weighted([['a', -1]])).toThrow();
    expect(() => new Weighted([['a', 0]])).toThrow();
  });
});
