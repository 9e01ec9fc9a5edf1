// The DuckDB layout of a line item: which columns hold what, and how a row becomes a StoredSignIn.
import { BETA_PROPERTY_NAMES, SIGN_IN_FIELDS, type Field, type FieldType } from '../../model/schema.js';
import { formatDateTime, parseDateTime } from '../../model/time.js';
import type { Extra, SignInRecord, StoredSignIn } from '../../model/sign-in.js';
import { fieldTypeSql } from './duckdb-types.js';
import { dropNulls } from './read-rows.js';

/** The typed property columns of `sign_ins`, in table order. */
export const SIGN_IN_COLUMNS: readonly string[] = SIGN_IN_FIELDS.map((f) => f.name);

let readJsonColumns: string | undefined;

/** The `columns = {...}` argument of read_json that parses a canonical record into typed columns. */
export function readJsonColumnsSql(): string {
  readJsonColumns ??= `{${SIGN_IN_FIELDS.map((f: Field) => `'${f.name}': '${fieldTypeSql(f).replace(/'/g, "''")}'`).join(', ')}}`;
  return readJsonColumns;
}

/** Values of schema types with no known properties are held as JSON text: parse them back. */
function reviveJson(v: unknown, field: Field): unknown {
  const t = field.type;
  if (t.kind === 'json') {
    const one = (x: unknown): unknown => {
      if (typeof x !== 'string') return x;
      try {
        return JSON.parse(x) as unknown;
      } catch {
        return x;
      }
    };
    return field.collection && Array.isArray(v) ? v.map(one) : one(v);
  }
  if (t.kind !== 'complex' || !HAS_JSON.has(field)) return v;
  const obj = (x: unknown): unknown => {
    if (!x || typeof x !== 'object') return x;
    const o = x as Record<string, unknown>;
    for (const f of t.fields) if (o[f.name] !== undefined && o[f.name] !== null) o[f.name] = reviveJson(o[f.name], f);
    return o;
  };
  return field.collection && Array.isArray(v) ? v.map(obj) : obj(v);
}

const HAS_JSON = new Set<Field>();
function markJson(f: Field): boolean {
  const t = f.type;
  const has = t.kind === 'json' || (t.kind === 'complex' && t.fields.map(markJson).some(Boolean));
  if (has) HAS_JSON.add(f);
  return has;
}
SIGN_IN_FIELDS.forEach(markJson);

/** A `sign_ins` row (already converted to plain values) as a stored sign-in. */
export function rowToStored(row: Record<string, unknown>): StoredSignIn {
  const record: Record<string, unknown> = {};
  for (const f of SIGN_IN_FIELDS) {
    const v = row[f.name];
    if (v !== null && v !== undefined) record[f.name] = HAS_JSON.has(f) ? reviveJson(dropNulls(v), f) : dropNulls(v);
  }
  const extraText = row['extra'];
  return {
    tenantId: String(row['log_tenant_id']),
    record: record as SignInRecord,
    extra: typeof extraText === 'string' ? (JSON.parse(extraText) as Extra) : null,
  };
}

/**
 * A line item's key as the 64-bit hash kept in sign_ins.key_hash (migration 0006): the low half of
 * the MD5 of tenant, NUL, id. In DuckDB SQL over the given column expressions.
 */
export function keyHashSql(tenant: string, id: string): string {
  return `md5_number_lower(${tenant} || chr(0) || ${id})`;
}

/** A line item's correlation group (its correlation id, else its own id) as the hash kept in sign_ins.group_hash. */
export function groupHashSql(tenant: string, correlationId: string, id: string): string {
  return `md5_number_lower(${tenant} || chr(0) || coalesce(${correlationId}, ${id}))`;
}

/** The property columns as one JSON object, in DuckDB SQL over `sign_ins` aliased `alias` (see recordFromJson). */
export function recordJsonSql(alias: string): string {
  return `CAST(to_json(struct_pack(${SIGN_IN_COLUMNS.map((c) => `${quoteName(c)} := ${alias}.${quoteName(c)}`).join(', ')})) AS VARCHAR)`;
}

const quoteName = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * The canonical record from DuckDB's JSON of the property columns (recordJsonSql): what rowToStored
 * makes of the same row — nulls dropped (list items kept), times as Graph renders them, values of
 * types held as JSON text parsed. DuckDB writes the JSON itself, which is several times faster than
 * converting nested values to JavaScript one by one.
 *
 * The same reads Graph's beta rendering of a record without an overlay (graphBetaJsonSql) back into
 * the record, with `embedded`: there the values held as JSON are embedded as JSON, not text, and
 * the nulls Graph writes for absent properties are dropped as the column's NULLs are.
 */
export function recordFromJson(o: Record<string, unknown>, embedded = false): SignInRecord {
  const record: Record<string, unknown> = {};
  for (const f of SIGN_IN_FIELDS) {
    const v = o[f.name];
    if (v !== null && v !== undefined) record[f.name] = fromJson(v, f, embedded);
  }
  return record as SignInRecord;
}

function fromJson(v: unknown, f: Field, embedded: boolean): unknown {
  if (f.collection && Array.isArray(v)) return v.map((x) => (x === null ? null : fromJsonValue(x, f.type, embedded)));
  return fromJsonValue(v, f.type, embedded);
}

function fromJsonValue(v: unknown, t: FieldType, embedded: boolean): unknown {
  switch (t.kind) {
    case 'scalar':
      return t.scalar === 'datetime' && typeof v === 'string' ? graphTime(v) : v;
    case 'enum':
      return v;
    case 'json':
      if (embedded || typeof v !== 'string') return v;
      try {
        return JSON.parse(v) as unknown;
      } catch {
        return v;
      }
    case 'complex': {
      if (!v || typeof v !== 'object') return v;
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const sub of t.fields) {
        const x = o[sub.name];
        if (x !== null && x !== undefined) out[sub.name] = fromJson(x, sub, embedded);
      }
      return out;
    }
  }
}

const DUCKDB_TIME = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?$/;

/** A TIMESTAMP_NS as DuckDB writes it ('2026-10-20 10:00:00.1234567') as Graph renders it ('2026-10-20T10:00:00.1234567Z'). */
export function graphTime(text: string): string {
  const m = DUCKDB_TIME.exec(text);
  if (m) {
    const frac = (m[3] ?? '').replace(/0+$/, '');
    return `${m[1]}T${m[2]}${frac ? `.${frac}` : ''}Z`;
  }
  const ns = parseDateTime(text);
  return ns === null ? text : formatDateTime(ns);
}

/**
 * A record without an overlay (extra NULL) as Graph's beta API renders it, as JSON written by
 * DuckDB, in SQL over `sign_ins` aliased `alias`: beta's properties in order, every one present
 * (null when unknown), times as Graph writes them (DuckDB writes a TIMESTAMP_NS as
 * '2026-10-20 10:00:00.1234567', its fraction without trailing zeros, as formatDateTime does), values
 * held as JSON text embedded as JSON. toGraph of the same record gives the same JSON value (the
 * tests compare them); a DOUBLE that JSON cannot hold (NaN) makes it invalid, which the reader checks.
 */
export function graphBetaJsonSql(alias: string): string {
  graphBetaStruct ??= SIGN_IN_FIELDS.filter((f) => BETA_PROPERTY_NAMES.has(f.name))
    .map((f) => `${quoteName(f.name)} := ${graphValueSql(`${alias}.${quoteName(f.name)}`, f, 0)}`)
    .join(', ');
  return `CAST(to_json(struct_pack(${graphBetaStruct})) AS VARCHAR)`;
}

let graphBetaStruct: string | undefined;

/** Whether a value of this type needs rewriting for Graph (a time or JSON text somewhere in it). */
function needsRewrite(t: FieldType): boolean {
  if (t.kind === 'scalar') return t.scalar === 'datetime';
  if (t.kind === 'json') return true;
  if (t.kind === 'complex') return t.fields.some((f) => needsRewrite(f.type));
  return false;
}

function graphValueSql(sql: string, f: Field, depth: number): string {
  if (!needsRewrite(f.type)) return sql;
  if (f.collection) {
    const v = `_g${depth}`;
    return `list_transform(${sql}, lambda ${v}: ${graphOneSql(v, f.type, depth + 1)})`;
  }
  return graphOneSql(sql, f.type, depth);
}

function graphOneSql(sql: string, t: FieldType, depth: number): string {
  switch (t.kind) {
    case 'scalar':
      return `(replace(CAST(${sql} AS VARCHAR), ' ', 'T') || 'Z')`;
    case 'json':
      return `CAST(${sql} AS JSON)`;
    case 'complex':
      return `CASE WHEN ${sql} IS NULL THEN NULL ELSE struct_pack(${t.fields.map((sub) => `${quoteName(sub.name)} := ${graphValueSql(`${sql}.${quoteName(sub.name)}`, sub, depth)}`).join(', ')}) END`;
    default:
      return sql;
  }
}
