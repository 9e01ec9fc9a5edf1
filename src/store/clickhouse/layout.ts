// The ClickHouse layout of a line item: every schema property as a typed column, flattened.
// Nested objects become dotted columns (`location.city`, `location.geoCoordinates.latitude`);
// a collection becomes arrays — a collection of objects becomes parallel arrays, one per leaf
// (`appliedConditionalAccessPolicies.id`), and each collection on the way down adds an array
// level (`appliedConditionalAccessPolicies.enforcedGrantControls Array(Array(Nullable(String)))`).
// The canonical record's JSON is kept beside the columns (`record`): typed columns cannot tell a
// null list from an empty one, so reads rebuild records from the text, shaped exactly as the
// DuckDB store shapes its rows (schema order, nulls dropped from objects).
import { SIGN_IN_FIELDS, type Field, type FieldType } from '../../model/schema.js';
import type { Extra, SignInRecord, StoredSignIn } from '../../model/sign-in.js';
import { parseDateTime } from '../../model/time.js';

/** One step from an object to a property: its name and whether it is a collection. */
interface Step {
  readonly name: string;
  readonly collection: boolean;
}

export type LeafKind = 'string' | 'int32' | 'double' | 'boolean' | 'datetime' | 'json';

/** A typed leaf column of `sign_ins`. */
export interface LeafColumn {
  /** Column name: the property path joined by dots. */
  readonly name: string;
  /** ClickHouse type. */
  readonly type: string;
  readonly steps: readonly Step[];
  readonly kind: LeafKind;
}

const BASE_TYPE: Record<LeafKind, string> = {
  string: 'String',
  int32: 'Int32',
  double: 'Float64',
  boolean: 'UInt8',
  datetime: 'Int64',
  json: 'String',
};

function leafKind(t: FieldType): LeafKind {
  switch (t.kind) {
    case 'scalar':
      return t.scalar;
    case 'enum':
      return 'string';
    case 'json':
      return 'json';
    case 'complex':
      throw new Error('a complex type is not a leaf');
  }
}

// Lambda parameters are named after the paths they hold (`_v1__authenticationStrength__displayName`),
// so property names must be plain identifiers without a double underscore.
const NAME_RE = /^[A-Za-z][A-Za-z0-9_]*$/;

function leaves(fields: readonly Field[], steps: readonly Step[], out: LeafColumn[]): void {
  for (const f of fields) {
    if (!NAME_RE.test(f.name) || f.name.includes('__')) throw new Error(`schema property '${f.name}' cannot be a ClickHouse column name`);
    const here = [...steps, { name: f.name, collection: f.collection }];
    if (f.type.kind === 'complex') {
      leaves(f.type.fields, here, out);
      continue;
    }
    const kind = leafKind(f.type);
    let type = `Nullable(${BASE_TYPE[kind]})`;
    for (const s of here) if (s.collection) type = `Array(${type})`;
    out.push({ name: here.map((s) => s.name).join('.'), type, steps: here, kind });
  }
}

const PROPERTY_FIELDS = SIGN_IN_FIELDS.filter((f) => f.name !== 'id' && f.name !== 'createdDateTime');

/** The typed property columns (every leaf of the schema but id and createdDateTime), in schema order. */
export const LEAF_COLUMNS: readonly LeafColumn[] = (() => {
  const out: LeafColumn[] = [];
  leaves(PROPERTY_FIELDS, [], out);
  return out;
})();

/** Every column of `sign_ins` with its type, in table order. */
export const SIGN_IN_TABLE_COLUMNS: readonly (readonly [string, string])[] = [
  ['log_tenant_id', 'String'],
  ['id', 'String'],
  ['createdDateTime', "DateTime('UTC')"],
  ['created_ns', 'Int64'],
  ...LEAF_COLUMNS.map((c) => [c.name, c.type] as const),
  ['record', 'String'],
  ['extra', 'Nullable(String)'],
  ['event_key', 'UInt64'],
  ['ingested_at', "DateTime('UTC')"],
  ['version', 'UInt64'],
  ['deleted', 'UInt8'],
];

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

type Cell = string | number | bigint | null | Cell[];

function leafValue(kind: LeafKind, v: unknown): Cell {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'string':
      return typeof v === 'string' ? v : null;
    case 'int32':
      return typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX ? v : null;
    case 'double':
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? (v ? 1 : 0) : null;
    case 'datetime':
      return typeof v === 'string' ? parseDateTime(v) : null;
    case 'json':
      return JSON.stringify(v);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value of one leaf column for a record (or a part of it), following `steps` from `i`. */
function extract(v: unknown, steps: readonly Step[], i: number, kind: LeafKind): Cell {
  const s = steps[i]!;
  const x = isObject(v) ? v[s.name] : undefined;
  const last = i === steps.length - 1;
  if (s.collection) {
    if (!Array.isArray(x)) return [];
    return x.map((e: unknown) => (last ? leafValue(kind, e) : extract(e, steps, i + 1, kind)));
  }
  return last ? leafValue(kind, x) : extract(x, steps, i + 1, kind);
}

function encodeCell(v: Cell): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return `[${v.map(encodeCell).join(',')}]`;
  return JSON.stringify(v);
}

const KEYS = new Map<string, string>(SIGN_IN_TABLE_COLUMNS.map(([name]) => [name, `${JSON.stringify(name)}:`]));
const key = (name: string): string => KEYS.get(name) ?? `${JSON.stringify(name)}:`;

/** Seconds since the epoch as ClickHouse reads a DateTime('UTC') text, clamped to its range. */
export function dateTimeText(seconds: number): string {
  const s = Math.min(Math.max(Math.floor(seconds), 0), 4294967295);
  return new Date(s * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

export function dateTimeTextOfNs(ns: bigint): string {
  return dateTimeText(Number(ns / 1_000_000_000n) - (ns < 0n && ns % 1_000_000_000n !== 0n ? 1 : 0));
}

/** What a `sign_ins` row holds besides the record's own values. */
export interface RowMeta {
  tenantId: string;
  id: string;
  createdNs: bigint;
  /** The canonical record's JSON text. */
  json: string;
  extra: Extra | null;
  eventKey: bigint;
  /** DateTime text of the load. */
  ingestedAt: string;
  version: bigint;
}

/**
 * One `sign_ins` row as a line of JSONEachRow: the key columns, every leaf column of `record`
 * (the parsed canonical record), and the record's text. 64-bit integers are written as digits.
 */
export function encodeSignInRow(record: Record<string, unknown>, m: RowMeta): string {
  const parts: string[] = [
    key('log_tenant_id') + JSON.stringify(m.tenantId),
    key('id') + JSON.stringify(m.id),
    key('createdDateTime') + JSON.stringify(dateTimeTextOfNs(m.createdNs)),
    key('created_ns') + m.createdNs.toString(),
  ];
  for (const c of LEAF_COLUMNS) parts.push(key(c.name) + encodeCell(extract(record, c.steps, 0, c.kind)));
  parts.push(
    key('record') + JSON.stringify(m.json),
    key('extra') + (m.extra ? JSON.stringify(JSON.stringify(m.extra)) : 'null'),
    key('event_key') + m.eventKey.toString(),
    key('ingested_at') + JSON.stringify(m.ingestedAt),
    key('version') + m.version.toString(),
    key('deleted') + '0',
  );
  return `{${parts.join(',')}}`;
}

/**
 * A tombstone: hides the row of an older version whose key (tenant, time, id) differs from the
 * newer version's (a later event moved the sign-in's time). Same key, higher version, deleted.
 */
export function encodeTombstoneRow(m: { tenantId: string; id: string; createdNs: bigint; eventKey: bigint; ingestedAt: string; version: bigint }): string {
  return `{${[
    key('log_tenant_id') + JSON.stringify(m.tenantId),
    key('id') + JSON.stringify(m.id),
    key('createdDateTime') + JSON.stringify(dateTimeTextOfNs(m.createdNs)),
    key('created_ns') + m.createdNs.toString(),
    key('record') + '""',
    key('event_key') + m.eventKey.toString(),
    key('ingested_at') + JSON.stringify(m.ingestedAt),
    key('version') + m.version.toString(),
    key('deleted') + '1',
  ].join(',')}}`;
}

// Reading back: the record as the DuckDB store returns it. DuckDB rebuilds a record from its
// typed columns: properties in schema order, nested objects likewise, nulls dropped from objects
// (list items keep theirs), values of untyped (json) properties as they came.

function shapeValue(t: FieldType, v: unknown): unknown {
  if (t.kind === 'complex' && isObject(v)) return shapeObject(t.fields, v);
  return v;
}

function shapeObject(fields: readonly Field[], o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = o[f.name];
    if (v === null || v === undefined) continue;
    if (f.collection && Array.isArray(v)) out[f.name] = v.map((e: unknown) => (e === null ? null : shapeValue(f.type, e)));
    else out[f.name] = shapeValue(f.type, v);
  }
  return out;
}

const fieldsBySelection = new Map<string, readonly Field[]>();

function selectedFields(select: readonly string[] | undefined): readonly Field[] {
  if (!select) return SIGN_IN_FIELDS;
  const k = select.join(',');
  let fields = fieldsBySelection.get(k);
  if (!fields) {
    const names = new Set(['id', 'createdDateTime', ...select]);
    fields = SIGN_IN_FIELDS.filter((f) => names.has(f.name));
    if (fieldsBySelection.size < 1000) fieldsBySelection.set(k, fields);
  }
  return fields;
}

/** A stored line item from its tenant, record text and extra text; `select` keeps only those properties (and id, createdDateTime). */
export function storedFromRow(tenantId: string, recordJson: string, extraJson: string | null, select?: readonly string[]): StoredSignIn {
  const parsed = JSON.parse(recordJson) as Record<string, unknown>;
  return {
    tenantId,
    record: shapeObject(selectedFields(select), parsed) as SignInRecord,
    extra: extraJson === null ? null : (JSON.parse(extraJson) as Extra),
  };
}

/** A line item's row as read without FINAL: one of its versions, perhaps a tombstone. */
export interface VersionedRow {
  log_tenant_id: string;
  id: string;
  created_ns: string;
  version: string;
  deleted: number;
  record: string;
  extra: string | null;
}
/** The columns of a VersionedRow, for a SELECT from sign_ins. */
export const VERSIONED_COLUMNS = 'log_tenant_id, id, created_ns, version, deleted, record, extra';

/**
 * Of line items' rows read without FINAL, the newest version of each sorting key (tenant, time,
 * id), tombstones dropped: what FINAL with `deleted = 0` returns, by key `tenant \0 id \0 time`.
 * FINAL merges every row it reads, record text and all; an id lookup in `sign_ins` (ordered by
 * time) reads the whole table, so such lookups go without it and keep the newest here.
 */
export function newestVersions<R extends VersionedRow>(rows: readonly R[]): Map<string, R> {
  const newest = new Map<string, R>();
  for (const r of rows) {
    const k = `${r.log_tenant_id}\u0000${r.id}\u0000${r.created_ns}`;
    const have = newest.get(k);
    if (!have || BigInt(r.version) > BigInt(have.version)) newest.set(k, r);
  }
  for (const [k, r] of newest) if (Number(r.deleted) !== 0) newest.delete(k);
  return newest;
}
