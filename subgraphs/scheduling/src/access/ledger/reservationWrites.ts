import { randomUUID } from 'node:crypto';
import type { Logger } from '@booking/server-kit';
import { sql } from 'kysely';
import type { NewReservation, ReservationRecord, Transition } from './createLedger.js';
import type { LedgerDatabase } from './createLedgerDatabase.js';
import type { ReservationStatus } from './ledgerTables.js';

/** An event row's columns, in the order the statements writing it select them. */
const eventColumns = [
  'reservation_id',
  'from_status',
  'to_status',
  'operation',
  'detail',
  'at',
  'client_id',
  'subject',
  'previous_status',
] as const;

interface EventOf {
  operation: string;
  detail: string;
  at: Date;
}

const eventOf = (at: () => Date, operation: string, detail: Record<string, unknown>): EventOf => ({
  operation,
  detail: JSON.stringify(detail),
  at: at(),
});

/** What an event row says of itself (the rest comes from the row it records). */
const eventValues = (event: EventOf) =>
  [
    sql<string>`${event.operation}::text`.as('operation'),
    sql<string>`${event.detail}::jsonb`.as('detail'),
    sql<Date>`${event.at}::timestamptz`.as('at'),
  ] as const;

/**
 * The ledger's writes of a reservation: a new one, and a transition, each in one statement with
 * its event row (the outbox the event feed reads), so both happen or neither. Part of the ledger
 * (`createLedger` spreads these in); `changed` tells the ledger's listener after each write.
 */
export function createReservationWrites(
  db: LedgerDatabase,
  at: () => Date,
  changed: (row: ReservationRecord | null) => Promise<ReservationRecord | null>,
  logger?: Logger,
) {
  return {
    /**
     * Writes a new reservation and its first event. Returns null when the slot already has a
     * live reservation: the unique index, not this code, decides.
     */
    async insert(reservation: NewReservation): Promise<ReservationRecord | null> {
      const id = reservation.id ?? randomUUID();
      const time = at();
      const event = eventOf(at, reservation.pendingOperation ?? 'HOLD', {
        holdKind: reservation.holdKind,
      });
      // One statement: the row and its first event, or neither when a unique index refuses it.
      const inserted = await db
        .with('written', (q) =>
          q
            .insertInto('reservations')
            .values({
              id,
              client_id: reservation.clientId,
              subject: reservation.subject ?? null,
              connection_id: reservation.connectionId,
              slot_id: reservation.slotId,
              status: reservation.status,
              pending_operation: reservation.pendingOperation,
              resume_status: null,
              hold_kind: reservation.holdKind,
              expires_at: reservation.expiresAt,
              provider_reference: null,
              start_at: new Date(reservation.snapshot.start),
              slot_snapshot: JSON.stringify(reservation.snapshot),
              patient_sealed: reservation.patientSealed,
              rescheduled_from: reservation.rescheduledFrom,
              origin_traceparent: reservation.originTraceparent ?? null,
              failure_reason: null,
              created_at: time,
              updated_at: time,
              version: 1,
            })
            .onConflict((oc) => oc.doNothing())
            .returningAll(),
        )
        .with('event', (q) =>
          q
            .insertInto('reservation_events')
            .columns(eventColumns)
            .expression((eb) =>
              eb
                .selectFrom('written')
                .select([
                  'written.id',
                  sql<null>`null::text`.as('from_status'),
                  'written.status',
                  ...eventValues(event),
                  'written.client_id',
                  'written.subject',
                  sql<null>`null::text`.as('previous_status'),
                ]),
            ),
        )
        .selectFrom('written')
        .selectAll()
        .executeTakeFirst();
      return changed(inserted ?? null);
    },

    /** Applies `change` if the row is still as the caller saw it; null when it was not. */
    async transition(id: string, change: Transition): Promise<ReservationRecord | null> {
      const event = eventOf(at, change.operation, {
        ...change.detail,
        ...(change.providerReference && { providerReference: change.providerReference }),
        ...(change.failureReason && { reason: change.failureReason }),
      });
      // One statement: the row locked (so the event records the state it really left), changed if
      // still as the caller saw it, and its event, all or nothing.
      const updated = await db
        .with('before', (q) =>
          q
            .selectFrom('reservations')
            .select(['id', 'status', 'resume_status'])
            .where('id', '=', id)
            .forUpdate(),
        )
        .with('changed', (q) => {
          let update = q
            .updateTable('reservations')
            .from('before')
            .set({
              status: change.to,
              pending_operation: change.to === 'PENDING' ? (change.pendingOperation ?? null) : null,
              resume_status: change.to === 'PENDING' ? (change.resumeStatus ?? null) : null,
              updated_at: at(),
              version: sql`reservations.version + 1`,
              // A new state: the reconciler's count and schedule start again from it.
              attempts: 0,
              next_attempt_at: null,
              ...(change.expiresAt !== undefined && { expires_at: change.expiresAt }),
              ...(change.providerReference !== undefined && {
                provider_reference: change.providerReference,
              }),
              ...(change.failureReason !== undefined && { failure_reason: change.failureReason }),
              ...(change.patientSealed !== undefined && { patient_sealed: change.patientSealed }),
              ...(change.cancelledBy !== undefined && { cancelled_by: change.cancelledBy }),
              ...(change.clinicChangedAt !== undefined && {
                clinic_changed_at: change.clinicChangedAt,
              }),
              ...(change.move && {
                slot_id: change.move.slotId,
                start_at: new Date(change.move.snapshot.start),
                slot_snapshot: JSON.stringify(change.move.snapshot),
              }),
            })
            .whereRef('reservations.id', '=', 'before.id')
            .where('reservations.status', 'in', [...change.from]);
          if (change.version !== undefined) {
            update = update.where('reservations.version', '=', change.version);
          }
          return update.returningAll('reservations').returning([
            'before.status as from_status',
            // What a client saw before: a PENDING step shows the status it resumes to.
            sql<ReservationStatus | null>`case when before.status = 'PENDING'
                then before.resume_status else before.status end`.as('previous_status'),
          ]);
        })
        .with('event', (q) =>
          q
            .insertInto('reservation_events')
            .columns(eventColumns)
            .expression((eb) =>
              eb
                .selectFrom('changed')
                .select([
                  'changed.id',
                  'changed.from_status',
                  'changed.status',
                  ...eventValues(event),
                  'changed.client_id',
                  'changed.subject',
                  'changed.previous_status',
                ]),
            ),
        )
        .selectFrom('changed')
        .selectAll()
        .executeTakeFirst();
      if (!updated) return null;
      const { from_status: from, previous_status: _previous, ...row } = updated;
      logger?.info(
        {
          reservation: id,
          connection: row.connection_id,
          from,
          to: change.to,
          operation: change.operation,
        },
        'reservation transition',
      );
      return changed(row);
    },
  };
}
