// The DuckDB rendering of neutral conditions: values are bound parameters; nested values are
// STRUCT fields and LISTs with lambdas.
import type { ColumnRef, Value, VarRef } from './expr.js';
import type { AggregateHooks, SourceSpec } from './aggregate.js';
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

/**
 * A narrow table of one row per element of a collection (store migration 0005, kept by the writer
 * in the transaction that writes the line item): the element's fields the reports read, as a STRUCT
 * `element`, beside the sign-in columns reports filter and group by most, named as in sign_ins.
 * Reading it instead of unnesting the collection leaves the collection's other fields (nested lists
 * of every policy result) unread.
 */
export interface ElementTable {
  table: string;
  /** The sign_ins column whose items the rows are. */
  collection: string;
  /** The element's fields the table keeps. */
  fields: readonly string[];
}

/** The sign-in columns every element table carries (sign_ins' own names; `id` is the sign-in's). */
export const ELEMENT_SIGN_IN_COLUMNS: readonly string[] = ['log_tenant_id', 'id', 'createdDateTime', 'correlationId', 'signInEventTypes', 'isInteractive', 'userPrincipalName', 'appDisplayName'];

export const DUCKDB_ELEMENT_TABLES: readonly ElementTable[] = [
  { table: 'sign_in_ca_results', collection: 'appliedConditionalAccessPolicies', fields: ['id', 'displayName', 'result'] },
  { table: 'sign_in_auth_steps', collection: 'authenticationDetails', fields: ['authenticationMethod', 'authenticationStepResultDetail', 'succeeded'] },
];

/** `SELECT` of the rows of `t` for the sign-ins `from` (a FROM clause over sign_ins aliased `s`, with its WHERE). */
export function selectElementRows(t: ElementTable, from: string): string {
  const cols = ELEMENT_SIGN_IN_COLUMNS.map(duckQuote);
  const element = `struct_pack(${t.fields.map((f) => `${duckQuote(f)} := _e.${duckQuote(f)}`).join(', ')})`;
  return `SELECT ${cols.join(', ')}, ${element} AS element FROM (SELECT ${cols.map((c) => `s.${c}`).join(', ')}, unnest(s.${duckQuote(t.collection)}) AS _e ${from})`;
}

/** The element table an unnest can read instead of sign_ins: it has every column and field the statement uses. */
function elementTableFor(spec: SourceSpec): ElementTable | null {
  const u = spec.unnest;
  if (!u || u.collection.meta !== undefined || u.collection.path.length !== 1) return null;
  const t = DUCKDB_ELEMENT_TABLES.find((x) => x.collection === u.collection.path[0]);
  if (!t) return null;
  if (!u.fields.every((f) => f.length === 1 && t.fields.includes(f[0]!))) return null;
  if (!spec.topColumns.every((c) => c === t.collection || ELEMENT_SIGN_IN_COLUMNS.includes(c))) return null;
  return t;
}

/**
 * DuckDB's parts of an aggregate statement (query/sql/aggregate.ts) over the sign-ins table: the
 * de-duplication by correlation keeps the newest line item per log tenant and correlation ID (a
 * semi-join on keys found with arg_max), a collection is unnested with `unnest` into `s._u`.
 */
export const duckdbAggregateHooks: AggregateHooks = {
  count: () => 'count(*)',
  countIf: (c) => `count(*) FILTER (WHERE ${c})`,
  uniq: (sql) => `count(DISTINCT ${sql})`,
  epochNs: (sql) => `epoch_ns(${sql})`,
  bucket: (ns, width) => `((${ns} // ${width.toString()}) * ${width.toString()})`,
  elementName: `${DUCKDB_TABLE_ALIAS}._u`,
  limit(n, params) {
    params.push(n);
    return `LIMIT $${params.length}`;
  },
  limitPerGroup(statement, keys, order, n, params) {
    params.push(n);
    return `SELECT * FROM (${statement}) QUALIFY row_number() OVER (PARTITION BY ${keys.join(', ')} ORDER BY ${order}) <= $${params.length} ORDER BY ${order}`;
  },
  source(spec: SourceSpec): string {
    const a = DUCKDB_TABLE_ALIAS;
    // The newest line item of each correlation group, found on narrow columns (time and id), then
    // the group's rows kept by key: the wide columns (lists of structs) are read once, for the kept
    // rows only (measured twice as fast as carrying them through arg_max or a window).
    const kept = `(${a}.log_tenant_id, ${a}.id) IN (SELECT ${a}.log_tenant_id, arg_max(${a}.id, row(${a}."createdDateTime", ${a}.id)) FROM sign_ins ${a} WHERE ${spec.where} GROUP BY ${a}.log_tenant_id, coalesce(${a}."correlationId", ${a}.id))`;
    const narrow = elementTableFor(spec);
    if (narrow && spec.unnest) {
      // `where` holds the caller's tenant scope: it always applies, on the element table's own
      // columns when it has them all, else through the sign-ins it keeps (by key).
      const direct = spec.whereColumns.every((c) => ELEMENT_SIGN_IN_COLUMNS.includes(c));
      const filter = direct ? spec.where : `(${a}.log_tenant_id, ${a}.id) IN (SELECT ${a}.log_tenant_id, ${a}.id FROM sign_ins ${a} WHERE ${spec.where})`;
      const cols = spec.topColumns.filter((c) => c !== narrow.collection).map((c) => `${a}.${duckQuote(c)}`);
      const inner = `SELECT ${[...cols, `${a}.element AS _u`].join(', ')} FROM ${narrow.table} ${a} WHERE ${spec.dedupe ? `${filter} AND ${kept}` : filter}`;
      return `FROM (${inner}) ${a}${spec.unnest.elementWhere ? ` WHERE ${spec.unnest.elementWhere}` : ''}`;
    }
    const where = spec.dedupe ? `${spec.where} AND ${kept}` : spec.where;
    if (spec.unnest) {
      // Only the columns the statement uses travel through the unnest (not every column of the row).
      const cols = spec.topColumns.map((c) => `${a}.${c === 'log_tenant_id' ? c : duckQuote(c)}`);
      if (cols.length === 0) cols.push(`${a}.log_tenant_id`);
      const inner = `SELECT ${cols.join(', ')}, unnest(${duckdbDialect.column(spec.unnest.collection)}) AS _u FROM sign_ins ${a} WHERE ${where}`;
      return `FROM (${inner}) ${a}${spec.unnest.elementWhere ? ` WHERE ${spec.unnest.elementWhere}` : ''}`;
    }
    return `FROM sign_ins ${a} WHERE ${where}`;
  },
};
