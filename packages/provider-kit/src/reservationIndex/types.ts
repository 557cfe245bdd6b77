/**
 * What a provider wrote for one platform reservation, for vendors that cannot be searched by an
 * external reference: recorded as `pending` before the vendor write, `booked` with the vendor's
 * id after it. A `pending` entry whose answer was lost is settled by the provider (a search of
 * the slot's window for the booking that carries the reservation id).
 */
export interface ReservationEntry {
  readonly connectionId: string;
  readonly reservationId: string;
  /** The provider-local slot the reservation is for. */
  readonly slotId: string;
  /** The slot's start, RFC 3339: where to look for a booking whose answer was lost. */
  readonly startAt: string;
  /** The vendor's booking id once known; absent while pending. */
  readonly providerReference?: string | undefined;
}

/** A durable map reservation id → vendor booking, per connection. */
export interface ReservationIndex {
  /**
   * Records that a vendor write for `entry` is about to be sent. Durable when it resolves. Keeps
   * a booked entry booked (a retried book must not forget what the first one made).
   */
  recordPending(entry: Omit<ReservationEntry, 'providerReference'>): Promise<void>;
  /** Records the vendor's booking id for a reservation. Durable when it resolves. */
  recordBooked(
    connectionId: string,
    reservationId: string,
    providerReference: string,
  ): Promise<void>;
  /** The entry, or undefined when nothing was ever recorded for the reservation. */
  get(connectionId: string, reservationId: string): Promise<ReservationEntry | undefined>;
  /** Releases the file or the database pool. */
  close(): Promise<void>;
}
