// When sign-ins happen: exactly `count` instants over a window, in ascending order, denser on
// weekdays and in working hours of the offices' time zones. Times are integer 100 ns ticks from
// the window's start (a double holds them exactly for windows of many years).
import type { Random } from './random.js';

export const TICKS_PER_MS = 10_000;
export const TICKS_PER_SECOND = 10_000_000;
export const TICKS_PER_HOUR = 3600 * TICKS_PER_SECOND;
export const TICKS_PER_DAY = 24 * TICKS_PER_HOUR;

/** Relative activity by local hour of day (people at work; devices refresh tokens around the clock). */
const HOUR_CURVE = [
  0.12, 0.1, 0.09, 0.09, 0.1, 0.14, 0.25, 0.5, 0.85, 1.0, 1.0, 0.95, 0.8, 0.9, 1.0, 0.97, 0.9, 0.7, 0.5, 0.38, 0.3, 0.24, 0.18, 0.14,
];
/** Relative activity by local day of week, Sunday first. */
const DAY_CURVE = [0.22, 1.0, 1.04, 1.02, 1.0, 0.88, 0.25];

/** A population's activity weight at a UTC instant, given its UTC offset in hours. */
export function localActivity(utcMs: number, utcOffset: number): number {
  const local = utcMs + utcOffset * 3_600_000;
  const hour = Math.floor(local / 3_600_000);
  const h = ((hour % 24) + 24) % 24;
  const day = Math.floor(hour / 24);
  // 1970-01-01 was a Thursday (day 4 with Sunday = 0).
  const dow = (((day + 4) % 7) + 7) % 7;
  return (HOUR_CURVE[h] as number) * (DAY_CURVE[dow] as number);
}

/**
 * Yields `count` ascending tick offsets in [0, windowTicks). Hour buckets get their share of
 * `count` by weight (cumulative rounding, so the total is exact); instants within a bucket are
 * uniform and sorted.
 */
export function* slotTimes(
  count: number,
  windowTicks: number,
  startMs: number,
  weightAt: (utcMs: number) => number,
  rng: Random,
): Generator<number> {
  if (count <= 0 || windowTicks <= 0) return;
  const buckets = Math.ceil(windowTicks / TICKS_PER_HOUR);
  const weights = new Float64Array(buckets);
  let total = 0;
  for (let b = 0; b < buckets; b++) {
    const from = b * TICKS_PER_HOUR;
    const span = Math.min(TICKS_PER_HOUR, windowTicks - from);
    const mid = startMs + (from + span / 2) / TICKS_PER_MS;
    const w = weightAt(mid) * (span / TICKS_PER_HOUR);
    weights[b] = w;
    total += w;
  }
  let cumulative = 0;
  let given = 0;
  for (let b = 0; b < buckets; b++) {
    cumulative += weights[b] as number;
    const upTo = b === buckets - 1 ? count : Math.round((count * cumulative) / total);
    const n = upTo - given;
    given = upTo;
    if (n <= 0) continue;
    const from = b * TICKS_PER_HOUR;
    const span = Math.min(TICKS_PER_HOUR, windowTicks - from);
    const times = new Float64Array(n);
    for (let i = 0; i < n; i++) times[i] = from + Math.floor(rng.float53() * span);
    times.sort();
    for (let i = 0; i < n; i++) yield times[i] as number;
  }
}
