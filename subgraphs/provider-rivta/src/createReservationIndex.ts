/**
 * What the adapter remembers about a reservation it booked: where, for whom, and (once known) the
 * producer's booking id. RIV-TA cannot look a booking up by anything but its booking id or the
 * patient's identity number, and `getBooking` is given neither; this index bridges the gap.
 */
export interface ReservationEntry {
  connectionId: string;
  healthcareFacility: string;
  slotId: string;
  /** The patient's identity number: kept in memory only, never logged. */
  subjectOfCare: string;
  /** Set once MakeBooking (or a later look-up) has told it. */
  bookingId?: string | undefined;
}

export interface ReservationIndexOptions {
  /** Most reservations remembered; the least recently used are forgotten first. Default: 50 000. */
  maxEntries?: number;
  /** How long a reservation is remembered after it was last touched, in ms. Default: 7 days. */
  ttlMs?: number;
  /** Epoch ms. Default: `Date.now`. */
  now?: () => number;
}

export type ReservationIndex = ReturnType<typeof createReservationIndex>;

/**
 * A bounded in-memory index from reservation id to booking. It is written before MakeBooking is
 * sent, so a booking whose answer was lost can still be found (through GetSubjectOfCareSchedule).
 * It does not survive a restart, nor is it shared between instances: see README, "Reconciliation".
 */
export function createReservationIndex(options: ReservationIndexOptions = {}) {
  const { maxEntries = 50_000, ttlMs = 7 * 24 * 60 * 60 * 1000, now = Date.now } = options;
  const entries = new Map<string, { entry: ReservationEntry; touchedAt: number }>();
  const keyOf = (connectionId: string, reservationId: string) =>
    `${connectionId}\u0000${reservationId}`;

  return {
    get(connectionId: string, reservationId: string): ReservationEntry | undefined {
      const key = keyOf(connectionId, reservationId);
      const found = entries.get(key);
      if (!found) return undefined;
      if (now() - found.touchedAt > ttlMs) {
        entries.delete(key);
        return undefined;
      }
      // Re-inserted so that Map order is least recently used first.
      entries.delete(key);
      entries.set(key, { entry: found.entry, touchedAt: now() });
      return found.entry;
    },

    set(reservationId: string, entry: ReservationEntry): void {
      const key = keyOf(entry.connectionId, reservationId);
      entries.delete(key);
      entries.set(key, { entry: { ...entry }, touchedAt: now() });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },

    delete(connectionId: string, reservationId: string): void {
      entries.delete(keyOf(connectionId, reservationId));
    },

    get size() {
      return entries.size;
    },
  };
}
