import { describe, expect, it } from 'vitest';
import { instantToLocal, localIntervalToInstants, localToInstant } from '../src/localTime.js';

const zone = 'Europe/Stockholm';

describe('local wall time without offset → instant (Europe/Stockholm, 2026)', () => {
  it('uses +01:00 before and +02:00 after the spring change on 29 March', () => {
    expect(localToInstant('2026-03-29T01:30:00', zone)).toBe('2026-03-29T00:30:00.000Z');
    expect(localToInstant('2026-03-29T03:30:00', zone)).toBe('2026-03-29T01:30:00.000Z');
    expect(localToInstant('2026-03-29T09:00:00', zone)).toBe('2026-03-29T07:00:00.000Z');
  });

  it('moves a time in the skipped hour (02:00–03:00 on 29 March) forward by the gap', () => {
    expect(localToInstant('2026-03-29T02:30:00', zone)).toBe('2026-03-29T01:30:00.000Z');
  });

  it('uses +02:00 before and +01:00 after the autumn change on 25 October', () => {
    expect(localToInstant('2026-10-25T01:30:00', zone)).toBe('2026-10-24T23:30:00.000Z');
    expect(localToInstant('2026-10-25T09:00:00', zone)).toBe('2026-10-25T08:00:00.000Z');
  });

  it('takes the earlier instant in the repeated hour unless told otherwise', () => {
    expect(localToInstant('2026-10-25T02:30:00', zone)).toBe('2026-10-25T00:30:00.000Z');
    expect(localToInstant('2026-10-25T02:30:00', zone, 'later')).toBe('2026-10-25T01:30:00.000Z');
  });

  it('round-trips through instantToLocal on both sides of both changes', () => {
    for (const wall of [
      '2026-03-28T23:59:00',
      '2026-03-29T03:00:00',
      '2026-10-24T12:00:00',
      '2026-10-25T03:00:00',
    ]) {
      expect(instantToLocal(localToInstant(wall, zone), zone)).toBe(wall);
    }
  });

  it('rejects times that carry an offset or do not exist in the calendar', () => {
    expect(() => localToInstant('2026-03-29T09:00:00+02:00', zone)).toThrow(/without offset/);
    expect(() => localToInstant('2026-02-30T09:00:00', zone)).toThrow(RangeError);
  });
});

describe('localIntervalToInstants (Europe/Stockholm, 2026)', () => {
  it('converts an ordinary interval', () => {
    expect(localIntervalToInstants('2026-01-15T09:00:00', '2026-01-15T09:20:00', zone)).toEqual({
      start: '2026-01-15T08:00:00.000Z',
      end: '2026-01-15T08:20:00.000Z',
    });
  });

  it('lets an interval crossing the autumn change end in winter time', () => {
    // 02:50 summer time to 02:10 winter time: forty minutes across the repeated hour.
    expect(localIntervalToInstants('2026-10-25T02:50:00', '2026-10-25T02:10:00', zone)).toEqual({
      start: '2026-10-25T00:50:00.000Z',
      end: '2026-10-25T01:10:00.000Z',
    });
  });

  it('refuses an interval that ends before it starts, and an unreadable time', () => {
    expect(() =>
      localIntervalToInstants('2026-10-26T09:00:00', '2026-10-26T08:00:00', zone),
    ).toThrow(RangeError);
    expect(() => localIntervalToInstants('2026-10-26T09:00:00', 'soon', zone)).toThrow();
  });
});
