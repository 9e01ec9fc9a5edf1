// The shape of GET /api/reports/{name} (src/reports/report.ts on the server), and what the web UI
// draws from it.
import type { AggregateRow, AggregateValue } from '../../../src/query/sql/aggregate.js';
import type { Chart, Column, Report, ReportSection } from '../../../src/reports/report.js';

// The server's own types (type-only: nothing of the server is bundled).
export type { Chart, Column, Report, ReportSection };
export type Value = AggregateValue;
export type Row = AggregateRow;

/** One bar segment (or point) a chart draws: [x or label, series, value]. */
export type ChartPoint = [string, string, number];

const num = (v: Value | undefined): number => (typeof v === 'number' ? v : 0);

/** A time key as the chart's axis label: the UTC day (or hour) it starts. */
export function timeLabel(v: Value | undefined): string {
  if (typeof v !== 'string') return String(v ?? '');
  return v.endsWith('T00:00:00Z') ? v.slice(0, 10) : v.replace('T', ' ').replace(/:00Z$/, ' UTC');
}

/**
 * The points a section's chart draws, from its rows: what the page plots and what the browser test
 * compares with the API's numbers.
 */
export function chartPoints(s: ReportSection, picked?: string): ChartPoint[] {
  const c = s.chart;
  const label = (col: string): string => s.columns.find((x) => x.name === col)?.label ?? col;
  switch (c.kind) {
    case 'timeBars': {
      const pick = c.pick;
      const value = pick ? (picked ?? pickValues(s)[0]) : undefined;
      const rows = pick ? s.rows.filter((r) => String(r[pick] ?? '') === value) : s.rows;
      if (c.series && c.y) {
        const series = c.series;
        const y = c.y;
        return rows.map((r) => [timeLabel(r[c.x]), String(r[series] ?? '(none)'), num(r[y])]);
      }
      return rows.flatMap((r) => (c.measures ?? []).map((m): ChartPoint => [timeLabel(r[c.x]), label(m), num(r[m])]));
    }
    case 'bars':
      return s.rows.flatMap((r) => c.measures.map((m): ChartPoint => [String(r[c.label] ?? '(none)'), label(m), num(r[m])]));
    case 'map':
      return s.rows.filter((r) => typeof r[c.lat] === 'number' && typeof r[c.lon] === 'number').map((r) => [String(r[c.label] ?? ''), label(c.size), num(r[c.size])]);
    case 'figures':
      return c.measures.map((m) => [label(m), label(m), num(s.rows[0]?.[m])]);
    case 'table':
      return [];
  }
}

/** The values a section's chart can be narrowed to (its `pick` column), in the order of its rows. */
export function pickValues(s: ReportSection): string[] {
  const c = s.chart;
  if (c.kind !== 'timeBars' || !c.pick) return [];
  const pick = c.pick;
  return [...new Set(s.rows.map((r) => String(r[pick] ?? '')))];
}
