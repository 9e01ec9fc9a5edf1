// What every report shares: its input (a time range and a filter over the caller's readable
// sign-ins), its output (titled sections of aggregated rows, each with the definition of its
// numbers and how to chart it), and small builders for the conditions reports use. Reports read
// through a ReportReader (the API passes its ScopedReader, so the caller's tenant scope applies).
import type { AggregateQuery, AggregateRow } from '../query/sql/aggregate.js';
import { and, column, not, or, value, type ColumnRef, type Condition, type Operand, type ValueType, type VarRef } from '../query/sql/expr.js';

/** What a report reads: counts from the store, with the caller's scope already in them. */
export interface ReportReader {
  aggregate(q: AggregateQuery): Promise<AggregateRow[]>;
}

export interface ReportInput {
  /** Sign-ins at or after this time (ISO 8601). */
  since?: string;
  /** Sign-ins before this time (ISO 8601). */
  until?: string;
  /** A checked Graph $filter (its neutral condition), ANDed with the report's own selection. */
  filter?: Condition;
  /** Report options (`policy` for conditional-access). */
  options?: Readonly<Record<string, string | undefined>>;
}

/** How a section is best drawn. */
export type Chart =
  /**
   * Stacked columns over time: x is a time key, one series per value of `series` (or one per
   * measure in `measures`); with `pick`, the rows of one value of that column at a time (the
   * viewer picks it; the first row's value at first).
   */
  | { kind: 'timeBars'; x: string; series?: string; y?: string; measures?: readonly string[]; pick?: string }
  /** Horizontal bars: one bar per row, labelled by `label`, sized by `measures` (stacked). */
  | { kind: 'bars'; label: string; measures: readonly string[] }
  /** A world plot of points at `lat`/`lon`, sized by `size`. */
  | { kind: 'map'; label: string; lat: string; lon: string; size: string }
  /** Key figures: each measure of the single row as a number. */
  | { kind: 'figures'; measures: readonly string[] }
  | { kind: 'table' };

export interface Column {
  name: string;
  label: string;
  /** What the number means (shown beside it). */
  definition?: string;
  /** 'percent': a share from 0 to 1. */
  format?: 'number' | 'percent' | 'text' | 'time';
}

export interface ReportSection {
  id: string;
  title: string;
  /** What the section counts, precisely (sign-ins selected, de-duplication, folding). */
  definition: string;
  chart: Chart;
  columns: readonly Column[];
  rows: AggregateRow[];
}

export interface Report {
  name: string;
  title: string;
  /** The selection every section starts from. */
  definition: string;
  since: string | null;
  until: string | null;
  /** Sign-ins the report counted (the audit's row count). */
  signIns: number;
  sections: ReportSection[];
}

// Condition builders (the neutral IR, so both stores render them).

export function col(path: string, type: ValueType = 'string'): ColumnRef {
  return column(path.split('/'), type);
}

export function field(variable: string, path: string, type: ValueType = 'string'): VarRef {
  return { kind: 'var', name: variable, path: path === '' ? [] : path.split('/'), type };
}

export function eq(o: Operand, v: string | number | boolean, caseInsensitive = false): Condition {
  const type: ValueType = typeof v === 'number' ? 'int' : typeof v === 'boolean' ? 'boolean' : 'string';
  return { kind: 'compare', op: 'eq', left: o, right: value(v, type), caseInsensitive };
}

export function ne(o: Operand, v: string | number | boolean): Condition {
  const type: ValueType = typeof v === 'number' ? 'int' : typeof v === 'boolean' ? 'boolean' : 'string';
  return { kind: 'compare', op: 'ne', left: o, right: value(v, type), caseInsensitive: false };
}

export function oneOf(o: Operand, values: readonly string[], caseInsensitive = false): Condition {
  return { kind: 'in', operand: o, values: values.map((v) => value(v, 'string')), caseInsensitive };
}

export function present(o: Operand): Condition {
  return { kind: 'isNull', operand: o, negated: true };
}

export function contains(o: Operand, part: string): Condition {
  return { kind: 'text', op: 'contains', operand: o, value: value(part, 'string') };
}

export function startsWith(o: Operand, prefix: string): Condition {
  return { kind: 'text', op: 'startsWith', operand: o, value: value(prefix, 'string') };
}

export function anyOf(collection: Operand, variable: string, body: Condition): Condition {
  return { kind: 'lambda', quantifier: 'any', collection, variable, body };
}

export function same(left: Operand, right: Operand): Condition {
  return { kind: 'sameValue', left, right, caseInsensitive: true };
}

/** A failed sign-in: an error code other than 0. */
export const FAILED: Condition = and(present(col('status/errorCode', 'int')), ne(col('status/errorCode', 'int'), 0));
export const SUCCEEDED: Condition = eq(col('status/errorCode', 'int'), 0);

/** Sign-ins of the input's time range and filter. */
export function selection(input: ReportInput, ...more: Condition[]): Condition {
  const time = col('createdDateTime', 'datetime');
  const parts: Condition[] = [];
  if (input.since) parts.push({ kind: 'compare', op: 'ge', left: time, right: value(input.since, 'datetime'), caseInsensitive: false });
  if (input.until) parts.push({ kind: 'compare', op: 'lt', left: time, right: value(input.until, 'datetime'), caseInsensitive: false });
  return and(...parts, input.filter ?? { kind: 'true' }, ...more);
}

/** The log tenant (meta column), for "this tenant" in cross-tenant directions. */
export const LOG_TENANT: ColumnRef = { kind: 'column', path: ['log_tenant_id'], meta: 'tenant', type: 'string' };

export { and, not, or };

/** A number of a row (0 when null). */
export function num(row: AggregateRow | undefined, name: string): number {
  const v = row?.[name];
  return typeof v === 'number' ? v : 0;
}

/** succeeded ÷ (succeeded + failed), or null when there were none. */
export function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
