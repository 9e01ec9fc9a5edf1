// The neutral query expression: what a checked $filter (and the tenant scope, paging and defaults)
// means, before any SQL dialect. Each backend renders it with its own small set of hooks.
// Comparisons are two-valued here: OData's null rules are decided when the tree is built, so a
// renderer never has to reason about SQL's NULL logic.

/** Types a value or column has, as far as the query is concerned. */
export type ValueType = 'string' | 'int' | 'double' | 'boolean' | 'datetime';

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** A column of the sign-ins table: a property path (`['status', 'errorCode']`) or a meta column. */
export interface ColumnRef {
  kind: 'column';
  /** Property names from the record root; for meta columns, the single meta name. */
  path: readonly string[];
  meta?: 'tenant';
  type: ValueType;
}

/** A lambda variable, or a field path below it (`p/result` → name 'p', path ['result']). */
export interface VarRef {
  kind: 'var';
  name: string;
  path: readonly string[];
  type: ValueType;
}

/** A value bound as a parameter (or quoted by the dialect's one tested quoting function). */
export interface Value {
  kind: 'value';
  value: string | number | boolean;
  type: ValueType;
}

export type Operand = ColumnRef | VarRef;

export type Condition =
  | { kind: 'true' }
  | { kind: 'false' }
  /** Operand compared with a value; null operands make it false (true for `ne`). */
  | { kind: 'compare'; op: CompareOp; left: Operand; right: Value; caseInsensitive: boolean }
  | { kind: 'isNull'; operand: Operand; negated: boolean }
  /** startsWith / endsWith / contains on text, case-insensitive; false on null. */
  | { kind: 'text'; op: 'startsWith' | 'endsWith' | 'contains'; operand: Operand; value: Value }
  /** A flags enum (comma list of members) holds `member`. */
  | { kind: 'hasFlag'; operand: Operand; member: string }
  | { kind: 'in'; operand: Operand; values: Value[]; caseInsensitive: boolean }
  /**
   * Two operands hold the same value (both non-null and equal), e.g. a sign-in's home tenant and
   * its resource tenant. Not reachable from $filter (OData compares a property with a literal);
   * reports and the scope use it.
   */
  | { kind: 'sameValue'; left: Operand; right: Operand; caseInsensitive: boolean }
  | { kind: 'and'; items: Condition[] }
  | { kind: 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  /**
   * any/all over a collection column (or a collection field of an enclosing variable). A null
   * collection is empty: any → false, all → true.
   */
  | { kind: 'lambda'; quantifier: 'any' | 'all'; collection: Operand; variable: string; body: Condition | null };

export const TRUE: Condition = { kind: 'true' };
export const FALSE: Condition = { kind: 'false' };

export function and(...items: Condition[]): Condition {
  const flat = items.flatMap((c) => (c.kind === 'and' ? c.items : [c])).filter((c) => c.kind !== 'true');
  if (flat.some((c) => c.kind === 'false')) return FALSE;
  if (flat.length === 0) return TRUE;
  return flat.length === 1 ? (flat[0] as Condition) : { kind: 'and', items: flat };
}

export function or(...items: Condition[]): Condition {
  const flat = items.flatMap((c) => (c.kind === 'or' ? c.items : [c])).filter((c) => c.kind !== 'false');
  if (flat.some((c) => c.kind === 'true')) return TRUE;
  if (flat.length === 0) return FALSE;
  return flat.length === 1 ? (flat[0] as Condition) : { kind: 'or', items: flat };
}

export function not(item: Condition): Condition {
  if (item.kind === 'true') return FALSE;
  if (item.kind === 'false') return TRUE;
  if (item.kind === 'not') return item.item;
  return { kind: 'not', item };
}

export function column(path: readonly string[], type: ValueType): ColumnRef {
  return { kind: 'column', path, type };
}

export const TENANT_COLUMN: ColumnRef = { kind: 'column', path: ['log_tenant_id'], meta: 'tenant', type: 'string' };
export const CREATED_COLUMN: ColumnRef = { kind: 'column', path: ['createdDateTime'], type: 'datetime' };
export const ID_COLUMN: ColumnRef = { kind: 'column', path: ['id'], type: 'string' };

export function value(v: string | number | boolean, type: ValueType): Value {
  return { kind: 'value', value: v, type };
}

/** A position in the listing order (createdDateTime, id, log tenant), for keyset paging. */
export interface Keyset {
  /** Canonical time (Graph's rendering, nanosecond precision). */
  time: string;
  id: string;
  tenant: string;
}

/** A complete question for the store: which sign-ins, in which order, how many. */
export interface SignInQuery {
  where: Condition;
  order: 'desc' | 'asc';
  /** Only rows after this position in `order` (keyset paging). */
  after?: Keyset;
  limit: number;
  /** Top-level properties to return (all when absent). */
  select?: readonly string[];
  /** Also each sign-in as Graph's beta API renders it (StoredSignIn.graphBeta), where the store can write it. */
  graphBeta?: boolean;
}

/** Rows strictly after `k` in the listing order (createdDateTime, id, log tenant), as a condition. */
export function afterKeyset(k: Keyset, order: 'desc' | 'asc'): Condition {
  const op: CompareOp = order === 'desc' ? 'lt' : 'gt';
  const cmp = (left: ColumnRef, op2: CompareOp, v: string, type: ValueType): Condition => ({
    kind: 'compare',
    op: op2,
    left,
    right: value(v, type),
    caseInsensitive: false,
  });
  const edge: CompareOp = order === 'desc' ? 'le' : 'ge';
  // The first, looser bound lets the engine skip row groups by time alone.
  return and(
    cmp(CREATED_COLUMN, edge, k.time, 'datetime'),
    or(
      cmp(CREATED_COLUMN, op, k.time, 'datetime'),
      and(cmp(CREATED_COLUMN, 'eq', k.time, 'datetime'), or(cmp(ID_COLUMN, op, k.id, 'string'), and(cmp(ID_COLUMN, 'eq', k.id, 'string'), cmp(TENANT_COLUMN, op, k.tenant, 'string')))),
    ),
  );
}

/** Only these log tenants. */
export function inTenants(tenants: readonly string[]): Condition {
  if (tenants.length === 0) return FALSE;
  return { kind: 'in', operand: TENANT_COLUMN, values: tenants.map((t) => value(t, 'string')), caseInsensitive: false };
}
