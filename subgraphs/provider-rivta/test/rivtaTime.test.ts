import { describe, expect, it } from 'vitest';
import {
  instantToDt,
  instantToTs,
  timeslotInstants,
  tsToInstant,
  windowDates,
} from '../src/rivtaTime.js';

describe('RIV-TA TS ↔ instants (Europe/Stockholm)', () => {
  it('converts winter and summer time both ways', () => {
    expect(tsToInstant('20260115090000')).toBe('2026-01-15T08:00:00.000Z');
    expect(tsToInstant('20260715090000')).toBe('2026-07-15T07:00:00.000Z');
    expect(instantToTs('2026-01-15T08:00:00Z')).toBe('20260115090000');
    expect(instantToTs('2026-07-15T07:00:00.000Z')).toBe('20260715090000');
  });

  it('spring change, 29 March 2026: either side of the skipped hour, and a time inside it', () => {
    expect(tsToInstant('20260329015900')).toBe('2026-03-29T00:59:00.000Z');
    expect(tsToInstant('20260329030000')).toBe('2026-03-29T01:00:00.000Z');
    // 02:30 never shows on a Swedish clock that night: read as a wall clock would move, 03:30.
    expect(tsToInstant('20260329023000')).toBe('2026-03-29T01:30:00.000Z');
    expect(instantToTs('2026-03-29T00:59:00Z')).toBe('20260329015900');
    expect(instantToTs('2026-03-29T01:00:00Z')).toBe('20260329030000');
    expect(tsToInstant('20260330080000')).toBe('2026-03-30T06:00:00.000Z');
    expect(tsToInstant('20260327080000')).toBe('2026-03-27T07:00:00.000Z');
  });

  it('autumn change, 25 October 2026: the repeated hour has two instants, picked by disambiguation', () => {
    expect(tsToInstant('20261025023000')).toBe('2026-10-25T00:30:00.000Z');
    expect(tsToInstant('20261025023000', 'earlier')).toBe('2026-10-25T00:30:00.000Z');
    expect(tsToInstant('20261025023000', 'later')).toBe('2026-10-25T01:30:00.000Z');
    expect(tsToInstant('20261025015900')).toBe('2026-10-24T23:59:00.000Z');
    expect(tsToInstant('20261025030000')).toBe('2026-10-25T02:00:00.000Z');
    // Both instants of the repeated hour are the same TS: the protocol cannot tell them apart.
    expect(instantToTs('2026-10-25T00:30:00Z')).toBe('20261025023000');
    expect(instantToTs('2026-10-25T01:30:00Z')).toBe('20261025023000');
    expect(tsToInstant('20261023080000')).toBe('2026-10-23T06:00:00.000Z');
    expect(tsToInstant('20261026080000')).toBe('2026-10-26T07:00:00.000Z');
  });

  it('a timeslot crossing the repeated hour ends at the later occurrence of its end', () => {
    // 02:50 summer time + 20 minutes = 02:10 winter time.
    expect(timeslotInstants('20261025025000', '20261025021000')).toEqual({
      start: '2026-10-25T00:50:00.000Z',
      end: '2026-10-25T01:10:00.000Z',
    });
    // Wholly inside the repeated hour: the earlier occurrence of both.
    expect(timeslotInstants('20261025020000', '20261025022000')).toEqual({
      start: '2026-10-25T00:00:00.000Z',
      end: '2026-10-25T00:20:00.000Z',
    });
    // 02:40 summer time to 03:00 winter time, as a wall-clock book writes it.
    expect(timeslotInstants('20261025024000', '20261025030000')).toEqual({
      start: '2026-10-25T00:40:00.000Z',
      end: '2026-10-25T02:00:00.000Z',
    });
  });

  it('a timeslot ending in the skipped spring hour lasts its length', () => {
    expect(timeslotInstants('20260329014000', '20260329020000')).toEqual({
      start: '2026-03-29T00:40:00.000Z',
      end: '2026-03-29T01:00:00.000Z',
    });
  });

  it('refuses a timeslot that ends before it starts as a bad response', () => {
    expect(() => timeslotInstants('20261026090000', '20261026080000')).toThrow(
      expect.objectContaining({ code: 'PROVIDER_BAD_RESPONSE' }),
    );
    expect(() => tsToInstant('2026-10-26T09:00:00')).toThrow(RangeError);
  });

  it('asks for whole local days covering a UTC window', () => {
    // Sunday 25 October 00:00 (CEST) up to Monday 26 October 00:00 (CET), a 25-hour day.
    expect(
      windowDates(Date.parse('2026-10-24T22:00:00Z'), Date.parse('2026-10-25T23:00:00Z')),
    ).toEqual({
      first: '20261025',
      last: '20261025',
    });
    expect(
      windowDates(Date.parse('2026-03-28T23:00:00Z'), Date.parse('2026-03-29T22:00:01Z')),
    ).toEqual({
      first: '20260329',
      last: '20260330',
    });
    expect(instantToDt('2026-10-24T22:30:00Z')).toBe('20261025');
  });
});
