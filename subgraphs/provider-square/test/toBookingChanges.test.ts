import type { ContractSlot } from '@booking/provider-kit';
import { encodeSlotKey } from '@booking/provider-kit';
import { describe, expect, it } from 'vitest';
import type { EventBooking } from '../src/push/bookingEvent.js';
import type { SeenBooking } from '../src/push/createSquarePush.js';
import { toBookingChanges } from '../src/push/toBookingChanges.js';

const nowMs = Date.parse('2026-03-25T08:00:00Z');
const key = (start: string) => ({
  startMs: Date.parse(start),
  duration_minutes: 30,
  team_member_id: 'TM1',
  service_variation_id: 'V1',
  service_variation_version: 7,
});
const at9 = key('2026-03-26T09:00:00Z');
const at13 = key('2026-03-26T13:00:00Z');

const booking = (version: number, status: EventBooking['status'], start = '2026-03-26T09:00:00Z') =>
  ({
    id: 'bk1',
    version,
    status,
    start_at: start,
    updated_at: '2026-03-25T08:00:00Z',
    location_id: 'L1',
    appointment_segments: [
      {
        duration_minutes: 30,
        team_member_id: 'TM1',
        service_variation_id: 'V1',
        service_variation_version: BigInt(7),
      },
    ],
  }) as EventBooking;

const slotOf = (k: typeof at9): ContractSlot => ({
  id: encodeSlotKey(k),
  clinicId: 'L1',
  start: new Date(k.startMs).toISOString(),
  end: new Date(k.startMs + 1_800_000).toISOString(),
  treatmentIds: ['physiotherapy'],
});

const changesOf = (
  b: EventBooking,
  previous?: SeenBooking,
  options: { now?: number; offered?: boolean } = {},
) =>
  toBookingChanges({
    eventId: 'ev',
    booking: b,
    reservationId: 'res',
    bookedSlotId: encodeSlotKey(at9),
    previous,
    nowMs: options.now ?? nowMs,
    slotOf: (k) => (options.offered === false ? null : slotOf(k)),
  }).map((c) => [c.id, c.kind, c.booking?.status ?? c.slot?.start]);

describe('toBookingChanges', () => {
  it.each([
    [
      'a booking made (version 0): the booking alone',
      booking(0, 'ACCEPTED'),
      undefined,
      [['ev', 'BOOKING_UPDATED', 'BOOKED']],
    ],
    [
      'cancelled at version 1: the booking, and its slot opened',
      booking(1, 'CANCELLED_BY_SELLER'),
      undefined,
      [
        ['ev', 'BOOKING_UPDATED', 'CANCELLED'],
        ['ev:SLOT_OPENED', 'SLOT_OPENED', '2026-03-26T09:00:00.000Z'],
      ],
    ],
    [
      'cancelled by the customer, the version before unknown: its slot opened all the same',
      booking(4, 'CANCELLED_BY_CUSTOMER'),
      undefined,
      [
        ['ev', 'BOOKING_UPDATED', 'CANCELLED'],
        ['ev:SLOT_OPENED', 'SLOT_OPENED', '2026-03-26T09:00:00.000Z'],
      ],
    ],
    [
      'a no-show: the booking alone (its time has passed)',
      booking(1, 'NO_SHOW'),
      undefined,
      [['ev', 'BOOKING_UPDATED', 'NO_SHOW']],
    ],
    [
      'moved at version 1: the slot booked opened, the new one closed',
      booking(1, 'ACCEPTED', '2026-03-26T13:00:00Z'),
      undefined,
      [
        ['ev', 'BOOKING_UPDATED', 'BOOKED'],
        ['ev:SLOT_OPENED', 'SLOT_OPENED', '2026-03-26T09:00:00.000Z'],
        ['ev:SLOT_CLOSED', 'SLOT_CLOSED', '2026-03-26T13:00:00.000Z'],
      ],
    ],
    [
      'moved again, from the time last reported',
      booking(3, 'ACCEPTED', '2026-03-26T09:00:00Z'),
      { version: 2, status: 'BOOKED' as const, key: at13 },
      [
        ['ev', 'BOOKING_UPDATED', 'BOOKED'],
        ['ev:SLOT_OPENED', 'SLOT_OPENED', '2026-03-26T13:00:00.000Z'],
        ['ev:SLOT_CLOSED', 'SLOT_CLOSED', '2026-03-26T09:00:00.000Z'],
      ],
    ],
    [
      'moved while versions were missed: where it was is not certain, so no slot',
      booking(5, 'ACCEPTED', '2026-03-26T13:00:00Z'),
      { version: 2, status: 'BOOKED' as const, key: at9 },
      [['ev', 'BOOKING_UPDATED', 'BOOKED']],
    ],
    [
      'a note changed (same time): the booking alone',
      booking(2, 'ACCEPTED'),
      { version: 1, status: 'BOOKED' as const, key: at9 },
      [['ev', 'BOOKING_UPDATED', 'BOOKED']],
    ],
  ])('%s', (_case, b, previous, expected) => {
    expect(changesOf(b, previous)).toEqual(expected);
  });

  it('opens no slot that has already begun, nor one of a service the connection does not offer', () => {
    const cancelled = booking(1, 'CANCELLED_BY_SELLER');
    expect(changesOf(cancelled, undefined, { now: Date.parse('2026-03-26T09:00:00Z') })).toEqual([
      ['ev', 'BOOKING_UPDATED', 'CANCELLED'],
    ]);
    expect(changesOf(cancelled, undefined, { offered: false })).toEqual([
      ['ev', 'BOOKING_UPDATED', 'CANCELLED'],
    ]);
  });

  it('reports the booking as it is now, by PUSH, at its updated_at', () => {
    const [change] = toBookingChanges({
      eventId: 'ev',
      booking: booking(1, 'NO_SHOW'),
      reservationId: 'res',
      bookedSlotId: encodeSlotKey(at9),
      previous: undefined,
      nowMs,
      slotOf,
    });
    expect(change).toEqual({
      id: 'ev',
      kind: 'BOOKING_UPDATED',
      source: 'PUSH',
      occurredAt: '2026-03-25T08:00:00.000Z',
      slot: null,
      booking: {
        reservationId: 'res',
        slotId: encodeSlotKey(at9),
        status: 'NO_SHOW',
        providerReference: 'bk1',
        expiresAt: null,
        start: '2026-03-26T09:00:00.000Z',
        end: '2026-03-26T09:30:00.000Z',
      },
    });
  });
});
