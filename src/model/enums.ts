// Enum values: Graph's evolvable enums map anything outside the schema to `unknownFutureValue`.
import type { EnumSpec } from './schema.js';

const loose = (s: string): string => s.replace(/[\s_-]+/g, '').toLowerCase();

const looseIndex = new WeakMap<EnumSpec, Map<string, string>>();

function looseMembers(spec: EnumSpec): Map<string, string> {
  let m = looseIndex.get(spec);
  if (!m) {
    m = new Map(spec.members.map((x) => [loose(x), x]));
    looseIndex.set(spec, m);
  }
  return m;
}

/** The enum's own spelling of "unknownFutureValue" (tokenIssuerType capitalises it). */
export function unknownMember(spec: EnumSpec): string {
  return looseMembers(spec).get('unknownfuturevalue') ?? 'unknownFutureValue';
}

function memberOf(spec: EnumSpec, value: string): string {
  if (spec.members.includes(value)) return value;
  // The same member written another way ("Primary Refresh Token", "NotApplied").
  return looseMembers(spec).get(loose(value)) ?? unknownMember(spec);
}

/**
 * The canonical value for an enum input, or null when there is none (an empty string).
 * Flags enums take a comma list (held in the schema's member order, without repeats); numbers are
 * decoded by the schema's member values.
 *
 * @example canonicalEnum(protocolType, 'oAuth2, ropc') // 'oAuth2,ropc'
 */
export function canonicalEnum(spec: EnumSpec, input: string | number): string | null {
  if (typeof input === 'number') return enumFromNumber(spec, input);
  const text = input.trim();
  if (text === '') return null;
  if (spec.flags) {
    const parts = text
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    const members = new Set(parts.flatMap((p) => (/^\d+$/.test(p) ? (enumFromNumber(spec, Number(p)) ?? unknownMember(spec)) : memberOf(spec, p)).split(',')));
    // A flags value is a set: its canonical spelling lists the members in the schema's order, so
    // equal sets are equal texts.
    return spec.members.filter((m) => members.has(m)).join(',');
  }
  if (/^\d+$/.test(text) && !spec.members.includes(text)) return enumFromNumber(spec, Number(text));
  return memberOf(spec, text);
}

function enumFromNumber(spec: EnumSpec, n: number): string | null {
  if (!Number.isInteger(n) || n < 0) return unknownMember(spec);
  if (!spec.flags) {
    const i = spec.values.indexOf(n);
    return i >= 0 ? (spec.members[i] as string) : unknownMember(spec);
  }
  if (n === 0) {
    const i = spec.values.indexOf(0);
    return i >= 0 ? (spec.members[i] as string) : null;
  }
  const out: string[] = [];
  let rest = n;
  spec.members.forEach((m, i) => {
    const v = spec.values[i];
    if (typeof v === 'number' && v > 0 && (n & v) === v) {
      out.push(m);
      rest &= ~v;
    }
  });
  if (rest !== 0) out.push(unknownMember(spec));
  return out.join(',');
}
