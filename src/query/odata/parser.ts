// Parser for Graph's `$filter` dialect: filter text → typed AST (ast.ts) with source positions, or a
// FilterSyntaxError saying what was expected, what was found, and where. It runs on every API
// request, so it is a single pass of recursive descent over the lexer's tokens, with limits that
// keep hostile input from exhausting the stack.
//
// Grammar (lowest precedence first; every binary level is left-associative):
//   or         := and ('or' and)*
//   and        := comparison ('and' comparison)*
//   comparison := unary (('eq'|'ne'|'gt'|'ge'|'lt'|'le'|'has') unary | 'in' list)*
//   unary      := 'not' unary | primary
//   primary    := literal | '(' or ')' | name '(' args ')' | path | path '/' ('any'|'all') '(' lambda ')'
//   list       := '(' literals ')' | '[' literals ']'     (literals may be empty; '[ ]' also takes "…")
// So `not` binds tighter than the comparisons (OData's precedence table: `not a eq b` is
// `(not a) eq b`; write `not (a eq b)`). Operators and the words true/false/null/any/all are
// lower case, as in OData 4.0; function names may be written in any case (Graph's `startsWith`).
// Whitespace is spaces and tabs. It is optional next to punctuation and before a quote (`eq'x'`,
// as Microsoft's OData library allows), and ignored at both ends. A word or number right after a
// string (`'O'Neil'`, `'x'and`) is refused: it is nearly always an unescaped quote. As in the
// OData ABNF, a function name is followed at once by `(`, and `/` in a path takes no spaces.

import type { CompareOp, FilterExpr, LambdaNode, LiteralNode, PathNode, Span } from './ast.js';
import { FilterSyntaxError } from './filter-syntax-error.js';
import { describeToken, Lexer, type Token } from './lexer.js';

/** Longest filter accepted, in UTF-16 code units. */
const MAX_FILTER_LENGTH = 64 * 1024;
/** Parentheses, `not`, function calls and lambdas nested deeper than this are refused. */
const MAX_NESTING = 100;
/** Deepest expression tree accepted (long and/or chains grow it), so later stages may recurse. */
const MAX_TREE_DEPTH = 1000;

const COMPARE_OPS: ReadonlySet<string> = new Set<CompareOp>(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'has']);
const BINARY_OPS: ReadonlySet<string> = new Set([...COMPARE_OPS, 'in', 'and', 'or']);
const KEYWORDS: ReadonlySet<string> = new Set([...BINARY_OPS, 'not', 'true', 'false', 'null', 'any', 'all']);
const ARITHMETIC_OPS: ReadonlySet<string> = new Set(['add', 'sub', 'mul', 'div', 'divby', 'mod']);
const OPERATOR_LIST = 'eq, ne, gt, ge, lt, le, has, in, and, or';
const OPEN_PAREN = 40;

/**
 * Parses a `$filter` expression (already percent-decoded).
 *
 * @example parseFilter("startsWith(userPrincipalName, 'ad') and status/errorCode in (50126, 50053)")
 * @throws FilterSyntaxError with the position of the problem.
 */
export function parseFilter(text: string): FilterExpr {
  if (text.length > MAX_FILTER_LENGTH) {
    throw new FilterSyntaxError(`filter too long (${text.length} characters; at most ${MAX_FILTER_LENGTH} are allowed)`, MAX_FILTER_LENGTH);
  }
  return new Parser(text).parse();
}

interface ScopeEntry {
  name: string;
  start: number;
}

class Parser {
  private readonly lexer: Lexer;
  private tok: Token;
  /** End of the token before `tok`, to tell `a/b` from `a /b`. */
  private prevEnd = 0;
  private prevKind: Token['kind'] | null = null;
  private nesting = 0;
  /** Lambda variables in scope, innermost last. */
  private readonly scope: ScopeEntry[] = [];
  /** Every lambda variable declared, with the position of its first declaration. */
  private readonly declared = new Map<string, number>();

  constructor(private readonly text: string) {
    this.lexer = new Lexer(text);
    this.tok = this.lexer.next();
  }

  parse(): FilterExpr {
    const expr = this.parseOr('a filter expression');
    if (this.tok.kind !== 'eof') this.failAfterOperand('an operator or end of filter');
    this.checkTree(expr);
    return expr;
  }

  private advance(): void {
    this.prevEnd = this.tok.end;
    this.prevKind = this.tok.kind;
    this.tok = this.lexer.next();
  }

  private isWord(word: string): boolean {
    return this.tok.kind === 'word' && this.tok.text === word;
  }

  private isPunct(p: string): boolean {
    return this.tok.kind === 'punct' && this.tok.text === p;
  }

  private enter(position: number): void {
    if (++this.nesting > MAX_NESTING) {
      throw new FilterSyntaxError(`the filter nests more than ${MAX_NESTING} levels deep (parentheses, not, function calls and lambdas each count)`, position);
    }
  }

  private leave(): void {
    this.nesting--;
  }

  private parseOr(expected: string): FilterExpr {
    let left = this.parseAnd(expected);
    while (this.isWord('or')) {
      const opStart = this.tok.start;
      this.advance();
      const right = this.parseAnd("an expression after 'or'");
      left = { kind: 'or', opStart, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private parseAnd(expected: string): FilterExpr {
    let left = this.parseComparison(expected);
    while (this.isWord('and')) {
      const opStart = this.tok.start;
      this.advance();
      const right = this.parseComparison("an expression after 'and'");
      left = { kind: 'and', opStart, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private parseComparison(expected: string): FilterExpr {
    let left = this.parseUnary(expected);
    while (this.tok.kind === 'word') {
      const op = this.tok.text;
      const opStart = this.tok.start;
      if (COMPARE_OPS.has(op)) {
        this.advance();
        const right = this.parseUnary(`a value after '${op}'`);
        left = { kind: 'compare', op: op as CompareOp, opStart, left, right, start: left.start, end: right.end };
      } else if (op === 'in') {
        this.advance();
        const { list, end } = this.parseList();
        left = { kind: 'in', opStart, left, list, start: left.start, end };
      } else {
        break;
      }
    }
    return left;
  }

  private parseUnary(expected: string): FilterExpr {
    if (!this.isWord('not')) return this.parsePrimary(expected);
    const start = this.tok.start;
    this.enter(start);
    this.advance();
    const operand = this.parseUnary("an expression after 'not'");
    this.leave();
    return { kind: 'not', operand, start, end: operand.end };
  }

  private parsePrimary(expected: string): FilterExpr {
    const tok = this.tok;
    switch (tok.kind) {
      case 'literal':
        if (tok.json) throw new FilterSyntaxError('double-quoted strings are only allowed in a [ ] list after in: write the string in single quotes', tok.start);
        this.advance();
        return tok.literal;
      case 'punct':
        if (tok.text === '(') return this.parseParenthesized(tok.start);
        if (tok.text === '[') throw new FilterSyntaxError("a [ ] list is only allowed after 'in'", tok.start);
        break;
      case 'word':
        return this.parseWordOperand(tok, expected);
      case 'qualifiedName': {
        if (this.text.charCodeAt(tok.end) === OPEN_PAREN) return this.parseCall(tok);
        this.advance();
        throw new FilterSyntaxError(`expected '(' or a quoted value after the qualified name '${tok.text}' but found ${describeToken(this.tok)}`, this.tok.start);
      }
      case 'eof':
        break;
    }
    throw new FilterSyntaxError(`expected ${expected} but found ${describeToken(tok)}`, tok.start);
  }

  /** A word where a value belongs: a function call, a property path, or a lambda on a path. */
  private parseWordOperand(tok: Token & { kind: 'word' }, expected: string): FilterExpr {
    const word = tok.text;
    const lower = word.toLowerCase();
    if (BINARY_OPS.has(word)) throw new FilterSyntaxError(`expected ${expected} but found the operator '${word}'`, tok.start);
    if (lower !== word && (lower === 'not' || lower === 'true' || lower === 'false' || lower === 'null')) {
      throw new FilterSyntaxError(`'${word}' must be written in lower case: '${lower}'`, tok.start);
    }
    if (this.text.charCodeAt(tok.end) === OPEN_PAREN) {
      if (lower === 'any' || lower === 'all') {
        throw new FilterSyntaxError(`'${word}(' must follow a collection path, as in signInEventTypes/${lower}(t: t eq 'interactiveUser')`, tok.end);
      }
      return this.parseCall(tok);
    }
    return this.parsePath(tok);
  }

  private parseParenthesized(open: number): FilterExpr {
    this.enter(open);
    this.advance();
    const inner = this.parseOr("an expression after '('");
    if (this.isPunct(',')) {
      throw new FilterSyntaxError(`unexpected ',' inside parentheses: a list of values is only allowed after in, as in x in ('a', 'b')`, this.tok.start);
    }
    if (!this.isPunct(')')) this.failAfterOperand(`an operator or ')' to close the '(' at position ${open}`);
    // No node for the parentheses: widen the inner node's span over them.
    inner.start = open;
    inner.end = this.tok.end;
    this.advance();
    this.leave();
    return inner;
  }

  private parseCall(nameTok: Token & { kind: 'word' | 'qualifiedName' }): FilterExpr {
    const nameRaw = nameTok.text;
    this.enter(nameTok.start);
    this.advance(); // the name; `(` follows at once
    const open = this.tok.start;
    this.advance();
    const args: FilterExpr[] = [];
    if (!this.isPunct(')')) {
      for (;;) {
        args.push(this.parseOr(args.length === 0 ? `an argument or ')' after '${nameRaw}('` : "an argument after ','"));
        if (this.isPunct(',')) {
          this.advance();
          continue;
        }
        if (this.isPunct(')')) break;
        this.failAfterOperand(`',' or ')' in the arguments of '${nameRaw}(' at position ${open}`);
      }
    }
    const end = this.tok.end;
    this.advance();
    this.leave();
    return { kind: 'call', name: nameRaw.toLowerCase(), nameRaw, args, start: nameTok.start, end };
  }

  private parsePath(first: Token & { kind: 'word' }): FilterExpr {
    const segments = [first.text];
    const segmentSpans: Span[] = [{ start: first.start, end: first.end }];
    const lambdaVariable = this.scope.some((entry) => entry.name === first.text);
    let end = first.end;
    this.advance();
    while (this.isPunct('/') && this.tok.start === end) {
      const slash = this.tok;
      this.advance();
      const seg = this.tok;
      if (seg.start !== slash.end || (seg.kind !== 'word' && seg.kind !== 'qualifiedName')) {
        throw new FilterSyntaxError(`expected a property name right after '/' (no spaces) but found ${describeToken(seg)}`, seg.start);
      }
      const path: PathNode = { kind: 'path', segments, segmentSpans, lambdaVariable, start: first.start, end };
      if (seg.kind === 'qualifiedName') {
        throw new FilterSyntaxError(`'${seg.text}' looks like a type cast or bound function, which property paths do not support`, seg.start);
      }
      if (this.text.charCodeAt(seg.end) === OPEN_PAREN) {
        if (seg.text === 'any' || seg.text === 'all') return this.parseLambda(path, seg);
        const lower = seg.text.toLowerCase();
        if (lower === 'any' || lower === 'all') throw new FilterSyntaxError(`'${seg.text}' must be written in lower case: '${lower}'`, seg.start);
        throw new FilterSyntaxError(
          `only any( and all( may follow '/': a function takes the path as its argument, as in ${seg.text}(${segments.join('/')}, …)`,
          seg.start,
        );
      }
      segments.push(seg.text);
      segmentSpans.push({ start: seg.start, end: seg.end });
      end = seg.end;
      this.advance();
    }
    return { kind: 'path', segments, segmentSpans, lambdaVariable, start: first.start, end };
  }

  private parseLambda(collection: PathNode, opTok: Token & { kind: 'word' }): LambdaNode {
    const op = opTok.text === 'any' ? 'any' : 'all';
    this.enter(opTok.start);
    this.advance(); // `any` / `all`; `(` follows at once
    const open = this.tok.start;
    this.advance();
    if (this.isPunct(')')) {
      if (op === 'all') {
        throw new FilterSyntaxError(`expected a lambda variable after 'all(' (all needs a predicate, as in all(x: x eq 1)) but found ')'`, this.tok.start);
      }
      const end = this.tok.end;
      this.advance();
      this.leave();
      return { kind: 'lambda', op, collection, variable: null, variableSpan: null, predicate: null, start: collection.start, end };
    }
    const v = this.tok;
    if (v.kind !== 'word' || KEYWORDS.has(v.text.toLowerCase())) {
      throw new FilterSyntaxError(`expected a lambda variable name after '${op}(' but found ${describeToken(v)}`, v.start);
    }
    const outer = this.scope.find((entry) => entry.name === v.text);
    if (outer) throw new FilterSyntaxError(`lambda variable '${v.text}' is already in scope (declared at position ${outer.start}): choose another name`, v.start);
    this.advance();
    if (!this.isPunct(':')) throw new FilterSyntaxError(`expected ':' after the lambda variable '${v.text}' but found ${describeToken(this.tok)}`, this.tok.start);
    this.advance();
    this.scope.push({ name: v.text, start: v.start });
    if (!this.declared.has(v.text)) this.declared.set(v.text, v.start);
    const predicate = this.parseOr(`a predicate after '${v.text}:'`);
    this.scope.pop();
    if (!this.isPunct(')')) this.failAfterOperand(`an operator or ')' to close '${op}(' at position ${open}`);
    const end = this.tok.end;
    this.advance();
    this.leave();
    return {
      kind: 'lambda',
      op,
      collection,
      variable: v.text,
      variableSpan: { start: v.start, end: v.end },
      predicate,
      start: collection.start,
      end,
    };
  }

  /** The list after `in`: `(lit, …)` or `[lit, …]` (the bracket form also takes "JSON" strings). */
  private parseList(): { list: LiteralNode[]; end: number } {
    const open = this.tok;
    if (open.kind !== 'punct' || (open.text !== '(' && open.text !== '[')) {
      throw new FilterSyntaxError(`expected '(' or '[' with a list of values after 'in' but found ${describeToken(open)}`, open.start);
    }
    const close = open.text === '(' ? ')' : ']';
    this.advance();
    const list: LiteralNode[] = [];
    if (!this.isPunct(close)) {
      for (;;) {
        const item = this.tok;
        if (item.kind !== 'literal') {
          const what = list.length === 0 ? `a literal value or '${close}' after 'in ${open.text}'` : "a literal value after ','";
          throw new FilterSyntaxError(`expected ${what} but found ${describeToken(item)} (the list after in holds literals such as 'text' or 42)`, item.start);
        }
        if (item.json && close === ')') {
          throw new FilterSyntaxError('double-quoted strings are only allowed in a [ ] list: write the string in single quotes', item.start);
        }
        list.push(item.literal);
        this.advance();
        if (this.isPunct(',')) {
          this.advance();
          continue;
        }
        if (this.isPunct(close)) break;
        throw new FilterSyntaxError(`expected ',' or '${close}' in the list after in but found ${describeToken(this.tok)}`, this.tok.start);
      }
    }
    const end = this.tok.end;
    this.advance();
    return { list, end };
  }

  /** An expression is complete but `tok` cannot follow it: say what could have. */
  private failAfterOperand(expected: string): never {
    const tok = this.tok;
    if (tok.kind === 'word') {
      const word = tok.text;
      const lower = word.toLowerCase();
      if (lower !== word && (BINARY_OPS.has(lower) || lower === 'not')) {
        throw new FilterSyntaxError(`the operator '${word}' must be written in lower case: '${lower}'`, tok.start);
      }
      if (lower === 'not') throw new FilterSyntaxError("'not' cannot follow an expression: write it before the expression it negates, as in not startswith(x, 'a')", tok.start);
      if (ARITHMETIC_OPS.has(lower)) throw new FilterSyntaxError(`arithmetic operator '${word}' is not supported (operators are ${OPERATOR_LIST})`, tok.start);
      throw new FilterSyntaxError(`unknown operator '${word}' (operators are ${OPERATOR_LIST})`, tok.start);
    }
    if (tok.kind === 'punct') {
      if (tok.text === ')') throw new FilterSyntaxError("')' without a matching '('", tok.start);
      if (tok.text === '/' && tok.start > this.prevEnd) throw new FilterSyntaxError("no spaces are allowed before '/' in a property path", tok.start);
      if (tok.text === '(' && tok.start > this.prevEnd && this.prevKind === 'word') {
        throw new FilterSyntaxError("no space is allowed between a function name and '('", tok.start);
      }
    }
    throw new FilterSyntaxError(`expected ${expected} but found ${describeToken(tok)}`, tok.start);
  }

  /**
   * Checks what needs the whole tree, without recursion: its depth, and that no path outside a
   * lambda starts with a name used as a lambda variable (`x/any(t: t eq 1) or t eq 2`).
   */
  private checkTree(root: FilterExpr): void {
    const stack: Array<[FilterExpr, number]> = [[root, 1]];
    let stray: PathNode | null = null;
    for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
      const [node, depth] = item;
      if (depth > MAX_TREE_DEPTH) {
        throw new FilterSyntaxError(
          `the filter is too complex: its expression tree is more than ${MAX_TREE_DEPTH} levels deep (each and/or in a chain adds one; use 'in (…)' for long lists of values)`,
          node.start,
        );
      }
      const below = depth + 1;
      switch (node.kind) {
        case 'literal':
          break;
        case 'path': {
          const first = node.segments[0] ?? '';
          if (!node.lambdaVariable && this.declared.has(first) && (stray === null || node.start < stray.start)) stray = node;
          break;
        }
        case 'compare':
        case 'and':
        case 'or':
          stack.push([node.right, below], [node.left, below]);
          break;
        case 'in':
          stack.push([node.left, below]);
          break;
        case 'not':
          stack.push([node.operand, below]);
          break;
        case 'call':
          for (const arg of node.args) stack.push([arg, below]);
          break;
        case 'lambda':
          stack.push([node.collection, below]);
          if (node.predicate) stack.push([node.predicate, below]);
          break;
      }
    }
    if (stray) {
      const name = stray.segments[0] ?? '';
      throw new FilterSyntaxError(
        `lambda variable '${name}' is not in scope (it is declared only inside the lambda at position ${this.declared.get(name) ?? 0}; for a property of that name, give the variable another name)`,
        stray.start,
      );
    }
  }
}
