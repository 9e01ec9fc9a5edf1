// Reading the cells of exported tables (Log Analytics, the admin center's CSV): header names with
// their time-zone suffix, times as the portals print them, JSON written into a text cell.
import { formatDateTime, parseDateTime } from '../model/time.js';

/** The time zone of a column's times: minutes east of UTC, or the exporting browser's (unknown). */
export type ColumnZone = { offsetMinutes: number } | 'local';

export interface ColumnName {
  /** The name with the zone suffix, surrounding spaces and doubled spaces removed. */
  name: string;
  /** The zone the header names (`[UTC]`, `[UTC+02:00]`, `[Local Time]`), if any. */
  zone?: ColumnZone;
}

const ZONE_SUFFIX = /^(.*?)\s*\[\s*(UTC|GMT|Local Time|(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?)\s*\]\s*$/i;

/**
 * Cleans a header cell: `TimeGenerated [UTC]` → `TimeGenerated` (zone UTC), `Application ID ` →
 * `Application ID`, `Autonomous system  number` → `Autonomous system number`.
 */
export function cleanColumnName(header: string): ColumnName {
  const text = header.replace(/^\uFEFF/, '').replace(/\s+/g, ' ').trim();
  const m = ZONE_SUFFIX.exec(text);
  if (!m) return { name: text };
  const name = m[1] as string;
  const tag = (m[2] as string).toLowerCase();
  if (tag === 'local time') return { name, zone: 'local' };
  if (m[3] === undefined) return { name, zone: { offsetMinutes: 0 } };
  const minutes = Number(m[4]) * 60 + Number(m[5] ?? 0);
  return { name, zone: { offsetMinutes: m[3] === '-' ? -minutes : minutes } };
}

// `9/19/2023, 1:45:17.287 PM` (the Log Analytics and Entra portals in the en-US locale).
const US_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*([AP]M)?$/i;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/**
 * A time cell as a canonical Graph time, or null when it is not one.
 * ISO 8601 text is read as it is (no zone: UTC). The portals' `M/D/YYYY, h:mm:ss.fff AM` is read
 * in the column's zone (UTC when the header names none); in the browser's local time (`[Local
 * Time]`) it cannot be placed and gives null.
 *
 * @example parseExportTime('9/19/2023, 1:45:17.287 PM', { offsetMinutes: 0 }) // '2023-09-19T13:45:17.287Z'
 */
export function parseExportTime(text: string, zone?: ColumnZone): string | null {
  const t = text.trim();
  const iso = parseDateTime(t);
  if (iso !== null) return formatDateTime(iso);
  const m = US_TIME.exec(t);
  if (!m || zone === 'local') return null;
  let hour = Number(m[4]);
  const ampm = m[8]?.toUpperCase();
  if (ampm !== undefined) {
    if (hour < 1 || hour > 12) return null;
    if (ampm === 'AM' && hour === 12) hour = 0;
    else if (ampm === 'PM' && hour !== 12) hour += 12;
  }
  const offset = zone?.offsetMinutes ?? 0;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const frac = m[7] ? `.${m[7]}` : '';
  const isoText = `${m[3]}-${pad(Number(m[1]))}-${pad(Number(m[2]))}T${pad(hour)}:${m[5]}:${m[6] ?? '00'}${frac}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  const ns = parseDateTime(isoText);
  return ns === null ? null : formatDateTime(ns);
}

/**
 * A cell that holds JSON written as text (`[{"key":"Login Hint Present",...}]`, `{"errorCode":0}`):
 * its value, or the text itself when it is not JSON.
 */
export function parseJsonCell(text: string): unknown {
  const t = text.trim();
  if (!(t.startsWith('{') && t.endsWith('}')) && !(t.startsWith('[') && t.endsWith(']'))) return text;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return text;
  }
}

/** True for a value that says nothing: null, undefined or an empty (or blank) text. */
export function isEmptyCell(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
