// Reading line items back out of DuckDB: typed columns → the canonical record (nulls dropped,
// times rendered as Graph renders them).
import {
  createDuckDBValueConverter,
  DuckDBTimestampNanosecondsValue,
  DuckDBTypeId,
  JSDuckDBValueConverter,
  type DuckDBResultReader,
  type DuckDBValueConverter,
  type JS,
} from '@duckdb/node-api';
import { formatDateTime } from '../../model/time.js';

const byTypeId = {} as Record<DuckDBTypeId, DuckDBValueConverter<JS> | undefined>;
for (const id of Object.values(DuckDBTypeId)) {
  if (typeof id === 'number') byTypeId[id as DuckDBTypeId] = JSDuckDBValueConverter;
}
byTypeId[DuckDBTypeId.TIMESTAMP_NS] = (v) => (v instanceof DuckDBTimestampNanosecondsValue ? formatDateTime(v.nanos) : null);
byTypeId[DuckDBTypeId.BIGINT] = (v) => (typeof v === 'bigint' ? (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : null);
byTypeId[DuckDBTypeId.UBIGINT] = (v) => (typeof v === 'bigint' ? v.toString() : null);
byTypeId[DuckDBTypeId.TIMESTAMP] = (v, t, c) => {
  const d = JSDuckDBValueConverter(v, t, c);
  return d instanceof Date ? d.toISOString() : d;
};

/** Converts DuckDB values to plain JSON-able values; nanosecond times become Graph-style strings. */
export const rowConverter: DuckDBValueConverter<JS> = createDuckDBValueConverter(byTypeId);

/** Drops nulls from objects, recursively (lists keep their null items). */
export function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== null && x !== undefined) out[k] = dropNulls(x);
    return out;
  }
  return v;
}

export function rowObjects(reader: DuckDBResultReader): Record<string, unknown>[] {
  return reader.convertRowObjects(rowConverter);
}
