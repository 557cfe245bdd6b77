import { findTreatment } from '@booking/catalogue';
import {
  bookingFailure,
  type ContractBooking,
  type ContractBookingResult,
  type ContractBookingStatus,
  type ContractClinic,
  type ContractPatientInput,
  type ContractSlot,
  type ContractTreatment,
  ProviderError,
  ProviderErrorCode,
} from '@booking/provider-kit';
import type { SubjectOfCareInfo } from './client/buildRequestEnvelope.js';
import type { RivTimeType } from './client/schemas.js';
import type { SoapFaultInfo } from './client/sendSoapRequest.js';
import type { FacilityDetails } from './provider.js';
import { rivtaTimeZone, timeslotInstants } from './rivtaTime.js';
import { providerReferences, slotIds } from './slotReference.js';

/** Time type (tidstyp) id → platform catalogue id. */
export type TreatmentMap = Readonly<Record<string, string>>;

/**
 * The time type codes common in Swedish primary care booking systems, mapped to the catalogue.
 * Codes are the producer's; a unit whose codes differ maps its own in configuration.
 */
export const defaultTreatmentMap: TreatmentMap = Object.freeze({
  LAK20: 'general-practitioner',
  LAK30: 'general-practitioner',
  SSK15: 'nurse-visit',
  VACC10: 'vaccination',
  BVC30: 'child-health',
  BMM30: 'midwife',
  FYS45: 'physiotherapy',
  PSY45: 'psychologist',
});

/** The catalogue treatment a time type stands for, if any. */
export function treatmentIdOf(
  timeTypeId: string | undefined,
  map: TreatmentMap,
): string | undefined {
  if (timeTypeId === undefined) return undefined;
  const id = map[timeTypeId];
  return id && findTreatment(id) ? id : undefined;
}

/** The time type codes that stand for a catalogue treatment; empty when none does. */
export function timeTypesFor(treatmentId: string, map: TreatmentMap): string[] {
  return Object.entries(map)
    .filter(([, id]) => id === treatmentId)
    .map(([code]) => code);
}

/** A facility as a contract clinic: RIV-TA knows only its HSA id and name; the rest is configured. */
export function toContractClinic(
  facility: { hsaId: string; name: string | undefined; timeTypes: readonly RivTimeType[] },
  details: FacilityDetails | undefined,
  map: TreatmentMap,
): ContractClinic {
  const treatmentIds = facility.timeTypes.flatMap((t) => treatmentIdOf(t.timeTypeId, map) ?? []);
  return {
    id: facility.hsaId,
    name: facility.name || details?.name || facility.hsaId,
    address: details?.address
      ? {
          line: details.address.line,
          postalCode: details.address.postalCode ?? null,
          city: details.address.city,
        }
      : null,
    location: details?.location ?? null,
    timeZone: rivtaTimeZone,
    treatmentIds: [...new Set(treatmentIds)],
  };
}

/** The unit's time types that the catalogue knows, with the producer's own names. */
export function toContractTreatments(
  timeTypes: readonly RivTimeType[],
  map: TreatmentMap,
): ContractTreatment[] {
  const seen = new Set<string>();
  return timeTypes.flatMap((timeType) => {
    const id = treatmentIdOf(timeType.timeTypeId, map);
    if (!id || seen.has(timeType.timeTypeId)) return [];
    seen.add(timeType.timeTypeId);
    // RIV-TA time types carry no duration; the slots' own lengths tell it.
    return [
      { id, providerCode: timeType.timeTypeId, name: timeType.timeTypeName, durationMinutes: null },
    ];
  });
}

/** The timeslot fields the mapping reads; a `RivTimeslot` has them all. */
export interface TimeslotFields {
  healthcare_facility: string;
  startTimeInclusive?: string | undefined;
  endTimeExclusive?: string | undefined;
  performer?: string | undefined;
  performerName?: string | undefined;
  timeTypeID?: string | undefined;
  bookingId?: string | undefined;
}

function requireTimes(timeslot: TimeslotFields): { start: string; end: string } {
  if (!timeslot.startTimeInclusive || !timeslot.endTimeExclusive) {
    throw new ProviderError(ProviderErrorCode.BadResponse, 'RIV-TA sent a timeslot without times');
  }
  return { start: timeslot.startTimeInclusive, end: timeslot.endTimeExclusive };
}

/** The contract slot id of a timeslot the producer listed. */
export function slotIdOf(timeslot: TimeslotFields): string {
  const { start, end } = requireTimes(timeslot);
  return slotIds.encode({
    healthcareFacility: timeslot.healthcare_facility,
    performer: timeslot.performer || undefined,
    start,
    end,
    timeTypeId: timeslot.timeTypeID || undefined,
  });
}

/**
 * A RIV-TA timeslot in the contract. Its times are Swedish wall times (see `timeslotInstants` for
 * the repeated autumn hour). The practitioner's name is the timeslot's `performerName`, else
 * what GetAllPerformers said, else the HSA id.
 */
export function toContractSlot(
  timeslot: TimeslotFields,
  map: TreatmentMap,
  performerNames: ReadonlyMap<string, string> = new Map(),
): ContractSlot {
  const times = requireTimes(timeslot);
  const { start, end } = timeslotInstants(times.start, times.end);
  const treatmentId = treatmentIdOf(timeslot.timeTypeID, map);
  const performer = timeslot.performer || undefined;
  return {
    id: slotIdOf(timeslot),
    clinicId: timeslot.healthcare_facility,
    start,
    end,
    treatmentIds: treatmentId ? [treatmentId] : [],
    practitioner: performer
      ? {
          id: performer,
          name: timeslot.performerName || performerNames.get(performer) || performer,
        }
      : null,
    bookingUrl: null,
    capacity: null,
  };
}

/**
 * Where the platform's reservation id travels. MakeBooking has no field for a consumer's
 * reference, but `requestedTimeslot/purpose` (the visit's purpose, free text) is stored by the
 * producer and shown again by GetBookingDetails and GetSubjectOfCareSchedule, which is what
 * reconciliation needs. Staff see it as "Vården:<id>", which also tells them where the booking
 * came from. The patient's own note goes in `notification`, the message to the clinic.
 */
const purposePrefix = 'Vården:';

export function purposeOf(reservationId: string): string {
  return `${purposePrefix}${reservationId}`;
}

/** The reservation id a booking's `purpose` carries, if it is one of ours. */
export function reservationIdOf(purpose: string | undefined): string | undefined {
  return purpose?.startsWith(purposePrefix) ? purpose.slice(purposePrefix.length) : undefined;
}

/**
 * A booked timeslot (GetBookingDetails, GetSubjectOfCareSchedule) as a contract booking, with the
 * time it is booked for now: a booking the care unit moved keeps its id and names its new
 * timeslot, so `slotId`, `start` and `end` follow it.
 */
export function toContractBooking(
  timeslot: TimeslotFields,
  reservationId: string,
  status: ContractBookingStatus,
): ContractBooking {
  if (!timeslot.bookingId) {
    throw new ProviderError(
      ProviderErrorCode.BadResponse,
      'RIV-TA sent a booking without bookingId',
    );
  }
  const times = requireTimes(timeslot);
  const { start, end } = timeslotInstants(times.start, times.end);
  return {
    reservationId,
    slotId: slotIdOf(timeslot),
    start,
    end,
    status,
    providerReference: providerReferences.encode({
      healthcareFacility: timeslot.healthcare_facility,
      bookingId: timeslot.bookingId,
    }),
    expiresAt: null,
  };
}

/** The patient's names and contact details as `subject_of_care_info`. */
export function toSubjectOfCareInfo(patient: ContractPatientInput): SubjectOfCareInfo {
  return {
    phone: patient.phone ?? undefined,
    email: patient.email ?? undefined,
    firstName: patient.givenName,
    lastName: patient.familyName,
  };
}

/** What a `resultText` of a refused booking is about. */
export type RefusalKind = 'timeslot' | 'subject' | 'name' | 'other';

/**
 * RIV-TA says why a booking failed only in free text (`resultText`, usually Swedish). The words
 * producers use for the common cases are recognised; anything else is `other`, and the adapter
 * then looks at the book itself (is the timeslot still free?) instead of trusting prose.
 */
export function classifyRefusal(resultText: string | undefined): RefusalKind {
  const text = (resultText ?? '').toLowerCase();
  if (/personnummer|samordningsnummer|subject.?of.?care|identity number/.test(text))
    return 'subject';
  if (/\bnamn\b|efternamn|förnamn|\bname\b/.test(text)) return 'name';
  if (
    /ledig|upptagen|redan bokad|tiden|passerat|not available|already booked|taken|timeslot/.test(
      text,
    )
  ) {
    return 'timeslot';
  }
  return 'other';
}

/** What a `resultText` of a refused cancellation is about. */
export function classifyCancelRefusal(
  resultText: string | undefined,
): 'unknown' | 'too-late' | 'other' {
  const text = (resultText ?? '').toLowerCase();
  if (/finns inte|okänd|not found|unknown/.test(text)) return 'unknown';
  if (/senare än|för sent|too late|cut-?off/.test(text)) return 'too-late';
  return 'other';
}

/**
 * A booking as the reservation index knows it, without asking the producer. A booking just made
 * is at its slot's time, which the slot id carries; a booking gone from the book has no time the
 * producer still vouches for (the care unit may have moved it before cancelling it).
 */
export function indexedBooking(
  {
    reservationId,
    slotId,
    providerReference,
  }: Pick<ContractBooking, 'reservationId' | 'slotId' | 'providerReference'>,
  status: ContractBooking['status'],
): ContractBooking {
  const key = status === 'BOOKED' ? slotIds.decode(slotId) : undefined;
  const times = key?.ok ? timeslotInstants(key.value.start, key.value.end) : undefined;
  return {
    reservationId,
    slotId,
    status,
    providerReference,
    expiresAt: null,
    start: times?.start ?? null,
    end: times?.end ?? null,
  };
}

/** A fault on a write: the producer refused the request and did nothing. */
export function refused(interaction: string, fault: SoapFaultInfo): ContractBookingResult {
  const code = fault.platformCode ? ` ${fault.platformCode}` : '';
  return bookingFailure(
    'PROVIDER_UNAVAILABLE',
    `the care unit refused ${interaction} (SOAP fault ${fault.faultCode}${code})`,
  );
}
