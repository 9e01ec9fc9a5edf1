// The neutral aggregate query: counts over sign-ins, grouped, for reports and the aggregate view of
// the list. Written once here (structure, null rules, parameters); a backend supplies a few hooks
// (aggregate functions, time arithmetic, how a collection is unnested, the de-duplicating source).
// Every number a report shows is computed by the store from a query of this shape: no sign-in rows
// travel to JavaScript.
import { formatDateTime } from '../../model/time.js';
import { CREATED_COLUMN, type ColumnRef, type Condition, type Operand, type ValueType } from './expr.js';
import { fieldsUsed, renderCondition, type Dialect } from './render.js';

/** A grouping key. */
export type GroupKey =
  /** A column, or a field of the unnested element. */
  | { kind: 'operand'; operand: Operand }
  /** The start of the createdDateTime window the sign-in falls in (UTC, aligned to the epoch). */
  | { kind: 'timeBucket'; hours: 1 | 6 | 24 }
  /**
   * The label of the first condition that holds, else `otherwise` (an operand's value, a label, or
   * null). Folds values into one (`PHS` → `Password`) or classifies (success / failure / ...).
   */
  | { kind: 'case'; whens: readonly { when: Condition; then: string }[]; otherwise: Operand | string | null };

export type Measure =
  | { kind: 'count' }
  | { kind: 'countIf'; condition: Condition }
  /** Distinct non-null values. */
  | { kind: 'uniq'; operand: Operand }
  /** Smallest / largest non-null value (a time as Graph renders it). */
  | { kind: 'min' | 'max'; operand: Operand };

/** One collection element per row: the collection's items, bound to `variable` for keys and conditions. */
export interface Unnest {
  collection: ColumnRef;
  variable: string;
  /** Elements to keep (items of the rows `where` kept). */
  where?: Condition;
}

export interface AggregateQuery {
  /** Which sign-ins. */
  where: Condition;
  /**
   * One line item per correlation ID and log tenant (the newest; a line item without a correlation
   * ID stands alone), as Microsoft's workbooks de-duplicate with `arg_max(TimeGenerated, *) by
   * CorrelationId` before counting. Applied after `where`.
   */
  dedupeByCorrelation?: boolean;
  unnest?: Unnest;
  groupBy: readonly { name: string; key: GroupKey }[];
  measures: readonly { name: string; measure: Measure }[];
  /** Order of the rows (ties: every key ascending, so both backends give the same rows). */
  orderBy?: readonly { name: string; desc?: boolean }[];
  /** Only the first `limit` rows (in `orderBy` order) of each combination of the keys `keys` (top N per group). */
  limitPerGroup?: { keys: readonly string[]; limit: number };
  limit?: number;
}

export type AggregateValue = string | number | boolean | null;
export type AggregateRow = Record<string, AggregateValue>;

/** What differs between engines in an aggregate statement (beside the condition dialect). */
export interface AggregateHooks {
  count(): string;
  countIf(condition: string): string;
  uniq(sql: string): string;
  /** A datetime operand as nanoseconds since the epoch (an integer). */
  epochNs(sql: string): string;
  /** The window start (ns) of the time `ns` (an integer expression), `width` ns wide. */
  bucket(ns: string, width: bigint): string;
  /** The SQL name that holds the unnested element (for the renderer's bound variables). */
  readonly elementName: string;
  /**
   * The FROM clause and the WHERE that goes with it: the sign-ins `where` keeps (de-duplicated by
   * correlation when asked), unnested when asked (then `elementWhere` keeps elements).
   */
  source(s: SourceSpec): string;
  /** `LIMIT n` with the value bound or quoted. */
  limit(n: number, params: unknown[]): string;
  /** `statement` (grouped, not ordered) ordered by `order`, keeping the first `n` rows of each value of `keys`. */
  limitPerGroup(statement: string, keys: readonly string[], order: string, n: number, params: unknown[]): string;
}

export interface SourceSpec {
  where: string;
  dedupe: boolean;
  /** Columns the outer statement uses (rendered by the dialect). */
  columns: readonly string[];
  /** The top-level properties (and meta columns) the statement uses, for engines that select whole nested columns. */
  topColumns: readonly string[];
  /** The top-level properties (and meta columns) `where` uses, for engines that may read a narrower table when it has them. */
  whereColumns: readonly string[];
  unnest?: {
    collection: ColumnRef;
    /** Field paths below the element the statement uses. */
    fields: readonly (readonly string[])[];
    elementWhere: string | null;
  };
  /** Renders another condition with the statement's parameters (for sources that filter in parts). */
  render(c: Condition): string;
}

/** The SQL of an aggregate query, with its parameters and how to read its rows back. */
export interface RenderedAggregate {
  sql: string;
  params: unknown[];
  /** Turns an engine's row (by column alias) into the query's row (by name). */
  read(row: Record<string, unknown>): AggregateRow;
}

const NS_PER_HOUR = 3_600_000_000_000n;

/** Every operand of the query: its conditions', keys' and measures' (for column lists and element fields). */
export function aggregateOperands(q: AggregateQuery): Operand[] {
  const out: Operand[] = [];
  const visit = (c: Condition): void => {
    switch (c.kind) {
      case 'compare':
        out.push(c.left);
        return;
      case 'isNull':
      case 'text':
      case 'hasFlag':
      case 'in':
        out.push(c.operand);
        return;
      case 'sameValue':
        out.push(c.left, c.right);
        return;
      case 'and':
      case 'or':
        c.items.forEach(visit);
        return;
      case 'not':
        visit(c.item);
        return;
      case 'lambda':
        out.push(c.collection);
        if (c.body) {
          // The fields a lambda reads are columns too (ClickHouse keeps each leaf of a collection apart).
          const coll = c.collection;
          if (coll.kind === 'column') for (const f of fieldsUsed(c.body, c.variable)) out.push({ ...coll, path: [...coll.path, ...f] });
          visit(c.body);
        }
        return;
      default:
        return;
    }
  };
  for (const g of q.groupBy) {
    if (g.key.kind === 'operand') out.push(g.key.operand);
    if (g.key.kind === 'timeBucket') out.push(CREATED_COLUMN);
    if (g.key.kind === 'case') {
      g.key.whens.forEach((w) => visit(w.when));
      if (g.key.otherwise !== null && typeof g.key.otherwise === 'object') out.push(g.key.otherwise);
    }
  }
  for (const m of q.measures) {
    if (m.measure.kind === 'countIf') visit(m.measure.condition);
    else if (m.measure.kind !== 'count') out.push(m.measure.operand);
  }
  if (q.unnest?.where) visit(q.unnest.where);
  return out;
}

/** Field paths below the unnested element the query uses (keys, measures, conditions, lambdas). */
function elementFields(q: AggregateQuery, variable: string): (readonly string[])[] {
  const out: (readonly string[])[] = [];
  const add = (p: readonly string[]): void => {
    if (!out.some((x) => x.join('/') === p.join('/'))) out.push(p);
  };
  const conds: Condition[] = [];
  for (const g of q.groupBy) if (g.key.kind === 'case') conds.push(...g.key.whens.map((w) => w.when));
  for (const m of q.measures) if (m.measure.kind === 'countIf') conds.push(m.measure.condition);
  if (q.unnest?.where) conds.push(q.unnest.where);
  for (const c of conds) fieldsUsed(c, variable).forEach(add);
  for (const o of aggregateOperands({ ...q, where: { kind: 'true' } })) if (o.kind === 'var' && o.name === variable) add(o.path);
  return out;
}

function checkName(name: string): void {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw new Error(`aggregate name '${name}' must be a plain identifier`);
}

/** Renders an aggregate query for a backend. */
export function renderAggregate(q: AggregateQuery, dialect: Dialect, hooks: AggregateHooks): RenderedAggregate {
  const params: unknown[] = [];
  const bound = new Map<string, string>();
  if (q.unnest) bound.set(q.unnest.variable, hooks.elementName);
  const cond = (c: Condition): string => renderCondition(c, dialect, { params, bound }).sql;
  const operand = (o: Operand): string => (o.kind === 'column' ? dialect.column(o) : dialect.variable(o, hooks.elementName));
  const valueOf = (o: Operand): string => (o.type === 'datetime' ? hooks.epochNs(operand(o)) : operand(o));

  const select: string[] = [];
  const readers: ((row: Record<string, unknown>) => [string, AggregateValue])[] = [];
  const aliases = new Map<string, string>();
  q.groupBy.forEach((g, i) => {
    checkName(g.name);
    const alias = `k${i}`;
    aliases.set(g.name, alias);
    let sql: string;
    let type: ValueType | 'label' = 'label';
    switch (g.key.kind) {
      case 'operand':
        sql = valueOf(g.key.operand);
        type = g.key.operand.type;
        break;
      case 'timeBucket':
        sql = hooks.bucket(hooks.epochNs(dialect.column(CREATED_COLUMN)), BigInt(g.key.hours) * NS_PER_HOUR);
        type = 'datetime';
        break;
      case 'case': {
        const other = g.key.otherwise;
        const otherwise = other === null ? 'NULL' : typeof other === 'string' ? dialect.value({ kind: 'value', value: other, type: 'string' }, params) : operand(other);
        const whens = g.key.whens.map((w) => `WHEN ${cond(w.when)} THEN ${dialect.value({ kind: 'value', value: w.then, type: 'string' }, params)}`);
        sql = whens.length === 0 ? otherwise : `(CASE ${whens.join(' ')} ELSE ${otherwise} END)`;
        break;
      }
    }
    select.push(`${sql} AS ${alias}`);
    readers.push((row) => [g.name, readValue(row[alias], type)]);
  });
  q.measures.forEach((m, i) => {
    checkName(m.name);
    const alias = `m${i}`;
    aliases.set(m.name, alias);
    let sql: string;
    let type: ValueType | 'count' = 'count';
    switch (m.measure.kind) {
      case 'count':
        sql = hooks.count();
        break;
      case 'countIf':
        sql = hooks.countIf(cond(m.measure.condition));
        break;
      case 'uniq':
        sql = hooks.uniq(operand(m.measure.operand));
        break;
      case 'min':
      case 'max':
        sql = `${m.measure.kind}(${valueOf(m.measure.operand)})`;
        type = m.measure.operand.type;
        break;
    }
    select.push(`${sql} AS ${alias}`);
    readers.push((row) => [m.name, readValue(row[alias], type)]);
  });
  if (select.length === 0) throw new Error('an aggregate query needs a key or a measure');

  const where = cond(q.where);
  const unnest = q.unnest
    ? { collection: q.unnest.collection, fields: elementFields(q, q.unnest.variable), elementWhere: q.unnest.where ? cond(q.unnest.where) : null }
    : undefined;
  const columns = [...new Set(aggregateOperands(q).filter((o): o is ColumnRef => o.kind === 'column' && o !== q.unnest?.collection).map((o) => dialect.column(o)))];
  const topOf = (ops: readonly Operand[]): string[] => [...new Set(ops.filter((o): o is ColumnRef => o.kind === 'column').map((o) => (o.meta === 'tenant' ? 'log_tenant_id' : o.path[0]!)))];
  const topColumns = topOf(aggregateOperands(q));
  // The operands of `where` alone: a query whose only measure counts where it holds.
  const whereColumns = topOf(aggregateOperands({ where: q.where, groupBy: [], measures: [{ name: 'where', measure: { kind: 'countIf', condition: q.where } }] }));
  const from = hooks.source({ where, dedupe: q.dedupeByCorrelation === true, columns, topColumns, whereColumns, ...(unnest ? { unnest } : {}), render: cond });

  const keys = q.groupBy.map((_, i) => `k${i}`);
  const order = (q.orderBy ?? []).map((o) => {
    const alias = aliases.get(o.name);
    if (!alias) throw new Error(`aggregate order by '${o.name}': no such key or measure`);
    return `${alias} ${o.desc ? 'DESC' : 'ASC'}`;
  });
  for (const k of keys) if (!order.some((o) => o.startsWith(`${k} `))) order.push(`${k} ASC`);
  let sql = `SELECT ${select.join(', ')} ${from}`;
  if (keys.length > 0) sql += ` GROUP BY ${keys.join(', ')}`;
  if (q.limitPerGroup) {
    const per = q.limitPerGroup;
    if (!Number.isSafeInteger(per.limit) || per.limit < 1) throw new RangeError(`limit per group must be a whole number, got ${per.limit}`);
    const by = per.keys.map((k) => {
      const alias = aliases.get(k);
      if (!alias || !alias.startsWith('k')) throw new Error(`aggregate limit per group by '${k}': no such key`);
      return alias;
    });
    sql = hooks.limitPerGroup(sql, by, order.join(', '), per.limit, params);
  } else if (order.length > 0) sql += ` ORDER BY ${order.join(', ')}`;
  if (q.limit !== undefined) {
    if (!Number.isSafeInteger(q.limit) || q.limit < 0) throw new RangeError(`limit must be a whole number, got ${q.limit}`);
    sql += ` ${hooks.limit(q.limit, params)}`;
  }
  return {
    sql,
    params,
    read: (row) => Object.fromEntries(readers.map((r) => r(row))),
  };
}

/** An engine's value as the query's: counts as numbers, booleans from 0/1, times as Graph renders them. */
function readValue(v: unknown, type: ValueType | 'label' | 'count'): AggregateValue {
  // A count is never null (ClickHouse answers NULL for uniqExact over only NULLs).
  if (v === null || v === undefined) return type === 'count' ? 0 : null;
  switch (type) {
    case 'count':
    case 'int':
    case 'double':
      return typeof v === 'bigint' ? Number(v) : Number(v);
    case 'boolean':
      return v === true || v === 1 || v === '1' || v === 'true';
    case 'datetime':
      return formatDateTime(BigInt(typeof v === 'number' ? Math.round(v) : (v as string | bigint)));
    default:
      return typeof v === 'string' ? v : String(v);
  }
}
