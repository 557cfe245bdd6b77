import { describe, expect, it } from 'vitest';
import { parseSlotId, servicesOf, toBookingFailure, toContractBooking } from '../src/mapping.js';

const variation = (id: string, extra: object = {}) => ({
  type: 'ITEM_VARIATION' as const,
  id,
  version: BigInt(7),
  present_at_location_ids: ['L1'],
  item_variation_data: {
    name: '30 min',
    service_duration: BigInt(1_800_000),
    available_for_booking: true,
  },
  ...extra,
});
const item = (id: string, variations: object[], productType = 'APPOINTMENTS_SERVICE') => ({
  type: 'ITEM' as const,
  id,
  item_data: { name: 'Fysioterapi', product_type: productType, variations },
});

describe("Square's dialect → the contract", () => {
  it('offers the bookable variations, at the location, of the items the connection maps', () => {
    const services = servicesOf(
      [
        item('IT1', [
          variation('V1'),
          variation('V2', { present_at_location_ids: ['L2'] }),
          variation('V3', { item_variation_data: { available_for_booking: false } }),
          variation('V4', { is_deleted: true }),
        ]),
        item('IT2', [variation('V5')]),
        item('IT3', [variation('V6')], 'REGULAR'),
      ] as never,
      { IT1: 'physiotherapy', IT3: 'physiotherapy' },
      'L1',
    );
    expect(services).toEqual([
      {
        variationId: 'V1',
        version: 7,
        treatment: {
          id: 'physiotherapy',
          providerCode: 'V1',
          name: 'Fysioterapi 30 min',
          durationMinutes: 30,
        },
      },
    ]);
  });

  it.each([
    [409, 'CONFLICT', undefined, 'SLOT_UNAVAILABLE'],
    [400, 'INVALID_VALUE', 'booking.start_at', 'SLOT_UNAVAILABLE'],
    [404, 'NOT_FOUND', undefined, 'NOT_FOUND'],
    [400, 'INVALID_EMAIL_ADDRESS', 'email_address', 'INVALID_INPUT'],
  ])('maps %i %s (%s) to %s, naming codes only', (status, code, field, expected) => {
    const failure = toBookingFailure(status, {
      errors: [{ code, ...(field && { field }) }],
    });
    expect(failure.error?.code).toBe(expected);
    expect(failure.error?.message).toContain(code);
  });

  it('reads booked, no-show and pending bookings as BOOKED and the rest as CANCELLED', () => {
    const status = (s: string) => toContractBooking({ id: 'b', status: s }, 'r', 's').status;
    expect(['ACCEPTED', 'PENDING', 'NO_SHOW'].map(status)).toEqual(['BOOKED', 'BOOKED', 'BOOKED']);
    expect(['CANCELLED_BY_SELLER', 'CANCELLED_BY_CUSTOMER', 'DECLINED'].map(status)).toEqual([
      'CANCELLED',
      'CANCELLED',
      'CANCELLED',
    ]);
  });

  it('refuses slot ids that are not Square slot keys', () => {
    expect(parseSlotId('1700000000000~30~TM~V~1')).toBeNull();
    expect(parseSlotId('')).toBeNull();
  });
});
