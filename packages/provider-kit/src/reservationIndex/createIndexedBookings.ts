import type { ReservationEntry, ReservationIndex } from './types.js';

/** What a vendor write answered: its booking and id, or a refusal to pass on as it is. */
export type IndexedWrite<B, R> = { providerReference: string; booking: B } | { refused: R };

/**
 * Bookings through a reservation index, for vendors that cannot be searched by an external
 * reference: the reservation is recorded as pending before the vendor write and with the vendor's
 * id after it, so a look-up finds the booking by reservation id, and a write whose answer was lost
 * is settled by `settle` (the vendor searched where the booking must be).
 */
export function createIndexedBookings<B>(options: {
  index: ReservationIndex;
  connectionId: string;
  /**
   * The vendor's booking by its id, with the entry it was recorded in; null when the vendor does
   * not know it (or it is not this reservation's).
   */
  retrieve: (providerReference: string, entry: ReservationEntry) => Promise<B | null>;
  /** The booking a pending entry's write made, found at the vendor; null when there is none. */
  settle: (entry: ReservationEntry) => Promise<{ providerReference: string; booking: B } | null>;
}) {
  const { index, connectionId } = options;

  /** The booking made for a reservation, with its index entry; null when none was made. */
  async function find(
    reservationId: string,
  ): Promise<{ entry: ReservationEntry; booking: B } | null> {
    const entry = await index.get(connectionId, reservationId);
    if (!entry) return null;
    if (entry.providerReference) {
      const booking = await options.retrieve(entry.providerReference, entry);
      return booking === null ? null : { entry, booking };
    }
    const settled = await options.settle(entry);
    if (!settled) return null;
    await index.recordBooked(connectionId, reservationId, settled.providerReference);
    return {
      entry: { ...entry, providerReference: settled.providerReference },
      booking: settled.booking,
    };
  }

  /**
   * Runs a vendor write for a reservation between its two index records, unless the reservation
   * has its booking already (a retry): then that booking is the answer.
   */
  async function write<R>(
    reservation: Omit<ReservationEntry, 'connectionId' | 'providerReference'>,
    send: () => Promise<IndexedWrite<B, R>>,
  ): Promise<{ booking: B } | { refused: R }> {
    const known = await find(reservation.reservationId);
    if (known) return { booking: known.booking };
    await index.recordPending({ connectionId, ...reservation });
    const outcome = await send();
    if ('refused' in outcome) return outcome;
    await index.recordBooked(connectionId, reservation.reservationId, outcome.providerReference);
    return { booking: outcome.booking };
  }

  return { find, write };
}
