import { describe, expect, it } from 'vitest';
import {
  type BookingState,
  type ContractBooking,
  type ContractSlot,
  toBookingChanges,
} from '../src/index.js';

/** A vendor's slot key: a start and a practitioner (and, here, a service that may be offered). */
interface Key {
  start: string;
  practitioner: string;
  service?: string;
}
const at9 = { start: '2026-03-26T09:00:00.000Z', practitioner: 'P1' };
const at13 = { start: '2026-03-26T13:00:00.000Z', practitioner: 'P1' };
const at9WithP2 = { start: '2026-03-26T09:00:00.000Z', practitioner: 'P2' };
const nowMs = Date.parse('2026-03-25T08:00:00Z');

const booking = (status: ContractBooking['status'], slot: Key): ContractBooking => ({
  reservationId: 'res-1',
  slotId: `${slot.practitioner}@${slot.start}`,
  status,
  providerReference: 'bk1',
  expiresAt: null,
  start: slot.start,
  end: null,
});
const slotOf = (key: Key): ContractSlot | null =>
  key.service === 'retired'
    ? null
    : {
        id: `${key.practitioner}@${key.start}`,
        clinicId: 'C1',
        start: key.start,
        end: key.start,
        treatmentIds: ['physiotherapy'],
      };

const changesOf = (
  status: ContractBooking['status'],
  slot: Key | null,
  before: BookingState<Key> | null,
  now = nowMs,
) =>
  toBookingChanges({
    id: 'ev',
    occurredAt: '2026-03-25T08:00:00.000Z',
    booking: booking(status, slot ?? at9),
    slot,
    before,
    sameTime: (a, b) => a.start === b.start && a.practitioner === b.practitioner,
    slotOf,
    nowMs: now,
  }).map((c) => [c.id, c.kind, c.booking?.status ?? c.slot?.id]);

const booked = (slot: Key | null): BookingState<Key> => ({ status: 'BOOKED', slot });

describe('toBookingChanges', () => {
  it.each([
    ['booked, nothing known before: the booking alone', 'BOOKED', at9, null, []],
    [
      'cancelled, nothing known before: its slot opened',
      'CANCELLED',
      at9,
      null,
      [['ev:SLOT_OPENED', 'SLOT_OPENED', 'P1@2026-03-26T09:00:00.000Z']],
    ],
    [
      'cancelled when it was booked: its slot opened',
      'CANCELLED',
      at9,
      booked(at9),
      [['ev:SLOT_OPENED', 'SLOT_OPENED', 'P1@2026-03-26T09:00:00.000Z']],
    ],
    [
      'cancelled again: nothing more opens',
      'CANCELLED',
      at9,
      { status: 'CANCELLED', slot: at9 },
      [],
    ],
    ['a no-show: the booking alone', 'NO_SHOW', at9, booked(at9), []],
    [
      'moved to a later time: the old slot opened, the new closed',
      'BOOKED',
      at13,
      booked(at9),
      [
        ['ev:SLOT_OPENED', 'SLOT_OPENED', 'P1@2026-03-26T09:00:00.000Z'],
        ['ev:SLOT_CLOSED', 'SLOT_CLOSED', 'P1@2026-03-26T13:00:00.000Z'],
      ],
    ],
    [
      'moved to another practitioner at the same time',
      'BOOKED',
      at9WithP2,
      booked(at9),
      [
        ['ev:SLOT_OPENED', 'SLOT_OPENED', 'P1@2026-03-26T09:00:00.000Z'],
        ['ev:SLOT_CLOSED', 'SLOT_CLOSED', 'P2@2026-03-26T09:00:00.000Z'],
      ],
    ],
    [
      'changed at the same time (a note, another service): the booking alone',
      'BOOKED',
      { ...at9, service: 'other' },
      booked(at9),
      [],
    ],
    ['moved, where it was not known: the booking alone', 'BOOKED', at13, booked(null), []],
    ['moved, nothing known before: the booking alone', 'BOOKED', at13, null, []],
    [
      'moved to a service not offered: only the old slot opened',
      'BOOKED',
      { ...at13, service: 'retired' },
      booked(at9),
      [['ev:SLOT_OPENED', 'SLOT_OPENED', 'P1@2026-03-26T09:00:00.000Z']],
    ],
  ] as const)('%s', (_case, status, slot, before, slots) => {
    expect(changesOf(status, slot, before)).toEqual([['ev', 'BOOKING_UPDATED', status], ...slots]);
  });

  it('opens and closes no slot that has already begun', () => {
    const at9Begun = Date.parse(at9.start);
    expect(changesOf('CANCELLED', at9, null, at9Begun)).toEqual([
      ['ev', 'BOOKING_UPDATED', 'CANCELLED'],
    ]);
    expect(changesOf('BOOKED', at13, booked(at9), at9Begun)).toEqual([
      ['ev', 'BOOKING_UPDATED', 'BOOKED'],
      ['ev:SLOT_CLOSED', 'SLOT_CLOSED', 'P1@2026-03-26T13:00:00.000Z'],
    ]);
  });

  it('reports the booking as it is now, by PUSH, at the time given, and each slot change without it', () => {
    const [update, opened] = toBookingChanges({
      id: 'ev',
      occurredAt: '2026-03-25T08:00:00.000Z',
      booking: booking('CANCELLED', at9),
      slot: at9,
      before: null,
      sameTime: () => true,
      slotOf,
      nowMs,
    });
    expect(update).toEqual({
      id: 'ev',
      kind: 'BOOKING_UPDATED',
      source: 'PUSH',
      occurredAt: '2026-03-25T08:00:00.000Z',
      booking: booking('CANCELLED', at9),
      slot: null,
    });
    expect(opened).toEqual({
      id: 'ev:SLOT_OPENED',
      kind: 'SLOT_OPENED',
      source: 'PUSH',
      occurredAt: '2026-03-25T08:00:00.000Z',
      booking: null,
      slot: slotOf(at9),
    });
  });
});
