import { describe, expect, it } from 'vitest';
import { jsonEachRow, storeError } from './connection.js';

describe('jsonEachRow', () => {
  it('reads one object a line', () => {
    expect(jsonEachRow('{"a":1}\n{"a":"2"}\n')).toEqual([{ a: 1 }, { a: '2' }]);
    expect(jsonEachRow('')).toEqual([]);
  });

  it("turns an exception the server appended after some rows into the error, with the server's reason", () => {
    const body = '{"id":"x"}\nCode: 241, e.displayText() = DB::Exception: Memory limit (for query) exceeded: would use 1.86 GiB (attempt to allocate chunk of 4194304 bytes), maximum: 1.86 GiB, e.what() = DB::Exception\n';
    let caught: unknown;
    try {
      jsonEachRow(body);
    } catch (e) {
      caught = e;
    }
    expect(String(caught)).toContain('Code: 241');
    const mapped = storeError(caught, 'http://ch:8123', 'reading sign-ins', null);
    expect(String(mapped)).toBe('Error: ClickHouse http://ch:8123 refused reading sign-ins: Memory limit (for query) exceeded: would use 1.86 GiB (attempt to allocate chunk of 4194304 bytes), maximum: 1.86 GiB');
  });

  it('says so when a line is neither JSON nor an exception', () => {
    expect(() => jsonEachRow('{"a":1}\nnot json\n')).toThrow("the server's answer is not JSON rows: not json");
  });
});
