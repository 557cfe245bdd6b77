import { randomUUID } from 'node:crypto';
import type { PatientInput, ValidPatient } from '@varden/booking-sdk/patient';
import type { ReservationOwner } from '../../access/ledger/createLedger.js';
import type { Caller } from '../models.js';
import {
  nameReservation,
  newReservationIdAttribute,
  originOfNewReservation,
  reservationIdAttribute,
} from '../reservationSpans.js';
import { type BookableSlot, bookableSlot } from './bookableSlot.js';
import { checkId, checkKey, checkNote, checkPatient } from './checkInput.js';
import { onceForSlot } from './once.js';
import {
  insertLost,
  isOutcome,
  type Outcome,
  type ReservationContext,
} from './reservationContext.js';
import { settle } from './settle.js';

/** `reserveSlot`: books a free slot for a patient in one provider call. */
export async function reserve(
  context: ReservationContext,
  caller: Caller,
  input: { slotId: string; patient: PatientInput; idempotencyKey: string; note?: string | null },
): Promise<Outcome> {
  const bad =
    checkKey(input.idempotencyKey) ??
    checkNote(input.note) ??
    checkId('Slot', input.slotId, 'slotId');
  if (bad) return bad;
  const patient = checkPatient(input.patient, context.now);
  if (isOutcome(patient)) return patient;
  const note = input.note ?? null;
  const call = {
    key: input.idempotencyKey,
    operation: 'RESERVE',
    input: [input.slotId, patient, note],
    reservationId: randomUUID(),
    slotId: input.slotId,
  };
  return onceForSlot(context, caller, call, async (reservationId) => {
    const slot = await bookableSlot(context, input.slotId, 'slotId', null);
    if (isOutcome(slot)) return slot;
    return bookNew(context, {
      reservationId,
      owner: caller,
      slot,
      slotId: input.slotId,
      patient,
      note,
    });
  });
}

/** Books a new reservation for a patient in one provider call (reserveSlot and reschedule). */
export async function bookNew(
  context: ReservationContext,
  booking: {
    reservationId: string;
    /** Whom the new reservation belongs to. */
    owner: ReservationOwner;
    slot: BookableSlot;
    /** The slot's public id, as the client sent it. */
    slotId: string;
    patient: ValidPatient;
    note: string | null;
    /** The reservation a reschedule replaces. */
    rescheduledFrom?: string;
  },
): Promise<Outcome> {
  const { slot } = booking;
  const row = await context.ledger.insert({
    id: booking.reservationId,
    clientId: booking.owner.clientId,
    subject: booking.owner.subject,
    connectionId: slot.entry.connection.id,
    slotId: slot.localId,
    status: 'PENDING',
    pendingOperation: 'BOOK',
    holdKind: null,
    expiresAt: null,
    snapshot: slot.snapshot,
    patientSealed: context.cipher.encrypt(booking.patient),
    rescheduledFrom: booking.rescheduledFrom ?? null,
    originTraceparent: originOfNewReservation(),
  });
  if (!row) return insertLost(context, booking.reservationId, booking.slotId);
  nameReservation(
    row,
    booking.rescheduledFrom ? newReservationIdAttribute : reservationIdAttribute,
  );
  const reply = await context.providers.book(slot.entry, {
    slotId: row.slot_id,
    reservationId: row.id,
    patient: booking.patient,
    note: booking.note,
  });
  return settle(context, row, reply, { status: 'FAILED', slotId: booking.slotId });
}
