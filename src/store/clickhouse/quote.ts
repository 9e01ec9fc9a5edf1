// The one way a value becomes ClickHouse SQL. ClickHouse 18.16 (which the store still supports)
// has no server-side query parameters, so every value a query carries — filter values, keys,
// ids, tenants — is written as a literal by this file, and by nothing else.
/** What `quote` takes: text, numbers, flags, 64-bit integers (nanosecond times), or NULL. */
export type ClickHouseValue = string | number | boolean | bigint | null;

// Backslash escapes ClickHouse reads in a quoted string: `\\`, `\'` and the control characters.
// Everything else (any Unicode) goes through as it is; ClickHouse reads literals as bytes.
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

// eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped here
const NEEDS_ESCAPE = /[\\'\u0000-\u001f\u007f]/g;

function escapeChar(c: string): string {
  return ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/**
 * A value as a ClickHouse literal: strings single-quoted with backslash escapes, finite numbers
 * as written, booleans as 1/0 (ClickHouse keeps booleans as UInt8), 64-bit integers as digits,
 * null as NULL. Throws on NaN and infinities (they are never a value a query means).
 *
 * @example quote("O'Brien\\") // "'O\\'Brien\\\\'"
 * @example quote(1515532641507725300n) // '1515532641507725300'
 */
export function quote(v: ClickHouseValue): string {
  if (v === null) return 'NULL';
  switch (typeof v) {
    case 'string':
      return `'${v.replace(NEEDS_ESCAPE, escapeChar)}'`;
    case 'boolean':
      return v ? '1' : '0';
    case 'bigint':
      return v.toString();
    case 'number':
      if (!Number.isFinite(v)) throw new RangeError(`not a finite number: ${String(v)}`);
      return Object.is(v, -0) ? '0' : String(v);
    default:
      throw new TypeError(`cannot quote a ${typeof v}`);
  }
}

/** A list of values, for `IN (...)`: each quoted by `quote`. */
export function quoteList(values: readonly ClickHouseValue[]): string {
  return values.map(quote).join(', ');
}

/** An identifier (column, table, database) in backquotes, with `\` and `` ` `` escaped. */
export function quoteIdent(name: string): string {
  return `\`${name.replace(/[\\`]/g, (c) => `\\${c}`)}\``;
}
