// Lexer for Graph's `$filter` dialect: turns the filter text into tokens, one at a time as the
// parser asks for them (so the first error in reading order is the one reported). Literals are
// recognised here, complete with their AST node; words (names, operators, function names) are left
// to the parser, which knows where an operator belongs.
//
// The text arrives percent-decoded: the HTTP layer decodes the query string (as Graph does) before
// `parseFilter` sees it. `%20` is therefore not whitespace here, and a `%` outside a string literal
// is reported as a filter that was encoded twice.

import type { LiteralNode } from './ast.js';
import { FilterSyntaxError } from './filter-syntax-error.js';

export type Punctuation = '(' | ')' | '[' | ']' | ',' | '/' | ':';

export type Token =
  | { kind: 'word'; text: string; start: number; end: number }
  /** A dotted name such as `microsoft.graph.riskLevel` or `geo.distance`. */
  | { kind: 'qualifiedName'; text: string; start: number; end: number }
  /** `json` marks a double-quoted ("JSON") string, allowed only in a `[ ]` list after `in`. */
  | { kind: 'literal'; literal: LiteralNode; json: boolean; start: number; end: number }
  | { kind: 'punct'; text: Punctuation; start: number; end: number }
  | { kind: 'eof'; start: number; end: number };

/** OData identifiers: a letter or `_`, then letters, digits, `_` (Unicode categories as in the ABNF). */
const IDENTIFIER = /[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}\p{Cf}]*/uy;
const IDENTIFIER_PART = /[\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}\p{Cf}]/uy;
const MAX_IDENTIFIER_LENGTH = 128;

const GUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/y;
/** Hex groups joined by dashes, 4 or 5 of them: meant as a GUID, so say what is wrong with it. */
const GUID_LIKE = /[0-9a-fA-F]+(?:-[0-9a-fA-F]+){3,4}(?![\p{L}\p{Nd}_-])/uy;
const GUID_GROUPS = [8, 4, 4, 4, 12];

/** Year per the ABNF: optional minus, then `0` + 3 digits or 1-9 + 3 or more digits. */
const DATE = /(-?)(\d{4,})-(\d\d)-(\d\d)/y;
const TIME = /(\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?/y;
const OFFSET = /[+-](\d\d):(\d\d)/y;
const MAX_FRACTIONAL_DIGITS = 12;
const NUMBER = /[+-]?\d+(\.\d+)?([eE][+-]?\d+)?/y;

/** ISO 8601 day-time duration as OData allows it (no years or months), with at least one part. */
const DURATION = /^-?P(?=\d|T\d)(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/;
/** An enum value: member names or integers, comma-separated (flags). */
const ENUM_VALUE = /^(?:[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}\p{Cf}]*|[+-]?\d+)(?:,(?:[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}\p{Cf}]*|[+-]?\d+))*$/u;

/** Words that stay words even when a quote follows at once (`eq'x'` is `eq 'x'`). */
const OPERATOR_WORDS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'has', 'in', 'and', 'or', 'not']);

/** What to say about a character that has no place in a filter. */
const CHARACTER_HINTS: Record<string, string> = {
  '=': "'=' is not an operator: write eq",
  '!': "'!' is not an operator: write ne, or not before an expression",
  '<': "'<' is not an operator: write lt or le",
  '>': "'>' is not an operator: write gt or ge",
  '&': "'&' is not an operator: write and",
  '|': "'|' is not an operator: write or",
  '%': "unexpected '%': the filter looks percent-encoded twice; encode it once",
  '+': "'+' can only start a number (and in a URL a '+' must be sent as %2B)",
  '\n': 'line breaks are not allowed in a filter',
  '\r': 'line breaks are not allowed in a filter',
  '"': 'double-quoted strings are only allowed in a [ ] list after in',
};

const DOLLAR_HINTS: Record<string, string> = {
  $filter: "the text starts with '$filter': pass only the expression after '$filter='",
  $count: "'$count' is not supported in this filter dialect",
  $it: "'$it' is not supported: inside any()/all() use the lambda variable, elsewhere name the property",
  $this: "'$this' is not supported: inside any()/all() use the lambda variable",
  $root: "'$root' is not supported in this filter dialect",
};

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export class Lexer {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** The next token; after the end, an `eof` token at `text.length` every time. */
  next(): Token {
    const text = this.text;
    let p = this.pos;
    while (p < text.length && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
    if (p >= text.length) {
      this.pos = p;
      return { kind: 'eof', start: p, end: p };
    }
    const c = text.charAt(p);
    const token = this.read(c, p);
    this.pos = token.end;
    return token;
  }

  private read(c: string, p: number): Token {
    switch (c) {
      case '(':
      case ')':
      case '[':
      case ']':
      case ',':
      case '/':
      case ':':
        return { kind: 'punct', text: c, start: p, end: p + 1 };
      case "'":
        return this.readString(p);
      case '"':
        return this.readJsonString(p);
      case '$':
        return this.failDollar(p);
      case '@':
        throw new FilterSyntaxError("parameter aliases and annotations ('@name') are not supported", p);
    }
    const code = this.text.charCodeAt(p);
    const next = this.text.charCodeAt(p + 1);
    if (isDigit(code) || ((c === '-' || c === '+') && isDigit(next))) return this.readNumeric(p);
    if (c === '-' && this.text.startsWith('INF', p + 1) && !this.identifierPartAt(p + 4)) {
      return literalToken({ kind: 'literal', type: 'double', value: -Infinity, raw: '-INF', start: p, end: p + 4 });
    }
    if (c === '-') throw new FilterSyntaxError("'-' must be followed by a number: negating an expression is not supported", p);
    IDENTIFIER.lastIndex = p;
    if (IDENTIFIER.test(this.text)) {
      if (isHexLetter(code)) {
        const guid = this.readGuid(p);
        if (guid) return guid;
      }
      return this.readWord(p);
    }
    const hint = CHARACTER_HINTS[c];
    if (hint !== undefined) throw new FilterSyntaxError(hint, p);
    throw new FilterSyntaxError(`unexpected character ${describeCharacter(this.text, p)}`, p);
  }

  /** `'…'` with `''` for a quote; any Unicode inside. */
  private readString(start: number): Token {
    const text = this.text;
    let value = '';
    let from = start + 1;
    for (;;) {
      const quote = text.indexOf("'", from);
      if (quote < 0) throw new FilterSyntaxError('unterminated string literal starting', start);
      if (text.charCodeAt(quote + 1) === 39) {
        value += text.slice(from, quote + 1);
        from = quote + 2;
        continue;
      }
      value += text.slice(from, quote);
      const end = quote + 1;
      if (this.identifierPartAt(end)) {
        throw new FilterSyntaxError(`unexpected ${describeCharacter(text, end)} right after the string ${clip(text.slice(start, end))} (a quote inside a string is written '')`, end);
      }
      return literalToken({ kind: 'literal', type: 'string', value, raw: text.slice(start, end), start, end });
    }
  }

  /** `"…"` with JSON escapes; the parser accepts it only inside a `[ ]` list after `in`. */
  private readJsonString(start: number): Token {
    const text = this.text;
    let value = '';
    let i = start + 1;
    while (i < text.length) {
      const ch = text.charAt(i);
      if (ch === '"') {
        const end = i + 1;
        const literal: LiteralNode = { kind: 'literal', type: 'string', value, raw: text.slice(start, end), start, end };
        return { kind: 'literal', literal, json: true, start, end };
      }
      if (ch !== '\\') {
        value += ch;
        i++;
        continue;
      }
      const esc = text.charAt(i + 1);
      const simple = JSON_ESCAPES[esc];
      if (simple !== undefined) {
        value += simple;
        i += 2;
      } else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        throw new FilterSyntaxError(`invalid escape '\\${esc}' in a double-quoted string (use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)`, i);
      }
    }
    throw new FilterSyntaxError('unterminated string literal starting', start);
  }

  /** Something starting with a digit or a signed digit: GUID, date, date-time or number. */
  private readNumeric(start: number): Token {
    const text = this.text;
    if (isDigit(text.charCodeAt(start))) {
      const guid = this.readGuid(start);
      if (guid) return guid;
    }
    if (text.charAt(start) !== '+') {
      const date = this.readDate(start);
      if (date) return date;
    }
    NUMBER.lastIndex = start;
    const m = NUMBER.exec(text);
    if (!m) throw new FilterSyntaxError(`unexpected character ${describeCharacter(text, start)}`, start);
    const raw = m[0];
    const end = start + raw.length;
    const after = text.charAt(end);
    if (after === '.') throw new FilterSyntaxError(`expected a digit after '${raw}.' but found ${describeCharacter(text, end + 1)}`, end + 1);
    if (this.identifierPartAt(end)) {
      throw new FilterSyntaxError(`unexpected ${describeCharacter(text, end)} right after the number ${raw}`, end);
    }
    const type = m[2] !== undefined ? 'double' : m[1] !== undefined ? 'decimal' : 'int';
    return literalToken({ kind: 'literal', type, value: Number(raw), raw, start, end });
  }

  private readGuid(start: number): Token | null {
    const text = this.text;
    GUID.lastIndex = start;
    if (GUID.test(text) && !this.identifierPartAt(start + 36) && text.charAt(start + 36) !== '-') {
      const raw = text.slice(start, start + 36);
      return literalToken({ kind: 'literal', type: 'guid', value: raw, raw, start, end: start + 36 });
    }
    GUID_LIKE.lastIndex = start;
    const like = GUID_LIKE.exec(text);
    if (!like) return null;
    // Point at the first group of the wrong length: where a dash or a digit should have been.
    let at = start;
    const groups = like[0].split('-');
    for (let g = 0; g < GUID_GROUPS.length; g++) {
      const want = GUID_GROUPS[g] ?? 0;
      const got = groups[g]?.length ?? 0;
      if (got !== want) {
        at += Math.min(got, want);
        break;
      }
      at += got + 1;
    }
    throw new FilterSyntaxError(`malformed GUID '${like[0]}': expected 8-4-4-4-12 hexadecimal digits`, at);
  }

  /** `2018-01-24` (date) or `2018-01-09T21:17:21.5077253Z` (dateTimeOffset), checked field by field. */
  private readDate(start: number): Token | null {
    const text = this.text;
    DATE.lastIndex = start;
    const m = DATE.exec(text);
    if (!m) return null;
    const sign = m[1] ?? '';
    const year = m[2] ?? '';
    const yearStart = start + sign.length;
    if (year.length > 4 && year.startsWith('0')) throw new FilterSyntaxError(`a year of more than 4 digits cannot start with 0 in '${m[0]}'`, yearStart);
    const monthStart = yearStart + year.length + 1;
    const month = Number(m[3]);
    const day = Number(m[4]);
    if (month < 1 || month > 12) throw new FilterSyntaxError(`month ${m[3]} is out of range (01-12) in the date '${m[0]}'`, monthStart);
    if (day < 1 || day > daysInMonth(Number(sign + year), month)) {
      throw new FilterSyntaxError(`day ${m[4]} is out of range for month ${m[3]} in the date '${m[0]}'`, monthStart + 3);
    }
    let end = start + m[0].length;
    const t = text.charAt(end);
    if (t !== 'T' && t !== 't') {
      if (this.identifierPartAt(end)) throw new FilterSyntaxError(`unexpected ${describeCharacter(text, end)} after the date ${m[0]}`, end);
      return literalToken({ kind: 'literal', type: 'date', value: m[0], raw: m[0], start, end });
    }
    const timeStart = end + 1;
    TIME.lastIndex = timeStart;
    const time = TIME.exec(text);
    if (!time) {
      throw new FilterSyntaxError(`expected a time of day (hh:mm, hh:mm:ss or hh:mm:ss.fffffff) after '${m[0]}T' but found ${describeCharacter(text, timeStart)}`, timeStart);
    }
    if (Number(time[1]) > 23) throw new FilterSyntaxError(`hour ${time[1]} is out of range (00-23)`, timeStart);
    if (Number(time[2]) > 59) throw new FilterSyntaxError(`minute ${time[2]} is out of range (00-59)`, timeStart + 3);
    // 60 is allowed: the ABNF admits a leap second.
    if (time[3] !== undefined && Number(time[3]) > 60) throw new FilterSyntaxError(`second ${time[3]} is out of range (00-59)`, timeStart + 6);
    const fraction = time[4];
    if (fraction !== undefined && fraction.length > MAX_FRACTIONAL_DIGITS) {
      throw new FilterSyntaxError(`too many fractional digits in a date-time: at most ${MAX_FRACTIONAL_DIGITS}`, timeStart + 9 + MAX_FRACTIONAL_DIGITS);
    }
    end = timeStart + time[0].length;
    const z = text.charAt(end);
    if (z === 'Z' || z === 'z') {
      end += 1;
    } else {
      OFFSET.lastIndex = end;
      const offset = OFFSET.exec(text);
      if (!offset) {
        const written = text.slice(start, end);
        const plusLost = /^ \d\d:\d\d/.test(text.slice(end, end + 6)) ? " (a '+' in a URL must be sent as %2B, or it arrives as a space)" : '';
        throw new FilterSyntaxError(`the date-time ${written} needs a time zone: 'Z' for UTC or an offset such as +01:00${plusLost}`, end);
      }
      if (Number(offset[1]) > 23 || Number(offset[2]) > 59) throw new FilterSyntaxError(`time zone offset ${offset[0]} is out of range`, end);
      end += offset[0].length;
    }
    if (this.identifierPartAt(end) || /[.:]/.test(text.charAt(end))) {
      throw new FilterSyntaxError(`unexpected ${describeCharacter(text, end)} after the date-time ${text.slice(start, end)}`, end);
    }
    const raw = text.slice(start, end);
    return literalToken({ kind: 'literal', type: 'dateTimeOffset', value: raw, raw, start, end });
  }

  /** A name, a dotted name, a word literal (true, false, null, NaN, INF) or a typed literal `x'…'`. */
  private readWord(start: number): Token {
    const text = this.text;
    let end = this.identifierEnd(start);
    let qualified = false;
    while (text.charAt(end) === '.') {
      IDENTIFIER.lastIndex = end + 1;
      if (!IDENTIFIER.test(text)) break;
      end = this.identifierEnd(end + 1);
      qualified = true;
    }
    const word = text.slice(start, end);
    if (text.charAt(end) === "'" && !OPERATOR_WORDS.has(word.toLowerCase())) return this.readTypedLiteral(word, qualified, start, end);
    if (qualified) return { kind: 'qualifiedName', text: word, start, end };
    switch (word) {
      case 'true':
      case 'false':
        return literalToken({ kind: 'literal', type: 'boolean', value: word === 'true', raw: word, start, end });
      case 'null':
        return literalToken({ kind: 'literal', type: 'null', value: null, raw: word, start, end });
      case 'NaN':
        return literalToken({ kind: 'literal', type: 'double', value: NaN, raw: word, start, end });
      case 'INF':
        return literalToken({ kind: 'literal', type: 'double', value: Infinity, raw: word, start, end });
    }
    return { kind: 'word', text: word, start, end };
  }

  /** `duration'P1D'` or an enum `microsoft.graph.riskLevel'high'`; other prefixes are refused. */
  private readTypedLiteral(prefix: string, qualified: boolean, start: number, quote: number): Token {
    const text = this.text;
    const lower = prefix.toLowerCase();
    if (!qualified && lower !== 'duration') {
      if (lower === 'binary' || lower === 'geography' || lower === 'geometry') {
        throw new FilterSyntaxError(`${lower} literals are not supported`, start);
      }
      if (lower === 'datetime' || lower === 'datetimeoffset') {
        throw new FilterSyntaxError(`${prefix}'…' is OData v3 syntax: write the date-time without quotes, as in 2024-01-31T00:00:00Z`, start);
      }
      if (lower === 'guid') throw new FilterSyntaxError("guid'…' is OData v3 syntax: write the GUID without quotes, or as a string", start);
      throw new FilterSyntaxError(`unknown typed literal ${prefix}'…': only duration'…' and enum values such as microsoft.graph.riskLevel'high' take a prefix`, start);
    }
    const close = text.indexOf("'", quote + 1);
    if (close < 0) throw new FilterSyntaxError('unterminated string literal starting', quote);
    const value = text.slice(quote + 1, close);
    const end = close + 1;
    const raw = text.slice(start, end);
    if (!qualified) {
      if (!DURATION.test(value)) {
        throw new FilterSyntaxError(`invalid duration '${value}': expected ISO 8601 days and time such as P1D, PT12H or P2DT3H4M5.5S (no years or months)`, quote + 1);
      }
      return literalToken({ kind: 'literal', type: 'duration', value, raw, start, end });
    }
    if (!ENUM_VALUE.test(value)) {
      throw new FilterSyntaxError(`invalid enum value '${value}' in ${raw}: expected a member name, a number, or several separated by commas`, quote + 1);
    }
    return literalToken({ kind: 'literal', type: 'enum', enumType: prefix, value, raw, start, end });
  }

  private failDollar(start: number): never {
    IDENTIFIER.lastIndex = start + 1;
    const m = IDENTIFIER.exec(this.text);
    const name = '$' + (m ? m[0] : '');
    const hint = name === '$filter' && start > 0 ? undefined : DOLLAR_HINTS[name];
    throw new FilterSyntaxError(hint ?? `'${name}' is not supported in this filter dialect`, start);
  }

  private identifierEnd(start: number): number {
    IDENTIFIER.lastIndex = start;
    IDENTIFIER.test(this.text);
    const end = IDENTIFIER.lastIndex;
    if (end - start > MAX_IDENTIFIER_LENGTH) throw new FilterSyntaxError(`name longer than ${MAX_IDENTIFIER_LENGTH} characters`, start);
    return end;
  }

  private identifierPartAt(p: number): boolean {
    IDENTIFIER_PART.lastIndex = p;
    return IDENTIFIER_PART.test(this.text);
  }
}

/** How a token is named in messages: `end of filter`, `'foo'`, `string 'x'`, `number 5`, ... */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'end of filter';
    case 'word':
    case 'qualifiedName':
    case 'punct':
      return `'${clip(token.text)}'`;
    case 'literal':
      return describeLiteral(token.literal);
  }
}

function describeLiteral(literal: LiteralNode): string {
  const raw = clip(literal.raw);
  switch (literal.type) {
    case 'string':
      return `string ${raw}`;
    case 'int':
    case 'decimal':
    case 'double':
      return `number ${raw}`;
    case 'boolean':
    case 'null':
      return raw;
    case 'guid':
      return `GUID ${raw}`;
    case 'date':
      return `date ${raw}`;
    case 'dateTimeOffset':
      return `date-time ${raw}`;
    case 'duration':
      return `duration ${raw}`;
    case 'enum':
      return `enum value ${raw}`;
  }
}

const JSON_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function literalToken(literal: LiteralNode): Token {
  return { kind: 'literal', literal, json: false, start: literal.start, end: literal.end };
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isHexLetter(code: number): boolean {
  const lower = code | 32;
  return lower >= 97 && lower <= 102;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 31;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** `'x'` for a visible character, `U+00A0` style for anything else; `end of filter` past the end. */
function describeCharacter(text: string, p: number): string {
  if (p >= text.length) return 'end of filter';
  const cp = text.codePointAt(p) ?? 0;
  const ch = String.fromCodePoint(cp);
  if (cp > 32 && cp !== 127 && !/\s/u.test(ch)) return `'${ch}'`;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}
