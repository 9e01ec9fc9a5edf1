import { describe, expect, it } from 'vitest';
import { parseReportInput, parseReportTime } from './report-input.js';

describe('report input', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  it('takes ISO times and spans back from now', () => {
    expect(parseReportTime('since', '2026-11-01', now)).toBe('2026-11-01T00:00:00Z');
    expect(parseReportTime('since', '7d', now)).toBe('2026-11-20T12:00:00Z');
    expect(parseReportTime('since', '24h', now)).toBe('2026-11-26T12:00:00Z');
    expect(parseReportTime('since', '30m', now)).toBe('2026-11-27T11:30:00Z');
  });
  it('says what is wrong', () => {
    expect(() => parseReportTime('since', 'yesterday', now)).toThrow("Invalid value 'yesterday' for since");
    expect(() => parseReportInput({ since: '2026-11-02', until: '2026-11-01' }, now)).toThrow('must be before until');
    expect(() => parseReportInput({ filter: 'nope eq 1' }, now)).toThrow(/nope/);
  });
  it('plans the filter and keeps the policy option', () => {
    const input = parseReportInput({ filter: "appDisplayName eq 'Outlook'", policy: ' p1 ' }, now);
    expect(input.filter?.kind).toBe('compare');
    expect(input.options).toEqual({ policy: 'p1' });
  });
});
