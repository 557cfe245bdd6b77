import {
  bookingFailure,
  type ContractBooking,
  type ContractBookingResult,
  type ContractBookingStatus,
  type ContractChange,
  type ContractChangeSource,
  type ContractClinic,
  type ContractPatientInput,
  type ContractSlot,
  type ContractSlotStatus,
  type ContractTreatment,
} from '@booking/provider-kit';
import { IANAZone } from 'luxon';
import type { ExpectedFailureStatus } from './client/createFhirClient.js';
import type {
  FhirAppointment,
  FhirCodeableConcept,
  FhirOperationOutcome,
  FhirReference,
  FhirResource,
  FhirSlot,
} from './client/schemas.js';
import type { FhirCatalogue } from './loadFhirCatalogue.js';

/** Identifier system of the platform's reservation id on an Appointment: idempotency and look-up. */
export const reservationSystem = 'urn:booking-platform:reservation';

/** Extension on a held (`pending`) Appointment: when the hold lapses (`valueInstant`). */
export const holdExpiryExtensionUrl = 'urn:booking-platform:hold-expires';

/** HL7's service-type code system, used by Schedule, Slot and HealthcareService. */
export const serviceTypeSystem = 'http://terminology.hl7.org/CodeSystem/service-type';

/** Core extension with a Location's IANA time zone; R4 has no element for it. */
export const timeZoneExtensionUrl = 'http://hl7.org/fhir/StructureDefinition/timezone';

/** HL7 Sweden base profiles: the identifier systems of a Swedish patient. */
export const personnummerSystem = 'http://electronichealth.se/identifier/personnummer';
export const samordningsnummerSystem = 'http://electronichealth.se/identifier/samordningsnummer';

const cancellationReasonSystem =
  'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason';

/**
 * HL7 service-type codes → platform treatment ids (`packages/catalogue`). Codes missing here
 * (e.g. 141 Psychiatry) are dropped: the platform cannot offer what its catalogue lacks.
 */
export const treatmentIdByServiceType: Readonly<Record<string, string>> = Object.freeze({
  '124': 'general-practitioner',
  '59': 'nurse-visit',
  '57': 'vaccination',
  '65': 'physiotherapy',
  '142': 'psychologist',
  '58': 'child-health',
  '88': 'dental-checkup',
});

/**
 * The platform treatments service-type concepts name, in order, with the code and its display.
 * Unknown codes and systems are dropped. R4's HealthcareService has no visit length, so
 * `durationMinutes` is left to the catalogue.
 */
function treatmentsOf(concepts: readonly FhirCodeableConcept[] | undefined): ContractTreatment[] {
  return (concepts ?? []).flatMap((concept) =>
    (concept.coding ?? []).flatMap(({ system, code, display }) => {
      const id = system === serviceTypeSystem && code ? treatmentIdByServiceType[code] : undefined;
      if (!id || !code) return [];
      return [
        { id, providerCode: code, name: display ?? concept.text ?? code, durationMinutes: null },
      ];
    }),
  );
}

/** Platform treatment ids of service-type concepts, in order, unknown codes and systems dropped. */
export function treatmentIdsOf(concepts: readonly FhirCodeableConcept[] | undefined): string[] {
  return [...new Set(treatmentsOf(concepts).map((treatment) => treatment.id))];
}

/** A FHIR instant (any offset) as an RFC 3339 UTC instant. */
export function toUtc(instant: string): string {
  return new Date(instant).toISOString();
}

/**
 * The id in a reference to `type`: `Location/abc`, `https://…/Location/abc` and
 * `Location/abc/_history/3` all give `abc`; a reference to another type gives undefined.
 */
export function referenceId(reference: string | undefined, type: string): string | undefined {
  if (!reference) return undefined;
  const match = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(
    reference,
  );
  return match && match[1] === type ? match[2] : undefined;
}

/** A Location and the services offered there as a contract clinic, in its zone or `fallbackZone`. */
export function toContractClinic(
  location: FhirResource<'Location'>,
  services: readonly FhirResource<'HealthcareService'>[],
  fallbackZone: string,
): ContractClinic {
  const { address, position } = location;
  const line = address?.line?.filter(Boolean).join(', ');
  const zone = location.extension?.find((e) => e.url === timeZoneExtensionUrl)?.valueCode;
  const treatmentIds = services
    .filter((service) =>
      service.location?.some((ref) => referenceId(ref.reference, 'Location') === location.id),
    )
    .flatMap((service) => treatmentIdsOf(service.type));
  return {
    id: location.id,
    name: location.name ?? location.id,
    address:
      line && address?.city
        ? { line, postalCode: address.postalCode ?? null, city: address.city }
        : null,
    location: position ? { latitude: position.latitude, longitude: position.longitude } : null,
    timeZone: zone && IANAZone.isValidZone(zone) ? zone : fallbackZone,
    treatmentIds: [...new Set(treatmentIds)].sort(),
  };
}

/** The treatments the services offer, once each, with the first service type's code and display. */
export function toContractTreatments(
  services: readonly FhirResource<'HealthcareService'>[],
): ContractTreatment[] {
  const byId = new Map<string, ContractTreatment>();
  for (const treatment of services.flatMap((service) => treatmentsOf(service.type))) {
    if (!byId.has(treatment.id)) byId.set(treatment.id, treatment);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** What the adapter knows of one Schedule: whose calendar it is, where, and for what. */
export interface CatalogueSchedule {
  id: string;
  clinicId: string;
  practitioner: { id: string; name: string } | null;
  /** The practitioner actor as referenced, for the Appointment's participants. */
  practitionerReference: FhirReference | null;
  serviceTypes: FhirCodeableConcept[];
  treatmentIds: string[];
}

/**
 * A Slot in the contract. Its treatments are the slot's own `serviceType` when it has any (which
 * R4 says overrides the schedule's), else the schedule's.
 */
export function toContractSlot(slot: FhirSlot, schedule: CatalogueSchedule): ContractSlot {
  const own = treatmentIdsOf(slot.serviceType);
  return {
    id: slot.id,
    clinicId: schedule.clinicId,
    start: toUtc(slot.start),
    end: toUtc(slot.end),
    treatmentIds: own.length > 0 ? own : schedule.treatmentIds,
    practitioner: schedule.practitioner,
    bookingUrl: null,
    capacity: null,
  };
}

/** The schedule of a Slot, when it is one of this organisation's. */
export function scheduleOf(
  slot: FhirSlot,
  catalogue: FhirCatalogue,
): CatalogueSchedule | undefined {
  return catalogue.schedules.get(referenceId(slot.schedule.reference, 'Schedule') ?? '');
}

/** Whether the Appointment is at one of this organisation's clinics (several may share a server). */
export function belongs(appointment: FhirAppointment, catalogue: FhirCatalogue): boolean {
  return appointment.participant.some((participant) => {
    const id = referenceId(participant.actor?.reference, 'Location');
    return catalogue.clinics.some((clinic) => clinic.id === id);
  });
}

/** When a platform hold lapses, as UTC; null on appointments that are not our holds. */
export function holdExpiryOf(appointment: FhirAppointment): string | null {
  const value = appointment.extension?.find((e) => e.url === holdExpiryExtensionUrl)?.valueInstant;
  return value ? toUtc(value) : null;
}

/** A platform hold whose time is up: the Appointment is still `pending`, its expiry passed. */
export function isLapsedHold(appointment: FhirAppointment, now: number): boolean {
  const expiry = holdExpiryOf(appointment);
  return appointment.status === 'pending' && expiry !== null && Date.parse(expiry) <= now;
}

/**
 * Whether only platform holds past their expiry keep a tentative slot: free in all but name. A
 * tentative slot without such a hold among the `pending` Appointments belongs to a live hold or
 * to another client.
 */
export function heldOnlyByLapsed(
  slot: FhirSlot,
  pending: readonly FhirAppointment[],
  now: number,
): boolean {
  const holds = pending.filter((hold) => slotIdOf(hold) === slot.id);
  if (slot.status !== 'busy-tentative' || holds.length === 0) return false;
  return holds.every((hold) => isLapsedHold(hold, now));
}

/** Slot states in the contract; `entered-in-error` is no slot at all. */
const slotStatuses = {
  free: 'FREE',
  'busy-tentative': 'HELD',
  busy: 'BOOKED',
  'busy-unavailable': 'BOOKED',
  'entered-in-error': null,
} as const satisfies Record<FhirSlot['status'], ContractSlotStatus | null>;

/** The state of a slot; `lapsed` when only platform holds past their expiry keep it (free). */
export function slotStatusOf(slot: FhirSlot, lapsed: boolean): ContractSlotStatus | null {
  return slot.status === 'busy-tentative' && lapsed ? 'FREE' : slotStatuses[slot.status];
}

/** Appointment statuses in which the visit stands (booked, or already under way or done). */
export const bookedStatuses: ReadonlySet<FhirAppointment['status']> = new Set([
  'booked',
  'arrived',
  'checked-in',
  'fulfilled',
  'noshow',
]);

export function bookingStatusOf(appointment: FhirAppointment, now: number): ContractBookingStatus {
  // The clinic recorded that the patient did not come: the booking stood, the visit did not happen.
  if (appointment.status === 'noshow') return 'NO_SHOW';
  if (bookedStatuses.has(appointment.status)) return 'BOOKED';
  if (appointment.status === 'cancelled' || appointment.status === 'entered-in-error') {
    return 'CANCELLED';
  }
  // pending, proposed, waitlist: not yet booked. A lapsed hold no longer holds anything.
  return isLapsedHold(appointment, now) ? 'CANCELLED' : 'HELD';
}

/** The slot id an Appointment books, from its first `slot` reference. */
export function slotIdOf(appointment: FhirAppointment): string | undefined {
  return referenceId(appointment.slot?.[0]?.reference, 'Slot');
}

/** The platform reservation id on an Appointment, if it carries one. */
export function reservationIdOf(appointment: FhirAppointment): string | undefined {
  return appointment.identifier?.find((i) => i.system === reservationSystem)?.value;
}

export function toContractBooking(appointment: FhirAppointment, now: number): ContractBooking {
  const status = bookingStatusOf(appointment, now);
  return {
    reservationId: reservationIdOf(appointment) ?? '',
    slotId: slotIdOf(appointment) ?? '',
    status,
    providerReference: appointment.id,
    expiresAt: appointment.status === 'pending' ? holdExpiryOf(appointment) : null,
    // The Appointment's own time: after the clinic moved it, not its first slot's.
    start: appointment.start ? toUtc(appointment.start) : null,
    end: appointment.end ? toUtc(appointment.end) : null,
  };
}

/**
 * A version of an Appointment or Slot as a change, or null when it is none of the platform's
 * business. The same version always has the same id, whether a notification or the catch-up poll
 * brought it, and however often, so the change log keeps it once. Only the platform's own
 * Appointments (with its reservation id) at this organisation's clinics are bookings it follows
 * (`BOOKING_UPDATED`, the booking as it is now); a Slot of its schedules is `SLOT_OPENED` when it
 * is free now, else `SLOT_CLOSED` (booked, held, blocked or withdrawn).
 */
export function toContractChange(
  resource: FhirAppointment | FhirSlot,
  catalogue: FhirCatalogue,
  source: ContractChangeSource,
  now: number,
): ContractChange | null {
  const { versionId, lastUpdated } = resource.meta;
  const change = {
    id: `${resource.resourceType}/${resource.id}/_history/${versionId}`,
    source,
    // When the version was written, else when the subgraph learnt of it.
    occurredAt: lastUpdated ? toUtc(lastUpdated) : new Date(now).toISOString(),
  };
  if (resource.resourceType === 'Appointment') {
    if (!reservationIdOf(resource) || !belongs(resource, catalogue)) return null;
    const booking = toContractBooking(resource, now);
    return { ...change, kind: 'BOOKING_UPDATED', booking, slot: null };
  }
  const schedule = scheduleOf(resource, catalogue);
  if (!schedule) return null;
  const kind = resource.status === 'free' ? 'SLOT_OPENED' : 'SLOT_CLOSED';
  return { ...change, kind, booking: null, slot: toContractSlot(resource, schedule) };
}

/**
 * The identifier of a Swedish patient: a samordningsnummer (coordination number) has 60 added
 * to its day of birth, so a day of 61 or more tells it from a personnummer.
 */
export function patientIdentifier(personalIdentityNumber: string) {
  const day = Number(personalIdentityNumber.slice(6, 8));
  return {
    system: day >= 61 ? samordningsnummerSystem : personnummerSystem,
    value: personalIdentityNumber,
  };
}

/** The contract patient as a FHIR Patient, created once per identity number. */
export function toFhirPatient(patient: ContractPatientInput) {
  const telecom = [
    ...(patient.email ? [{ system: 'email', value: patient.email, use: 'home' }] : []),
    ...(patient.phone ? [{ system: 'phone', value: patient.phone, use: 'mobile' }] : []),
  ];
  return {
    resourceType: 'Patient' as const,
    identifier: [patientIdentifier(patient.personalIdentityNumber)],
    name: [{ use: 'official', family: patient.familyName, given: [patient.givenName] }],
    ...(telecom.length > 0 && { telecom }),
  };
}

/** A cancellation reason: cancelled by the patient through the platform, or a lapsed hold. */
export function cancellationReason(kind: 'patient' | 'lapsed', text?: string | null) {
  const [code, fallback] =
    kind === 'patient'
      ? ['pat-cpp', 'Avbokad via bokningsplattformen']
      : ['other', 'Reservationen löpte ut'];
  return {
    coding: [{ system: cancellationReasonSystem, code }],
    text: (kind === 'patient' && text) || fallback,
  };
}

/** Where in the contract input a FHIR expression (e.g. `Patient.name[0].family`) points. */
function fieldOf(outcome: FhirOperationOutcome): string | undefined {
  const expression = outcome.issue.flatMap((issue) => issue.expression ?? [])[0] ?? '';
  if (/^Patient\.identifier/.test(expression)) return 'patient.personalIdentityNumber';
  return /^Patient\b/.test(expression) ? 'patient' : undefined;
}

/**
 * A refused FHIR write as a typed contract result. The server's own diagnostics are not passed
 * on: they may quote the input, and the input may be patient data.
 */
export function toBookingFailure(
  status: ExpectedFailureStatus,
  outcome: FhirOperationOutcome,
  subject: 'slot' | 'booking',
): ContractBookingResult {
  switch (status) {
    case 404:
    case 410:
      return subject === 'slot'
        ? bookingFailure('SLOT_UNAVAILABLE', 'the slot does not exist (any more)')
        : bookingFailure('NOT_FOUND', 'no such booking at the provider');
    case 409:
    case 412:
      return bookingFailure('SLOT_UNAVAILABLE', 'the slot was changed by someone else');
    case 400:
    case 422: {
      const field = fieldOf(outcome);
      return bookingFailure(
        'INVALID_INPUT',
        'the provider rejected the data',
        field ? { field } : {},
      );
    }
  }
}
