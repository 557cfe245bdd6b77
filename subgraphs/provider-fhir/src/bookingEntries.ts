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
 * Appointment.
 */

type Resource = { resourceType: string } & Record<string, unknown>;
type BookingInput = { patient: ContractPatientInput; note?: string | null | undefined };

/** An update of a resource as it was read: fails with 412 if anyone wrote it since. */
function put(resource: Resource & { id: string; meta: { versionId: string } }): TransactionEntry {
  const { resourceType, id, meta } = resource;
  return {
    resource,
    request: { method: 'PUT', url: `${resourceType}/${id}`, ifMatch: `W/"${meta.versionId}"` },
  };
}

/**
 * A create skipped when a resource with the identifier exists (a repeat cannot duplicate it),
 * referenced by its `fullUrl` from the other entries.
 */
function createOnce(resource: Resource, identifier: { system: string; value: string }) {
  const search = `${identifier.system}|${escapeSearchValue(identifier.value)}`;
  return {
    fullUrl: `urn:uuid:${crypto.randomUUID()}`,
    resource,
    request: {
      method: 'POST',
      url: resource.resourceType,
      ifNoneExist: `identifier=${encodeURIComponent(search)}`,
    },
  } satisfies TransactionEntry;
}

/** The Patient, found or created by identity number. */
function createPatient(patient: ContractPatientInput) {
  return createOnce(toFhirPatient(patient), patientIdentifier(patient.personalIdentityNumber));
}

/** The Appointment for `slot`, with the practitioner and the clinic as participants. */
function newAppointment(slot: FhirSlot, schedule: CatalogueSchedule, now: number) {
  const serviceType = slot.serviceType ?? schedule.serviceTypes;
  return {
    resourceType: 'Appointment',
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

/** The Appointment `booked`, the patient (a `fullUrl`) its first participant, the note its comment. */
function booked<A extends { participant: unknown[] }>(
  appointment: A,
  patient: string,
  note?: string | null,
) {
  return {
    ...appointment,
    status: 'booked',
    ...(note && { comment: note }),
    participant: [
      { actor: { reference: patient }, status: 'accepted' },
      ...appointment.participant,
    ],
  };
}

/** Created once per reservation id: a repeat finds the first. */
function postAppointment(appointment: Resource, reservationId: string) {
  const identifier = { system: reservationSystem, value: reservationId };
  return createOnce({ ...appointment, identifier: [identifier] }, identifier);
}

/** What a hold (no patient) or a direct booking says. */
export type TakeEntriesInput = { reservationId: string; slotId: string } & Partial<BookingInput>;

/**
 * Hold: Appointment `pending` with its expiry, Slot `busy-tentative`. Direct booking: the Patient
 * (found or created), Appointment `booked`, Slot `busy`.
 */
export function takeEntries(
  slot: FhirSlot,
  schedule: CatalogueSchedule,
  input: TakeEntriesInput,
  now: number,
  holdTtlSeconds: number,
): TransactionEntry[] {
  const appointment = newAppointment(slot, schedule, now);
  const { patient, reservationId } = input;
  if (!patient) {
    const expiresAt = new Date(now + holdTtlSeconds * 1000).toISOString();
    const extension = [{ url: holdExpiryExtensionUrl, valueInstant: expiresAt }];
    const held = postAppointment({ ...appointment, status: 'pending', extension }, reservationId);
    return [held, put({ ...slot, status: 'busy-tentative' })];
  }
  const patientEntry = createPatient(patient);
  const booking = booked(appointment, patientEntry.fullUrl, input.note);
  return [patientEntry, postAppointment(booking, reservationId), put({ ...slot, status: 'busy' })];
}

/** Confirmation of a hold: the Patient joins, Appointment `booked` (expiry dropped), Slot `busy`. */
export function confirmEntries(
  appointment: FhirAppointment,
  slot: FhirSlot,
  input: BookingInput,
): TransactionEntry[] {
  const patient = createPatient(input.patient);
  const extension = appointment.extension?.filter((e) => e.url !== holdExpiryExtensionUrl);
  // An element left undefined is left out of the JSON sent.
  const confirmed = { ...appointment, extension: extension?.length ? extension : undefined };
  return [
    patient,
    put(booked(confirmed, patient.fullUrl, input.note)),
    put({ ...slot, status: 'busy' }),
  ];
}

/**
 * Cancels an Appointment (a booking, or a hold that is released or lapsed) and frees its slot.
 * `slot` is null when the slot should be left alone: someone else has since changed it.
 */
export function releaseEntries(
  appointment: FhirAppointment,
  slot: FhirSlot | null,
  reason: { kind: 'patient' | 'lapsed'; text?: string | null | undefined },
): TransactionEntry[] {
  const cancelationReason = cancellationReason(reason.kind, reason.text);
  return [
    put({ ...appointment, status: 'cancelled', cancelationReason }),
    ...(slot ? [put({ ...slot, status: 'free' })] : []),
  ];
}
