import { describe, expect, it } from 'vitest';
import {
  decodeProviderReference,
  decodeSlotId,
  encodeProviderReference,
  encodeSlotId,
} from '../src/slotReference.js';

describe('slot ids and provider references', () => {
  it('carry the timeslot that MakeBooking names, and survive separators in the parts', () => {
    const key = {
      healthcareFacility: 'SE2321000016-12A1',
      performer: 'SE2321000016-L|101',
      start: '20261025023000',
      end: '20261025025000',
      timeTypeId: 'LAK 20',
    };
    const id = encodeSlotId(key);
    expect(id).toBe(
      'SE2321000016-12A1|SE2321000016-L%7C101|20261025023000|20261025025000|LAK%2020',
    );
    expect(decodeSlotId(id)).toEqual(key);
    expect(
      decodeSlotId(encodeSlotId({ ...key, performer: undefined, timeTypeId: undefined })),
    ).toEqual({
      ...key,
      performer: undefined,
      timeTypeId: undefined,
    });
  });

  it('refuse what is not one of ours', () => {
    expect(decodeSlotId('SL-123')).toBeUndefined();
    expect(decodeSlotId('F|P|2026-10-25T02:30|20261025025000|X')).toBeUndefined();
    expect(decodeSlotId('F|P|20261325023000|20261025025000|X')).toBeUndefined();
    expect(decodeSlotId('|P|20261025023000|20261025025000|X')).toBeUndefined();
    expect(decodeSlotId('F|%E0%A4%A|20261025023000|20261025025000|X')).toBeUndefined();
  });

  it('round-trip a booking reference', () => {
    const reference = encodeProviderReference({
      healthcareFacility: 'SE2321000016-12A1',
      bookingId: 'BK1',
    });
    expect(reference).toBe('SE2321000016-12A1|BK1');
    expect(decodeProviderReference(reference)).toEqual({
      healthcareFacility: 'SE2321000016-12A1',
      bookingId: 'BK1',
    });
    expect(decodeProviderReference('BK1')).toBeUndefined();
    expect(decodeProviderReference('a||b')).toBeUndefined();
  });
});
