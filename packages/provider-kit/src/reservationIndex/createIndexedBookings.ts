import { type BookingLookup, bookingFound, cannotTell } from '../bookingLookup.js';
import { ProviderError, ProviderErrorCode } from '../errors.js';
import type { ReservationEntry, ReservationIndex } from './types.js';

/** What a vendor write answered: its booking and id, or a refusal to pass on as it is. */
export type IndexedWrite<B, R> = { providerReference: string; booking: B } | { refused: R };

/** A booking found through the index, with the entry it was recorded in. */
export interface IndexedBooking<B> {
  entry: ReservationEntry;
  booking: B;
}

/**
 * Bookings through a reservation index, for vendors that cannot be searched by an external
 * reference: the reservation is recorded as pending before the vendor write and with the vendor's
 * id after it, so a look-up finds the booking by reservation id, and a write whose answer was lost
 * is settled by `settle` (the vendor searched where the booking must be).
 *
 * A look-up answers `NOT_BOOKED` only when `settle` says so; everything the index cannot vouch for
 * is `UNKNOWN`: no entry (a lost or wiped index, or a write that never reached this adapter — the
 * platform books again, by the same reservation id, to find out), or a recorded booking the vendor
 * does not give back.
 */
export function createIndexedBookings<B>(options: {
  index: ReservationIndex;
  connectionId: string;
  /**
   * The vendor's booking by its id, with the entry it was recorded in; null when the vendor does
   * not give it back (unknown to it, not this reservation's, or refused): the look-up is then
   * `UNKNOWN`, since the index says the booking was made.
   */
  retrieve: (providerReference: string, entry: ReservationEntry) => Promise<B | null>;
  /**
   * A pending entry's booking, searched for at the vendor where it must be: found, `notBooked()`
   * when the search is conclusive, else `cannotTell(reason)` (what the search needs is missing).
   */
  settle: (
    entry: ReservationEntry,
  ) => Promise<BookingLookup<{ providerReference: string; booking: B }>>;
}) {
  const { index, connectionId } = options;

  async function lookUpEntry(entry: ReservationEntry): Promise<BookingLookup<IndexedBooking<B>>> {
    if (entry.providerReference) {
      const booking = await options.retrieve(entry.providerReference, entry);
      return booking === null
        ? cannotTell('the vendor does not give back the booking recorded for this reservation')
        : bookingFound({ entry, booking });
    }
    const settled = await options.settle(entry);
    if (settled.status !== 'FOUND') return settled;
    const { providerReference, booking } = settled.booking;
    await index.recordBooked(connectionId, entry.reservationId, providerReference);
    return bookingFound({ entry: { ...entry, providerReference }, booking });
  }

  /** The booking made for a reservation, with its index entry; see above for what is not found. */
  async function find(reservationId: string): Promise<BookingLookup<IndexedBooking<B>>> {
    const entry = await index.get(connectionId, reservationId);
    if (!entry) return cannotTell('the reservation index has no entry for this reservation');
    return lookUpEntry(entry);
  }

  /**
   * Runs a vendor write for a reservation between its two index records, unless the reservation
   * has its booking already (a retry): then that booking is the answer. A recorded booking that
   * cannot be read back is not written again: the call is refused, nothing done.
   */
  async function write<R>(
    reservation: Omit<ReservationEntry, 'connectionId' | 'providerReference'>,
    send: () => Promise<IndexedWrite<B, R>>,
  ): Promise<{ booking: B } | { refused: R }> {
    const entry = await index.get(connectionId, reservation.reservationId);
    const known = entry ? await lookUpEntry(entry) : null;
    if (known?.status === 'FOUND') return { booking: known.booking.booking };
    if (known?.status === 'UNKNOWN' && entry?.providerReference) {
      throw new ProviderError(ProviderErrorCode.Unavailable, `${known.reason}; not booked again`);
    }
    await index.recordPending({ connectionId, ...reservation });
    const outcome = await send();
    if ('refused' in outcome) return outcome;
    await index.recordBooked(connectionId, reservation.reservationId, outcome.providerReference);
    return { booking: outcome.booking };
  }

  return { find, write };
}
