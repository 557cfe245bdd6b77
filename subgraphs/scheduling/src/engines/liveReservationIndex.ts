/**
 * One reservation as availability needs it: which slot, when, whether it takes the slot, and the
 * ledger row's version (every transition adds one), which orders the changes of one reservation.
 */
export interface ReservationChange {
  readonly id: string;
  /** The slot's identity (`slotIdentity`). */
  readonly slot: string;
  readonly startMs: number;
  /** PENDING, HELD or CONFIRMED: the slot is taken. */
  readonly live: boolean;
  readonly version: number;
}

interface Known {
  change: ReservationChange;
  /** When this index learnt it (a local counter): tells a resync what it cannot have seen. */
  learnt: number;
}

/**
 * Which slots have a live reservation, kept from the ledger's changes as they are told (in any
 * order, any number of times: the higher version of a reservation wins) and from full snapshots of
 * the ledger. Availability reads it instead of querying the ledger on every search; bookings never
 * do (the ledger's unique index decides those).
 */
export function createLiveReservationIndex() {
  const byId = new Map<string, Known>();
  /** Live reservations per slot: reservation id → start. */
  const bySlot = new Map<string, Map<string, number>>();
  let clock = 0;
  /** Changes learnt before this were reconciled with a snapshot at least twice: tombstones go. */
  let forgetBefore = 0;

  /** Moves on with every change of which slots are taken. */
  let version = 0;

  function place(change: ReservationChange, learnt: number) {
    const previous = byId.get(change.id)?.change;
    if (
      previous === undefined ||
      previous.live !== change.live ||
      (change.live && (previous.slot !== change.slot || previous.startMs !== change.startMs))
    ) {
      version += 1;
    }
    const before = byId.get(change.id)?.change;
    if (before?.live) {
      const starts = bySlot.get(before.slot);
      starts?.delete(change.id);
      if (starts?.size === 0) bySlot.delete(before.slot);
    }
    byId.set(change.id, { change, learnt });
    if (change.live) {
      const starts = bySlot.get(change.slot) ?? new Map<string, number>();
      starts.set(change.id, change.startMs);
      bySlot.set(change.slot, starts);
    }
  }

  return {
    /** Applies one change unless a newer version of the reservation is known; true if applied. */
    apply(change: ReservationChange): boolean {
      const known = byId.get(change.id);
      if (known && known.change.version >= change.version) return false;
      clock += 1;
      place(change, clock);
      return true;
    },

    /** Marks the moment a snapshot's query is sent; pass it to `resynced` with the snapshot. */
    mark(): number {
      return clock;
    },

    /**
     * Replaces what was known before `mark` with `live`, the ledger's live reservations read after
     * `mark`. A reservation learnt before `mark` and missing from the snapshot has ended; one learnt
     * after it may have been written after the snapshot's read, so it stays (versions decide).
     * Ended reservations are remembered for one more resync, so a late copy of an older change
     * cannot bring one back; after that the snapshot is the authority.
     */
    resynced(mark: number, live: readonly ReservationChange[]): void {
      const inSnapshot = new Set<string>();
      for (const change of live) {
        inSnapshot.add(change.id);
        const known = byId.get(change.id);
        if (!known || known.change.version < change.version) place(change, mark);
      }
      for (const [id, known] of byId) {
        if (known.learnt > mark || inSnapshot.has(id)) continue;
        if (known.change.live) place({ ...known.change, live: false }, known.learnt);
        else if (known.learnt <= forgetBefore) byId.delete(id);
      }
      forgetBefore = mark;
    },

    /** Whether `slot` has a live reservation starting in [fromMs, toMs). */
    takenIn(slot: string, fromMs: number, toMs: number): boolean {
      const starts = bySlot.get(slot);
      if (!starts) return false;
      for (const startMs of starts.values()) if (startMs >= fromMs && startMs < toMs) return true;
      return false;
    },

    /** Moves on whenever `takenIn` may answer differently. */
    get version(): number {
      return version;
    },

    /** Reservations known (live, and ended ones still remembered). */
    get size(): number {
      return byId.size;
    },
  };
}

export type LiveReservationIndex = ReturnType<typeof createLiveReservationIndex>;
