import type * as kit from '@booking/provider-kit';
import { iso, parseSlotId, type SlotKey, slotKeyOf, toContractBooking } from '../mapping.js';
import type { EventBooking } from './bookingEvent.js';
import type { SeenBooking } from './createSquarePush.js';

/** What a booking event of the platform's own booking turns into. */
export interface BookingEventInput {
  /** Square's `event_id`: the change's id, so a redelivered event is recorded once. */
  eventId: string;
  booking: EventBooking;
  reservationId: string;
  /** The slot the reservation booked (the reservation index's). */
  bookedSlotId: string;
  /** What was last reported of the booking, if anything. */
  previous: SeenBooking | undefined;
  /** The slot of a key, as a search would answer it; null when the service is not offered. */
  slotOf(key: SlotKey): kit.ContractSlot | null;
  /** The connection's clock, epoch ms. */
  nowMs: number;
}

/**
 * A Square booking event as changes at the clinic: always `BOOKING_UPDATED` (the booking as it
 * is now, by the event's id); and, when the time is certain and still ahead, the slots it moved:
 * a cancel frees the booking's slot (`SLOT_OPENED`); a move frees the slot it left — known only
 * when the version before is (the last one reported, or version 0, the platform's own booking of
 * the reserved slot) — and takes the new one (`SLOT_CLOSED`). A no-show frees nothing: its time
 * has passed.
 */
export function toBookingChanges(input: BookingEventInput): kit.ContractChange[] {
  const { booking, eventId } = input;
  const occurredAt = iso(Date.parse(booking.updated_at));
  const contract = toContractBooking(booking, input.reservationId, input.bookedSlotId);
  const changes: kit.ContractChange[] = [
    {
      id: eventId,
      kind: 'BOOKING_UPDATED',
      source: 'PUSH',
      occurredAt,
      booking: contract,
      slot: null,
    },
  ];
  const slotChange = (kind: 'SLOT_OPENED' | 'SLOT_CLOSED', key: SlotKey | null) => {
    const slot = key && key.startMs > input.nowMs ? input.slotOf(key) : null;
    if (slot)
      changes.push({
        id: `${eventId}:${kind}`,
        kind,
        source: 'PUSH',
        occurredAt,
        booking: null,
        slot,
      });
  };
  const key = slotKeyOf(booking);
  const before = previousOf(input);
  const wasBooked = before === null || before.status === 'BOOKED';
  if (contract.status === 'CANCELLED' && wasBooked) slotChange('SLOT_OPENED', key);
  if (contract.status === 'BOOKED' && before?.key && key && !sameTime(before.key, key)) {
    slotChange('SLOT_OPENED', before.key);
    slotChange('SLOT_CLOSED', key);
  }
  return changes;
}

/** The state just before this event, when certain: the previous version's. */
function previousOf(input: BookingEventInput): SeenBooking | null {
  const { previous, booking } = input;
  if (previous && previous.version === booking.version - 1) return previous;
  if (booking.version === 1) {
    return { version: 0, status: 'BOOKED', key: parseSlotId(input.bookedSlotId) };
  }
  return null;
}

const sameTime = (a: SlotKey, b: SlotKey) =>
  a.startMs === b.startMs && a.team_member_id === b.team_member_id;
