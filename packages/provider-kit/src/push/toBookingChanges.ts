import type {
  ContractBooking,
  ContractBookingStatus,
  ContractChange,
  ContractSlot,
} from '../__generated__/contract.js';

/** A booking's state as far as its slot goes. */
export interface BookingState<K> {
  readonly status: ContractBookingStatus;
  /** The time it takes, as the vendor keys a slot; null when that cannot be told. */
  readonly slot: K | null;
}

/** One event of a booking the platform made, and what is needed to tell its slots. */
export interface BookingEvent<K> {
  /**
   * The vendor's event id: the `BOOKING_UPDATED` change's id, and `<id>:SLOT_OPENED`,
   * `<id>:SLOT_CLOSED` the slots', so a redelivered event is recorded once.
   */
  readonly id: string;
  /** When the booking changed at the clinic, RFC 3339. */
  readonly occurredAt: string;
  /** The booking as it is now. */
  readonly booking: ContractBooking;
  /** The time it takes now. */
  readonly slot: K | null;
  /**
   * Its state just before this event when that is certain (the version before's), else null: a
   * cancel then frees its slot all the same, a move frees nothing.
   */
  readonly before: BookingState<K> | null;
  /** Whether two keys are the same time with the same practitioner: anything else is no move. */
  sameTime(a: K, b: K): boolean;
  /** The slot of a key as a search names it; null when the connection does not offer it. */
  slotOf(key: K): ContractSlot | null;
  /** The connection's clock, epoch ms: only slots still ahead open or close. */
  readonly nowMs: number;
}

/**
 * A pushed booking event as changes at the clinic: always `BOOKING_UPDATED` (the booking as it
 * is now); and, for a slot still ahead, a cancel frees the slot if it was booked (`SLOT_OPENED`),
 * a move frees the slot it left and takes the new one (`SLOT_CLOSED`). A no-show frees nothing:
 * its time has passed.
 */
export function toBookingChanges<K>(event: BookingEvent<K>): ContractChange[] {
  const { id, occurredAt, booking, slot, before } = event;
  const changes: ContractChange[] = [
    { id, kind: 'BOOKING_UPDATED', source: 'PUSH', occurredAt, booking, slot: null },
  ];
  const slotChange = (kind: 'SLOT_OPENED' | 'SLOT_CLOSED', key: K | null) => {
    const found = key === null ? null : event.slotOf(key);
    if (found && Date.parse(found.start) > event.nowMs) {
      changes.push({
        id: `${id}:${kind}`,
        kind,
        source: 'PUSH',
        occurredAt,
        booking: null,
        slot: found,
      });
    }
  };
  const wasBooked = before === null || before.status === 'BOOKED';
  if (booking.status === 'CANCELLED' && wasBooked) slotChange('SLOT_OPENED', slot);
  const left = before?.status === 'BOOKED' ? before.slot : null;
  if (
    booking.status === 'BOOKED' &&
    left !== null &&
    slot !== null &&
    !event.sameTime(left, slot)
  ) {
    slotChange('SLOT_OPENED', left);
    slotChange('SLOT_CLOSED', slot);
  }
  return changes;
}
