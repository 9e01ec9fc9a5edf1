// The DuckDB layout of a line item: which columns hold what, and how a row becomes a StoredSignIn.
import { SIGN_IN_FIELDS, type Field } from '../../model/schema.js';
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
