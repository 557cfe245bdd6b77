import { type PatientInput, type ValidPatient, validatePatient } from '@varden/booking-sdk/patient';
import type { Ledger, ReservationRecord } from '../../access/ledger/createLedger.js';
import { decodeGlobalId } from '../../engines/globalId.js';
import { mayAccess } from '../../engines/ownership.js';
import type { Caller } from '../models.js';
import { invalid, isOutcome, type Outcome } from './reservationContext.js';

const keyLimits = { min: 1, max: 200 };
const noteLimit = 1000;
const reasonLimit = 500;

export function checkKey(key: string): Outcome | null {
  return key.length < keyLimits.min || key.length > keyLimits.max
    ? invalid('idempotencyKey', `must be ${keyLimits.min} to ${keyLimits.max} characters`)
    : null;
}

export function checkNote(note: string | null | undefined): Outcome | null {
  return (note?.length ?? 0) > noteLimit
    ? invalid('note', `must be at most ${noteLimit} characters`)
    : null;
}

export function checkReason(reason: string | null | undefined): Outcome | null {
  return (reason?.length ?? 0) > reasonLimit
    ? invalid('reason', `must be at most ${reasonLimit} characters`)
    : null;
}

export function checkPatient(patient: PatientInput, now: () => number): ValidPatient | Outcome {
  const checked = validatePatient(patient, { now });
  return checked.ok ? checked.patient : invalid(checked.field, checked.message);
}

export function decodeId(
  type: 'Slot' | 'Reservation',
  id: string,
  field: string,
): { connectionId: string; localId: string } | Outcome {
  try {
    return decodeGlobalId(type, id, field);
  } catch {
    return invalid(field, `is not a ${type.toLowerCase()} id of this API`);
  }
}

/** Malformed ids are rejected before anything (even the idempotency key) is written. */
export function checkId(type: 'Slot' | 'Reservation', id: string, field: string): Outcome | null {
  const decoded = decodeId(type, id, field);
  return isOutcome(decoded) ? decoded : null;
}

/**
 * A reservation the caller may reach (`engines/ownership.ts`), by public id; anyone else's does
 * not exist for it (the same answer as an unknown id, so nothing leaks).
 */
export async function ownReservation(
  ledger: Ledger,
  id: string,
  caller: Caller,
): Promise<ReservationRecord | Outcome> {
  const decoded = decodeId('Reservation', id, 'reservationId');
  if (isOutcome(decoded)) return decoded;
  const row = await ledger.find(decoded.localId).catch(() => undefined);
  if (!row || !mayAccess(caller, row) || row.connection_id !== decoded.connectionId) {
    return invalid('reservationId', 'no such reservation');
  }
  return row;
}
