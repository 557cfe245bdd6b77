import {
  bookingFailure,
  type ContractBooking,
  type ContractBookingResult,
  type ContractChange,
  type ContractClinic,
  type ContractErrorCode,
  type ContractPatientInput,
  type ContractSlot,
  type ContractSlotState,
  type ContractTreatment,
  localIntervalToInstants,
  localToInstant,
  ProviderError,
  ProviderErrorCode,
  reservationReusedFailure,
} from '@booking/provider-kit';
import type {
  Booking as VendorBooking,
  Change as VendorChange,
  Clinic as VendorClinic,
  Hold as VendorHold,
  Patient as VendorPatient,
  Service as VendorService,
  Slot as VendorSlot,
  SlotState as VendorSlotState,
} from './__generated__/types.gen.js';
import type { CliniqError, ExpectedFailureStatus } from './client/createCliniqClient.js';

/**
 * Cliniq's own time zone: every installation runs on Swedish wall-clock time. Used for times not
 * tied to a clinic (a hold's `expiresAt`) and for slots of a clinic the tenant no longer lists.
 */
export const cliniqTimeZone = 'Europe/Stockholm';

/**
 * Cliniq service codes → platform treatment ids (`packages/catalogue`). The codes are licensed
 * by Cliniq and the same for every tenant. Codes missing here are dropped: the platform cannot
 * offer a treatment its catalogue does not have.
 */
export const treatmentIdByServiceCode: Readonly<Record<string, string>> = Object.freeze({
  ALLM20: 'general-practitioner',
  SSK15: 'nurse-visit',
  VACC10: 'vaccination',
  FYS45: 'physiotherapy',
  PSY45: 'psychologist',
  BVC30: 'child-health',
});

/** Platform treatment ids for vendor service codes, in the vendor's order, unknown codes dropped. */
export function treatmentIdsOf(serviceCodes: readonly string[]): string[] {
  const ids = serviceCodes.flatMap((code) => treatmentIdByServiceCode[code] ?? []);
  return [...new Set(ids)];
}

/** The vendor service codes that stand for a platform treatment; empty when none does. */
export function serviceCodesFor(treatmentId: string): string[] {
  return Object.entries(treatmentIdByServiceCode)
    .filter(([, id]) => id === treatmentId)
    .map(([code]) => code);
}

export function toContractClinic(clinic: VendorClinic): ContractClinic {
  return {
    id: clinic.id,
    name: clinic.name,
    address: {
      line: clinic.address.street,
      postalCode: clinic.address.postalCode || null,
      city: clinic.address.city,
    },
    location: { latitude: clinic.geo.lat, longitude: clinic.geo.lng },
    timeZone: clinic.timezone,
    treatmentIds: treatmentIdsOf(clinic.serviceCodes),
  };
}

/** The tenant's services that the catalogue knows, with Cliniq's own names and durations. */
export function toContractTreatments(services: readonly VendorService[]): ContractTreatment[] {
  return services.flatMap(({ code, name, durationMinutes }) => {
    const id = treatmentIdByServiceCode[code];
    return id ? [{ id, providerCode: code, name, durationMinutes }] : [];
  });
}

/**
 * Cliniq's wall-clock times (no offset) read as RFC 3339 UTC instants by `read`; a time that cannot
 * be read is the vendor's fault, a bad response naming `what`.
 */
function vendorTime<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (cause) {
    throw new ProviderError(ProviderErrorCode.BadResponse, `Cliniq sent an invalid ${what}`, {
      cause,
    });
  }
}

/**
 * A Cliniq slot in the contract. Its times are wall-clock times in the clinic's zone; in the hour
 * that repeats when summer time ends they are ambiguous, and the earlier instant is taken. An end
 * that would then fall at or before the start (a slot crossing 03:00 → 02:00) takes the later one.
 */
export function toContractSlot(slot: VendorSlot, zone: string): ContractSlot {
  return {
    id: slot.id,
    clinicId: slot.clinicId,
    ...vendorTime('slot time', () => localIntervalToInstants(slot.start, slot.end, zone)),
    treatmentIds: treatmentIdsOf(slot.serviceCodes),
    practitioner: { id: slot.practitionerId, name: slot.practitionerName },
    bookingUrl: null,
    capacity: null,
  };
}

const slotStatus = { free: 'FREE', held: 'HELD', booked: 'BOOKED' } as const;

export function toContractSlotState(slot: VendorSlotState, zone: string): ContractSlotState {
  return { slot: toContractSlot(slot, zone), status: slotStatus[slot.status] };
}

const bookingStatus = {
  booked: 'BOOKED',
  cancelled: 'CANCELLED',
  cancelled_by_clinic: 'CANCELLED',
  no_show: 'NO_SHOW',
} as const;

/**
 * A Cliniq booking in the contract, with its time: the slot's, or the one the clinic moved it to
 * (`slotId` then names the new slot). `zone` is its clinic's.
 */
export function bookingFromVendorBooking(booking: VendorBooking, zone: string): ContractBooking {
  return {
    reservationId: booking.externalRef,
    slotId: booking.slotId,
    status: bookingStatus[booking.status],
    providerReference: booking.bookingId,
    expiresAt: null,
    ...vendorTime('booking time', () => localIntervalToInstants(booking.start, booking.end, zone)),
  };
}

/**
 * A change of Cliniq's feed in the contract, or null when it is none of the platform's business: a
 * booking change is reported only when the clinic made it to a booking made through the API (the
 * platform's; the changes the platform made itself it knows, and patients' own web bookings are
 * not reservations). Slots that open or close are reported whoever made them. `id` is Cliniq's
 * change number within `epoch`, the adapter's count of times the feed started over.
 */
export function toContractChange(
  change: VendorChange,
  zoneOf: (clinicId: string) => string,
  epoch: number,
): ContractChange | null {
  const common = {
    id: `${epoch}.${change.sequence}`,
    source: 'POLL' as const,
    occurredAt: vendorTime('change time', () => localToInstant(change.changedAt, cliniqTimeZone)),
  };
  const { booking, slot } = change;
  if (booking && change.type.startsWith('booking_')) {
    if (change.changedBy !== 'clinic' || booking.channel !== 'api') return null;
    const contract = bookingFromVendorBooking(booking, zoneOf(booking.clinicId));
    return { ...common, kind: 'BOOKING_UPDATED', booking: contract, slot: null };
  }
  if (slot && (change.type === 'slot_opened' || change.type === 'slot_closed')) {
    const kind = change.type === 'slot_opened' ? 'SLOT_OPENED' : 'SLOT_CLOSED';
    return { ...common, kind, booking: null, slot: toContractSlot(slot, zoneOf(slot.clinicId)) };
  }
  return null;
}

/**
 * A Cliniq hold in the contract. A confirmed hold is the booking it became; a released or lapsed
 * one no longer holds anything, so it reads as CANCELLED (its `expiresAt` tells a lapse apart).
 * `expiresAt` is Cliniq local time; in the repeated autumn hour the earlier instant is taken, so
 * the platform never believes a hold lives longer than it does.
 */
export function bookingFromVendorHold(hold: VendorHold): ContractBooking {
  const status = {
    held: 'HELD',
    confirmed: 'BOOKED',
    released: 'CANCELLED',
    expired: 'CANCELLED',
  } as const;
  return {
    reservationId: hold.externalRef,
    slotId: hold.slotId,
    status: status[hold.status],
    providerReference: hold.status === 'confirmed' && hold.bookingId ? hold.bookingId : hold.holdId,
    expiresAt: vendorTime('hold expiry', () => localToInstant(hold.expiresAt, cliniqTimeZone)),
  };
}

/** The contract patient in Cliniq's field names. */
export function toVendorPatient(patient: ContractPatientInput): VendorPatient {
  return {
    personalIdentityNumber: patient.personalIdentityNumber,
    firstName: patient.givenName,
    lastName: patient.familyName,
    ...(patient.email ? { email: patient.email } : {}),
    ...(patient.phone ? { phone: patient.phone } : {}),
  };
}

/** Cliniq's patient field names → the contract input path, for INVALID_INPUT's `field`. */
const patientFields: Readonly<Record<string, string>> = {
  personalIdentityNumber: 'patient.personalIdentityNumber',
  firstName: 'patient.givenName',
  lastName: 'patient.familyName',
  email: 'patient.email',
  phone: 'patient.phone',
};

/** Vendor error code → contract code and a message of our own. */
const failures: Readonly<Record<string, readonly [ContractErrorCode, string]>> = {
  slot_taken: ['SLOT_UNAVAILABLE', 'the slot is already held or booked'],
  slot_in_past: ['SLOT_UNAVAILABLE', 'the slot has already started'],
  slot_not_found: ['SLOT_UNAVAILABLE', 'the slot does not exist (any more)'],
  hold_expired: ['HOLD_EXPIRED', 'the hold has expired'],
  hold_released: ['HOLD_EXPIRED', 'the hold was released'],
  hold_not_found: ['NOT_FOUND', 'no such hold'],
  booking_not_found: ['NOT_FOUND', 'no such booking'],
  hold_confirmed: ['NOT_CANCELLABLE', 'the hold is confirmed: cancel the booking instead'],
  too_late_to_cancel: ['NOT_CANCELLABLE', 'too late to cancel this booking'],
  invalid_patient: ['INVALID_INPUT', 'the provider rejected the patient data'],
};

/** Fallback by status for vendor codes this adapter does not know yet; `invalid_request` is the 400. */
const failuresByStatus: Readonly<
  Record<ExpectedFailureStatus, readonly [ContractErrorCode, string]>
> = {
  400: ['INVALID_INPUT', 'the provider rejected the request'],
  404: ['NOT_FOUND', 'not found at the provider'],
  409: ['SLOT_UNAVAILABLE', 'the provider reported a conflict'],
  410: ['HOLD_EXPIRED', 'the hold is gone'],
  422: ['INVALID_INPUT', 'the provider rejected the data'],
};

/**
 * A Cliniq failure as a typed contract result. The vendor's own `message` is not passed on: it
 * may quote the input, and the input may be patient data.
 */
export function toBookingFailure(
  status: ExpectedFailureStatus,
  error: CliniqError,
): ContractBookingResult {
  if (error.error === 'idempotency_conflict') return reservationReusedFailure();
  const [code, message] = failures[error.error] ?? failuresByStatus[status];
  const field =
    error.error === 'invalid_patient' ? (patientFields[error.field ?? ''] ?? 'patient') : undefined;
  return bookingFailure(code, message, { field });
}
