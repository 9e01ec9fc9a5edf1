import { describe, expect, it } from 'vitest';
import { parseSince } from './audit.js';
import { CliError } from './context.js';

describe('gatelog audit --since / --until', () => {
  const now = () => Date.parse('2026-11-20T12:00:00Z');
  const p = parseSince('--since', now);
  it('takes ISO dates and times (UTC when no zone) and times before now', () => {
    expect(p('2026-11-19')).toBe('2026-11-19T00:00:00.000Z');
    expect(p('2026-11-19T08:30')).toBe('2026-11-19T08:30:00.000Z');
    expect(p('2026-11-19T08:30:00+02:00')).toBe('2026-11-19T06:30:00.000Z');
    expect(p('30m')).toBe('2026-11-20T11:30:00.000Z');
    expect(p('24h')).toBe('2026-11-19T12:00:00.000Z');
    expect(p('7d')).toBe('2026-11-13T12:00:00.000Z');
  });
  it('says what it takes otherwise', () => {
    for (const bad of ['yesterday', '2026-13-01', '7w', '']) expect(() => p(bad)).toThrow(CliError);
    expect(() => p('soon')).toThrow(/--since must be an ISO 8601 date or time/);
  });
});
