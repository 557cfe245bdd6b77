import type { ReservationRecord } from '../../access/ledger/createLedger.js';
import { sendCancel } from './cancelAtProvider.js';
import { repeatBooking } from './repeatBooking.js';
import {
  answer,
  type Outcome,
  providerUnavailable,
  type ReservationContext,
  reread,
  slotPublicId,
} from './reservationContext.js';
import { settle } from './settle.js';

/**
 * Finishes what a call that died before answering left half done, for the repeat that took its
 * idempotency key over: a PENDING reservation's provider call is sent again with the same
 * reservation id (providers hold, book, confirm and cancel idempotently by it) and its answer
 * settled, so the repeat answers with the outcome, not with the state the call died in. Null when
 * the call left nothing half done: it is run again from the start, and the reservation's status
 * decides what that does.
 *
 * `reservationId` is the reservation the call created or changed; for a reschedule the one it
 * moves, whose new booking is looked up.
 */
export async function finishAbandoned(
  context: ReservationContext,
  operation: string,
  reservationId: string,
): Promise<Outcome | null> {
  const row =
    operation === 'RESCHEDULE'
      ? await context.ledger.replacementOf(reservationId)
      : await context.ledger.find(reservationId);
  if (!row) return null;
  if (row.status === 'PENDING') return resend(context, row);
  // A reservation the call created: where it stands is the call's outcome.
  if (operation === 'HOLD' || operation === 'RESERVE') return answer(row);
  if (operation === 'RESCHEDULE' && row.status === 'CONFIRMED') {
    await context.finishReschedule(row);
    return reread(context, row.id);
  }
  return null;
}

/** Sends a PENDING reservation's provider call again and settles the answer. */
async function resend(context: ReservationContext, row: ReservationRecord): Promise<Outcome> {
  const entry = context.directory.get(row.connection_id);
  if (!entry) return providerUnavailable(row.connection_id, 'the provider is not connected');
  switch (row.pending_operation) {
    case 'HOLD': {
      const reply = await context.providers.hold(entry, {
        slotId: row.slot_id,
        reservationId: row.id,
      });
      return settle(context, row, reply, { status: 'FAILED', slotId: slotPublicId(row) });
    }
    case 'CANCEL':
      return sendCancel(context, entry, row, null);
    default:
      return (await repeatBooking(context, row)) ?? answer(row);
  }
}
