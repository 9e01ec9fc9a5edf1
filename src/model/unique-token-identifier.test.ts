import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requestIdToUniqueTokenIdentifier, uniqueTokenIdentifierToRequestId } from './unique-token-identifier.js';

// The worked example of semantics.md §1.3: the .NET ToByteArray() docs' GUID, base64url-encoded.
const REQUEST_ID = '35918bc9-196d-40ea-9779-889d79b753f0';
const UTI = 'yYuRNW0Z6kCXeYidebdT8A';

describe('requestIdToUniqueTokenIdentifier', () => {
  it('encodes the worked example in .NET byte order', () => {
    expect(requestIdToUniqueTokenIdentifier(REQUEST_ID)).toBe(UTI);
  });

  it('takes upper-case GUIDs', () => {
    expect(requestIdToUniqueTokenIdentifier(REQUEST_ID.toUpperCase())).toBe(UTI);
  });

  it('agrees with Node Buffer base64url of the ToByteArray bytes', () => {
    const guid = '00112233-4455-6677-8899-aabbccddeeff';
    const bytes = Buffer.from('33221100554477668899aabbccddeeff', 'hex');
    expect(requestIdToUniqueTokenIdentifier(guid)).toBe(bytes.toString('base64url'));
  });

  it('refuses what is not a GUID', () => {
    for (const bad of ['', 'yYuRNW0Z6kCXeYidebdT8A', '35918bc9196d40ea9779889d79b753f0', '{35918bc9-196d-40ea-9779-889d79b753f0}', '35918bc9-196d-40ea-9779-889d79b753fg']) {
      expect(() => requestIdToUniqueTokenIdentifier(bad), bad).toThrow(/not a GUID/);
    }
  });
});

describe('uniqueTokenIdentifierToRequestId', () => {
  it('decodes the worked example to a lower-case GUID', () => {
    expect(uniqueTokenIdentifierToRequestId(UTI)).toBe(REQUEST_ID);
  });

  it('accepts == padding and the standard base64 alphabet', () => {
    expect(uniqueTokenIdentifierToRequestId(`${UTI}==`)).toBe(REQUEST_ID);
    const guid = 'fbfffbff-fbff-fbff-fbff-fbfffbfffbff';
    const uti = requestIdToUniqueTokenIdentifier(guid);
    expect(uti).toMatch(/[-_]/);
    const standard = uti.replace(/-/g, '+').replace(/_/g, '/');
    expect(uniqueTokenIdentifierToRequestId(standard)).toBe(guid);
    expect(uniqueTokenIdentifierToRequestId(`${standard}==`)).toBe(guid);
  });

  it('round-trips random request IDs both ways', () => {
    for (let i = 0; i < 500; i++) {
      const guid = randomUUID();
      const uti = requestIdToUniqueTokenIdentifier(guid);
      expect(uti).toMatch(/^[A-Za-z0-9_-]{21}[AQgw]$/);
      expect(uniqueTokenIdentifierToRequestId(uti)).toBe(guid);
      expect(requestIdToUniqueTokenIdentifier(uniqueTokenIdentifierToRequestId(uti) as string)).toBe(uti);
    }
  });

  it('returns null for anything that is not 16 bytes', () => {
    const bad = [
      '',
      'yYuRNW0Z6kCXeYidebdT8', // 21 characters
      'yYuRNW0Z6kCXeYidebdT8AA', // 23 characters
      `${UTI}=`,
      `${UTI}===`,
      'yYuRNW0Z6kCXeYidebdT8B', // low bits of the last character set: not 16 bytes
      'yYuRNW0Z6kCXeYid.bdT8A',
      'yYuRNW0Z6kCXeYid bdT8A',
      'yYuRNW0Z6kCXeYidébdT8A',
      'ZTE0OTk3YTQtZjg5Mi00YjBiLWIwNTEtZmViZTA1YzJhNDli', // base64 of a GUID's text, seen in old samples
    ];
    for (const b of bad) expect(uniqueTokenIdentifierToRequestId(b), b).toBeNull();
  });
});
