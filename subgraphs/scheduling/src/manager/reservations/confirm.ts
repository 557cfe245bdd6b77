import type { PatientInput, ValidPatient } from '@varden/booking-sdk/patient';
import type { DirectoryEntry } from '../../access/createProviderDirectory.js';
import type { ReservationRecord } from '../../access/ledger/createLedger.js';
import { confirmStep, holdLapsed } from '../../engines/reservationRules.js';
import type { Caller } from '../models.js';
import { checkKey, checkNote, checkPatient } from './checkInput.js';
import { expireHold } from './expireHold.js';
import { onceOnOwn } from './once.js';
import {
  answer,
  isOutcome,
  type Outcome,
  providerUnavailable,
  type ReservationContext,
  refused,
  reread,
  slotPublicId,
} from './reservationContext.js';
import { settle } from './settle.js';

/**
 * `confirmReservation`: books a held slot for a patient. A provider's hold is confirmed at the
 * provider; a platform hold is booked there now.
 */
export async function confirm(
  context: ReservationContext,
  caller: Caller,
  input: {
    reservationId: string;
    patient: PatientInput;
    idempotencyKey: string;
    note?: string | null;
  },
): Promise<Outcome> {
  const { ledger, now } = context;
  const bad = checkKey(input.idempotencyKey) ?? checkNote(input.note);
  if (bad) return bad;
  const patient = checkPatient(input.patient, now);
  if (isOutcome(patient)) return patient;
  const note = input.note ?? null;
  const call = {
    key: input.idempotencyKey,
    operation: 'CONFIRM',
    reservationId: input.reservationId,
    input: [patient, note],
  };
  return onceOnOwn(context, caller, call, async (row) => {
    const step = confirmStep(
      { status: row.status, expiresAtMs: row.expires_at?.getTime() ?? null },
      now(),
    );
    if (step.step === 'answer') return answer(row);
    if (step.step === 'refuse') return refused(step, input.reservationId);
    if (step.step === 'expire') {
      await expireHold(context, row);
      return refused(holdLapsed, input.reservationId);
    }
    const entry = context.directory.get(row.connection_id);
    if (!entry) return providerUnavailable(row.connection_id, 'the provider is not connected');
    const pending = await ledger.transition(row.id, {
      from: ['HELD'],
      version: row.version,
      to: 'PENDING',
      pendingOperation: 'CONFIRM',
      resumeStatus: 'HELD',
      operation: 'CONFIRM',
      patientSealed: context.cipher.encrypt(patient),
    });
    if (!pending) return reread(context, row.id);
    const reply = await sendConfirmation(context, entry, row, { patient, note });
    return settle(context, pending, reply, { status: 'HELD', slotId: slotPublicId(row) });
  });
}

/**
 * A hold's confirmation at its provider, under the reservation id: the provider's own hold is
 * confirmed, a platform hold is booked there now.
 */
export function sendConfirmation(
  context: ReservationContext,
  entry: DirectoryEntry,
  row: ReservationRecord,
  input: { patient: ValidPatient; note: string | null },
) {
  const booking = { reservationId: row.id, ...input };
  return row.hold_kind === 'PROVIDER'
    ? context.providers.confirm(entry, {
        ...booking,
        providerReference: row.provider_reference ?? '',
      })
    : context.providers.book(entry, { ...booking, slotId: row.slot_id });
}
