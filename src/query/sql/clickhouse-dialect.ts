// The ClickHouse rendering of neutral conditions. The layout is flat: a nested property is a
// dotted column (`status.errorCode`), a collection of objects is parallel arrays, one per leaf
// (`appliedConditionalAccessPolicies.result`). A lambda over a collection binds the leaves its
// body uses as lambda parameters: `arrayExists((_v1__result) -> ..., \`appliedConditionalAccessPolicies.result\`)`.
// Values are literals written by the backend's one quoting function (ClickHouse 18.16 has no
// server-side parameters), handed in by the store.
import { fieldAtPath, type Field } from '../../model/schema.js';
import { parseDateTime } from '../../model/time.js';
import type { ColumnRef, Operand, Value, VarRef } from './expr.js';
import type { AggregateHooks, SourceSpec } from './aggregate.js';
import type { Dialect, LambdaContext } from './render.js';

/** The store's quoting function: every value a query carries becomes SQL through it. */
export type QuoteValue = (v: string | number | boolean | bigint) => string;

/** Columns that are never NULL (the sorting key): compared as they are, so the primary index applies. */
const NOT_NULL_COLUMNS = new Set(['log_tenant_id', 'id', 'created_ns']);

export function clickhouseQuoteIdent(name: string): string {
  return `\`${name.replace(/[\\`]/g, (c) => `\\${c}`)}\``;
}

/** The first leaf below a property (depth first): any leaf array of a collection has its length. */
function firstLeafPath(path: readonly string[], f: Field): readonly string[] {
  let p = path;
  let cur = f;
  while (cur.type.kind === 'complex') {
    const first: Field | undefined = cur.type.fields[0];
    if (!first) break;
    p = [...p, first.name];
    cur = first;
  }
  return p;
}

/** The column of a property path; for an object (a collection of objects), the column of its first leaf. */
function columnOf(path: readonly string[]): string {
  if (path.length === 1 && path[0] === 'createdDateTime') return 'created_ns';
  if (path.length === 1 && path[0] === 'id') return 'id';
  const f = fieldAtPath(path);
  const leaf = f && f.type.kind === 'complex' ? firstLeafPath(path, f) : path;
  return clickhouseQuoteIdent(leaf.join('.'));
}

/** The lambda parameter that holds `path` below the variable named `sqlName`. */
function paramName(sqlName: string, path: readonly string[]): string {
  return path.length === 0 ? sqlName : `${sqlName}__${path.join('__')}`;
}

/**
 * The ClickHouse dialect, writing values with `quote`.
 *
 * SQL it relies on exists in ClickHouse 18.16 and in current releases: lowerUTF8, startsWith,
 * endsWith, positionUTF8, splitByChar, has, notEmpty, arrayExists/arrayAll with several arrays,
 * assumeNotNull.
 */
export function clickhouseDialect(quote: QuoteValue): Dialect {
  return {
    name: 'clickhouse',
    quoteIdent: clickhouseQuoteIdent,
    value(v: Value): string {
      if (v.type === 'datetime') {
        const ns = parseDateTime(String(v.value));
        if (ns === null) throw new RangeError(`not a date-time: ${JSON.stringify(v.value)}`);
        return quote(ns);
      }
      return quote(v.value);
    },
    column(ref: ColumnRef): string {
      if (ref.meta === 'tenant') return 'log_tenant_id';
      return columnOf(ref.path);
    },
    variable(ref: VarRef, sqlName: string): string {
      return paramName(sqlName, ref.path);
    },
    // ClickHouse releases before 21 do not follow SQL's three-valued logic: `0 AND NULL` is NULL,
    // not 0. After the renderer's IS [NOT] NULL guard the value is known, so it is compared as a
    // plain value and every condition stays 0 or 1.
    nonNull(sql: string, operand: Operand): string {
      return operand.kind === 'column' && NOT_NULL_COLUMNS.has(sql) ? sql : `assumeNotNull(${sql})`;
    },
    trueSql: '1',
    falseSql: '0',
    lower: (sql) => `lowerUTF8(${sql})`,
    startsWith: (sql, p) => `startsWith(${sql}, ${p})`,
    endsWith: (sql, p) => `endsWith(${sql}, ${p})`,
    contains: (sql, p) => `(positionUTF8(${sql}, ${p}) > 0)`,
    hasFlag: (sql, member) => `has(splitByChar(',', ${sql}), ${member})`,
    listContains: (sql, v) => `has(${sql}, ${v})`,
    lambda(quantifier, sql, sqlName, body, ctx: LambdaContext): string {
      // `sql` is the collection: an array column (for a collection of objects, its first leaf),
      // or the enclosing lambda's parameter holding it. Either has the collection's length.
      if (body === null) return quantifier === 'any' ? `notEmpty(${sql})` : '1';
      const coll = ctx.collection;
      const arrayOf = (f: readonly string[]): string =>
        coll.kind === 'column' ? (f.length === 0 ? sql : columnOf([...coll.path, ...f])) : paramName(sql, f);
      const bound = ctx.fieldsUsed.map((f) => [paramName(sqlName, f), arrayOf(f)] as const);
      if (bound.length === 0) bound.push([sqlName, sql]);
      const params = bound.length === 1 ? bound[0]![0] : `(${bound.map((b) => b[0]).join(', ')})`;
      const fn = quantifier === 'any' ? 'arrayExists' : 'arrayAll';
      return `${fn}(${params} -> ${body}, ${bound.map((b) => b[1]).join(', ')})`;
    },
  };
}

/**
 * ClickHouse's parts of an aggregate statement (query/sql/aggregate.ts) over `table` (the
 * Distributed table in a cluster). Line items are read with FINAL and `deleted = 0`, as every read
 * (one version per line item). De-duplication by correlation is `LIMIT 1 BY` over the newest first;
 * a collection is unnested with ARRAY JOIN of the leaf arrays the statement uses, each as
 * `_u__field` (the names the dialect's variables render). Functions used exist in 18.16 and in
 * current releases: count, countIf, uniqExact, intDiv, ifNull, LIMIT BY, ARRAY JOIN.
 */
export function clickhouseAggregateHooks(table: string, quote: QuoteValue): AggregateHooks {
  const element = '_u';
  return {
    count: () => 'count()',
    countIf: (c) => `countIf(${c})`,
    uniq: (sql) => `uniqExact(${sql})`,
    epochNs: (sql) => sql,
    bucket: (ns, width) => `(intDiv(${ns}, ${width.toString()}) * ${width.toString()})`,
    elementName: element,
    limit: (n) => `LIMIT ${quote(n)}`,
    limitPerGroup: (statement, keys, order, n) => `${statement} ORDER BY ${order} LIMIT ${quote(n)} BY ${keys.join(', ')}`,
    source(spec: SourceSpec): string {
      const read = `FROM ${table} FINAL WHERE deleted = 0 AND ${spec.where}`;
      if (!spec.unnest && !spec.dedupe) return read;
      const columns = new Set(spec.columns);
      const joins: string[] = [];
      if (spec.unnest) {
        const coll = spec.unnest.collection.path;
        const fields = spec.unnest.fields.length > 0 ? spec.unnest.fields : [[]];
        for (const f of fields) {
          const col = columnOf([...coll, ...f]);
          columns.add(col);
          joins.push(`${col} AS ${paramName(element, f)}`);
        }
      }
      if (spec.dedupe) for (const c of ['log_tenant_id', 'id', 'created_ns', '`correlationId`']) columns.add(c);
      if (columns.size === 0) columns.add('id');
      const limitBy = spec.dedupe ? ' ORDER BY created_ns DESC, id DESC LIMIT 1 BY log_tenant_id, ifNull(`correlationId`, id)' : '';
      const inner = `SELECT ${[...columns].join(', ')} ${read}${limitBy}`;
      const arrayJoin = joins.length > 0 ? ` ARRAY JOIN ${joins.join(', ')}` : '';
      const elementWhere = spec.unnest?.elementWhere ? ` WHERE ${spec.unnest.elementWhere}` : '';
      return `FROM (${inner})${arrayJoin}${elementWhere}`;
    },
  };
}
