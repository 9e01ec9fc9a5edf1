// The typed syntax tree of a Graph `$filter`, as `parseFilter` returns it. It records what was
// written and where (every node has `start`/`end`, 0-based UTF-16 offsets into the filter text, end
// exclusive) and decides nothing about meaning: whether a property exists, which operators it
// supports or which functions are implemented is the query planner's business.
//
// Parentheses leave no node of their own: a parenthesised expression's span is widened to include
// its parentheses, so the text between `start` and `end` of any node is always balanced.

/** A source range: `text.slice(start, end)` is the node's text. */
export interface Span {
  start: number;
  end: number;
}

export type LiteralType =
  | 'string'
  | 'int'
  | 'decimal'
  | 'double'
  | 'boolean'
  | 'null'
  | 'guid'
  | 'dateTimeOffset'
  | 'date'
  | 'duration'
  | 'enum';

/**
 * Literals whose value is text. `string`: the unescaped content (`'O''Brien'` → `O'Brien`).
 * `guid`, `date`, `dateTimeOffset`: the text as written (date-times keep all fractional digits and
 * their offset; nothing is converted to a JS Date). `duration`: the text between the quotes
 * (`duration'P1D'` → `P1D`).
 */
export interface TextLiteral extends Span {
  kind: 'literal';
  type: 'string' | 'guid' | 'dateTimeOffset' | 'date' | 'duration';
  value: string;
  /** The literal exactly as written, quotes and prefix included. */
  raw: string;
}

/** `int` (`42`, `-7`), `decimal` (`5.00`), `double` (`1e3`, `2.5E-2`, `NaN`, `INF`, `-INF`). */
export interface NumberLiteral extends Span {
  kind: 'literal';
  type: 'int' | 'decimal' | 'double';
  /** As a JS number: integers beyond 2^53 lose precision here; `raw` keeps every digit. */
  value: number;
  raw: string;
}

export interface BooleanLiteral extends Span {
  kind: 'literal';
  type: 'boolean';
  value: boolean;
  raw: string;
}

export interface NullLiteral extends Span {
  kind: 'literal';
  type: 'null';
  value: null;
  raw: string;
}

/** OData's typed enum form: `microsoft.graph.riskLevel'high'` (Graph also accepts a plain string). */
export interface EnumLiteral extends Span {
  kind: 'literal';
  type: 'enum';
  /** The qualified type name as written: `microsoft.graph.riskLevel`. */
  enumType: string;
  /** The text between the quotes: a member name, a number, or a comma-separated flags list. */
  value: string;
  raw: string;
}

export type LiteralNode = TextLiteral | NumberLiteral | BooleanLiteral | NullLiteral | EnumLiteral;

/** A property path: `status/errorCode` → segments `['status', 'errorCode']`. */
export interface PathNode extends Span {
  kind: 'path';
  segments: string[];
  /** One span per segment, in the same order. */
  segmentSpans: Span[];
  /** True when the first segment is the variable of an enclosing any()/all(). */
  lambdaVariable: boolean;
}

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'has';

export interface CompareNode extends Span {
  kind: 'compare';
  op: CompareOp;
  /** Where the operator word starts (for messages such as "operator 'gt' is not supported on …"). */
  opStart: number;
  left: FilterExpr;
  right: FilterExpr;
}

/** `x in (1, 2)` or the OData 4.01 bracket form `x in [1, 2]` (whose strings may also be "JSON"). */
export interface InNode extends Span {
  kind: 'in';
  opStart: number;
  left: FilterExpr;
  list: LiteralNode[];
}

export interface AndNode extends Span {
  kind: 'and';
  opStart: number;
  left: FilterExpr;
  right: FilterExpr;
}

export interface OrNode extends Span {
  kind: 'or';
  opStart: number;
  left: FilterExpr;
  right: FilterExpr;
}

export interface NotNode extends Span {
  kind: 'not';
  operand: FilterExpr;
}

/** A function call. Any name is accepted here; the planner decides which functions exist. */
export interface CallNode extends Span {
  kind: 'call';
  /** Lower case: `startsWith` and `STARTSWITH` are both `startswith`. */
  name: string;
  /** As written. */
  nameRaw: string;
  args: FilterExpr[];
}

/** `collection/any(v: predicate)`, `collection/all(v: predicate)`, or `collection/any()`. */
export interface LambdaNode extends Span {
  kind: 'lambda';
  op: 'any' | 'all';
  collection: PathNode;
  /** The range variable; null only for `any()`. */
  variable: string | null;
  variableSpan: Span | null;
  /** Null only for `any()`. */
  predicate: FilterExpr | null;
}

export type FilterExpr =
  | LiteralNode
  | PathNode
  | CompareNode
  | InNode
  | AndNode
  | OrNode
  | NotNode
  | CallNode
  | LambdaNode;
