import { type Selectable, sql } from 'kysely';
import type { ReservationOwner, ReservationRecord } from './createLedger.js';
import type { LedgerDatabase } from './createLedgerDatabase.js';
import type { LedgerTables } from './ledgerTables.js';

/**
 * Events a client sees (of `reservation_events as e`): not a PENDING step, not a step back to the
 * status it already saw, but a booking the clinic moved though its status stays CONFIRMED.
 */
export const clientVisible = sql<boolean>`(e.to_status <> 'PENDING'
  and (e.to_status is distinct from e.previous_status or e.operation = 'CLINIC_MOVE'))`;

/**
 * Events of transactions older than every transaction still running: none committed later can
 * sort before them, so a reader that goes on from the last one it read misses nothing.
 */
export const committedBeforeEveryRunning = sql<boolean>`e.tx < pg_snapshot_xmin(pg_current_snapshot())`;

/** The public event type of an event row (`reservation.cancelled`, `reservation.moved`, …). */
export const eventTypeOf = sql<string>`case when e.operation = 'CLINIC_MOVE' then 'reservation.moved'
  else 'reservation.' || lower(e.to_status) end`;

/** A position in the event feed: after the event `id` of transaction `tx`. */
export interface FeedPosition {
  tx: string;
  id: string;
}

/** An event of the feed, with its reservation as the ledger holds it now. */
export interface FeedEvent {
  event: Selectable<LedgerTables['reservation_events']>;
  reservation: ReservationRecord;
}

/**
 * The reservation events a client sees, in the order their transactions committed. Events are
 * ordered by (transaction, id) and only those of transactions older than every transaction still
 * running are read (`pg_snapshot_xmin`): an event committed later can never sort before one
 * already read, so a reader that pages on from its last position misses nothing, whichever
 * instance wrote what and in which order they committed. Per reservation, the order is the order
 * of its transitions (each locks the row). PENDING steps and steps back to the status a client
 * already saw (a failed confirmation) are not events a client sees; a booking the clinic moved
 * is, though its status stays CONFIRMED. Part of the ledger
 * (`createLedger` spreads this in).
 */
export function createEventFeed(db: LedgerDatabase) {
  return {
    async eventsAfter(
      owner: ReservationOwner,
      after: FeedPosition | null,
      limit: number,
    ): Promise<FeedEvent[]> {
      let query = db
        .selectFrom('reservation_events as e')
        .innerJoin('reservations as r', 'r.id', 'e.reservation_id')
        .selectAll('r')
        .select([
          'e.id as event_id',
          sql<string>`e.tx::text`.as('event_tx'),
          'e.from_status as event_from_status',
          'e.to_status as event_to_status',
          'e.previous_status as event_previous_status',
          'e.operation as event_operation',
          'e.detail as event_detail',
          'e.at as event_at',
        ])
        .where('e.client_id', '=', owner.clientId)
        .where(clientVisible)
        .where(committedBeforeEveryRunning)
        .orderBy('e.tx')
        .orderBy('e.id')
        .limit(limit);
      if (owner.subject !== null) query = query.where('e.subject', '=', owner.subject);
      if (after) {
        query = query.where(sql<boolean>`(e.tx, e.id) > (${after.tx}::xid8, ${after.id}::bigint)`);
      }
      const rows = await query.execute();
      return rows.map(
        ({
          event_id,
          event_tx,
          event_from_status,
          event_to_status,
          event_previous_status,
          event_operation,
          event_detail,
          event_at,
          ...reservation
        }) => ({
          event: {
            // bigint: a string from PostgreSQL, a number from PGlite.
            id: String(event_id),
            tx: event_tx,
            reservation_id: reservation.id,
            from_status: event_from_status,
            to_status: event_to_status,
            previous_status: event_previous_status,
            operation: event_operation,
            detail: event_detail,
            at: event_at,
            client_id: reservation.client_id,
            subject: reservation.subject,
          },
          reservation,
        }),
      );
    },
  };
}
