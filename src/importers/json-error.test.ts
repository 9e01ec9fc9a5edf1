import { describe, expect, it } from 'vitest';
import { locateJsonError } from './json-error.js';

describe('locateJsonError', () => {
  it('finds the place and names the problem', () => {
    expect(locateJsonError('{"a": [1, 2, ]}')).toMatchObject({ line: 1, column: 14, reason: 'trailing comma before "]"' });
    expect(locateJsonError('{\n "a": 1,\n}')).toMatchObject({ line: 3, column: 1, reason: 'trailing comma before "}"' });
    expect(locateJsonError('{"a": 1 "b": 2}')).toMatchObject({ reason: 'expected "," or "}" in an object, found "\\""' });
    expect(locateJsonError('{"a": "x\ny"}')).toMatchObject({ line: 1, reason: 'line break inside a string (unterminated string?)' });
    expect(locateJsonError("{'a': 1}")).toMatchObject({ reason: 'expected a property name in double quotes, found "\'"' });
    expect(locateJsonError('{"a": 1}}')).toMatchObject({ reason: 'unexpected "}" after the end of the JSON value' });
    expect(locateJsonError('{"a": tru}')).toMatchObject({ reason: 'expected a value, found "t"' });
    expect(locateJsonError('[[[[' + '['.repeat(600))).toMatchObject({ reason: 'nested more than 512 levels deep' });
  });

  it('returns null for valid JSON', () => {
    expect(locateJsonError('{"a": [1, {"b": "\\u00e9\\n"}], "c": -1.5e3}')).toBeNull();
  });
});
