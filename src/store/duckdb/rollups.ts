// Day rollups: the sign-ins counted per log tenant, UTC day and the columns reports group and
// filter by, kept by the writer in the transaction that writes the line items. An aggregate query
// whose every column a rollup has is answered from the rollup's rows (thousands) instead of the
// sign-ins (millions), with the same answer:
// - counts are sums of the rows' counts, distinct counts count distinct kept values, the earliest
//   and latest time of a group are kept beside its day;
// - a time range that does not start or end at midnight UTC reads its whole days from the rollup and
//   its partial days from sign_ins (the same columns, one row each);
//   (the small rollups also per hour: only the partial hours read sign_ins);
// - counts de-duplicated by correlation read rollups of the line items whose successor in their
//   group is not in the range (sign_in_successors);
// - a query that reads a column no rollup has, or buckets time by less than a day, reads sign_ins.
// Replacing a line item recomputes its days (old and new) from sign_ins, so every group stays exact
// (a running maximum could not forget a replaced version's time). design/0009 has the measurements.
import { CROSS_TENANT, INTERACTIVE_ONLY, reportOnlyWouldAct } from '../../query/plan.js';
import { aggregateOperands, type AggregateHooks, type AggregateQuery, type SourceSpec } from '../../query/sql/aggregate.js';
import { and, CREATED_COLUMN, type ColumnRef, type Condition, type Value } from '../../query/sql/expr.js';
import { formatDateTime, parseDateTime } from '../../model/time.js';
import { DUCKDB_ELEMENT_TABLES, duckdbAggregateHooks, ELEMENT_SIGN_IN_COLUMNS, duckdbDialect, duckQuote, type ElementTable } from '../../query/sql/duckdb-dialect.js';
import { renderCondition } from '../../query/sql/render.js';

export interface Rollup {
  table: string;
  /** Rows per element of this element table's collection (its element kept whole), else per sign-in. */
  element?: ElementTable;
  /** The sign-in columns kept, as paths (`status/errorCode`); the log tenant and the day always are. */
  dims: readonly string[];
  /** Only the sign-ins where this holds; a query qualifies when its `where` has all of its AND items. */
  only?: Condition;
  /**
   * Counts only what a query de-duplicated by correlation counts (AggregateQuery.dedupeByCorrelation):
   * of the line items of a correlation group (log tenant + correlation ID) that `only` keeps, the
   * newest in the query's time range. Each line item's successor in its group is kept in
   * sign_in_successors; the rollup keeps the line items without one or whose successor is on a
   * later day (with its time, `_next`): a line item is the newest in a range when its successor is
   * not in it. A query qualifies when its `where` is `only`, a time range and the tenant scope.
   */
  dedupe?: boolean;
  /** An element rollup of only the elements where this holds (bound to the variable named): a query qualifies when its element filter has all of its AND items. */
  elementOnly?: (variable: string) => Condition;
  /**
   * Also kept per hour (a second table, `rollup_hour_…`): the whole hours of a range's partial days
   * read it, so only the partial hours read the sign-ins. For rollups small enough per hour.
   */
  hourly?: boolean;
}

/** One table of a rollup: per day, or per hour. */
export interface RollupTable {
  rollup: Rollup;
  name: string;
  bucket: 'day' | 'hour';
}

/** Every rollup table: each rollup's day table, and its hour table when it has one. */
export function rollupTables(rollups: readonly Rollup[] = DUCKDB_ROLLUPS): RollupTable[] {
  return rollups.flatMap((r) => [
    { rollup: r, name: r.table, bucket: 'day' as const },
    ...(r.hourly ? [{ rollup: r, name: hourTable(r), bucket: 'hour' as const }] : []),
  ]);
}

const hourTable = (r: Rollup): string => r.table.replace(/^rollup_day_/, 'rollup_hour_');

const CA = DUCKDB_ELEMENT_TABLES.find((t) => t.collection === 'appliedConditionalAccessPolicies') as ElementTable;
const AUTH_STEPS = DUCKDB_ELEMENT_TABLES.find((t) => t.collection === 'authenticationDetails') as ElementTable;
const EVENT_TYPES = ['signInEventTypes', 'isInteractive'];

/**
 * The rollups, narrowest first (a query reads the first that has its columns). Their columns are
 * what the reports read (src/reports): a column added here is filled when the store next opens.
 */
export const DUCKDB_ROLLUPS: readonly Rollup[] = [
  { table: 'rollup_day_ca_results', element: CA, dims: EVENT_TYPES, hourly: true },
  { table: 'rollup_day_ca_status', dims: [...EVENT_TYPES, 'conditionalAccessStatus', 'status/errorCode'], hourly: true },
  // The "if enabled" breakdown of report-only policies: by user and application, the results they would have acted on.
  { table: 'rollup_day_ca_would_act_by_user_app', element: CA, elementOnly: reportOnlyWouldAct, dims: [...EVENT_TYPES, 'userPrincipalName', 'appDisplayName'], hourly: true },
  { table: 'rollup_day_auth_steps_dedupe', element: AUTH_STEPS, dedupe: true, only: INTERACTIVE_ONLY, dims: EVENT_TYPES, hourly: true },
  {
    table: 'rollup_day_auth_dedupe',
    dedupe: true,
    hourly: true,
    only: INTERACTIVE_ONLY,
    dims: [...EVENT_TYPES, 'authenticationRequirement', 'status/errorCode', 'authenticationDetails[]/authenticationMethod', 'authenticationDetails[]/succeeded', 'authenticationDetails[]/authenticationStepResultDetail'],
  },
  {
    table: 'rollup_day_cross_tenant',
    only: CROSS_TENANT,
    dims: [...EVENT_TYPES, 'status/errorCode', 'crossTenantAccessType', 'homeTenantId', 'homeTenantName', 'resourceTenantId', 'resourceDisplayName', 'userId', 'userPrincipalName', 'appId', 'appDisplayName'],
  },
  {
    table: 'rollup_day_sign_ins',
    dims: [
      ...EVENT_TYPES,
      'status/errorCode',
      'status/failureReason',
      'conditionalAccessStatus',
      'userId',
      'userPrincipalName',
      'appId',
      'appDisplayName',
      'location/city',
      'location/countryOrRegion',
      'location/geoCoordinates/latitude',
      'location/geoCoordinates/longitude',
      'riskLevelDuringSignIn',
      'riskState',
    ],
  },
];

// An element rollup's partial days read its element table: the rollup's columns must be there.
for (const r of DUCKDB_ROLLUPS) {
  if (r.element && !r.dims.every((d) => ELEMENT_SIGN_IN_COLUMNS.includes(d))) throw new Error(`rollup ${r.table}: an element rollup keeps only columns its element table has`);
}

/** A rollup table's definition as stored beside it: a change rebuilds the table from sign_ins. */
export function rollupDefinition(t: RollupTable): string {
  const r = t.rollup;
  return JSON.stringify({
    v: 1,
    bucket: t.bucket,
    element: r.element ? { collection: r.element.collection, fields: r.element.fields } : null,
    dims: r.dims,
    only: r.only ?? null,
    ...(r.elementOnly ? { elementOnly: r.elementOnly('e') } : {}),
    ...(r.dedupe ? { dedupe: SUCCESSORS_DEFINITION } : {}),
  });
}

const DAY_NS = 86_400_000_000_000n;
const HOUR_NS = 3_600_000_000_000n;
const bucketOf = (bucket: 'day' | 'hour', sql: string): string => `CAST(date_trunc('${bucket}', CAST(${sql} AS TIMESTAMP)) AS TIMESTAMP_NS)`;
const DAY = bucketOf('day', 's."createdDateTime"');

interface PathTree {
  [name: string]: PathTree;
}

function tree(paths: readonly string[]): PathTree {
  const root: PathTree = {};
  for (const p of paths) {
    let node = root;
    for (const part of p.split('/')) node = node[part] ??= {};
  }
  return root;
}

/** A path part's name (`items[]` names a LIST whose items keep the fields below it). */
const partName = (part: string): string => part.replace(/\[\]$/, '');

/** The kept part of field `part` of `base`: the value, a STRUCT of its kept fields, or a LIST of those. */
function keptField(base: string, part: string, sub: PathTree, depth: number): string {
  const field = `${base}.${duckQuote(partName(part))}`;
  if (!part.endsWith('[]') || Object.keys(sub).length === 0) return keptStruct(field, sub, depth);
  const v = `_v${depth}`;
  return `list_transform(${field}, lambda ${v}: ${keptStruct(v, sub, depth + 1)})`;
}

/** `base` itself, or a STRUCT of only its kept fields (NULL stays NULL). */
function keptStruct(base: string, node: PathTree, depth: number): string {
  const fields = Object.entries(node);
  if (fields.length === 0) return base;
  return `CASE WHEN ${base} IS NULL THEN NULL ELSE struct_pack(${fields.map(([part, sub]) => `${duckQuote(partName(part))} := ${keptField(base, part, sub, depth)}`).join(', ')}) END`;
}

/** The top-level columns a rollup keeps (names, lists unmarked). */
function keptTops(r: Rollup): string[] {
  return Object.keys(tree(r.dims)).map(partName);
}

/**
 * The rollup's kept columns, each `expression AS name`, over rows aliased `s` (rowsOf: for an
 * element rollup, the element as `_e`).
 */
function keptColumns(r: Rollup): string[] {
  const cols = Object.entries(tree(r.dims)).map(([part, sub]) => `${keptField('s', part, sub, 0)} AS ${duckQuote(partName(part))}`);
  if (r.element) cols.push('s._e AS element');
  return cols;
}

/**
 * Marks every derived table (successors, rollups) stale in rollup_state: a store opened with one
 * stale rebuilds it from sign_ins (a bulk import marks them until its end, design/0002).
 */
export const MARK_DERIVED_STALE_SQL = `UPDATE rollup_state SET definition = 'stale ' || definition WHERE definition NOT LIKE 'stale %'`;

/** Each interactive line item's successor in its correlation group (order: time, then id), when it has one. */
export const SUCCESSORS_TABLE = 'sign_in_successors';
export const SUCCESSORS_DEFINITION = 'successors v1: interactive line items by log tenant and coalesce(correlationId, id), ordered by createdDateTime, id';

/**
 * The successor rows of the interactive line items among `rows` (SQL of a table or subquery with
 * log_tenant_id, id, createdDateTime, correlationId, signInEventTypes and isInteractive, aliased `s`
 * inside): what sign_in_successors holds for them. `params` gets the interactive condition's values.
 */
export function successorRowsSql(rows: string, params: unknown[]): string {
  const interactive = renderCondition(INTERACTIVE_ONLY, duckdbDialect, { params }).sql;
  return `SELECT log_tenant_id, id, next_time FROM (SELECT s.log_tenant_id, s.id, lead(s."createdDateTime") OVER (PARTITION BY s.log_tenant_id, coalesce(s."correlationId", s.id) ORDER BY s."createdDateTime", s.id) AS next_time FROM ${rows} s WHERE ${interactive}) WHERE next_time IS NOT NULL`;
}

/** A source of rows aliased `s` (a table name) with each row's successor time as `_next` (NULL: none). */
function withSuccessor(table: string, columns: readonly string[]): string {
  return `(SELECT ${columns.map((c) => `s.${duckQuote(c)}`).join(', ')}, x.next_time AS _next FROM ${table} s LEFT JOIN ${SUCCESSORS_TABLE} x ON x.log_tenant_id = s.log_tenant_id AND x.id = s.id)`;
}

/** The sign-in columns a sign-in rollup's rows are made from. */
function sourceColumns(r: Rollup): string[] {
  // ingested_at: the writer selects the line items a transaction wrote by it.
  return [...new Set(['log_tenant_id', 'id', 'createdDateTime', 'ingested_at', ...keptTops(r)])];
}

/** The element table's columns (an element rollup's rows are made from them). */
const ELEMENT_ROW_COLUMNS: readonly string[] = [...ELEMENT_SIGN_IN_COLUMNS, 'element'];

/** Where a rollup's rows come from by default: sign_ins, or for an element rollup its element table. */
export function rollupSource(r: Rollup): string {
  return r.element ? r.element.table : 'sign_ins';
}

/**
 * The rows a rollup counts, aliased `s`, where `where` holds (a rendered condition): rows of
 * `from` (sign_ins or a table of some of its rows; for an element rollup, its element table or a
 * table of some of its rows, the element as `_e`), with each row's successor time as `_next` for a
 * de-duplicating rollup.
 */
function rowsOf(r: Rollup, where: string, from = rollupSource(r)): string {
  const cols = r.element ? ELEMENT_ROW_COLUMNS : sourceColumns(r);
  const table = r.dedupe ? `${withSuccessor(from, cols)} s` : `${from} s`;
  if (!r.element) return `${table} WHERE ${where}`;
  return `(SELECT ${cols.map((c) => `s.${duckQuote(c)}`).join(', ')}${r.dedupe ? ', s._next' : ''}, s.element AS _e FROM ${table} WHERE ${where}) s`;
}

/**
 * The grouped rows of `r` over the sign-ins `where` holds for (`only` applied): what is inserted
 * into the rollup. `where` is rendered SQL over sign_ins aliased `s`. A de-duplicating rollup keeps
 * the line items without a successor or with one on a later day (a successor the same day is in
 * every range of whole days that holds the line item: it is never the newest there).
 */
function rollupRowsSql(t: RollupTable, where: string, from: string, onlySql: string | null, elementOnlySql: string | null): string {
  const r = t.rollup;
  const start = bucketOf(t.bucket, 's."createdDateTime"');
  const parts = [where, ...(onlySql ? [onlySql] : []), ...(r.dedupe ? [`(s._next IS NULL OR ${bucketOf(t.bucket, 's._next')} > ${start})`] : [])];
  const next = r.dedupe ? ', s._next AS _next' : '';
  const elements = elementOnlySql ? ` WHERE ${elementOnlySql}` : '';
  return `SELECT s.log_tenant_id, ${start} AS "createdDateTime", ${keptColumns(r).join(', ')}${next}, count(*) AS _n, min(s."createdDateTime") AS _first, max(s."createdDateTime") AS _last FROM ${rowsOf(r, parts.map((x) => `(${x})`).join(' AND '), from)}${elements} GROUP BY ALL`;
}

/**
 * The same columns for each sign-in alone, its own time kept: the partial days of a range. An
 * element rollup reads its element table (its columns are the rollup's, and its rows are narrow).
 */
function singleRowsSql(r: Rollup, where: string): string {
  const next = r.dedupe ? ', s._next AS _next' : '';
  return `SELECT s.log_tenant_id, s."createdDateTime", ${keptColumns(r).join(', ')}${next}, CAST(1 AS BIGINT) AS _n, s."createdDateTime" AS _first, s."createdDateTime" AS _last FROM ${rowsOf(r, where)}`;
}

/** The condition's AND items (a lone condition is its own item). */
function andItems(c: Condition): Condition[] {
  return c.kind === 'and' ? [...c.items] : c.kind === 'true' ? [] : [c];
}

function isCreated(o: { kind: string; path?: readonly string[]; meta?: string }): boolean {
  return o.kind === 'column' && o.meta === undefined && o.path?.length === 1 && o.path[0] === 'createdDateTime';
}

interface TimeBound {
  op: 'ge' | 'gt' | 'lt' | 'le';
  ns: bigint;
}

/** A part of a query's rows: a rollup table's rows, or (table null) the sign-ins themselves, one row each. */
export interface RollupPart {
  table: string | null;
  where: Condition;
}

export interface RollupPlan {
  rollup: Rollup;
  /** The query to render: its time measures read the kept earliest/latest times; its `where` is in the parts. */
  query: AggregateQuery;
  /** Whole days from the day table, whole hours of the partial days from the hour table, the rest from sign_ins. */
  parts: RollupPart[];
}

const timeValue = (ns: bigint): Value => ({ kind: 'value', value: formatDateTime(ns), type: 'datetime' });
const floorTo = (ns: bigint, unit: bigint): bigint => ns - (((ns % unit) + unit) % unit);
/** The first whole `unit` at or after a lower bound (after it, when the bound excludes its instant). */
const ceilTo = (ns: bigint, unit: bigint, exclusive: boolean): bigint => (floorTo(ns, unit) === ns && !exclusive ? ns : floorTo(ns, unit) + unit);

/** The rollup that answers `q`, and how; null when none does (the query reads sign_ins). */
export function planRollup(q: AggregateQuery, rollups: readonly Rollup[] = DUCKDB_ROLLUPS): RollupPlan | null {
  if (q.groupBy.some((g) => g.key.kind === 'timeBucket' && g.key.hours !== 24)) return null;
  // Time bounds: top-level AND items comparing createdDateTime with a time; the rest is `others`.
  let lower: TimeBound | null = null;
  let upper: TimeBound | null = null;
  const others: Condition[] = [];
  for (const item of andItems(q.where)) {
    if (item.kind === 'compare' && isCreated(item.left) && item.right.type === 'datetime' && item.op !== 'eq' && item.op !== 'ne') {
      const ns = parseDateTime(String(item.right.value));
      if (ns === null) return null;
      if (item.op === 'ge' || item.op === 'gt') {
        if (lower) return null;
        lower = { op: item.op, ns };
      } else {
        if (upper) return null;
        upper = { op: item.op, ns };
      }
    } else others.push(item);
  }
  // Earliest and latest times come from the kept ones.
  const query: AggregateQuery = {
    ...q,
    measures: q.measures.map((m) =>
      (m.measure.kind === 'min' || m.measure.kind === 'max') && isCreated(m.measure.operand)
        ? { name: m.name, measure: { kind: m.measure.kind, operand: { kind: 'column', path: [m.measure.kind === 'min' ? '_first' : '_last'], type: 'datetime' } } }
        : m,
    ),
  };
  const rest = and(...others);
  // Every column the query reads beside its time bounds (its `where` as a measure: the operands of a
  // statement are those of its keys, measures and element filter).
  const used = aggregateOperands({
    ...query,
    groupBy: query.groupBy.filter((g) => g.key.kind !== 'timeBucket'),
    measures: [...query.measures, { name: 'where', measure: { kind: 'countIf', condition: rest } }],
  });
  const items = new Set(others.map((c) => JSON.stringify(c)));
  const tenantOnly = (c: Condition): boolean => aggregateOperands({ where: c, groupBy: [], measures: [{ name: 'c', measure: { kind: 'countIf', condition: c } }] }).every((o) => o.kind === 'column' && o.meta === 'tenant');
  const rollup = rollups.find((r) => {
    if ((r.dedupe === true) !== (q.dedupeByCorrelation === true)) return false;
    if ((r.element?.collection ?? null) !== (q.unnest ? (q.unnest.collection.path.length === 1 && q.unnest.collection.meta === undefined ? q.unnest.collection.path[0] : '') : null)) return false;
    const onlyItems = new Set((r.only ? andItems(r.only) : []).map((c) => JSON.stringify(c)));
    if (![...onlyItems].every((c) => items.has(c))) return false;
    // De-duplication keeps the newest line item of those `where` keeps: it must keep whole groups
    // (`only` and the tenant scope), else the newest would depend on other conditions.
    if (r.dedupe && !others.every((c) => onlyItems.has(JSON.stringify(c)) || tenantOnly(c))) return false;
    if (r.elementOnly) {
      const filter = new Set((q.unnest?.where ? andItems(q.unnest.where) : []).map((c) => JSON.stringify(c)));
      if (!q.unnest || !andItems(r.elementOnly(q.unnest.variable)).every((c) => filter.has(JSON.stringify(c)))) return false;
    }
    const dims = new Set(r.dims.map((d) => d.replace(/\[\]/g, '')));
    // A list kept with some fields of its items: the list itself (its length, `any` without a body) is there too.
    const lists = new Set(r.dims.filter((d) => d.includes('[]')).map((d) => d.slice(0, d.indexOf('[]')).replace(/\[\]/g, '')));
    return used.every((o) => {
      // A field of the unnested element must be kept; a lambda's own variable reads its collection, checked as a column.
      if (o.kind === 'var') return q.unnest?.variable !== o.name || (o.path.length === 1 && r.element !== undefined && r.element.fields.includes(o.path[0] as string));
      if (o === q.unnest?.collection) return true;
      if (o.meta === 'tenant') return true;
      if (o.meta !== undefined) return false;
      if (o.path.length === 1 && (o.path[0] === '_first' || o.path[0] === '_last')) return true;
      return dims.has(o.path.join('/')) || lists.has(o.path.join('/'));
    });
  });
  if (!rollup) return null;
  const rendered: AggregateQuery = { ...query, where: { kind: 'true' } };
  // De-duplicated: a line item counts when its successor is not in the range (none, or after its end).
  const next: ColumnRef = { kind: 'column', path: ['_next'], type: 'datetime' };
  const newest: Condition = !rollup.dedupe
    ? { kind: 'true' }
    : upper
      ? { kind: 'or', items: [{ kind: 'isNull', operand: next, negated: false }, { kind: 'compare', op: upper.op === 'lt' ? 'ge' : 'gt', left: next, right: timeValue(upper.ns), caseInsensitive: false }] }
      : { kind: 'isNull', operand: next, negated: false };
  const created: ColumnRef = CREATED_COLUMN;
  const at = (op: 'ge' | 'lt', ns: bigint): Condition => ({ kind: 'compare', op, left: created, right: timeValue(ns), caseInsensitive: false });
  const within = (from: bigint | null, to: bigint | null): Condition[] => [...(from !== null ? [at('ge', from)] : []), ...(to !== null ? [at('lt', to)] : [])];
  // Each part a plain conjunction on createdDateTime, so a scan skips what is outside it. A part of
  // sign-ins keeps the query's own bounds (in `where`) and adds the internal ones.
  const parts: RollupPart[] = [];
  const table = (name: string, from: bigint | null, to: bigint | null): void => void parts.push({ table: name, where: and(rest, ...within(from, to), newest) });
  const rows = (from: bigint | null, to: bigint | null): void => void parts.push({ table: null, where: and(q.where, ...within(from, to), newest) });
  interface Edge {
    ns: bigint;
    /** A bound of the query (else a day boundary inside it). */
    own: boolean;
  }
  /** The part of the range between `lo` and `hi` (null: unbounded) that whole days do not cover. */
  const remainder = (lo: Edge | null, hi: Edge | null): void => {
    const loInner = lo && !lo.own ? lo.ns : null;
    const hiInner = hi && !hi.own ? hi.ns : null;
    if (!rollup.hourly) return rows(loInner, hiInner);
    const hFrom = lo ? ceilTo(lo.ns, HOUR_NS, lo.own && lower?.op === 'gt') : null;
    const hTo = hi ? floorTo(hi.ns, HOUR_NS) : null;
    if (hFrom !== null && hTo !== null && hFrom >= hTo) return rows(loInner, hiInner);
    table(hourTable(rollup), hFrom, hTo);
    if (lo && hFrom !== null && (hFrom !== lo.ns || (lo.own && lower?.op === 'gt'))) rows(loInner, hFrom);
    if (hi && hTo !== null && (hTo !== hi.ns || (hi.own && upper?.op === 'le'))) rows(hTo, hiInner);
  };
  // Whole days [from, to) read the day table.
  const from = lower ? ceilTo(lower.ns, DAY_NS, lower.op === 'gt') : null;
  const to = upper ? floorTo(upper.ns, DAY_NS) : null;
  const lowerEdge = lower ? { ns: lower.ns, own: true } : null;
  const upperEdge = upper ? { ns: upper.ns, own: true } : null;
  if (from !== null && to !== null && from >= to) remainder(lowerEdge, upperEdge);
  else {
    table(rollup.table, from, to);
    if (lower && from !== null && (from !== lower.ns || lower.op === 'gt')) remainder(lowerEdge, { ns: from, own: false });
    if (upper && to !== null && (to !== upper.ns || upper.op === 'le')) remainder({ ns: to, own: false }, upperEdge);
  }
  return { rollup, query: rendered, parts };
}

/** A rollup table's column of the table aliased `s`, in SQL. */
const rollupColumnSql = (c: string): string => `s.${c === 'log_tenant_id' || c.startsWith('_') ? c : duckQuote(c)}`;

/** A rollup table's columns, in order: tenant, day, the kept columns, the element, `_next`, then the count and times. */
export function rollupColumns(r: Rollup): string[] {
  return ['log_tenant_id', 'createdDateTime', ...keptTops(r), ...(r.element ? ['element'] : []), ...(r.dedupe ? ['_next'] : []), '_n', '_first', '_last'];
}

/**
 * A statement that folds the rows of `t` for the days `where` selects (rendered over the table
 * aliased `s`) into one row per combination, into the temporary table `into`: batches each add their
 * own rows for a day, which an import of many batches leaves many times over.
 */
export function rollupCompactSql(t: RollupTable, where: string, into: string): string {
  const keys = rollupColumns(t.rollup).filter((c) => !['_n', '_first', '_last'].includes(c)).map(rollupColumnSql);
  return `CREATE OR REPLACE TEMP TABLE ${into} AS SELECT ${keys.join(', ')}, CAST(sum(s._n) AS BIGINT) AS _n, min(s._first) AS _first, max(s._last) AS _last FROM ${t.name} s WHERE ${where} GROUP BY ALL`;
}

/** The aggregate hooks of a query answered by `plan`: counts sum the rows' counts; the source is the rollup (and partial days). */
export function rollupHooks(plan: RollupPlan): AggregateHooks {
  const r = plan.rollup;
  const kept = rollupColumns(r);
  const list = kept.map((c) => `${rollupColumnSql(c)}${c === 'element' ? ' AS _u' : ''}`).join(', ');
  return {
    ...duckdbAggregateHooks,
    count: () => 'sum(s._n)',
    countIf: (c) => `sum(s._n) FILTER (WHERE ${c})`,
    source(spec: SourceSpec): string {
      const parts = plan.parts.map((p) => (p.table ? `SELECT ${list} FROM ${p.table} s WHERE ${spec.render(p.where)}` : `SELECT ${list} FROM (${singleRowsSql(r, spec.render(p.where))}) s`));
      const union = parts.length === 0 ? `SELECT ${list} FROM ${r.table} s WHERE FALSE` : parts.join(' UNION ALL ');
      return `FROM (${union}) s${spec.unnest?.elementWhere ? ` WHERE ${spec.unnest.elementWhere}` : ''}`;
    },
  };
}

/** A statement that adds to `r` the rows of the sign-ins `where` (SQL over sign_ins aliased `s`) selects; `params` gets the rollup's own. */
export function rollupInsertSql(t: RollupTable, where: string, params: unknown[], from = rollupSource(t.rollup)): string {
  return `INSERT INTO ${t.name} ${ownRowsSql(t, where, params, from)}`;
}

/** A statement that creates `t` with the rows of every sign-in (`where`: of the sign-ins it selects, SQL over sign_ins aliased `s`). */
export function rollupCreateSql(t: RollupTable, params: unknown[], where = 'TRUE'): string {
  return `CREATE TABLE ${t.name} AS ${ownRowsSql(t, where, params, rollupSource(t.rollup))}`;
}

/**
 * (tenant, day) pairs grouped by day, in day order: what a bulk import recounts and folds at its
 * end, and a rollup rebuilt at open, are done a day at a time, so that a statement's
 * memory is bounded by one day's rows, not the store's. An import of 10,000,000 sign-ins ran out of
 * DuckDB's 512 MB at its end, after its last batch, while recounting and folding every day at once
 * (which statement failed was not logged).
 */
export function byDay<D extends { tenant: string; day: string }>(days: readonly D[]): D[][] {
  const out = new Map<string, D[]>();
  for (const d of days) {
    const list = out.get(d.day);
    if (list) list.push(d);
    else out.set(d.day, [d]);
  }
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, list]) => list);
}

/**
 * byDay's days, consecutive ones together while their line items (`lineItems`, per tenant and day)
 * add up to at most `most` (a day with more stands alone): a bulk import recounts its days a part at
 * a time, each part in one statement a rollup, which bounds a statement's memory as a day at a time
 * does without a statement a day (an import of 100,000 sign-ins over 30 days made 360 of them).
 */
export function dayParts<D extends { tenant: string; day: string }>(days: readonly D[], lineItems: (d: D) => number, most: number): D[][] {
  const parts: D[][] = [];
  let part: D[] = [];
  let rows = 0;
  for (const day of byDay(days)) {
    const n = day.reduce((sum, d) => sum + lineItems(d), 0);
    if (part.length > 0 && rows + n > most) {
      parts.push(part);
      part = [];
      rows = 0;
    }
    part.push(...day);
    rows += n;
  }
  if (part.length > 0) parts.push(part);
  return parts;
}

/** The columns of sign_ins the sign-in rollups are made from: a table of some sign-ins with these can stand for sign_ins. */
export const ROLLUP_SOURCE_COLUMNS: readonly string[] = [...new Set(DUCKDB_ROLLUPS.filter((r) => !r.element).flatMap(sourceColumns))];

/**
 * The table's rows of the sign-ins `where` selects in `from` (sign_ins, or a table of some of its
 * rows with ROLLUP_SOURCE_COLUMNS), with the rollup's own conditions (`only`, `elementOnly`) rendered into `params`.
 */
function ownRowsSql(t: RollupTable, where: string, params: unknown[], from: string): string {
  const r = t.rollup;
  const only = r.only ? renderCondition(r.only, duckdbDialect, { params }).sql : null;
  const elementOnly = r.elementOnly ? renderCondition(r.elementOnly('e'), duckdbDialect, { params, bound: new Map([['e', 's._e']]) }).sql : null;
  return rollupRowsSql(t, where, from, only, elementOnly);
}

/** The statements that count `t`'s rows of `days` (from sign_ins, or its element table), a day at a time (byDay). */
export function rollupInsertsByDay(t: RollupTable, days: readonly { tenant: string; day: string }[]): { sql: string; params: unknown[] }[] {
  return byDay(days).map((day) => {
    const params: unknown[] = [];
    return { sql: rollupInsertSql(t, daysWhere(day, params), params), params };
  });
}

/** The UTC day (its start, ns) of each of `days` ISO times, and the condition over sign_ins aliased `s` selecting those days of their tenants. */
export function daysWhere(days: readonly { tenant: string; day: string }[], params: unknown[]): string {
  const parts = days.map(({ tenant, day }) => {
    const start = parseDateTime(day);
    if (start === null) throw new Error(`rollup day '${day}' is not a time`);
    params.push(tenant, formatDateTime(start), formatDateTime(start + DAY_NS));
    const n = params.length;
    return `(s.log_tenant_id = $${n - 2} AND s."createdDateTime" >= CAST($${n - 1} AS TIMESTAMP_NS) AND s."createdDateTime" < CAST($${n} AS TIMESTAMP_NS))`;
  });
  return parts.length === 0 ? 'FALSE' : parts.join(' OR ');
}

/** The day (as stored in the rollups) of a sign-in row aliased `s`. */
export const ROLLUP_DAY_SQL = DAY;
