import type { ReservationRecord } from '../../access/ledger/createLedger.js';
import { slotIdentity } from '../../engines/mergeSlots.js';
import { mayAccess } from '../../engines/ownership.js';
import { isLive } from '../../engines/reservationRules.js';
import type { BookingOutcome, Caller, LedgerOutcome, ReservationModel } from '../models.js';
import { nameReservation } from '../reservationSpans.js';
import { ownReservation } from './checkInput.js';
import { isOutcome, type ReservationContext, reservationPublicId } from './reservationContext.js';

/** A ledger row as the public API shows it; the slot is the ledger's snapshot of it. */
export function toReservationModel(row: ReservationRecord): ReservationModel {
  const snapshot = row.slot_snapshot;
  return {
    id: row.id,
    publicId: reservationPublicId(row),
    connectionId: row.connection_id,
    status: row.status,
    slot: {
      key: slotIdentity(row.connection_id, row.slot_id),
      connectionId: row.connection_id,
      localId: row.slot_id,
      clinicId: snapshot.clinicId,
      startMs: Date.parse(snapshot.start),
      endMs: Date.parse(snapshot.end),
      treatmentIds: snapshot.treatmentIds,
      requestedTreatmentId: snapshot.requestedTreatmentId,
      practitioner: snapshot.practitioner,
      bookingUrl: null,
      available: !isLive(row.status),
    },
    expiresAtMs: row.status === 'HELD' && row.expires_at ? row.expires_at.getTime() : null,
    providerReference: row.provider_reference,
    rescheduledFrom: row.rescheduled_from,
    // Cancellations before clinic changes were recorded were all the client's.
    cancelledBy: row.status === 'CANCELLED' ? (row.cancelled_by ?? 'CLIENT') : null,
    createdAtMs: row.created_at.getTime(),
    updatedAtMs: row.updated_at.getTime(),
  };
}

/** A use case's result as the public API shows it. */
export const toBookingOutcome = (outcome: LedgerOutcome): BookingOutcome =>
  outcome.__typename === 'ReservationResult'
    ? { __typename: 'ReservationResult', reservation: toReservationModel(outcome.reservation) }
    : outcome;

/**
 * `reservation(id)`: one of the caller's reservations by public id, or null; the reservation is
 * named on the resolver's span.
 */
export async function getReservation(
  context: ReservationContext,
  caller: Caller,
  id: string,
): Promise<ReservationModel | null> {
  const found = await ownReservation(context.ledger, id, caller);
  if (isOutcome(found)) return null;
  nameReservation(found);
  return toReservationModel(found);
}

/** A reservation of the caller by its ledger id (e.g. the one a reschedule replaced). */
export async function getByLedgerId(
  context: ReservationContext,
  caller: Caller,
  ledgerId: string,
): Promise<ReservationModel | null> {
  const row = await context.ledger.find(ledgerId);
  return row && mayAccess(caller, row) ? toReservationModel(row) : null;
}
