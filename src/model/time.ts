// Sign-in times: parsed to integer nanoseconds since the Unix epoch (Entra writes 100 ns ticks,
// 7 fractional digits, more than a JS Date holds) and rendered back the way Graph does.

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9})\d*)?)?)?\s*(Z|z|[+-]\d{2}:?\d{2}|UTC|GMT)?$/;

/** Earliest and latest instants a nanosecond timestamp holds (DuckDB TIMESTAMP_NS, Int64 ticks). */
const MIN_NS = -9223372036854775807n + 1n;
const MAX_NS = 9223372036854775807n - 1n;

function daysFromCivil(y: number, m: number, d: number): number {
  // Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar.
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
}

/**
 * Parses an ISO 8601 date-time (or date) to nanoseconds since the epoch, UTC.
 * Accepts `T` or a space between date and time, 0–9 fractional digits, `Z`, an offset, or no zone
 * (taken as UTC, as Entra's exports mean). Returns null for anything else or out of range.
 *
 * @example parseDateTime('2018-01-09T21:17:21.5077253Z') // 1515532641507725300n
 */
export function parseDateTime(text: string): bigint | null {
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  const frac = m[7] ?? '';
  const fracNs = frac === '' ? 0n : BigInt(frac.padEnd(9, '0'));
  let offsetMin = 0;
  const zone = m[8];
  if (zone && zone !== 'Z' && zone !== 'z' && zone !== 'UTC' && zone !== 'GMT') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 23 || om > 59) return null;
    offsetMin = sign * (oh * 60 + om);
  }
  const seconds = BigInt(daysFromCivil(y, mo, d)) * 86400n + BigInt(h * 3600 + mi * 60 + s - offsetMin * 60);
  const ns = seconds * 1_000_000_000n + fracNs;
  if (ns < MIN_NS || ns > MAX_NS) return null;
  return ns;
}

function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [m <= 2 ? y + 1 : y, m, d];
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * Renders nanoseconds since the epoch as Graph renders a DateTimeOffset: UTC, `Z`, and the
 * fractional seconds without trailing zeros (7 digits at most for 100 ns ticks, 9 if finer).
 *
 * @example formatDateTime(1515532641507725300n) // '2018-01-09T21:17:21.5077253Z'
 */
export function formatDateTime(ns: bigint): string {
  let secs = ns / 1_000_000_000n;
  let frac = ns % 1_000_000_000n;
  if (frac < 0n) {
    frac += 1_000_000_000n;
    secs -= 1n;
  }
  let days = secs / 86400n;
  let rem = secs % 86400n;
  if (rem < 0n) {
    rem += 86400n;
    days -= 1n;
  }
  const [y, mo, d] = civilFromDays(Number(days));
  const r = Number(rem);
  const h = Math.floor(r / 3600);
  const mi = Math.floor((r % 3600) / 60);
  const s = r % 60;
  const yyyy = y >= 0 && y < 10000 ? String(y).padStart(4, '0') : String(y);
  let out = `${yyyy}-${pad2(mo)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}`;
  if (frac !== 0n) out += `.${frac.toString().padStart(9, '0').replace(/0+$/, '')}`;
  return `${out}Z`;
}

/** Canonical form of a date-time text, or null when it is not one. */
export function canonicalDateTime(text: string): string | null {
  const ns = parseDateTime(text);
  return ns === null ? null : formatDateTime(ns);
}

/** Nanoseconds since the epoch for a JS Date (millisecond precision). */
export function nsFromDate(date: Date): bigint {
  return BigInt(date.getTime()) * 1_000_000n;
}

/** A JS Date for nanoseconds since the epoch (truncated to milliseconds). */
export function dateFromNs(ns: bigint): Date {
  return new Date(Number(ns / 1_000_000n));
}
