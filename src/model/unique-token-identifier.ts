// The token's `uti` claim (the sign-in's `uniqueTokenIdentifier`) and the request ID it encodes.
// `uti` is base64url, without padding, of the request-ID GUID's 16 bytes in .NET
// `Guid.ToByteArray()` order: the first 4-byte group and the next two 2-byte groups little-endian,
// the last 8 bytes as written (semantics.md §1.3; Microsoft's MSIdentityTools decodes it this way).

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEX = '0123456789abcdef';

/** Byte positions, in ToByteArray order, of the GUID's 16 bytes as they are written in the text. */
const BYTE_ORDER = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];

/** Where each text byte (two hex digits) starts in `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`. */
const TEXT_OFFSETS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/** Whether the text is a GUID in its 8-4-4-4-12 form (a loop: this runs once per generated sign-in). */
function isGuid(text: string): boolean {
  if (text.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = text.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) {
      return false;
    }
  }
  return true;
}

/** Both base64 alphabets (standard `+/` and url-safe `-_`) to 6-bit values; -1 elsewhere. */
const DECODE = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) t[B64URL.charCodeAt(i)] = i;
  t['+'.charCodeAt(0)] = 62;
  t['/'.charCodeAt(0)] = 63;
  return t;
})();

function hexValue(code: number): number {
  // '0'-'9' → 0-9, 'a'-'f' / 'A'-'F' → 10-15 (input already checked by isGuid).
  return code <= 57 ? code - 48 : (code | 32) - 87;
}

/**
 * The `uti` a token issued for this request carries.
 * Throws when `guid` is not a GUID in its usual 8-4-4-4-12 text form.
 *
 * @example requestIdToUniqueTokenIdentifier('35918bc9-196d-40ea-9779-889d79b753f0') // 'yYuRNW0Z6kCXeYidebdT8A'
 */
export function requestIdToUniqueTokenIdentifier(guid: string): string {
  if (!isGuid(guid)) throw new Error(`not a GUID: ${JSON.stringify(guid)}`);
  const bytes = new Array<number>(16);
  for (let i = 0; i < 16; i++) {
    const at = TEXT_OFFSETS[i] as number;
    bytes[BYTE_ORDER[i] as number] = (hexValue(guid.charCodeAt(at)) << 4) | hexValue(guid.charCodeAt(at + 1));
  }
  let out = '';
  // 15 bytes as five 3-byte groups (4 characters each), then the 16th byte as 2 characters.
  for (let i = 0; i < 15; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += B64URL.charAt(n >>> 18) + B64URL.charAt((n >>> 12) & 63) + B64URL.charAt((n >>> 6) & 63) + B64URL.charAt(n & 63);
  }
  const last = bytes[15] as number;
  return out + B64URL.charAt(last >>> 2) + B64URL.charAt((last & 3) << 4);
}

/**
 * The request ID (lower-case GUID) a `uti` encodes, or null when the text is not base64 of exactly
 * 16 bytes. Accepts the url-safe and the standard alphabet, with or without `==` padding.
 *
 * @example uniqueTokenIdentifierToRequestId('yYuRNW0Z6kCXeYidebdT8A') // '35918bc9-196d-40ea-9779-889d79b753f0'
 */
export function uniqueTokenIdentifierToRequestId(uti: string): string | null {
  let text = uti.trim();
  if (text.length === 24 && text.endsWith('==')) text = text.slice(0, 22);
  if (text.length !== 22) return null;
  const values = new Array<number>(22);
  for (let i = 0; i < 22; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? (DECODE[code] as number) : -1;
    if (v < 0) return null;
    values[i] = v;
  }
  // 22 characters carry 132 bits; the last character's low 4 bits must be zero for 16 bytes.
  if (((values[21] as number) & 15) !== 0) return null;
  const bytes = new Array<number>(16);
  for (let i = 0, j = 0; i < 15; i += 3, j += 4) {
    const n = ((values[j] as number) << 18) | ((values[j + 1] as number) << 12) | ((values[j + 2] as number) << 6) | (values[j + 3] as number);
    bytes[i] = n >>> 16;
    bytes[i + 1] = (n >>> 8) & 255;
    bytes[i + 2] = n & 255;
  }
  bytes[15] = ((values[20] as number) << 2) | ((values[21] as number) >>> 4);
  let out = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
    const b = bytes[BYTE_ORDER[i] as number] as number;
    out += HEX.charAt(b >>> 4) + HEX.charAt(b & 15);
  }
  return out;
}
