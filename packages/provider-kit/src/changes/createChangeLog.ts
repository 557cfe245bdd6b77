import { randomUUID } from 'node:crypto';
import type { ContractChange, ContractChangePage } from '../__generated__/contract.js';

/**
 * One connection's changes at the clinic, as `contractChanges` serves them: what the adapter
 * learnt by push or by poll, in the order it learnt it, each id once. In this process
 * (`createChangeLog`) for one replica, or in PostgreSQL (`createPostgresChangeLogs`) shared by
 * every replica of the provider subgraph.
 */
export interface ChangeLog {
  /**
   * Records a change. One whose id the log already holds is left out (a push the vendor
   * redelivered, a poll that found the same change again): answers false then.
   */
  append(change: ContractChange): Promise<boolean>;
  /** Whether the log holds a change with this id (so a receiver can refuse a replay first). */
  has(changeId: string): Promise<boolean>;
  /**
   * Up to `first` changes after `after` (a page's `cursor`), oldest first. Null asks for the
   * present: no changes, a cursor that marks it. A cursor this log cannot place (another run of
   * an in-memory log, one older than anything still held, or no cursor at all) reads from the
   * oldest change held, `resumed`.
   */
  page(after: string | null | undefined, first: number): Promise<ContractChangePage>;
}

export interface ChangeLogOptions {
  /** Most changes held; the oldest are dropped first. Default: 10000. */
  readonly capacity?: number;
}

/** Changes per page: what `first` asks for, within 1..1000. */
export const pageSize = (first: number) => Math.max(1, Math.min(first, 1000));

/**
 * A bounded change log in this process's memory, for a provider subgraph that runs as one
 * replica. Its cursors name the run that made them, so a cursor from before a restart is
 * recognised as lost ground (`resumed`), never misread as a position. What a restart loses is
 * found again by scheduling's sweep of live bookings (`contractBooking`) and by a vendor's own
 * redelivery of pushes it got no 2xx for.
 */
export function createChangeLog(options: ChangeLogOptions = {}): ChangeLog {
  const capacity = options.capacity ?? 10_000;
  const run = randomUUID().slice(0, 8);
  const entries: ContractChange[] = [];
  const ids = new Set<string>();
  /** Sequence number of `entries[0]`; entry i has `first + i`. Numbers start at 1. */
  let firstSeq = 1;
  const nextSeq = () => firstSeq + entries.length;
  const cursorAt = (seq: number) => `${run}.${seq}`;

  return {
    async append(change) {
      if (ids.has(change.id)) return false;
      entries.push(change);
      ids.add(change.id);
      if (entries.length > capacity) {
        const dropped = entries.shift();
        if (dropped) ids.delete(dropped.id);
        firstSeq += 1;
      }
      return true;
    },
    has: async (changeId) => ids.has(changeId),
    async page(after, first) {
      const size = pageSize(first);
      if (after === null || after === undefined) {
        return { changes: [], cursor: cursorAt(nextSeq()), hasMore: false, resumed: false };
      }
      const [cursorRun, seqText] = after.split('.');
      const seq = Number(seqText);
      const known =
        cursorRun === run && Number.isInteger(seq) && seq >= firstSeq && seq <= nextSeq();
      const from = known ? seq : firstSeq;
      const start = from - firstSeq;
      const changes = entries.slice(start, start + size);
      return {
        changes,
        cursor: cursorAt(from + changes.length),
        hasMore: start + changes.length < entries.length,
        resumed: !known,
      };
    },
  };
}
