import { sql } from 'kysely';
import type { ReservationRecord } from './createLedger.js';
import type { LedgerDatabase } from './createLedgerDatabase.js';

/** A provider's change as the ledger records it (never patient data in `detail`). */
export interface ProviderChangeRecord {
  connectionId: string;
  changeId: string;
  kind: string;
  source: string;
  occurredAt: Date;
  reservationId: string | null;
  outcome: string;
  detail: Record<string, unknown>;
}

/**
 * The ledger's side of changes at the clinic: the record of every change a provider reported
 * (once per id), each connection's position in its change feed with the lease of the instance
 * reading it, and the sweep's claims of confirmed reservations to look up. Part of the ledger
 * (`createLedger` spreads it in).
 */
export function createClinicChangeRecords(db: LedgerDatabase, at: () => Date) {
  return {
    /** Whether a change of this id was already recorded (and so applied, or set aside). */
    async changeRecorded(connectionId: string, changeId: string): Promise<boolean> {
      const row = await db
        .selectFrom('provider_changes')
        .select('change_id')
        .where('connection_id', '=', connectionId)
        .where('change_id', '=', changeId)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Records a change once; false when its id was already recorded. */
    async recordChange(change: ProviderChangeRecord): Promise<boolean> {
      const inserted = await db
        .insertInto('provider_changes')
        .values({
          connection_id: change.connectionId,
          change_id: change.changeId,
          kind: change.kind,
          source: change.source,
          occurred_at: change.occurredAt,
          recorded_at: at(),
          reservation_id: change.reservationId,
          outcome: change.outcome,
          detail: JSON.stringify(change.detail),
        })
        .onConflict((oc) => oc.columns(['connection_id', 'change_id']).doNothing())
        .returning('change_id')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    /** The changes recorded for a reservation, oldest first (tests and support). */
    changesOf(reservationId: string) {
      return db
        .selectFrom('provider_changes')
        .selectAll()
        .where('reservation_id', '=', reservationId)
        .orderBy('recorded_at')
        .execute();
    },

    /**
     * Takes (or renews) the lease on reading a connection's change feed for `leaseMs`: answers
     * the feed position when this instance (`reader`) holds it, null when another instance does.
     * One statement, so two instances never both hold it.
     */
    async leaseFeed(
      connectionId: string,
      reader: string,
      leaseMs: number,
    ): Promise<{ cursor: string | null } | null> {
      const time = at();
      const until = new Date(time.getTime() + leaseMs);
      const row = await db
        .insertInto('change_feed_positions')
        .values({
          connection_id: connectionId,
          cursor: null,
          reader,
          lease_until: until,
          updated_at: time,
        })
        .onConflict((oc) =>
          oc
            .column('connection_id')
            .doUpdateSet({ reader, lease_until: until })
            .where((w) =>
              w.or([
                w('change_feed_positions.reader', '=', reader),
                w('change_feed_positions.lease_until', 'is', null),
                w('change_feed_positions.lease_until', '<=', time),
              ]),
            ),
        )
        .returning('cursor')
        .executeTakeFirst();
      return row ? { cursor: row.cursor } : null;
    },

    /** Moves the feed position on, if `reader` still holds the lease; false if it lost it. */
    async advanceFeed(connectionId: string, reader: string, cursor: string): Promise<boolean> {
      const result = await db
        .updateTable('change_feed_positions')
        .set({ cursor, updated_at: at() })
        .where('connection_id', '=', connectionId)
        .where('reader', '=', reader)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Gives the lease up (at shutdown), so another instance reads on at once. */
    async releaseFeed(connectionId: string, reader: string): Promise<void> {
      await db
        .updateTable('change_feed_positions')
        .set({ reader: null, lease_until: null })
        .where('connection_id', '=', connectionId)
        .where('reader', '=', reader)
        .execute();
    },

    /**
     * Claims up to `limit` CONFIRMED reservations due for a look-up at their provider, in one
     * statement: those starting after `startsAfter` (a booking long past changes no more) whose
     * last look-up (or, before the first, last change) is older than their connection's interval
     * (`slowIntervalMs` for `slowConnections`, whose changes come by feed; `intervalMs` for the
     * rest), least recently checked first. Each is marked checked now, so no instance claims it
     * again within its interval; rows another claim has locked are skipped.
     */
    async claimSweep(claim: {
      limit: number;
      startsAfter: Date;
      intervalMs: number;
      slowIntervalMs: number;
      slowConnections: readonly string[];
    }): Promise<ReservationRecord[]> {
      const time = at();
      const slow = claim.slowConnections.length > 0 ? [...claim.slowConnections] : [''];
      const dueBefore = sql<Date>`${time}::timestamptz - make_interval(secs => (case
        when connection_id in (${sql.join(slow)}) then ${claim.slowIntervalMs}::float8
        else ${claim.intervalMs}::float8 end) / 1000.0)`;
      return db
        .updateTable('reservations')
        .set({ checked_at: time })
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('reservations')
            .select('id')
            .where('status', '=', 'CONFIRMED')
            .where('start_at', '>', claim.startsAfter)
            .where(sql<boolean>`coalesce(checked_at, updated_at) <= ${dueBefore}`)
            .orderBy(sql`coalesce(checked_at, updated_at)`)
            .orderBy('id')
            .limit(claim.limit)
            .forUpdate()
            .skipLocked(),
        )
        .returningAll()
        .execute();
    },
  };
}
