import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { changeView, createChangeFeed } from '../src/createChangeFeed.js';
import { cliniqZone } from '../src/localTime.js';

const at = (local: string) => DateTime.fromISO(local, { zone: cliniqZone });

function feedOf(count: number, retention: number) {
  const feed = createChangeFeed(retention);
  for (let i = 0; i < count; i += 1) {
    feed.append({
      type: 'slot_opened',
      changedBy: 'clinic',
      changedAt: at('2026-03-25T09:00:00').plus({ minutes: i }),
    });
  }
  return feed;
}

describe('createChangeFeed', () => {
  it.each([
    // [changes made, kept, asked after, sequences answered (undefined: no longer kept)]
    [0, 3, 0, []],
    [2, 3, 0, [1, 2]],
    [5, 3, 2, [3, 4, 5]],
    [5, 3, 1, undefined],
    [5, 3, 4, [5]],
    [5, 3, 5, []],
    [5, 3, 9, []],
  ] as const)('with %i changes, %i kept, after %i: %j', (count, retention, after, expected) => {
    const answered = feedOf(count, retention).after(after);
    expect(answered?.map((c) => c.sequence)).toEqual(expected);
  });

  it('numbers changes 1, 2, 3 … and answers `since` by local time, in Cliniq’s format', () => {
    const feed = feedOf(4, 10);
    expect(feed.latestSequence).toBe(4);
    const since = feed.since(at('2026-03-25T09:02:00')).map(changeView);
    expect(since.map((c) => [c.sequence, c.changedAt])).toEqual([
      [3, '2026-03-25T09:02:00'],
      [4, '2026-03-25T09:03:00'],
    ]);
  });
});
