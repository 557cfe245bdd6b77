import { expect, it } from 'vitest';
import { nextDstChange } from '../src/nextDstChange.js';

it.each([
  ['a week before the autumn change', '2026-10-19T08:00:00Z', 'Europe/Stockholm', 8, '2026-10-25'],
  [
    'on the evening before the spring change',
    '2027-03-27T20:00:00Z',
    'Europe/Stockholm',
    8,
    '2027-03-28',
  ],
  [
    'the change further away than the days asked for',
    '2026-12-06T08:00:00Z',
    'Europe/Stockholm',
    8,
    undefined,
  ],
  ['a zone without DST', '2026-10-19T08:00:00Z', 'Asia/Tokyo', 400, undefined],
  [
    'the American autumn change, a week later than Europe’s',
    '2026-10-26T12:00:00Z',
    'America/New_York',
    8,
    '2026-11-01',
  ],
])('finds the next DST change: %s', (_scenario, now, zone, days, expected) => {
  expect(nextDstChange(new Date(now), zone, days)?.toFormat('yyyy-MM-dd')).toBe(expected);
});
