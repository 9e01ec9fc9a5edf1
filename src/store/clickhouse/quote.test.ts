// The one quoting function of the ClickHouse store: every value a query carries goes through it.
// (test/clickhouse-store.test.ts also sends these values to a real server and reads them back.)
import { describe, expect, it } from 'vitest';
import { quote, quoteIdent, quoteList } from './quote.js';

describe('quote', () => {
  it('quotes strings with backslash escapes for backslash and quote', () => {
    expect(quote('plain')).toBe("'plain'");
    expect(quote("O'Brien")).toBe("'O\\'Brien'");
    expect(quote('C:\\temp\\')).toBe("'C:\\\\temp\\\\'");
    expect(quote("\\'")).toBe("'\\\\\\''");
    expect(quote('')).toBe("''");
  });

  it('cannot be closed early: a quote inside the value never ends the literal', () => {
    for (const attack of ["'; DROP TABLE sign_ins; --", "\\'; DROP DATABASE gatelog; --", "x' OR 1=1 OR 'x", "\\", "'", "''", "\\\\'"]) {
      const q = quote(attack);
      const inner = q.slice(1, -1);
      // Every quote inside is escaped by an odd run of backslashes.
      for (const m of inner.matchAll(/(\\*)'/g)) expect(m[1]!.length % 2).toBe(1);
      expect(q.startsWith("'") && q.endsWith("'")).toBe(true);
      // The literal ends with an unescaped quote: an even run of backslashes before it.
      expect((/(\\*)'$/.exec(q)?.[1] ?? '').length % 2).toBe(0);
    }
  });

  it('escapes NUL, newlines and other control characters; keeps Unicode as it is', () => {
    expect(quote('a\u0000b')).toBe("'a\\0b'");
    expect(quote('line1\nline2\r\n\ttab')).toBe("'line1\\nline2\\r\\n\\ttab'");
    expect(quote('\u0001\u001f\u007f\b\f')).toBe("'\\x01\\x1f\\x7f\\b\\f'");
    expect(quote('Zürich 東京 🚀 İ')).toBe("'Zürich 東京 🚀 İ'");
    expect(quote('\u2028\u2029')).toBe("'\u2028\u2029'");
  });

  it('writes numbers, booleans, 64-bit integers and NULL', () => {
    expect(quote(0)).toBe('0');
    expect(quote(-0)).toBe('0');
    expect(quote(50126)).toBe('50126');
    expect(quote(-1)).toBe('-1');
    expect(quote(47.6062)).toBe('47.6062');
    expect(quote(1e-7)).toBe('1e-7');
    expect(quote(true)).toBe('1');
    expect(quote(false)).toBe('0');
    expect(quote(1515532641507725300n)).toBe('1515532641507725300');
    expect(quote(-5n)).toBe('-5');
    expect(quote(null)).toBe('NULL');
  });

  it('refuses NaN and infinities, and values that are not values', () => {
    expect(() => quote(NaN)).toThrow(RangeError);
    expect(() => quote(Infinity)).toThrow(RangeError);
    expect(() => quote(-Infinity)).toThrow(RangeError);
    expect(() => quote({} as unknown as string)).toThrow(TypeError);
    expect(() => quote(undefined as unknown as string)).toThrow(TypeError);
  });

  it('quotes lists item by item, and identifiers in backquotes', () => {
    expect(quoteList(['a', "b'c", 3])).toBe("'a', 'b\\'c', 3");
    expect(quoteIdent('location.city')).toBe('`location.city`');
    expect(quoteIdent('we`ird\\')).toBe('`we\\`ird\\\\`');
  });
});
