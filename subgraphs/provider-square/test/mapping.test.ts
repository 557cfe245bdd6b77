import { encodeSlotKey } from '@booking/provider-kit';
import { describe, expect, it } from 'vitest';
import {
  type Booking,
  parseSlotId,
  servicesOf,
  slotKeyOf,
  toBookingFailure,
  toContractBooking,
} from '../src/mapping.js';

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

  it.each([
    ['ACCEPTED', 'BOOKED'],
    ['PENDING', 'BOOKED'],
    ['NO_SHOW', 'NO_SHOW'],
    ['CANCELLED_BY_SELLER', 'CANCELLED'],
    ['CANCELLED_BY_CUSTOMER', 'CANCELLED'],
    ['DECLINED', 'CANCELLED'],
  ])('reads a booking %s as %s', (squareStatus, contractStatus) => {
    const booking = { id: 'b', status: squareStatus as Booking['status'] };
    expect(toContractBooking(booking, 'r', 's').status).toBe(contractStatus);
  });

  const segment = {
    duration_minutes: 30,
    team_member_id: 'TMelinsjoberg01',
    service_variation_id: 'IVFYSATERBESOK3000000001',
    service_variation_version: BigInt(1767225600000),
  };
  const slotAt = (startAt: string) =>
    encodeSlotKey({
      startMs: Date.parse(startAt),
      duration_minutes: 30,
      team_member_id: 'TMelinsjoberg01',
      service_variation_id: 'IVFYSATERBESOK3000000001',
      service_variation_version: 1767225600000,
    });

  it('gives a booking its start and end, and the slot it booked while it was not moved', () => {
    const booked = slotAt('2026-03-26T09:00:00Z');
    const booking = { id: 'b', status: 'ACCEPTED' as const, start_at: '2026-03-26T09:00:00Z' };
    expect(toContractBooking({ ...booking, appointment_segments: [segment] }, 'r', booked)).toEqual(
      {
        reservationId: 'r',
        slotId: booked,
        status: 'BOOKED',
        providerReference: 'b',
        expiresAt: null,
        start: '2026-03-26T09:00:00.000Z',
        end: '2026-03-26T09:30:00.000Z',
      },
    );
    expect(slotKeyOf({ ...booking, appointment_segments: [segment] })).toEqual(parseSlotId(booked));
  });

  it('names the slot a booking the clinic moved takes now, as a search would name it', () => {
    const moved = {
      id: 'b',
      status: 'ACCEPTED' as const,
      start_at: '2026-03-26T13:30:00Z',
      appointment_segments: [segment],
    };
    const booking = toContractBooking(moved, 'r', slotAt('2026-03-26T09:00:00Z'));
    expect(booking).toMatchObject({
      slotId: slotAt('2026-03-26T13:30:00Z'),
      start: '2026-03-26T13:30:00.000Z',
      end: '2026-03-26T14:00:00.000Z',
    });
  });

  it('gives no times for a booking without start or segments', () => {
    expect(toContractBooking({ id: 'b', status: 'ACCEPTED' }, 'r', 's')).toMatchObject({
      slotId: 's',
      start: null,
      end: null,
    });
  });

  it("reads an availability's one segment as a slot key, what Square left out taken from the service", () => {
    const service = {
      variationId: 'IVFYSATERBESOK3000000001',
      version: 1767225600000,
      treatment: { id: 'physiotherapy', providerCode: 'V', name: 'F', durationMinutes: 30 },
    };
    const start_at = '2026-03-26T09:00:00Z';
    const bare = { team_member_id: 'TMelinsjoberg01' };
    expect(slotKeyOf({ start_at, appointment_segments: [bare] }, service)).toEqual(
      parseSlotId(slotAt(start_at)),
    );
    expect(slotKeyOf({ start_at, appointment_segments: [bare] })).toBeNull();
    expect(slotKeyOf({ start_at, appointment_segments: [segment, segment] }, service)).toBeNull();
    expect(slotKeyOf({ start_at: 'soon', appointment_segments: [segment] })).toBeNull();
  });

  it('refuses slot ids that are not Square slot keys', () => {
    expect(parseSlotId('1700000000000~30~TM~V~1')).toBeNull();
    expect(parseSlotId('')).toBeNull();
  });
});
