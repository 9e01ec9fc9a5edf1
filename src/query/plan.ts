// Checks a parsed $filter against the signIn schema of the requested API version and turns it into
// the neutral condition the stores render. Every refusal names the property, the operator and the
// position, the way a person would want to be told.
import { GatelogError } from '../errors.js';
import { canonicalEnum, unknownMember } from '../model/enums.js';
import { BETA_PROPERTY_NAMES, SIGN_IN_FIELDS, V1_FIELDS, type Field } from '../model/schema.js';
import { formatDateTime, parseDateTime } from '../model/time.js';
import type { CallNode, CompareNode, FilterExpr, LambdaNode, LiteralNode, PathNode } from './odata/ast.js';
import { FilterSyntaxError } from './odata/filter-syntax-error.js';
import { parseFilter } from './odata/parser.js';
import {
  and,
  column,
  not,
  or,
  value as val,
  type CompareOp,
  type Condition,
  type Operand,
  type Value,
  type ValueType,
} from './sql/expr.js';

export type SchemaVersion = 'v1.0' | 'beta';

/** A refusal of the filter, with the position it is about. */
export class FilterError extends GatelogError {
  constructor(
    message: string,
    readonly position: number,
    code: 'Request_BadRequest' | 'Request_UnsupportedQuery' = 'Request_UnsupportedQuery',
  ) {
    super(code, `Invalid filter clause: ${message} at position ${position}`);
  }
}

const BETA_FIELDS = SIGN_IN_FIELDS.filter((f) => BETA_PROPERTY_NAMES.has(f.name));

/** The fields a version exposes. The store's columns are the canonical ones, named the same. */
export function versionFields(version: SchemaVersion): readonly Field[] {
  return version === 'beta' ? BETA_FIELDS : V1_FIELDS;
}

function valueType(f: Field): ValueType | null {
  const t = f.type;
  if (t.kind === 'enum') return 'string';
  if (t.kind !== 'scalar') return null;
  return t.scalar === 'int32' ? 'int' : t.scalar;
}

function kindName(f: Field): string {
  if (f.collection) return 'a collection';
  const t = f.type;
  if (t.kind === 'complex') return 'an object';
  if (t.kind === 'enum') return `an enum (${t.enum.name})`;
  if (t.kind === 'json') return 'an untyped value';
  return `a ${t.scalar === 'int32' ? 'number' : t.scalar}`;
}

/** A resolved operand: where it is, and the schema field that types it. */
interface Resolved {
  operand: Operand;
  field: Field;
  /** As written, for messages. */
  text: string;
  start: number;
}

interface Scope {
  name: string;
  /** The collection field the variable ranges over (its element type is the variable's type). */
  element: Field;
}

const TEXT_FUNCTIONS = { startswith: 'startsWith', endswith: 'endsWith', contains: 'contains' } as const;

class Planner {
  private readonly scopes: Scope[] = [];

  constructor(
    private readonly text: string,
    private readonly version: SchemaVersion,
  ) {}

  private fail(message: string, position: number): never {
    throw new FilterError(message, position);
  }

  private fieldsOf(f: Field): readonly Field[] {
    return f.type.kind === 'complex' ? f.type.fields : [];
  }

  resolve(p: PathNode): Resolved {
    const text = p.segments.join('/');
    let fields: readonly Field[] = versionFields(this.version);
    let segments = p.segments;
    let varName: string | null = null;
    let current: Field | null = null;
    if (p.lambdaVariable) {
      const scope = [...this.scopes].reverse().find((s) => s.name === p.segments[0]);
      if (!scope) this.fail(`lambda variable '${p.segments[0]}' is not in scope`, p.start);
      varName = scope.name;
      current = { ...scope.element, collection: false };
      fields = this.fieldsOf(current);
      segments = p.segments.slice(1);
    }
    const path: string[] = [];
    for (const [i, seg] of segments.entries()) {
      const span = p.segmentSpans[i + (varName ? 1 : 0)] ?? p;
      if (current && current.collection) {
        this.fail(`'${path.join('/') || varName}' is a collection: use ${[varName, ...path].filter(Boolean).join('/')}/any(x: x/${seg} …) to look inside it`, span.start);
      }
      if (current && current.type.kind !== 'complex') this.fail(`'${[varName, ...path].filter(Boolean).join('/')}' is ${kindName(current)} and has no property '${seg}'`, span.start);
      const f = fields.find((x) => x.name === seg) ?? fields.find((x) => x.name.toLowerCase() === seg.toLowerCase());
      if (!f) {
        const owner = current ? (current.type.kind === 'complex' ? current.type.typeName : 'value') : `signIn (${this.version})`;
        const hint = !current && this.version === 'v1.0' && BETA_PROPERTY_NAMES.has(seg) ? ` ('${seg}' exists in /beta)` : '';
        this.fail(`property '${seg}' does not exist on ${owner}${hint}`, span.start);
      }
      path.push(f.name);
      current = f;
      fields = this.fieldsOf(f);
    }
    if (!current) this.fail('a property is expected', p.start);
    const type = valueType(current) ?? 'string';
    const operand: Operand = varName ? { kind: 'var', name: varName, path, type } : { ...column(path, type) };
    return { operand, field: current, text, start: p.start };
  }

  /** A literal as a value of the field's type, or a refusal saying what was expected. */
  literal(lit: LiteralNode, target: Resolved, opText: string): Value {
    const f = target.field;
    const t = f.type;
    const bad = (expected: string): never =>
      this.fail(`'${target.text}' is ${kindName(f)}; ${opText} needs ${expected}, not ${lit.raw}`, lit.start);
    if (t.kind === 'enum') {
      if (lit.type !== 'string' && lit.type !== 'enum') bad(`a quoted value such as '${t.enum.members[0]}'`);
      // A typed enum literal must name this property's enum (microsoft.graph.riskLevel'high' on
      // userType is not a userType value).
      if (lit.type === 'enum' && lit.enumType.toLowerCase() !== `microsoft.graph.${t.enum.name}`.toLowerCase()) {
        bad(`a value of microsoft.graph.${t.enum.name}`);
      }
      const text = String(lit.value);
      const canonical = canonicalEnum(t.enum, text);
      const unknown = unknownMember(t.enum);
      if (canonical === null || (canonical.split(',').includes(unknown) && !text.split(',').some((x) => x.trim().toLowerCase() === unknown.toLowerCase()))) {
        this.fail(`'${text}' is not a value of ${t.enum.name} (values: ${t.enum.members.join(', ')})`, lit.start);
      }
      return val(canonical, 'string');
    }
    if (t.kind !== 'scalar') return bad('a property of it');
    switch (t.scalar) {
      case 'string':
        if (lit.type === 'string' || lit.type === 'guid') return val(lit.value, 'string');
        return bad(`a quoted string such as '${lit.raw}'`);
      case 'int32':
        if (lit.type === 'int' && Number.isSafeInteger(lit.value)) return val(lit.value, 'int');
        return bad('a whole number');
      case 'double':
        if (lit.type === 'int' || lit.type === 'decimal' || lit.type === 'double') return val(lit.value, 'double');
        return bad('a number');
      case 'boolean':
        if (lit.type === 'boolean') return val(lit.value, 'boolean');
        return bad('true or false');
      case 'datetime': {
        if (lit.type === 'dateTimeOffset' || lit.type === 'date') {
          // A date alone means midnight UTC (Graph refuses it; people write it anyway).
          // Upper case: the OData ABNF lets 't' and 'z' be written in lower case.
          const ns = parseDateTime(lit.type === 'date' ? `${lit.value}T00:00:00Z` : lit.value.toUpperCase());
          if (ns === null) this.fail(`${lit.raw} is not a valid date-time`, lit.start);
          return val(formatDateTime(ns), 'datetime');
        }
        return bad('a date-time such as 2026-01-24T00:00:00Z (unquoted) or a date such as 2026-01-24');
      }
    }
  }

  /** Checks that `target` can be compared at all (a single typed value). */
  comparable(target: Resolved, opText: string, position: number): void {
    const f = target.field;
    if (f.collection) {
      this.fail(`'${target.text}' is a collection; ${opText} needs a single value: use ${target.text}/any(x: x ${opText} …)`, position);
    }
    if (f.type.kind === 'complex') {
      const sub = f.type.fields.slice(0, 3).map((x) => `${target.text}/${x.name}`).join(', ');
      this.fail(`'${target.text}' is an object; compare one of its properties (${sub}, …)`, position);
    }
    if (f.type.kind === 'json') this.fail(`'${target.text}' has no type Gatelog can filter on`, position);
  }

  compare(node: CompareNode): Condition {
    let left = node.left;
    let right = node.right;
    let op = node.op;
    // A literal on the left: turn it around (`'x' eq userId` is `userId eq 'x'`).
    if (left.kind === 'literal' && right.kind === 'path') {
      [left, right] = [right, left];
      op = ({ gt: 'lt', lt: 'gt', ge: 'le', le: 'ge' } as Record<string, typeof op>)[op] ?? op;
    }
    if (left.kind !== 'path') {
      if (left.kind === 'not') this.fail(`'not' binds tighter than '${node.op}': write not (… ${node.op} …) with parentheses`, left.start);
      if (left.kind === 'call') this.fail(`function ${left.nameRaw}() cannot be compared; Gatelog supports startsWith, endsWith and contains as conditions`, left.start);
      this.fail(`the left side of '${node.op}' must be a property`, left.start);
    }
    const target = this.resolve(left);
    if (right.kind !== 'literal') {
      this.fail(`the right side of '${node.op}' must be a value (comparing two properties is not supported)`, right.start);
    }
    this.comparable(target, node.op, node.opStart);
    const f = target.field;
    if (right.type === 'null') {
      if (op === 'eq') return { kind: 'isNull', operand: target.operand, negated: false };
      if (op === 'ne') return { kind: 'isNull', operand: target.operand, negated: true };
      this.fail(`'${op}' cannot compare with null; use eq null or ne null`, node.opStart);
    }
    if (op === 'has') {
      if (f.type.kind !== 'enum' || !f.type.enum.flags) this.fail(`'has' works on flags enums (such as crossTenantAccessType); '${target.text}' is ${kindName(f)}`, node.opStart);
      const v = this.literal(right, target, op);
      const members = String(v.value).split(',');
      return and(...members.map((m) => ({ kind: 'hasFlag' as const, operand: target.operand, member: m })));
    }
    if ((op === 'gt' || op === 'ge' || op === 'lt' || op === 'le') && (f.type.kind === 'enum' || (f.type.kind === 'scalar' && f.type.scalar === 'boolean'))) {
      this.fail(`'${op}' does not apply to '${target.text}', which is ${kindName(f)}; use eq or ne`, node.opStart);
    }
    const v = this.literal(right, target, op);
    return { kind: 'compare', op: op as CompareOp, left: target.operand, right: v, caseInsensitive: v.type === 'string' && f.type.kind !== 'enum' };
  }

  call(node: CallNode): Condition {
    const fn = TEXT_FUNCTIONS[node.name as keyof typeof TEXT_FUNCTIONS];
    if (!fn) {
      this.fail(`function ${node.nameRaw}() is not supported in a condition (supported: startsWith, endsWith, contains)`, node.start);
    }
    if (node.args.length !== 2) this.fail(`${node.nameRaw}() takes a property and a string, got ${node.args.length} argument${node.args.length === 1 ? '' : 's'}`, node.start);
    const [a, b] = node.args as [FilterExpr, FilterExpr];
    if (a.kind !== 'path') this.fail(`the first argument of ${node.nameRaw}() must be a property`, a.start);
    const target = this.resolve(a);
    this.comparable(target, `${node.nameRaw}()`, a.start);
    const f = target.field;
    if (!(f.type.kind === 'enum' || (f.type.kind === 'scalar' && f.type.scalar === 'string'))) {
      this.fail(`${node.nameRaw}() works on text; '${target.text}' is ${kindName(f)}`, a.start);
    }
    if (b.kind !== 'literal' || (b.type !== 'string' && b.type !== 'guid')) this.fail(`the second argument of ${node.nameRaw}() must be a quoted string`, b.start);
    return { kind: 'text', op: fn, operand: target.operand, value: val(b.value, 'string') };
  }

  lambda(node: LambdaNode): Condition {
    const coll = this.resolve(node.collection);
    if (!coll.field.collection) this.fail(`'${coll.text}' is not a collection; any() and all() work on collections`, node.collection.start);
    if (coll.field.type.kind === 'json') this.fail(`'${coll.text}' has no type Gatelog can filter on`, node.collection.start);
    if (!node.variable || !node.predicate) {
      return { kind: 'lambda', quantifier: node.op, collection: coll.operand, variable: '_', body: null };
    }
    this.scopes.push({ name: node.variable, element: coll.field });
    try {
      const body = this.condition(node.predicate);
      return { kind: 'lambda', quantifier: node.op, collection: coll.operand, variable: node.variable, body };
    } finally {
      this.scopes.pop();
    }
  }

  condition(node: FilterExpr): Condition {
    switch (node.kind) {
      case 'and':
        return and(this.condition(node.left), this.condition(node.right));
      case 'or':
        return or(this.condition(node.left), this.condition(node.right));
      case 'not':
        return not(this.condition(node.operand));
      case 'compare':
        return this.compare(node);
      case 'in': {
        if (node.left.kind !== 'path') this.fail(`the left side of 'in' must be a property`, node.left.start);
        const target = this.resolve(node.left);
        this.comparable(target, 'in', node.opStart);
        const values = node.list.filter((l) => l.type !== 'null').map((l) => this.literal(l, target, 'in'));
        const hasNull = node.list.some((l) => l.type === 'null');
        const inCond: Condition = { kind: 'in', operand: target.operand, values, caseInsensitive: values[0]?.type === 'string' && target.field.type.kind !== 'enum' };
        return hasNull ? or(inCond, { kind: 'isNull', operand: target.operand, negated: false }) : inCond;
      }
      case 'call':
        return this.call(node);
      case 'lambda':
        return this.lambda(node);
      case 'path': {
        // A boolean property on its own is a condition (`isInteractive`, `not flaggedForReview`).
        const target = this.resolve(node);
        const f = target.field;
        if (!f.collection && f.type.kind === 'scalar' && f.type.scalar === 'boolean') {
          return { kind: 'compare', op: 'eq', left: target.operand, right: val(true, 'boolean'), caseInsensitive: false };
        }
        return this.fail(`'${target.text}' is ${kindName(f)}, not a condition; compare it (for example ${target.text} eq …)`, node.start);
      }
      case 'literal':
        if (node.type === 'boolean') return node.value ? { kind: 'true' } : { kind: 'false' };
        return this.fail(`${node.raw} is a value, not a condition`, node.start);
    }
  }
}

/** Does the filter say anything about signInEventTypes (or isInteractive)? Graph's default depends on it. */
export function mentionsEventTypes(node: FilterExpr): boolean {
  switch (node.kind) {
    case 'path':
      return node.segments[0] === 'signInEventTypes' || node.segments[0] === 'isInteractive';
    case 'lambda':
      return mentionsEventTypes(node.collection) || (node.predicate ? mentionsEventTypes(node.predicate) : false);
    case 'and':
    case 'or':
    case 'compare':
      return mentionsEventTypes(node.left) || mentionsEventTypes(node.right);
    case 'in':
      return mentionsEventTypes(node.left);
    case 'not':
      return mentionsEventTypes(node.operand);
    case 'call':
      return node.args.some(mentionsEventTypes);
    case 'literal':
      return false;
  }
}

/**
 * Interactive user sign-ins: signInEventTypes holds interactiveUser, or (for records that predate
 * signInEventTypes) isInteractive is not false.
 */
export const INTERACTIVE_ONLY: Condition = or(
  {
    kind: 'lambda',
    quantifier: 'any',
    collection: column(['signInEventTypes'], 'string'),
    variable: 't',
    body: { kind: 'compare', op: 'eq', left: { kind: 'var', name: 't', path: [], type: 'string' }, right: val('interactiveUser', 'string'), caseInsensitive: false },
  },
  and(
    not({ kind: 'lambda', quantifier: 'any', collection: column(['signInEventTypes'], 'string'), variable: 't', body: null }),
    { kind: 'compare', op: 'ne', left: column(['isInteractive'], 'boolean'), right: val(false, 'boolean'), caseInsensitive: false },
  ),
);

/**
 * Cross-tenant sign-ins: home and resource tenant both recorded, and different (semantics.md §6.7,
 * "the home tenant doesn't match the resource tenant"; tenant IDs compared without regard to case).
 */
export const CROSS_TENANT: Condition = and(
  { kind: 'isNull', operand: column(['homeTenantId'], 'string'), negated: true },
  { kind: 'isNull', operand: column(['resourceTenantId'], 'string'), negated: true },
  not({ kind: 'sameValue', left: column(['homeTenantId'], 'string'), right: column(['resourceTenantId'], 'string'), caseInsensitive: true }),
);

/**
 * A policy result (the element bound to `variable`) a report-only policy would have acted on if
 * enabled: reportOnlyFailure (blocked, or its grant controls not satisfied) or reportOnlyInterrupted
 * (user action required, such as MFA).
 */
export function reportOnlyWouldAct(variable: string): Condition {
  return {
    kind: 'in',
    operand: { kind: 'var', name: variable, path: ['result'], type: 'string' },
    values: [val('reportOnlyFailure', 'string'), val('reportOnlyInterrupted', 'string')],
    caseInsensitive: false,
  };
}

export interface PlannedFilter {
  condition: Condition;
  /** True when the filter names signInEventTypes or isInteractive. */
  mentionsEventTypes: boolean;
}

/**
 * Parses and checks a $filter for an API version.
 *
 * @throws FilterError (400) with the position: syntax errors, unknown properties, type mismatches,
 * operators a property does not support.
 */
export function planFilter(text: string, version: SchemaVersion): PlannedFilter {
  let ast: FilterExpr;
  try {
    ast = parseFilter(text);
  } catch (e) {
    if (e instanceof FilterSyntaxError) throw new FilterError(e.reason, e.position, 'Request_BadRequest');
    throw e;
  }
  const condition = new Planner(text, version).condition(ast);
  return { condition, mentionsEventTypes: mentionsEventTypes(ast) };
}
