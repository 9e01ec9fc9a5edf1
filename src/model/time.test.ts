import { describe, expect, it } from 'vitest';
import { canonicalDateTime, formatDateTime, parseDateTime } from './time.js';

describe('parseDateTime / formatDateTime', () => {
  it('keeps all 7 fractional digits Entra writes', () => {
    const ns = parseDateTime('2018-01-09T21:17:21.5077253Z');
    expect(ns).toBe(1515532641507725300n);
    expect(formatDateTime(ns as bigint)).toBe('2018-01-09T21:17:21.5077253Z');
  });

  it('renders whole seconds without a fraction and trims trailing zeros, as Graph does', () => {
    expect(canonicalDateTime('2021-06-30T16:34:32Z')).toBe('2021-06-30T16:34:32Z');
    expect(canonicalDateTime('2021-06-30T16:34:32.1200000Z')).toBe('2021-06-30T16:34:32.12Z');
  });

  it('keeps nanoseconds when a source has them', () => {
    expect(canonicalDateTime('2021-06-30T16:34:32.123456789Z')).toBe('2021-06-30T16:34:32.123456789Z');
  });

  it('reads offsets, a space separator and no zone (UTC)', () => {
    expect(canonicalDateTime('2021-06-30T18:34:32+02:00')).toBe('2021-06-30T16:34:32Z');
    expect(canonicalDateTime('2023-01-01 12:00:00.000')).toBe('2023-01-01T12:00:00Z');
    expect(canonicalDateTime('2026-01-24')).toBe('2026-01-24T00:00:00Z');
  });

  it('refuses what is not a date-time', () => {
    for (const bad of ['', 'yesterday', '2021-02-30T00:00:00Z', '2021-13-01T00:00:00Z', '2021-06-30T24:00:00Z', '9999999-01-01T00:00:00Z']) {
      expect(parseDateTime(bad), bad).toBeNull();
    }
  });

  it('round-trips dates before the epoch and leap days', () => {
    for (const t of ['1969-12-31T23:59:59.9999999Z', '2024-02-29T12:00:00Z', '1700-03-01T00:00:00Z']) {
      expect(formatDateTime(parseDateTime(t) as bigint)).toBe(t);
    }
  });
});
