import { describe, expect, it } from 'vitest';
import { workingWindows } from '../src/workingWindows.js';

const zone = 'Europe/Stockholm';
const day = (date: string) => ({
  start: Date.parse(`${date}T00:00:00Z`) - 3 * 3_600_000,
  end: Date.parse(`${date}T00:00:00Z`) + 27 * 3_600_000,
});
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('workingWindows', () => {
  it.each([
    ['winter', '2026-03-22', '2026-03-22T08:00:00Z', '2026-03-22T14:00:00Z'],
    ['spring switch day', '2026-03-29', '2026-03-29T07:00:00Z', '2026-03-29T13:00:00Z'],
    ['summer', '2026-07-05', '2026-07-05T07:00:00Z', '2026-07-05T13:00:00Z'],
    ['autumn switch day', '2026-10-25', '2026-10-25T08:00:00Z', '2026-10-25T14:00:00Z'],
  ])('keeps Sunday 09:00–15:00 wall time in %s', (_, date, start, end) => {
    const windows = workingWindows([{ day: 'SUN', from: '09:00', to: '15:00' }], zone, day(date));
    expect(windows.map((w) => [iso(w.start), iso(w.end)])).toEqual([[start, end]]);
  });

  it('gives a night period that spans the spring switch one hour less', () => {
    const [window] = workingWindows(
      [{ day: 'SUN', from: '01:00', to: '05:00' }],
      zone,
      day('2026-03-29'),
    );
    expect(window && (window.end - window.start) / 3_600_000).toBe(3);
  });

  it('gives nothing on a day without periods', () => {
    expect(
      workingWindows([{ day: 'MON', from: '09:00', to: '15:00' }], zone, day('2026-03-29')),
    ).toEqual([]);
  });
});
