import { describe, expect, it } from 'vitest';
import { providerReferences, slotIds } from '../src/slotReference.js';

describe('slot ids and provider references', () => {
  it('carry the timeslot that MakeBooking names, and survive separators in the parts', () => {
    const key = {
      healthcareFacility: 'SE2321000016-12A1',
      performer: 'SE2321000016-L|101',
      start: '20261025023000',
      end: '20261025025000',
      timeTypeId: 'LAK 20',
    };
    const id = slotIds.encode(key);
    // The format slot ids have always had: the scheduling ledger keeps them.
    expect(id).toBe(
      'SE2321000016-12A1|SE2321000016-L%7C101|20261025023000|20261025025000|LAK%2020',
    );
    expect(slotIds.decode(id)).toEqual({ ok: true, value: key });
    expect(
      slotIds.decode(slotIds.encode({ ...key, performer: undefined, timeTypeId: undefined })),
    ).toEqual({ ok: true, value: { ...key, performer: undefined, timeTypeId: undefined } });
  });

  it.each([
    ['another provider’s id', 'SL-123'],
    ['an ISO start', 'F|P|2026-10-25T02:30|20261025025000|X'],
    ['a 13th month', 'F|P|20261325023000|20261025025000|X'],
    ['no facility', '|P|20261025023000|20261025025000|X'],
    ['a broken escape', 'F|%E0%A4%A|20261025023000|20261025025000|X'],
  ])('refuse %s', (_case, id) => {
    expect(slotIds.decode(id).ok).toBe(false);
  });

  it('round-trip a booking reference', () => {
    const reference = providerReferences.encode({
      healthcareFacility: 'SE2321000016-12A1',
      bookingId: 'BK1',
    });
    expect(reference).toBe('SE2321000016-12A1|BK1');
    expect(providerReferences.decode(reference)).toEqual({
      ok: true,
      value: { healthcareFacility: 'SE2321000016-12A1', bookingId: 'BK1' },
    });
    expect(providerReferences.decode('BK1').ok).toBe(false);
    expect(providerReferences.decode('a||b').ok).toBe(false);
  });
});
