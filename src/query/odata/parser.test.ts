import { describe, expect, it } from 'vitest';
import type { FilterExpr } from './ast.js';
import { FilterSyntaxError } from './filter-syntax-error.js';
import { parseFilter } from './parser.js';
import { printFilter } from './print-filter.js';

type Kind = FilterExpr['kind'];

/** Narrows a node to the kind the test expects, failing clearly otherwise. */
function expectKind<K extends Kind>(node: FilterExpr | null | undefined, kind: K): Extract<FilterExpr, { kind: K }> {
  expect(node?.kind).toBe(kind);
  return node as Extract<FilterExpr, { kind: K }>;
}

function span(node: { start: number; end: number }): [number, number] {
  return [node.start, node.end];
}

// [filter, canonical printed form]
const VALID: Array<[string, string]> = [
  // every comparison operator, has, in
  ["userId eq 'x'", "(userId eq 'x')"],
  ['a ne 1', '(a ne 1)'],
  ['a gt 1', '(a gt 1)'],
  ['a ge 1', '(a ge 1)'],
  ['a lt 1', '(a lt 1)'],
  ['a le 1', '(a le 1)'],
  ["riskLevel has microsoft.graph.riskLevel'high'", "(riskLevel has microsoft.graph.riskLevel'high')"],
  ['status/errorCode in (50126, 50053)', '(status/errorCode in (50126, 50053))'],
  ['status/errorCode in [50126,50053]', '(status/errorCode in (50126, 50053))'],
  [`appId in ["a", 'b']`, "(appId in ('a', 'b'))"],
  ['x in ()', '(x in ())'],
  ['x in [ ]', '(x in ())'],
  ["x in ('a')", "(x in ('a'))"],
  ['x in (1, -2.5, 1e3, true, null, 2024-01-01, 2024-01-01T00:00:00Z)', '(x in (1, -2.5, 1e3, true, null, 2024-01-01, 2024-01-01T00:00:00Z))'],
  ['a eq 1 and b eq 2', '((a eq 1) and (b eq 2))'],
  ['a eq 1 or b eq 2', '((a eq 1) or (b eq 2))'],
  ['not a', '(not a)'],
  ["not startswith(userPrincipalName, 'ad')", "(not startswith(userPrincipalName, 'ad'))"],
  // precedence: not > comparison, has, in > and > or
  ['a eq 1 or b eq 2 and c eq 3', '((a eq 1) or ((b eq 2) and (c eq 3)))'],
  ['a eq 1 and b eq 2 or c eq 3', '(((a eq 1) and (b eq 2)) or (c eq 3))'],
  ['not a eq b', '((not a) eq b)'],
  ['not a and b', '((not a) and b)'],
  ['not not a', '(not (not a))'],
  ['a eq 1 and not b', '((a eq 1) and (not b))'],
  ["a has ns.E'x' eq true", "((a has ns.E'x') eq true)"],
  ['x in (1) eq true', '((x in (1)) eq true)'],
  ['a eq 1 or b in (2) and c', '((a eq 1) or ((b in (2)) and c))'],
  // associativity: left
  ['a or b or c', '((a or b) or c)'],
  ['a and b and c', '((a and b) and c)'],
  ['a eq b eq c', '((a eq b) eq c)'],
  ['a and b or c and d', '((a and b) or (c and d))'],
  ['a or b and c or d', '((a or (b and c)) or d)'],
  // parentheses
  ['(a eq 1)', '(a eq 1)'],
  ['((a))', 'a'],
  ['a eq 1 and (b eq 2 or c eq 3)', '((a eq 1) and ((b eq 2) or (c eq 3)))'],
  ['(a or b) and c', '((a or b) and c)'],
  ['not (a eq 1)', '(not (a eq 1))'],
  ['not(a eq 1)', '(not (a eq 1))'],
  ['( a eq 1 )', '(a eq 1)'],
  ['(a eq 1)and(b eq 2)', '((a eq 1) and (b eq 2))'],
  ['a eq (1)', '(a eq 1)'],
  // strings: escaping, Unicode, keywords inside
  ["a eq 'O''Brien'", "(a eq 'O''Brien')"],
  ["a eq ''", "(a eq '')"],
  ["a eq ''''", "(a eq '''')"],
  ["city eq 'Zoë 東京'", "(city eq 'Zoë 東京')"],
  ["a eq 'and or not eq ( ) /'", "(a eq 'and or not eq ( ) /')"],
  ["a eq '😀 emoji'", "(a eq '😀 emoji')"],
  // numbers
  ['a eq -1', '(a eq -1)'],
  ['a eq 0', '(a eq 0)'],
  ['a eq +5', '(a eq +5)'],
  ['a eq 5.00', '(a eq 5.00)'],
  ['a eq -1.5', '(a eq -1.5)'],
  ['a eq 1e3', '(a eq 1e3)'],
  ['a eq 2.5E-2', '(a eq 2.5E-2)'],
  ['a eq 1.5e+10', '(a eq 1.5e+10)'],
  ['a eq NaN', '(a eq NaN)'],
  ['a eq INF', '(a eq INF)'],
  ['a eq -INF', '(a eq -INF)'],
  // booleans, null
  ['isInteractive eq true', '(isInteractive eq true)'],
  ['isInteractive eq false', '(isInteractive eq false)'],
  ['a eq null', '(a eq null)'],
  ['a ne null', '(a ne null)'],
  // GUIDs
  ['appId eq 8f2d3c4e-1111-2222-3333-444455556666', '(appId eq 8f2d3c4e-1111-2222-3333-444455556666)'],
  ['appId eq deadbeef-aaaa-bbbb-cccc-ddddeeeeffff', '(appId eq deadbeef-aaaa-bbbb-cccc-ddddeeeeffff)'],
  ['appId eq DEADBEEF-AAAA-BBBB-CCCC-DDDDEEEEFFFF', '(appId eq DEADBEEF-AAAA-BBBB-CCCC-DDDDEEEEFFFF)'],
  ['appId eq 00000000-0000-0000-0000-000000000000', '(appId eq 00000000-0000-0000-0000-000000000000)'],
  // date-times and dates
  ['createdDateTime ge 2024-01-01T00:00:00Z', '(createdDateTime ge 2024-01-01T00:00:00Z)'],
  ['createdDateTime ge 2018-01-09T21:17:21.5077253Z', '(createdDateTime ge 2018-01-09T21:17:21.5077253Z)'],
  ['createdDateTime lt 2024-01-01T10:00:00+01:00', '(createdDateTime lt 2024-01-01T10:00:00+01:00)'],
  ['createdDateTime lt 2024-01-01T10:00:00-05:00', '(createdDateTime lt 2024-01-01T10:00:00-05:00)'],
  ['createdDateTime lt 2024-01-01T10:30Z', '(createdDateTime lt 2024-01-01T10:30Z)'],
  ['createdDateTime lt 2024-01-01T10:30:00.123456789012Z', '(createdDateTime lt 2024-01-01T10:30:00.123456789012Z)'],
  ['createdDateTime lt 2024-01-01T10:30:00.5Z', '(createdDateTime lt 2024-01-01T10:30:00.5Z)'],
  ['createdDateTime le 2018-01-24', '(createdDateTime le 2018-01-24)'],
  ['d eq 2024-02-29', '(d eq 2024-02-29)'],
  // durations and enums
  ["d eq duration'P1D'", "(d eq duration'P1D')"],
  ["d eq duration'PT1H30M'", "(d eq duration'PT1H30M')"],
  ["d gt duration'-P2DT3H4M5.5S'", "(d gt duration'-P2DT3H4M5.5S')"],
  ["riskLevelDuringSignIn eq microsoft.graph.riskLevel'high'", "(riskLevelDuringSignIn eq microsoft.graph.riskLevel'high')"],
  ["flags has ns.Flags'a,b,4'", "(flags has ns.Flags'a,b,4')"],
  // paths
  ['status/errorCode eq 0', '(status/errorCode eq 0)'],
  ["location/city eq 'Oslo'", "(location/city eq 'Oslo')"],
  ["deviceDetail/operatingSystem eq 'Windows'", "(deviceDetail/operatingSystem eq 'Windows')"],
  ["riskEventTypes_v2/any(t: t eq 'unfamiliarFeatures')", "riskEventTypes_v2/any(t: (t eq 'unfamiliarFeatures'))"],
  ['_x eq 1', '(_x eq 1)'],
  ['a1/b2/c3 eq 1', '(a1/b2/c3 eq 1)'],
  ['Größe eq 1', '(Größe eq 1)'],
  ['in_ eq 1', '(in_ eq 1)'],
  // functions, any case
  ["startsWith(userPrincipalName, 'ad')", "startswith(userPrincipalName, 'ad')"],
  ["startswith(userPrincipalName,'ad')", "startswith(userPrincipalName, 'ad')"],
  ["STARTSWITH(userPrincipalName, 'ad')", "startswith(userPrincipalName, 'ad')"],
  ["StartsWith(appDisplayName,'Azure')", "startswith(appDisplayName, 'Azure')"],
  ["endsWith(userPrincipalName, '@contoso.com')", "endswith(userPrincipalName, '@contoso.com')"],
  ["contains(appDisplayName, 'Teams')", "contains(appDisplayName, 'Teams')"],
  ["tolower(userPrincipalName) eq 'a@b.c'", "(tolower(userPrincipalName) eq 'a@b.c')"],
  ["toupper(a) eq 'A'", "(toupper(a) eq 'A')"],
  ['length(a) gt 3', '(length(a) gt 3)'],
  ["indexof(a, 'x') eq 0", "(indexof(a, 'x') eq 0)"],
  ["substring(a, 1, 2) eq 'bc'", "(substring(a, 1, 2) eq 'bc')"],
  ["concat(concat(a, '-'), b) eq 'x-y'", "(concat(concat(a, '-'), b) eq 'x-y')"],
  ["trim( a ) eq 'x'", "(trim(a) eq 'x')"],
  ['year(createdDateTime) eq 2024', '(year(createdDateTime) eq 2024)'],
  ['month(createdDateTime) eq 1 and day(createdDateTime) eq 2', '((month(createdDateTime) eq 1) and (day(createdDateTime) eq 2))'],
  ['hour(createdDateTime) ge 9 and minute(createdDateTime) lt 30 and second(createdDateTime) eq 0', '(((hour(createdDateTime) ge 9) and (minute(createdDateTime) lt 30)) and (second(createdDateTime) eq 0))'],
  ['date(createdDateTime) eq 2024-01-01', '(date(createdDateTime) eq 2024-01-01)'],
  ['createdDateTime lt now()', '(createdDateTime lt now())'],
  ["tolower(trim(a)) eq 'x'", "(tolower(trim(a)) eq 'x')"],
  ['geo.distance(a, b) lt 10', '(geo.distance(a, b) lt 10)'],
  // lambdas
  ["signInEventTypes/any(t: t eq 'interactiveUser')", "signInEventTypes/any(t: (t eq 'interactiveUser'))"],
  ["signInEventTypes/any(t:t eq 'interactiveUser')", "signInEventTypes/any(t: (t eq 'interactiveUser'))"],
  ["signInEventTypes/any( t : t eq 'interactiveUser' )", "signInEventTypes/any(t: (t eq 'interactiveUser'))"],
  [
    "signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')",
    "signInEventTypes/any(t: ((t eq 'interactiveUser') or (t eq 'nonInteractiveUser')))",
  ],
  [
    "appliedConditionalAccessPolicies/any(p: p/id eq '6f5bd8d6' and p/result eq 'reportOnlyFailure')",
    "appliedConditionalAccessPolicies/any(p: ((p/id eq '6f5bd8d6') and (p/result eq 'reportOnlyFailure')))",
  ],
  ['a/any(x: x/b/any(y: y eq 1))', 'a/any(x: x/b/any(y: (y eq 1)))'],
  ['a/any(x: b/any(y: y eq x))', 'a/any(x: b/any(y: (y eq x)))'],
  ['a/any()', 'a/any()'],
  ['a/any( )', 'a/any()'],
  ['a/b/all(x: x gt 0)', 'a/b/all(x: (x gt 0))'],
  ['a/any(t: t eq 1) and b/any(t: t eq 2)', '(a/any(t: (t eq 1)) and b/any(t: (t eq 2)))'],
  ['not a/any(t: t eq 1)', '(not a/any(t: (t eq 1)))'],
  ['a/any(x: x eq b)', 'a/any(x: (x eq b))'],
  ['a/any(x: x)', 'a/any(x: x)'],
  ["a/any(x: startswith(x, 'p'))", "a/any(x: startswith(x, 'p'))"],
  // whitespace
  ['a\teq\t1', '(a eq 1)'],
  ['  a eq 1  ', '(a eq 1)'],
  ["a eq'x'", "(a eq 'x')"],
  ['a  eq   1    and\t\tb eq 2', '((a eq 1) and (b eq 2))'],
  // realistic
  [
    'createdDateTime ge 2024-01-01T00:00:00Z and createdDateTime le 2024-01-31T23:59:59.9999999Z and (status/errorCode eq 50126 or status/errorCode eq 50053)',
    '(((createdDateTime ge 2024-01-01T00:00:00Z) and (createdDateTime le 2024-01-31T23:59:59.9999999Z)) and ((status/errorCode eq 50126) or (status/errorCode eq 50053)))',
  ],
  [
    "userId eq 'a7d6e2c1-0000-4000-8000-000000000001' and appDisplayName eq 'Microsoft Teams'",
    "((userId eq 'a7d6e2c1-0000-4000-8000-000000000001') and (appDisplayName eq 'Microsoft Teams'))",
  ],
];

// [filter, message fragment, position]
const INVALID: Array<[string, string, number]> = [
  ['', 'expected a filter expression but found end of filter', 0],
  ['   ', 'expected a filter expression but found end of filter', 3],
  ['appDisplayName eq', "expected a value after 'eq' but found end of filter", 17],
  ['a eq 1 and', "expected an expression after 'and' but found end of filter", 10],
  ['a eq 1 or', "expected an expression after 'or' but found end of filter", 9],
  ['not', "expected an expression after 'not' but found end of filter", 3],
  ['a eq 1 or or b', "expected an expression after 'or' but found the operator 'or'", 10],
  ['a eq eq 1', "expected a value after 'eq' but found the operator 'eq'", 5],
  ["userId eq 'x' foo", "unknown operator 'foo'", 14],
  ["userId equals 'x'", "unknown operator 'equals' (operators are eq, ne, gt, ge, lt, le, has, in, and, or)", 7],
  ["Name EQ 'Milk'", "the operator 'EQ' must be written in lower case: 'eq'", 5],
  ['a eq 1 And b eq 2', "the operator 'And' must be written in lower case: 'and'", 7],
  ['a IN (1)', "the operator 'IN' must be written in lower case: 'in'", 2],
  ['NOT a', "'NOT' must be written in lower case: 'not'", 0],
  ['a eq True', "'True' must be written in lower case: 'true'", 5],
  ['a eq NULL', "'NULL' must be written in lower case: 'null'", 5],
  ['a/ANY(t: t eq 1)', "'ANY' must be written in lower case: 'any'", 2],
  ['a eq 1 not b', "'not' cannot follow an expression", 7],
  ['a add 1 eq 2', "arithmetic operator 'add' is not supported", 2],
  ["a eq 'abc", 'unterminated string literal starting', 5],
  ["a eq 'it's'", "unexpected 's' right after the string 'it' (a quote inside a string is written '')", 9],
  ['a eq 1)', "')' without a matching '('", 6],
  ['(a eq 1) or b)', "')' without a matching '('", 13],
  ['(a eq 1', "expected an operator or ')' to close the '(' at position 0 but found end of filter", 7],
  ['((a eq 1)', "expected an operator or ')' to close the '(' at position 0 but found end of filter", 9],
  ['()', "expected an expression after '(' but found ')'", 1],
  ["a eq ('x','y')", "unexpected ',' inside parentheses: a list of values is only allowed after in", 9],
  ['x/any(t: t eq 1) or t eq 2', "lambda variable 't' is not in scope", 20],
  ['t eq 2 and x/any(t: t eq 1)', "lambda variable 't' is not in scope", 0],
  ['a/any(t: t/any(t: t eq 1))', "lambda variable 't' is already in scope (declared at position 6)", 15],
  ['any(t: t eq 1)', "'any(' must follow a collection path", 3],
  ['a/all()', "expected a lambda variable after 'all('", 6],
  ['a/any(t t eq 1)', "expected ':' after the lambda variable 't' but found 't'", 8],
  ['a/any(: t eq 1)', "expected a lambda variable name after 'any(' but found ':'", 6],
  ['a/any(and: 1)', "expected a lambda variable name after 'any(' but found 'and'", 6],
  ['a/any(t: )', "expected a predicate after 't:' but found ')'", 9],
  ['a/any(t: t eq 1', "to close 'any(' at position 5 but found end of filter", 15],
  ['a/any(t: t eq 1)/b', "expected an operator or end of filter but found '/'", 16],
  ["startswith(a 'b')", "expected ',' or ')' in the arguments of 'startswith(' at position 10 but found string 'b'", 13],
  ['startswith(a,)', "expected an argument after ',' but found ')'", 13],
  ["startswith(a, 'b'", "expected ',' or ')' in the arguments of 'startswith(' at position 10 but found end of filter", 17],
  ["startswith (a, 'b')", "no space is allowed between a function name and '('", 11],
  ['status / errorCode eq 1', "no spaces are allowed before '/' in a property path", 7],
  ['status/ errorCode eq 1', "expected a property name right after '/' (no spaces) but found 'errorCode'", 8],
  ['status/1 eq 1', "expected a property name right after '/' (no spaces) but found number 1", 7],
  ['a/startswith(b)', "only any( and all( may follow '/'", 2],
  ['a/microsoft.graph.user/b eq 1', "'microsoft.graph.user' looks like a type cast", 2],
  ['a in 1', "expected '(' or '[' with a list of values after 'in' but found number 1", 5],
  ['a in (b)', "expected a literal value or ')' after 'in (' but found 'b'", 6],
  ['a in (1, )', "expected a literal value after ',' but found ')'", 9],
  ['a in (1 2)', "expected ',' or ')' in the list after in but found number 2", 8],
  ['a in [1)', "expected ',' or ']' in the list after in but found ')'", 7],
  ['a in ("x")', 'double-quoted strings are only allowed in a [ ] list', 6],
  ['a eq "x"', 'double-quoted strings are only allowed in a [ ] list after in', 5],
  ['a in ["x\\q"]', "invalid escape '\\q' in a double-quoted string", 8],
  ['a eq [1]', "a [ ] list is only allowed after 'in'", 5],
  ['a eq 2018-13-01', 'month 13 is out of range (01-12)', 10],
  ['a eq 2018-02-30', 'day 30 is out of range for month 02', 13],
  ['a eq 2023-02-29', 'day 29 is out of range for month 02', 13],
  ['a eq 2024-01-01T25:00:00Z', 'hour 25 is out of range (00-23)', 16],
  ['a eq 2024-01-01T10:60Z', 'minute 60 is out of range (00-59)', 19],
  ['a eq 2024-01-01T00:00:00', "needs a time zone: 'Z' for UTC or an offset such as +01:00", 24],
  ['a eq 2024-01-01T00:00:00 01:00', "a '+' in a URL must be sent as %2B", 24],
  ['a eq 2024-01-01T00:00:00.1234567890123Z', 'too many fractional digits in a date-time: at most 12', 37],
  ['a eq 2024-01-01T', "expected a time of day (hh:mm, hh:mm:ss or hh:mm:ss.fffffff) after '2024-01-01T' but found end of filter", 16],
  ['a eq 2024-01-01T00:00:00Zx', "unexpected 'x' after the date-time 2024-01-01T00:00:00Z", 25],
  ['a eq 01234567-89ab-cdef-456789abcdef', 'malformed GUID', 28],
  ['a eq 5.', "expected a digit after '5.' but found end of filter", 7],
  ['a eq 1x', "unexpected 'x' right after the number 1", 6],
  ["a eq duration'1D'", "invalid duration '1D'", 14],
  ["a eq duration'P1Y'", "invalid duration 'P1Y'", 14],
  ["a eq datetime'2018-01-01'", 'OData v3 syntax', 5],
  ["a eq geography'POINT(1 2)'", 'geography literals are not supported', 5],
  ["a eq foo'x'", "unknown typed literal foo'…'", 5],
  ["a eq ns.E'a b'", "invalid enum value 'a b'", 10],
  ['a eq ns.E', "expected '(' or a quoted value after the qualified name 'ns.E' but found end of filter", 9],
  ['a eq -b', "'-' must be followed by a number", 5],
  ['a = 1', "'=' is not an operator: write eq", 2],
  ['a eq 1 && b eq 2', "'&' is not an operator: write and", 7],
  ['$filter=a eq 1', "pass only the expression after '$filter='", 0],
  ['$it/a eq 1', "'$it' is not supported", 0],
  ['a/$count gt 1', "'$count' is not supported", 2],
  ['a eq @p', "parameter aliases and annotations ('@name') are not supported", 5],
  ["a eq 'x'\nand b eq 1", 'line breaks are not allowed in a filter', 8],
  ['a%20eq%201', 'the filter looks percent-encoded twice', 1],
  ['a\u00a0eq 1', 'unexpected character U+00A0', 1],
  ["a eq 'x' ,", "expected an operator or end of filter but found ','", 9],
  ['a eq 1 2', 'expected an operator or end of filter but found number 2', 7],
  ['[x] in (1)', "a [ ] list is only allowed after 'in'", 0],
  [`${'x'.repeat(129)} eq 1`, 'name longer than 128 characters', 0],
  ['x'.repeat(64 * 1024 + 1), 'filter too long (65537 characters; at most 65536 are allowed)', 65536],
  [`${'('.repeat(101)}a${')'.repeat(101)}`, 'the filter nests more than 100 levels deep', 100],
  [`${'not '.repeat(101)}a`, 'the filter nests more than 100 levels deep', 400],
  [`${'f('.repeat(101)}a${')'.repeat(101)}`, 'the filter nests more than 100 levels deep', 200],
  [Array.from({ length: 1002 }, () => 'a').join(' or '), 'the filter is too complex', 0],
];

describe('parseFilter: valid filters', () => {
  it('has a table of at least 80 filters', () => {
    expect(VALID.length).toBeGreaterThanOrEqual(80);
  });

  it.each(VALID)('%s', (filter, printed) => {
    const ast = parseFilter(filter);
    expect(printFilter(ast)).toBe(printed);
    // The printed form is canonical: it parses back to the same printed form.
    expect(printFilter(parseFilter(printed))).toBe(printed);
  });
});

describe('parseFilter: invalid filters', () => {
  it('has a table of at least 40 filters', () => {
    expect(INVALID.length).toBeGreaterThanOrEqual(40);
  });

  it.each(INVALID)('%j', (filter, fragment, position) => {
    let error: unknown;
    try {
      parseFilter(filter);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FilterSyntaxError);
    const e = error as FilterSyntaxError;
    expect(e.message).toContain(fragment);
    expect(e.position).toBe(position);
    expect(e.message.endsWith(` at position ${position}`)).toBe(true);
    expect(e.reason).toBe(e.message.slice(0, -` at position ${position}`.length));
    expect(e.name).toBe('FilterSyntaxError');
  });

  it('reports the unterminated string with its start', () => {
    expect(() => parseFilter("userId eq 'abc")).toThrow('unterminated string literal starting at position 10');
  });

  it('reports an empty filter after a deeply nested valid one without overflowing', () => {
    const deep = `${'('.repeat(100)}a eq 1${')'.repeat(100)}`;
    expect(printFilter(parseFilter(deep))).toBe('(a eq 1)');
    const chain = Array.from({ length: 900 }, (_, i) => `a eq ${i}`).join(' or ');
    expect(expectKind(parseFilter(chain), 'or').kind).toBe('or');
  });
});

describe('parseFilter: literals', () => {
  // [literal text, type, value]
  const CASES: Array<[string, string, unknown]> = [
    ["'O''Brien'", 'string', "O'Brien"],
    ["'Zoë 東京'", 'string', 'Zoë 東京'],
    ["''", 'string', ''],
    ['42', 'int', 42],
    ['-7', 'int', -7],
    ['5.00', 'decimal', 5],
    ['-1.5', 'decimal', -1.5],
    ['1e3', 'double', 1000],
    ['2.5E-2', 'double', 0.025],
    ['INF', 'double', Infinity],
    ['-INF', 'double', -Infinity],
    ['true', 'boolean', true],
    ['false', 'boolean', false],
    ['null', 'null', null],
    ['8F2D3C4E-1111-2222-3333-444455556666', 'guid', '8F2D3C4E-1111-2222-3333-444455556666'],
    ['2018-01-09T21:17:21.5077253Z', 'dateTimeOffset', '2018-01-09T21:17:21.5077253Z'],
    ['2024-06-30T23:59:60+02:00', 'dateTimeOffset', '2024-06-30T23:59:60+02:00'],
    ['2018-01-24', 'date', '2018-01-24'],
    ["duration'P1DT2H'", 'duration', 'P1DT2H'],
  ];

  it.each(CASES)('%s', (text, type, value) => {
    const literal = expectKind(expectKind(parseFilter(`x eq ${text}`), 'compare').right, 'literal');
    expect(literal.type).toBe(type);
    expect(literal.value).toEqual(value);
    expect(literal.raw).toBe(text);
    expect(span(literal)).toEqual([5, 5 + text.length]);
  });

  it('reads NaN as a double', () => {
    const literal = expectKind(expectKind(parseFilter('x eq NaN'), 'compare').right, 'literal');
    expect(literal.type).toBe('double');
    expect(Number.isNaN(literal.value)).toBe(true);
  });

  it('keeps the enum type and value apart', () => {
    const literal = expectKind(expectKind(parseFilter("r eq microsoft.graph.riskLevel'high'"), 'compare').right, 'literal');
    expect(literal).toMatchObject({ type: 'enum', enumType: 'microsoft.graph.riskLevel', value: 'high', raw: "microsoft.graph.riskLevel'high'" });
  });

  it('unescapes double-quoted strings in a [ ] list and keeps their raw text', () => {
    const list = expectKind(parseFilter('x in ["a\\"b\\u00e9\\\\", \'c\']'), 'in').list;
    expect(list.map((l) => l.value)).toEqual(['a"bé\\', 'c']);
    expect(list[0]?.raw).toBe('"a\\"b\\u00e9\\\\"');
  });
});

describe('parseFilter: nodes and positions', () => {
  it('gives a comparison, its operator, path segments and literal their spans', () => {
    const cmp = expectKind(parseFilter("status/errorCode eq 'x'"), 'compare');
    expect(span(cmp)).toEqual([0, 23]);
    expect(cmp.opStart).toBe(17);
    const path = expectKind(cmp.left, 'path');
    expect(path.segments).toEqual(['status', 'errorCode']);
    expect(path.segmentSpans).toEqual([
      { start: 0, end: 6 },
      { start: 7, end: 16 },
    ]);
    expect(path.lambdaVariable).toBe(false);
    expect(span(path)).toEqual([0, 16]);
    expect(span(expectKind(cmp.right, 'literal'))).toEqual([20, 23]);
  });

  it('widens a parenthesised node over its parentheses', () => {
    const and = expectKind(parseFilter('(a eq 1) and (b)'), 'and');
    expect(span(and)).toEqual([0, 16]);
    expect(and.opStart).toBe(9);
    expect(span(and.left)).toEqual([0, 8]);
    expect(span(and.right)).toEqual([13, 16]);
    const not = expectKind(parseFilter('not (a)'), 'not');
    expect(span(not)).toEqual([0, 7]);
    expect(span(not.operand)).toEqual([4, 7]);
  });

  it('records calls with their name as written and in lower case', () => {
    const call = expectKind(parseFilter("startsWith(upn, 'ad')"), 'call');
    expect(call).toMatchObject({ name: 'startswith', nameRaw: 'startsWith', start: 0, end: 21 });
    expect(call.args.map(span)).toEqual([
      [11, 14],
      [16, 20],
    ]);
    expect(expectKind(parseFilter('NOW()'), 'call')).toMatchObject({ name: 'now', nameRaw: 'NOW', args: [] });
  });

  it('records in lists', () => {
    const node = expectKind(parseFilter('x in (1, 2)'), 'in');
    expect(span(node)).toEqual([0, 11]);
    expect(node.opStart).toBe(2);
    expect(node.list.map(span)).toEqual([
      [6, 7],
      [9, 10],
    ]);
  });

  it('records or and not', () => {
    const or = expectKind(parseFilter('a or not b'), 'or');
    expect(or.opStart).toBe(2);
    expect(span(expectKind(or.right, 'not'))).toEqual([5, 10]);
  });

  it('records lambdas with their variable and its span', () => {
    const lambda = expectKind(parseFilter("signInEventTypes/any(t: t eq 'interactiveUser')"), 'lambda');
    expect(lambda).toMatchObject({ op: 'any', variable: 't', variableSpan: { start: 21, end: 22 }, start: 0, end: 47 });
    expect(lambda.collection).toMatchObject({ segments: ['signInEventTypes'], lambdaVariable: false, start: 0, end: 16 });
    const predicate = expectKind(lambda.predicate, 'compare');
    expect(span(predicate)).toEqual([24, 46]);
    expect(expectKind(predicate.left, 'path').lambdaVariable).toBe(true);

    const empty = expectKind(parseFilter('a/b/any()'), 'lambda');
    expect(empty).toMatchObject({ op: 'any', variable: null, variableSpan: null, predicate: null, start: 0, end: 9 });
    expect(empty.collection.segments).toEqual(['a', 'b']);
  });

  it('marks paths that start with a lambda variable in scope, through nested lambdas', () => {
    const outer = expectKind(parseFilter('a/any(x: x/b/any(y: y eq x and z eq 1))'), 'lambda');
    expect(outer.collection.lambdaVariable).toBe(false);
    const inner = expectKind(outer.predicate, 'lambda');
    expect(inner.collection).toMatchObject({ segments: ['x', 'b'], lambdaVariable: true });
    const and = expectKind(inner.predicate, 'and');
    const yEqX = expectKind(and.left, 'compare');
    expect(expectKind(yEqX.left, 'path').lambdaVariable).toBe(true);
    expect(expectKind(yEqX.right, 'path').lambdaVariable).toBe(true);
    expect(expectKind(expectKind(and.right, 'compare').left, 'path').lambdaVariable).toBe(false);
  });

  it('records all', () => {
    expect(expectKind(parseFilter('a/all(x: x gt 0)'), 'lambda')).toMatchObject({ op: 'all', variable: 'x' });
  });
});

describe('parseFilter: robustness', () => {
  it('throws only FilterSyntaxError, with a position inside the text, on mutated filters', () => {
    const seeds = [
      "createdDateTime ge 2024-01-01T00:00:00.1234567Z and (status/errorCode eq 50126 or status/errorCode in (50053))",
      "startsWith(userPrincipalName, 'ad') and signInEventTypes/any(t: t eq 'interactiveUser' or t ne 'x')",
      `appId eq 8f2d3c4e-1111-2222-3333-444455556666 and x in [1, "a\\"b", 'c'] and d eq duration'P1D' and r has ns.E'a,b'`,
      "not a/any(x: x/b/all(y: y eq x)) or 'O''x' eq -1.5e3",
    ];
    const alphabet = ` \t()[],/:'"-+.$@%=abcdeTZ019xnotandoreqin`;
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 5000; i++) {
      let filter = seeds[random(seeds.length)] ?? '';
      for (let edits = 1 + random(4); edits > 0; edits--) {
        const at = random(filter.length + 1);
        const ch = alphabet.charAt(random(alphabet.length));
        const kind = random(3);
        filter = filter.slice(0, at) + (kind === 1 ? '' : ch) + filter.slice(kind === 0 ? at : at + 1);
      }
      try {
        const printed = printFilter(parseFilter(filter));
        expect(printFilter(parseFilter(printed)), filter).toBe(printed);
      } catch (e) {
        expect(e, filter).toBeInstanceOf(FilterSyntaxError);
        const position = (e as FilterSyntaxError).position;
        expect(position >= 0 && position <= filter.length, filter).toBe(true);
      }
    }
  });
});
