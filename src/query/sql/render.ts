// Renders a neutral condition as SQL. The structure (null rules, boolean logic, lambdas' scoping)
// is written once here; a dialect supplies only the small things that differ between engines:
// quoting, how a value is bound, column and field access, and a few functions.
import type { ColumnRef, Condition, Operand, Value, VarRef } from './expr.js';

export interface RenderedSql {
  sql: string;
  /** Positional parameters ($1, $2, ...) for engines that bind; empty for engines that quote. */
  params: unknown[];
}

/** What differs between SQL engines. Keep it small. */
export interface Dialect {
  readonly name: 'duckdb' | 'clickhouse';
  quoteIdent(name: string): string;
  /** SQL for a value: a parameter placeholder (recorded in `params`) or a safely quoted literal. */
  value(v: Value, params: unknown[]): string;
  /** A column or a field path inside a column. */
  column(ref: ColumnRef): string;
  /** A lambda variable or a field path below it; `sqlName` is the variable's generated name. */
  variable(ref: VarRef, sqlName: string): string;
  lower(sql: string): string;
  startsWith(sql: string, prefix: string): string;
  endsWith(sql: string, suffix: string): string;
  contains(sql: string, part: string): string;
  /** True when the comma list `sql` holds the member `member` (already rendered). */
  hasFlag(sql: string, member: string): string;
  /** True when the list `sql` holds `value` (exact match); false for a null list. */
  listContains(sql: string, value: string): string;
  /** any/all over the collection `sql`; `body` uses `sqlName`; a null collection is empty. */
  lambda(quantifier: 'any' | 'all', sql: string, sqlName: string, body: string | null, ctx: LambdaContext): string;
  /**
   * The operand `sql` where the renderer has just ruled NULL out (`x IS NOT NULL AND ...`,
   * `x IS NULL OR ...`), for engines whose AND/OR do not follow SQL's three-valued logic
   * (ClickHouse before 21: `0 AND NULL` is NULL). Absent: the operand as it is.
   */
  nonNull?(sql: string, operand: Operand): string;
  /** The literals for true and false (absent: TRUE and FALSE). */
  readonly trueSql?: string;
  readonly falseSql?: string;
}

/** What a dialect may need to render a lambda (ClickHouse expands Nested columns by field). */
export interface LambdaContext {
  collection: Operand;
  /**
   * Field paths below the variable that the body uses, including, for a lambda nested over a
   * collection field of the variable, that field and the paths below it the nested body uses.
   */
  fieldsUsed: readonly (readonly string[])[];
}

function lowerValue(v: Value): Value {
  return typeof v.value === 'string' ? { ...v, value: v.value.toLowerCase() } : v;
}

const SQL_OP = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

class Renderer {
  private readonly names = new Map<string, string[]>();
  private counter = 0;

  constructor(
    private readonly d: Dialect,
    readonly params: unknown[] = [],
    bound: ReadonlyMap<string, string> = new Map(),
  ) {
    for (const [name, sqlName] of bound) this.names.set(name, [sqlName]);
  }

  operand(o: Operand): string {
    if (o.kind === 'column') return this.d.column(o);
    const stack = this.names.get(o.name);
    const sqlName = stack?.[stack.length - 1];
    if (!sqlName) throw new Error(`lambda variable ${o.name} is not in scope`);
    return this.d.variable(o, sqlName);
  }

  value(v: Value): string {
    return this.d.value(v, this.params);
  }

  /** `sql` (the rendering of `o`) where NULL has been ruled out. */
  known(sql: string, o: Operand): string {
    return this.d.nonNull ? this.d.nonNull(sql, o) : sql;
  }

  render(c: Condition): string {
    const d = this.d;
    switch (c.kind) {
      case 'true':
        return d.trueSql ?? 'TRUE';
      case 'false':
        return d.falseSql ?? 'FALSE';
      case 'compare': {
        const x = this.operand(c.left);
        const ci = c.caseInsensitive && c.right.type === 'string';
        const k = this.known(x, c.left);
        const lhs = ci ? d.lower(k) : k;
        const rhs = this.value(ci ? lowerValue(c.right) : c.right);
        if (c.op === 'ne') return `(${x} IS NULL OR ${lhs} <> ${rhs})`;
        return `(${x} IS NOT NULL AND ${lhs} ${SQL_OP[c.op]} ${rhs})`;
      }
      case 'isNull':
        return `(${this.operand(c.operand)} IS ${c.negated ? 'NOT ' : ''}NULL)`;
      case 'text': {
        const x = this.operand(c.operand);
        const v = this.value(lowerValue(c.value));
        const fn = c.op === 'startsWith' ? d.startsWith : c.op === 'endsWith' ? d.endsWith : d.contains;
        return `(${x} IS NOT NULL AND ${fn.call(d, d.lower(this.known(x, c.operand)), v)})`;
      }
      case 'hasFlag': {
        const x = this.operand(c.operand);
        return `(${x} IS NOT NULL AND ${d.hasFlag(this.known(x, c.operand), this.value({ kind: 'value', value: c.member, type: 'string' }))})`;
      }
      case 'in': {
        if (c.values.length === 0) return d.falseSql ?? 'FALSE';
        const x = this.operand(c.operand);
        const k = this.known(x, c.operand);
        const ci = c.caseInsensitive;
        const list = c.values.map((v) => this.value(ci && v.type === 'string' ? lowerValue(v) : v)).join(', ');
        return `(${x} IS NOT NULL AND ${ci ? d.lower(k) : k} IN (${list}))`;
      }
      case 'sameValue': {
        const l = this.operand(c.left);
        const r = this.operand(c.right);
        const kl = this.known(l, c.left);
        const kr = this.known(r, c.right);
        return `(${l} IS NOT NULL AND ${r} IS NOT NULL AND ${c.caseInsensitive ? d.lower(kl) : kl} = ${c.caseInsensitive ? d.lower(kr) : kr})`;
      }
      case 'and':
        return `(${c.items.map((i) => this.render(i)).join(' AND ')})`;
      case 'or':
        return `(${c.items.map((i) => this.render(i)).join(' OR ')})`;
      case 'not':
        return `(NOT ${this.render(c.item)})`;
      case 'lambda': {
        const coll = this.operand(c.collection);
        // `list/any(x: x eq 'v')` with an exact comparison is a membership test: engines do it
        // without a lambda, much faster (Graph's interactive-only default is one).
        const b = c.body;
        if (c.quantifier === 'any' && b?.kind === 'compare' && b.op === 'eq' && !b.caseInsensitive && b.left.kind === 'var' && b.left.name === c.variable && b.left.path.length === 0) {
          return d.listContains(coll, this.value(b.right));
        }
        const sqlName = `_v${++this.counter}`;
        const stack = this.names.get(c.variable) ?? [];
        stack.push(sqlName);
        this.names.set(c.variable, stack);
        try {
          const body = c.body ? this.render(c.body) : null;
          return d.lambda(c.quantifier, coll, sqlName, body, { collection: c.collection, fieldsUsed: c.body ? fieldsUsed(c.body, c.variable) : [] });
        } finally {
          stack.pop();
        }
      }
    }
  }
}

/** The field paths below `variable` that a lambda body refers to (not inside a shadowing lambda). */
export function fieldsUsed(c: Condition, variable: string): (readonly string[])[] {
  const out: (readonly string[])[] = [];
  const add = (p: readonly string[]): void => {
    if (!out.some((q) => q.join('/') === p.join('/'))) out.push(p);
  };
  const visit = (x: Condition): void => {
    switch (x.kind) {
      case 'compare':
      case 'isNull':
      case 'text':
      case 'hasFlag':
      case 'in': {
        const o = x.kind === 'compare' ? x.left : x.operand;
        if (o.kind === 'var' && o.name === variable) add(o.path);
        return;
      }
      case 'sameValue':
        for (const o of [x.left, x.right]) if (o.kind === 'var' && o.name === variable) add(o.path);
        return;
      case 'and':
      case 'or':
        x.items.forEach(visit);
        return;
      case 'not':
        visit(x.item);
        return;
      case 'lambda':
        if (x.collection.kind === 'var' && x.collection.name === variable) {
          const base = x.collection.path;
          add(base);
          // The nested lambda reads the fields it uses through this variable's collection field.
          if (x.body) for (const f of fieldsUsed(x.body, x.variable)) add([...base, ...f]);
        }
        if (x.variable !== variable && x.body) visit(x.body);
        return;
      default:
        return;
    }
  };
  visit(c);
  return out;
}

/** Where a condition is rendered as part of a larger statement. */
export interface RenderContext {
  /** The statement's parameters so far: the condition's are appended (placeholders number on). */
  params?: unknown[];
  /** Variables bound outside the condition (an unnested collection's element), by their SQL name. */
  bound?: ReadonlyMap<string, string>;
}

/** Renders a condition for `dialect`; values are bound or quoted, never concatenated raw. */
export function renderCondition(c: Condition, dialect: Dialect, context: RenderContext = {}): RenderedSql {
  const r = new Renderer(dialect, context.params, context.bound);
  const sql = r.render(c);
  return { sql, params: r.params };
}
