import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formatInstant } from '../src/engines/dateTime.js';
import { daysOverlapping } from '../src/engines/slotCells.js';

const zones = ['Europe/Stockholm', 'Europe/London', 'America/New_York', 'Asia/Kolkata', 'UTC'];

describe('formatInstant', () => {
  it('formats exactly as luxon does, across both DST changes and fractional offsets', () => {
    const start = Date.parse('2026-03-28T00:00:00Z');
    for (const zone of zones) {
      // Every 7 minutes and 13.5 seconds over the spring change, then over the autumn change.
      for (const base of [start, Date.parse('2026-10-24T00:00:00Z')]) {
        for (let ms = base; ms < base + 2 * 86_400_000; ms += 433_500) {
          const expected = DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true });
          expect(formatInstant(ms, zone)).toBe(expected);
        }
      }
    }
  });
});

describe('daysOverlapping', () => {
  it('lists the Stockholm days a window touches, including the 25-hour day of the autumn change', () => {
    const from = Date.parse('2026-10-24T22:00:00Z'); // midnight of the 25th in Stockholm
    expect(daysOverlapping(from, from + 25 * 3600_000)).toEqual(['2026-10-25']);
    expect(daysOverlapping(from, from + 25 * 3600_000 + 1)).toEqual(['2026-10-25', '2026-10-26']);
    expect(daysOverlapping(from - 1, from + 1)).toEqual(['2026-10-24', '2026-10-25']);
  });

  it('answers the same when asked again (it is memoised)', () => {
    const from = Date.parse('2026-11-23T00:00:00+01:00');
    const first = daysOverlapping(from, from + 7 * 86_400_000);
    expect(first).toHaveLength(7);
    expect(daysOverlapping(from, from + 7 * 86_400_000)).toEqual(first);
  });
});
