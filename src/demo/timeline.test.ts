import { describe, expect, it } from 'vitest';
import { Random } from './random.js';
import { TICKS_PER_DAY, TICKS_PER_HOUR, localActivity, slotTimes } from './timeline.js';

const START = Date.UTC(2026, 9, 26); // a Monday

describe('slotTimes', () => {
  it('yields exactly count ascending integer ticks inside the window', () => {
    const window = 7 * TICKS_PER_DAY;
    const times = [...slotTimes(20_000, window, START, () => 1, new Random(1))];
    expect(times).toHaveLength(20_000);
    let prev = 0;
    for (const t of times) {
      expect(Number.isInteger(t)).toBe(true);
      expect(t >= prev && t < window).toBe(true);
      prev = t;
    }
  });

  it('follows the weights: an hour with no weight gets nothing', () => {
    const weight = (ms: number): number => (new Date(ms).getUTCHours() < 12 ? 1 : 0);
    const times = [...slotTimes(5000, TICKS_PER_DAY, START, weight, new Random(2))];
    expect(times).toHaveLength(5000);
    for (const t of times) expect(t).toBeLessThan(12 * TICKS_PER_HOUR);
  });

  it('handles partial hours and tiny counts', () => {
    const times = [...slotTimes(3, TICKS_PER_HOUR / 2, START, () => 1, new Random(3))];
    expect(times).toHaveLength(3);
    expect([...slotTimes(0, TICKS_PER_DAY, START, () => 1, new Random(3))]).toEqual([]);
  });
});

describe('localActivity', () => {
  it('peaks in local working hours on weekdays', () => {
    const mondayTen = Date.UTC(2026, 9, 26, 10);
    const mondayThree = Date.UTC(2026, 9, 26, 3);
    const sundayTen = Date.UTC(2026, 9, 25, 10);
    expect(localActivity(mondayTen, 0)).toBeGreaterThan(5 * localActivity(mondayThree, 0));
    expect(localActivity(mondayTen, 0)).toBeGreaterThan(3 * localActivity(sundayTen, 0));
    // 18:00 UTC is 10:00 in Seattle (UTC-8).
    expect(localActivity(Date.UTC(2026, 9, 26, 18), -8)).toBe(localActivity(mondayTen, 0));
  });
});
