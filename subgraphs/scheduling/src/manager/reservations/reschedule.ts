import { randomUUID } from 'node:crypto';
import type { ValidPatient } from '@varden/booking-sdk/patient';
import type { ReservationRecord } from '../../access/ledger/createLedger.js';
import { afterMoveStep, rescheduleStep } from '../../engines/reservationRules.js';
import type { Caller } from '../models.js';
import { bookableSlot } from './bookableSlot.js';
import { cancelAtProvider } from './cancelAtProvider.js';
import { checkId, checkKey } from './checkInput.js';
import { onceOnOwn } from './once.js';
import { isOutcome, type Outcome, type ReservationContext, refused } from './reservationContext.js';
import { bookNew } from './reserve.js';

/**
 * `rescheduleReservation`: books the new slot first, then cancels the old booking, so that if
 * anything fails the original booking is untouched; if the old one cannot be cancelled any more,
 * the new one is given back rather than double-booked.
 */
export async function reschedule(
  context: ReservationContext,
  caller: Caller,
  input: { reservationId: string; newSlotId: string; idempotencyKey: string },
): Promise<Outcome> {
  const { ledger, logger } = context;
  const bad = checkKey(input.idempotencyKey) ?? checkId('Slot', input.newSlotId, 'newSlotId');
  if (bad) return bad;
  const newReservationId = randomUUID();
  const call = {
    key: input.idempotencyKey,
    operation: 'RESCHEDULE',
    reservationId: input.reservationId,
    input: [input.newSlotId],
  };
  return onceOnOwn(context, caller, call, async (old) => {
    const step = rescheduleStep({ status: old.status, hasPatient: Boolean(old.patient_sealed) });
    if (step.step !== 'move') return refused(step, input.reservationId);
    const slot = await bookableSlot(
      context,
      input.newSlotId,
      'newSlotId',
      old.slot_snapshot.requestedTreatmentId,
    );
    if (isOutcome(slot)) return slot;
    const booked = await bookNew(context, {
      reservationId: newReservationId,
      // The new booking belongs to whoever owned the old one, whoever moved it.
      owner: { clientId: old.client_id, subject: old.subject },
      slot,
      slotId: input.newSlotId,
      patient: context.cipher.decrypt<ValidPatient>(old.patient_sealed!),
      note: null,
      rescheduledFrom: old.id,
    });
    if (booked.__typename !== 'ReservationResult' || booked.reservation.status !== 'CONFIRMED') {
      return booked;
    }
    // Cancelled, or PENDING: the reconciler finishes the cancel.
    if (afterMoveStep((await ledger.find(old.id))!.status) === 'done') return booked;
    // The old booking could not be cancelled: give the new one back rather than double-book.
    const undo = await cancelAtProvider(context, booked.reservation, 'reschedule undone');
    logger.warn(
      { reservation: old.id, undo: undo.__typename },
      'reschedule undone: old booking not cancellable',
    );
    return refused(
      {
        outcome: 'NotCancellable',
        message: 'the original booking cannot be cancelled any more, so it was not moved',
      },
      input.reservationId,
    );
  });
}

/** Cancels the reservation a confirmed reschedule replaced; the reconciler retries on doubt. */
export async function finishReschedule(
  context: ReservationContext,
  replacement: ReservationRecord,
): Promise<Outcome | null> {
  const old = await context.ledger.find(replacement.rescheduled_from!);
  if (old?.status !== 'CONFIRMED') return null;
  return cancelAtProvider(context, old, 'rescheduled');
}
