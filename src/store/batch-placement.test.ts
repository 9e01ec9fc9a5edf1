import { describe, expect, it } from 'vitest';
import { batchLimit, OpenBatches, placeRecord, type HoldsSignIns } from './batch-placement.js';

function batch(...items: [id: string, tenant: string, eventKey: bigint][]): HoldsSignIns {
  return { ids: new Map(items.map(([id, tenant, eventKey]) => [id, { tenant, eventKey }])) };
}

describe('placeRecord', () => {
  it('puts a sign-in no open batch holds into the first batch', () => {
    expect(placeRecord([], { id: 'a', tenantId: 't', eventKey: 1n })).toBe(0);
    expect(placeRecord([batch(['b', 't', 1n]), batch()], { id: 'a', tenantId: 't', eventKey: 1n })).toBe(0);
  });

  it('puts another record of a sign-in after every batch that holds one, so they load in order', () => {
    const open = [batch(['a', 't', 1n]), batch(['c', 't', 1n]), batch(['a', 't', 2n])];
    expect(placeRecord(open, { id: 'a', tenantId: 't', eventKey: 3n })).toBe(3);
    expect(placeRecord(open, { id: 'c', tenantId: 't', eventKey: 2n })).toBe(2);
    // The same id in another tenant is another sign-in, but a batch keys by id: it still goes after.
    expect(placeRecord(open, { id: 'c', tenantId: 'u', eventKey: 1n })).toBe(2);
  });

  it('says unchanged for the very event a batch already holds', () => {
    const open = [batch(['a', 't', 1n]), batch(['a', 't', 2n])];
    expect(placeRecord(open, { id: 'a', tenantId: 't', eventKey: 2n })).toBe('unchanged');
    expect(placeRecord(open, { id: 'a', tenantId: 't', eventKey: 1n })).toBe('unchanged');
  });
});

describe('batchLimit', () => {
  it('keeps the configured size for the first batch and caps the batches of further versions', () => {
    expect(batchLimit(0, 10_000)).toBe(10_000);
    expect(batchLimit(1, 10_000)).toBe(1000);
    expect(batchLimit(3, 500)).toBe(500);
  });
});

describe('OpenBatches', () => {
  interface B {
    ids: Map<string, { tenant: string; eventKey: bigint }>;
    n: number;
  }
  function setup(limit: number) {
    const loaded: string[][] = [];
    const batches = new OpenBatches<B>({
      create: () => ({ ids: new Map(), n: 0 }),
      full: (b) => b.n >= limit,
      close: (b) => {
        loaded.push([...b.ids.keys()]);
        return undefined;
      },
    });
    const add = (id: string, eventKey: bigint) =>
      batches.add({ id, tenantId: 't', eventKey }, (b) => {
        b.ids.set(id, { tenant: 't', eventKey });
        b.n++;
      });
    return { batches, loaded, add };
  }

  it("loads a sign-in's records in the order they came, one a batch, without closing batches early", () => {
    const { batches, loaded, add } = setup(100);
    for (const [id, k] of [['a', 1n], ['a', 2n], ['b', 1n], ['a', 3n], ['b', 2n], ['c', 1n]] as const) void add(id, k);
    expect(loaded).toEqual([]);
    expect(add('a', 2n)).toBe('unchanged');
    void batches.closeAll();
    expect(loaded).toEqual([['a', 'b', 'c'], ['a', 'b'], ['a']]);
  });

  it('loads a full batch with every batch before it, and the oldest when too many are open', () => {
    const { loaded, add } = setup(2);
    void add('a', 1n);
    void add('a', 2n);
    void add('b', 1n); // fills the first batch: it loads
    expect(loaded).toEqual([['a', 'b']]);
    for (let k = 3n; k < 12n; k++) void add('a', k);
    // Never more than eight batches open: the oldest ones loaded first.
    expect(loaded.length).toBeGreaterThan(1);
    expect(loaded.flat().filter((id) => id === 'a')).toHaveLength(loaded.length);
  });
});
