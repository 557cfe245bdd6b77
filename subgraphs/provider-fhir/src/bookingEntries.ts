import type { ContractPatientInput } from '@booking/provider-kit';
import { escapeSearchValue, type TransactionEntry } from './client/createFhirClient.js';
import type { FhirAppointment, FhirSlot } from './client/schemas.js';
import {
  type CatalogueSchedule,
  cancellationReason,
  holdExpiryExtensionUrl,
  patientIdentifier,
  reservationSystem,
  toFhirPatient,
} from './mapping.js';

/**
 * The transaction bundles the adapter sends. Every one changes the Slot with `If-Match` on the
 * version it read, so a write by anyone in between fails the whole transaction with 412 and
 * nothing of it remains: no Appointment without its slot taken, no slot taken without its
 * Appointment. The index of the Appointment entry is returned with each.
 */

const ifMatch = (resource: { meta: { versionId: string } }) => `W/"${resource.meta.versionId}"`;

function putSlot(slot: FhirSlot, status: FhirSlot['status']): TransactionEntry {
  return {
    resource: { ...slot, status },
    request: { method: 'PUT', url: `Slot/${slot.id}`, ifMatch: ifMatch(slot) },
  };
}

/** Creates the Patient unless one with the identity number exists; referenced by `fullUrl`. */
function patientEntry(patient: ContractPatientInput): TransactionEntry {
  const resource = toFhirPatient(patient);
  const identifier = patientIdentifier(patient.personalIdentityNumber);
  return {
    fullUrl: `urn:uuid:${crypto.randomUUID()}`,
    resource,
    request: {
      method: 'POST',
      url: 'Patient',
      ifNoneExist: `identifier=${encodeURIComponent(`${identifier.system}|${identifier.value}`)}`,
    },
  };
}

function reservationIdentifier(reservationId: string) {
  return { system: reservationSystem, value: reservationId };
}

/** The Appointment for `slot`, with the practitioner and the clinic as participants. */
function newAppointment(
  slot: FhirSlot,
  schedule: CatalogueSchedule,
  reservationId: string,
  now: number,
): Record<string, unknown> & { participant: unknown[] } {
  const serviceType = slot.serviceType ?? schedule.serviceTypes;
  return {
    resourceType: 'Appointment',
    identifier: [reservationIdentifier(reservationId)],
    ...(serviceType.length > 0 && { serviceType }),
    slot: [{ reference: `Slot/${slot.id}` }],
    start: slot.start,
    end: slot.end,
    created: new Date(now).toISOString(),
    participant: [
      ...(schedule.practitionerReference
        ? [{ actor: schedule.practitionerReference, status: 'accepted' }]
        : []),
      { actor: { reference: `Location/${schedule.clinicId}` }, status: 'accepted' },
    ],
  };
}

/** Created only if no Appointment carries the reservation id yet: a repeat cannot duplicate it. */
function postAppointment(
  resource: Record<string, unknown>,
  reservationId: string,
): TransactionEntry {
  const search = `${reservationSystem}|${escapeSearchValue(reservationId)}`;
  return {
    fullUrl: `urn:uuid:${crypto.randomUUID()}`,
    resource: { resourceType: 'Appointment', ...resource },
    request: {
      method: 'POST',
      url: 'Appointment',
      ifNoneExist: `identifier=${encodeURIComponent(search)}`,
    },
  };
}

/** One write's transaction, and which of its entries is the Appointment. */
export interface Written {
  entries: TransactionEntry[];
  appointmentIndex: number;
}

/** Hold: Appointment `pending` with its expiry, Slot `busy-tentative`. */
export function holdEntries(
  slot: FhirSlot,
  schedule: CatalogueSchedule,
  reservationId: string,
  now: number,
  expiresAt: string,
): Written {
  const appointment = {
    ...newAppointment(slot, schedule, reservationId, now),
    status: 'pending',
    extension: [{ url: holdExpiryExtensionUrl, valueInstant: expiresAt }],
  };
  return {
    entries: [postAppointment(appointment, reservationId), putSlot(slot, 'busy-tentative')],
    appointmentIndex: 0,
  };
}

/** Direct booking: the Patient (found or created), Appointment `booked`, Slot `busy`. */
export function bookEntries(
  slot: FhirSlot,
  schedule: CatalogueSchedule,
  input: { reservationId: string; patient: ContractPatientInput; note?: string | null | undefined },
  now: number,
): Written {
  const patient = patientEntry(input.patient);
  const appointment = newAppointment(slot, schedule, input.reservationId, now);
  return {
    entries: [
      patient,
      postAppointment(
        {
          ...appointment,
          status: 'booked',
          ...(input.note && { comment: input.note }),
          participant: [
            { actor: { reference: patient.fullUrl }, status: 'accepted' },
            ...appointment.participant,
          ],
        },
        input.reservationId,
      ),
      putSlot(slot, 'busy'),
    ],
    appointmentIndex: 1,
  };
}

/** Confirmation of a hold: the Patient joins, Appointment `booked` (expiry dropped), Slot `busy`. */
export function confirmEntries(
  appointment: FhirAppointment,
  slot: FhirSlot,
  input: { patient: ContractPatientInput; note?: string | null | undefined },
): Written {
  const patient = patientEntry(input.patient);
  const extension = (appointment.extension ?? []).filter((e) => e.url !== holdExpiryExtensionUrl);
  const { extension: _dropped, ...rest } = appointment;
  return {
    entries: [
      patient,
      {
        resource: {
          ...rest,
          ...(extension.length > 0 && { extension }),
          status: 'booked',
          ...(input.note && { comment: input.note }),
          participant: [
            { actor: { reference: patient.fullUrl }, status: 'accepted' },
            ...appointment.participant,
          ],
        },
        request: {
          method: 'PUT',
          url: `Appointment/${appointment.id}`,
          ifMatch: ifMatch(appointment),
        },
      },
      putSlot(slot, 'busy'),
    ],
    appointmentIndex: 1,
  };
}

/**
 * Cancels an Appointment (a booking, or a hold that is released or lapsed) and frees its slot.
 * `slot` is null when the slot should be left alone: someone else has since changed it.
 */
export function releaseEntries(
  appointment: FhirAppointment,
  slot: FhirSlot | null,
  reason: { kind: 'patient' | 'lapsed'; text?: string | null | undefined },
): Written {
  return {
    entries: [
      {
        resource: {
          ...appointment,
          status: 'cancelled',
          cancelationReason: cancellationReason(reason.kind, reason.text),
        },
        request: {
          method: 'PUT',
          url: `Appointment/${appointment.id}`,
          ifMatch: ifMatch(appointment),
        },
      },
      ...(slot ? [putSlot(slot, 'free')] : []),
    ],
    appointmentIndex: 0,
  };
}
