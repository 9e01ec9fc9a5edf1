import { describe, expect, it } from 'vitest';
import { batchLimit, placeRecord, type HoldsSignIns } from './batch-placement.js';

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
