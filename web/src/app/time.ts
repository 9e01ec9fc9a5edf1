// Times in the web UI: stored and exported in UTC, shown in the viewer's time zone or in UTC (the
// switch in the header); the zone in use is always named beside the times.
import { createContext, useContext } from 'react';

export interface TimeZoneChoice {
  /** An IANA zone name ('Europe/Paris') or 'UTC'. */
  zone: string;
  utc: boolean;
}

/** The browser's own zone (what the viewer's clock says). */
export function viewerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export const TimeZoneContext = createContext<TimeZoneChoice>({ zone: 'UTC', utc: true });

export function useTimeZone(): TimeZoneChoice {
  return useContext(TimeZoneContext);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, f);
  }
  return f;
}

/** The offset of `zone` at `date`, as '+05:30' / '-05:00' / '+00:00'. */
export function offsetOf(zone: string, date: Date): string {
  const parts = formatterOf(zone).formatToParts(date);
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const minutes = Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** `2026-11-26 14:03:12` in the chosen zone (seconds; the record keeps more precision). */
export function formatTime(iso: string | null | undefined, choice: TimeZoneChoice): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = formatterOf(choice.utc ? 'UTC' : choice.zone).formatToParts(d);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

/** The zone in use, as the header names it: 'UTC' or 'Asia/Kolkata (UTC+05:30)'. */
export function zoneLabel(choice: TimeZoneChoice, at = new Date()): string {
  if (choice.utc) return 'UTC';
  return `${choice.zone} (UTC${offsetOf(choice.zone, at)})`;
}
