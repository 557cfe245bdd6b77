import type { ValidPatient } from '@varden/booking-sdk/patient';
import type { ReservationRecord } from '../../access/ledger/createLedger.js';
import { sendConfirmation } from './confirm.js';
import { type Outcome, type ReservationContext, slotPublicId } from './reservationContext.js';
import { settle } from './settle.js';

/**
 * Sends a PENDING booking's or confirmation's request again, with the same reservation id.
 * Providers book and confirm idempotently by that id, so this records what was made but not
 * looked up (some protocols cannot look up by the platform's id alone) or makes what the patient
 * asked for. The note is not kept in the ledger and is not sent again. Null: nothing to repeat.
 * `onlyBookingSettles`: the look-up could not tell, so only a booking answered settles the row.
 */
export async function repeatBooking(
  context: ReservationContext,
  row: ReservationRecord,
  onlyBookingSettles = false,
): Promise<Outcome | null> {
  const entry = context.directory.get(row.connection_id);
  if (!entry || !row.patient_sealed) return null;
  const patient = context.cipher.decrypt<ValidPatient>(row.patient_sealed);
  const booking = { reservationId: row.id, patient, note: null };
  const slotId = slotPublicId(row);
  if (row.pending_operation === 'BOOK') {
    const reply = await context.providers.book(entry, { ...booking, slotId: row.slot_id });
    return settle(context, row, reply, { status: 'FAILED', slotId }, onlyBookingSettles);
  }
  if (row.pending_operation !== 'CONFIRM') return null;
  const reply = await sendConfirmation(context, entry, row, { patient, note: null });
  return settle(context, row, reply, { status: 'HELD', slotId }, onlyBookingSettles);
}
