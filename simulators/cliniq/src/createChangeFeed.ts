import type { DateTime } from 'luxon';
import { formatLocal } from './localTime.js';
import type { BookingView, SlotView } from './tenantRecords.js';

/** What happened, in Cliniq's words: a booking's life, and times that opened or closed. */
export type ChangeType =
  | 'booking_created'
  | 'booking_cancelled'
  | 'booking_moved'
  | 'booking_no_show'
  | 'slot_opened'
  | 'slot_closed';

/** Who made the change: a client of this API (the integration's key), or the clinic's staff. */
export type ChangedBy = 'api' | 'clinic';

/** One entry of `GET /changes`: the booking or slot as it was right after the change. */
export interface ChangeView {
  sequence: number;
  type: ChangeType;
  changedAt: string;
  changedBy: ChangedBy;
  booking?: BookingView;
  slot?: SlotView;
}

export interface ChangeRecord extends Omit<ChangeView, 'changedAt'> {
  changedAt: DateTime;
}

/** How many changes a tenant keeps; an older position is answered `410 changes_expired`. */
export const changeRetention = 10_000;

export type ChangeFeed = ReturnType<typeof createChangeFeed>;

/**
 * A tenant's change feed: every change numbered by one tenant-wide `sequence` that only grows, so a
 * client that remembers the last number it read misses nothing and compares no clocks. Entries
 * are snapshots taken when the change was made (appended synchronously by the store, in the same
 * step as the change itself), so they are in the order the changes happened.
 */
export function createChangeFeed(retention = changeRetention) {
  const entries: ChangeRecord[] = [];
  let latest = 0;

  return {
    /** The sequence number of the newest change; 0 before the first. */
    get latestSequence() {
      return latest;
    },

    append(change: Omit<ChangeRecord, 'sequence'>): void {
      latest += 1;
      entries.push({ ...change, sequence: latest });
      if (entries.length > retention) entries.shift();
    },

    /**
     * The changes after `sequence`, oldest first; `undefined` when some of them are no longer kept
     * (the caller has to start again from the present). Sequences are contiguous, so the first
     * one wanted is found by arithmetic.
     */
    after(sequence: number): readonly ChangeRecord[] | undefined {
      const oldest = entries[0]?.sequence ?? latest + 1;
      if (sequence < oldest - 1) return undefined;
      return entries.slice(Math.max(0, sequence - oldest + 1));
    },

    /** The changes made at or after the local time `since`, oldest first. */
    since(since: DateTime): readonly ChangeRecord[] {
      const at = since.toMillis();
      return entries.filter((entry) => entry.changedAt.toMillis() >= at);
    },
  };
}

/** An entry as `GET /changes` answers it: Cliniq's local time. */
export function changeView(entry: ChangeRecord): ChangeView {
  return { ...entry, changedAt: formatLocal(entry.changedAt) };
}
