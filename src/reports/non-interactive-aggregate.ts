// The non-interactive sign-ins' aggregate view (semantics.md §6.2): sign-ins grouped by
// application, user, IP address, status and resource within 1-hour, 6-hour or 24-hour windows, as
// the Entra admin center's "Time aggregate" shows them (Graph: getSummarizedNonInteractiveSignIns).
import type { AggregateQuery, AggregateRow } from '../query/sql/aggregate.js';
import { col, selection, type ReportInput, type ReportReader } from './report.js';

export const AGGREGATE_WINDOWS = { '1h': 1, '6h': 6, '24h': 24 } as const;
export type AggregateWindow = keyof typeof AGGREGATE_WINDOWS;

export interface NonInteractiveAggregate {
  window: AggregateWindow;
  /** Groups, newest window first, then most sign-ins first. */
  rows: AggregateRow[];
  /** True when there were more groups than `top`. */
  truncated: boolean;
  /** Sign-ins in the groups returned. */
  signIns: number;
}

const NON_INTERACTIVE = {
  kind: 'lambda',
  quantifier: 'any',
  collection: col('signInEventTypes'),
  variable: 't',
  body: { kind: 'compare', op: 'eq', left: { kind: 'var', name: 't', path: [], type: 'string' }, right: { kind: 'value', value: 'nonInteractiveUser', type: 'string' }, caseInsensitive: false },
} as const;

/**
 * One row per (window, application, user, IP address, status, resource): the number of sign-ins,
 * the first and last sign-in time, and the names seen.
 */
export async function aggregateNonInteractive(reader: ReportReader, input: ReportInput & { window: AggregateWindow; top: number }): Promise<NonInteractiveAggregate> {
  const q: AggregateQuery = {
    where: selection(input, NON_INTERACTIVE),
    groupBy: [
      { name: 'window', key: { kind: 'timeBucket', hours: AGGREGATE_WINDOWS[input.window] } },
      { name: 'appId', key: { kind: 'operand', operand: col('appId') } },
      { name: 'userId', key: { kind: 'operand', operand: col('userId') } },
      { name: 'ipAddress', key: { kind: 'operand', operand: col('ipAddress') } },
      { name: 'errorCode', key: { kind: 'operand', operand: col('status/errorCode', 'int') } },
      { name: 'resourceId', key: { kind: 'operand', operand: col('resourceId') } },
    ],
    measures: [
      { name: 'signIns', measure: { kind: 'count' } },
      { name: 'firstSignIn', measure: { kind: 'min', operand: col('createdDateTime', 'datetime') } },
      { name: 'lastSignIn', measure: { kind: 'max', operand: col('createdDateTime', 'datetime') } },
      { name: 'application', measure: { kind: 'max', operand: col('appDisplayName') } },
      { name: 'user', measure: { kind: 'max', operand: col('userDisplayName') } },
      { name: 'userPrincipalName', measure: { kind: 'max', operand: col('userPrincipalName') } },
      { name: 'resource', measure: { kind: 'max', operand: col('resourceDisplayName') } },
      { name: 'conditionalAccessStatus', measure: { kind: 'max', operand: col('conditionalAccessStatus') } },
    ],
    orderBy: [
      { name: 'window', desc: true },
      { name: 'signIns', desc: true },
    ],
    limit: input.top + 1,
  };
  const rows = await reader.aggregate(q);
  const truncated = rows.length > input.top;
  const kept = truncated ? rows.slice(0, input.top) : rows;
  return { window: input.window, rows: kept, truncated, signIns: kept.reduce((n, r) => n + (typeof r['signIns'] === 'number' ? r['signIns'] : 0), 0) };
}
