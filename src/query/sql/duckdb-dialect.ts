// The DuckDB rendering of neutral conditions: values are bound parameters; nested values are
// STRUCT fields and LISTs with lambdas.
import type { ColumnRef, Value, VarRef } from './expr.js';
import type { Dialect } from './render.js';

export function duckQuote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const CAST = { string: 'VARCHAR', int: 'INTEGER', double: 'DOUBLE', boolean: 'BOOLEAN', datetime: 'TIMESTAMP_NS' } as const;

/** The alias the sign-ins table has in every query the DuckDB store runs. */
export const DUCKDB_TABLE_ALIAS = 's';

export const duckdbDialect: Dialect = {
  name: 'duckdb',
  quoteIdent: duckQuote,
  value(v: Value, params: unknown[]): string {
    params.push(v.value);
    const cast = v.type === 'int' && typeof v.value === 'number' && !Number.isInteger(v.value) ? 'DOUBLE' : CAST[v.type];
    const type = v.type === 'int' && typeof v.value === 'number' && Math.abs(v.value) > 2147483647 ? 'BIGINT' : cast;
    return `CAST($${params.length} AS ${type})`;
  },
  column(ref: ColumnRef): string {
    if (ref.meta === 'tenant') return `${DUCKDB_TABLE_ALIAS}.log_tenant_id`;
    return `${DUCKDB_TABLE_ALIAS}.${ref.path.map(duckQuote).join('.')}`;
  },
  variable(ref: VarRef, sqlName: string): string {
    return [sqlName, ...ref.path.map(duckQuote)].join('.');
  },
  lower: (sql) => `lower(${sql})`,
  startsWith: (sql, p) => `starts_with(${sql}, ${p})`,
  endsWith: (sql, p) => `ends_with(${sql}, ${p})`,
  contains: (sql, p) => `contains(${sql}, ${p})`,
  hasFlag: (sql, member) => `list_contains(string_split(${sql}, ','), ${member})`,
  listContains: (sql, v) => `coalesce(list_contains(${sql}, ${v}), FALSE)`,
  lambda(quantifier, sql, name, body): string {
    if (body === null) return quantifier === 'any' ? `(coalesce(len(${sql}), 0) > 0)` : 'TRUE';
    const mapped = `list_transform(${sql}, lambda ${name}: ${body})`;
    return quantifier === 'any' ? `coalesce(list_bool_or(${mapped}), FALSE)` : `coalesce(list_bool_and(${mapped}), TRUE)`;
  },
};
