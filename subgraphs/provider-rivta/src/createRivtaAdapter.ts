import {
  bookingFailure,
  type ContractBooking,
  type ContractBookingResult,
  type ContractSlot,
  identityNumberFailure,
  type ProviderAdapter,
  type ProviderCall,
  reservationReusedFailure,
} from '@booking/provider-kit';
import type { SoapFaultInfo } from './client/sendSoapRequest.js';
import type { ReservationEntry, ReservationIndex } from './createReservationIndex.js';
import type { CatalogueFacility } from './loadRivtaCatalogue.js';
import {
  classifyCancelRefusal,
  classifyRefusal,
  purposeOf,
  reservationIdOf,
  slotIdOf,
  timeTypesFor,
  toContractBooking,
  toContractClinic,
  toContractSlot,
  toContractTreatments,
  toSubjectOfCareInfo,
} from './mapping.js';
import type { RivtaConnection } from './provider.js';
import { windowDates } from './rivtaTime.js';
import { providerReferences, slotIds, type TimeslotKey } from './slotReference.js';

export interface RivtaAdapterOptions {
  /** The care units served, one connection each (`rivtaProvider.connect`). */
  connections: readonly RivtaConnection[];
  /** Where reservations are remembered for `getBooking`, for every connection alike. */
  index: ReservationIndex;
}

type Call = ProviderCall<RivtaConnection, undefined>;

/** A fault on a write: the producer refused the request and did nothing. */
function refused(interaction: string, fault: SoapFaultInfo): ContractBookingResult {
  const code = fault.platformCode ? ` ${fault.platformCode}` : '';
  return bookingFailure(
    'PROVIDER_UNAVAILABLE',
    `the care unit refused ${interaction} (SOAP fault ${fault.faultCode}${code})`,
  );
}

/**
 * RIV-TA crm:scheduling 1.1 behind the provider contract: one connection per care unit (logical
 * address). No holds (the contract has none: the platform holds slots itself); bookings are
 * made with MakeBooking, cancelled with CancelBooking, and found again by the reservation id
 * the booking carries in its `purpose`. Patient data passes through and is never logged.
 */
export function createRivtaAdapter(
  options: RivtaAdapterOptions,
): ProviderAdapter<RivtaConnection, undefined> {
  const { index } = options;

  /** The facility with this HSA id in the connection's catalogue. */
  async function facilityOf(hsaId: string, call: Call): Promise<CatalogueFacility | undefined> {
    const facilities = await call.connection.catalogue.get(call.signal);
    return facilities.find((facility) => facility.hsaId === hsaId);
  }

  /** The free timeslot `key` names, if it is still free. */
  async function freeTimeslot(key: TimeslotKey, call: Call) {
    const { connection } = call;
    const day = key.start.slice(0, 8);
    const free = await connection.client.availableTimeslots(
      {
        healthcareFacility: key.healthcareFacility,
        startDateInclusive: day,
        endDateInclusive: day,
        performers: key.performer ? [key.performer] : undefined,
        timeTypeId: key.timeTypeId,
        subjectOfCare: connection.searchSubjectOfCare,
      },
      call.signal,
    );
    const wanted = slotIds.encode(key);
    return free.find((timeslot) => slotIdOf(timeslot) === wanted);
  }

  /** The patient's booking that carries this reservation id, from their schedule at the facility. */
  async function ownScheduledBooking(
    entry: ReservationEntry,
    reservationId: string,
    call: Call,
  ): Promise<ContractBooking | null> {
    const schedule = await call.connection.client.subjectOfCareSchedule(
      entry.healthcareFacility,
      entry.subjectOfCare,
      call.signal,
    );
    const own = schedule.find((timeslot) => reservationIdOf(timeslot.purpose) === reservationId);
    if (!own) return null;
    index.set(reservationId, { ...entry, bookingId: own.bookingId });
    return toContractBooking(own, reservationId, 'BOOKED');
  }

  /**
   * What the producer knows of a reservation this adapter booked: by booking id when known
   * (GetBookingDetails; a booking it no longer knows was cancelled), else from the patient's
   * schedule (GetSubjectOfCareSchedule), which finds a booking whose answer was lost.
   */
  async function lookUp(
    entry: ReservationEntry,
    reservationId: string,
    call: Call,
  ): Promise<ContractBooking | null> {
    if (!entry.bookingId) return ownScheduledBooking(entry, reservationId, call);
    const details = await call.connection.client.bookingDetails(
      entry.healthcareFacility,
      entry.bookingId,
      call.signal,
    );
    if (details === null) {
      return {
        reservationId,
        slotId: entry.slotId,
        status: 'CANCELLED',
        providerReference: providerReferences.encode({
          healthcareFacility: entry.healthcareFacility,
          bookingId: entry.bookingId,
        }),
        expiresAt: null,
      };
    }
    return reservationIdOf(details.purpose) === reservationId
      ? toContractBooking(details, reservationId, 'BOOKED')
      : null;
  }

  /** A booking found for the reservation: the same slot is a repeat, another slot a misuse. */
  function repeated(booking: ContractBooking, slotId: string): ContractBookingResult {
    return booking.slotId === slotId ? { booking, error: null } : reservationReusedFailure();
  }

  return {
    system: 'rivta',
    connections: options.connections,
    createScope: () => undefined,

    async describe(call) {
      const { connection } = call;
      const facilities = await connection.catalogue.get(call.signal);
      return {
        capabilities: ['API_BOOKING', 'CANCEL', 'RESCHEDULE'],
        holdTtlSeconds: null,
        clinics: facilities.map((facility) =>
          toContractClinic(
            facility,
            connection.facilityDetails[facility.hsaId],
            connection.treatments,
          ),
        ),
        treatments: toContractTreatments(
          facilities.flatMap((facility) => facility.timeTypes),
          connection.treatments,
        ),
      };
    },

    async findSlots(input, call) {
      const { fromMs: from, toMs: to } = input;
      const { connection } = call;
      const treatmentId = input.treatmentId ?? null;
      const practitionerId = input.practitionerId ?? undefined;
      const codes =
        treatmentId === null ? [undefined] : timeTypesFor(treatmentId, connection.treatments);
      // A treatment the unit has no time type for has no slots here; no need to ask.
      if (codes.length === 0) return [];

      const facilities = await connection.catalogue.get(call.signal);
      const wanted = input.clinicIds ? new Set(input.clinicIds) : null;
      const chosen = facilities.filter((facility) => wanted === null || wanted.has(facility.hsaId));
      const { first, last } = windowDates(from, to);
      const queries = chosen.flatMap((facility) =>
        codes
          .filter(
            (code) =>
              code === undefined || facility.timeTypes.some((type) => type.timeTypeId === code),
          )
          .map((timeTypeId) => ({ facility, timeTypeId })),
      );
      const answers = await Promise.all(
        queries.map(async ({ facility, timeTypeId }) => ({
          facility,
          timeslots: await connection.client.availableTimeslots(
            {
              healthcareFacility: facility.hsaId,
              startDateInclusive: first,
              endDateInclusive: last,
              performers: practitionerId ? [practitionerId] : undefined,
              timeTypeId,
              subjectOfCare: connection.searchSubjectOfCare,
            },
            call.signal,
          ),
        })),
      );

      const slots = new Map<string, ContractSlot>();
      for (const { facility, timeslots } of answers) {
        for (const timeslot of timeslots) {
          // Asked per facility: a timeslot of another one is the producer's mistake, not ours.
          if (timeslot.healthcare_facility !== facility.hsaId) continue;
          const slot = toContractSlot(timeslot, connection.treatments, facility.performers);
          // Whole local days were asked for; the kit applies the exact window.
          if (slots.has(slot.id)) continue;
          if (slot.treatmentIds.length === 0) continue;
          if (treatmentId !== null && !slot.treatmentIds.includes(treatmentId)) continue;
          if (practitionerId !== undefined && slot.practitioner?.id !== practitionerId) continue;
          slots.set(slot.id, slot);
        }
      }
      return [...slots.values()];
    },

    async getSlot(slotId, call) {
      const decoded = slotIds.decode(slotId);
      if (!decoded.ok) return null;
      const key = decoded.value;
      const facility = await facilityOf(key.healthcareFacility, call);
      if (!facility) return null;
      const { treatments } = call.connection;
      const free = await freeTimeslot(key, call);
      if (free)
        return { slot: toContractSlot(free, treatments, facility.performers), status: 'FREE' };
      // RIV-TA lists free timeslots only: one that is not listed has been booked (by anyone), or
      // has passed. Either way it cannot be booked; it is reported as BOOKED, provided it could
      // be a timeslot of this facility at all (known performer and time type).
      if (key.performer !== undefined && !facility.performers.has(key.performer)) return null;
      if (
        key.timeTypeId !== undefined &&
        !facility.timeTypes.some((type) => type.timeTypeId === key.timeTypeId)
      ) {
        return null;
      }
      try {
        const slot = toContractSlot(
          {
            healthcare_facility: key.healthcareFacility,
            performer: key.performer,
            startTimeInclusive: key.start,
            endTimeExclusive: key.end,
            timeTypeID: key.timeTypeId,
          },
          treatments,
          facility.performers,
        );
        return { slot, status: 'BOOKED' };
      } catch {
        // Not a time at all (a 31st of February): no slot of this producer.
        return null;
      }
    },

    async getBooking(reservationId, call) {
      const entry = index.get(call.connection.id, reservationId);
      return entry ? lookUp(entry, reservationId, call) : null;
    },

    async book(input, call) {
      const { connection } = call;
      const decoded = slotIds.decode(input.slotId);
      const key = decoded.ok ? decoded.value : undefined;
      if (!key || !(await facilityOf(key.healthcareFacility, call))) {
        return bookingFailure('SLOT_UNAVAILABLE', 'no such timeslot at this care unit');
      }
      const invalid = identityNumberFailure(input.patient);
      if (invalid) return invalid;
      const subjectOfCare = input.patient.personalIdentityNumber;
      const known = index.get(connection.id, input.reservationId);
      if (known) {
        const found = await lookUp(known, input.reservationId, call);
        if (found) return repeated(found, input.slotId);
      }
      // Remembered before the call: if its answer is lost, the booking can still be found.
      const entry: ReservationEntry = {
        connectionId: connection.id,
        healthcareFacility: key.healthcareFacility,
        slotId: input.slotId,
        subjectOfCare,
      };
      index.set(input.reservationId, entry);
      const outcome = await connection.client.makeBooking(
        {
          healthcareFacility: key.healthcareFacility,
          startTimeInclusive: key.start,
          endTimeExclusive: key.end,
          performer: key.performer,
          timeTypeId: key.timeTypeId,
          subjectOfCare,
          subject: toSubjectOfCareInfo(input.patient),
          purpose: purposeOf(input.reservationId),
          notification: input.note ?? undefined,
        },
        call.signal,
      );
      if (!outcome.ok) {
        index.delete(connection.id, input.reservationId);
        return refused('MakeBooking', outcome.fault);
      }
      const result = outcome.value;
      if (result.resultCode !== 'ERROR' && result.bookingId) {
        index.set(input.reservationId, { ...entry, bookingId: result.bookingId });
        const providerReference = providerReferences.encode({
          healthcareFacility: key.healthcareFacility,
          bookingId: result.bookingId,
        });
        // INFO is a booking made with a remark (e.g. the note was shortened); the remark is
        // the producer's prose and may quote the input, so only its presence is logged.
        call.logger.info(
          {
            reservationId: input.reservationId,
            providerReference,
            resultCode: result.resultCode,
          },
          'slot booked',
        );
        return {
          booking: {
            reservationId: input.reservationId,
            slotId: input.slotId,
            status: 'BOOKED',
            providerReference,
            expiresAt: null,
          },
          error: null,
        };
      }

      const kind = classifyRefusal(result.resultText);
      if (kind === 'subject') {
        index.delete(connection.id, input.reservationId);
        return bookingFailure('INVALID_INPUT', 'the care unit rejected the identity number', {
          field: 'patient.personalIdentityNumber',
        });
      }
      if (kind === 'name') {
        index.delete(connection.id, input.reservationId);
        return bookingFailure('INVALID_INPUT', 'the care unit rejected the patient name', {
          field: 'patient.familyName',
        });
      }
      // RIV-TA has no idempotency key: a repeat of a booking whose answer was lost finds its own
      // booking in the timeslot. The patient's schedule tells whether it is ours.
      const own = await ownScheduledBooking(entry, input.reservationId, call);
      if (own) {
        call.logger.info(
          { reservationId: input.reservationId, providerReference: own.providerReference },
          'booking found again',
        );
        return repeated(own, input.slotId);
      }
      index.delete(connection.id, input.reservationId);
      if (kind === 'timeslot' || !(await freeTimeslot(key, call))) {
        return bookingFailure('SLOT_UNAVAILABLE', 'the timeslot is no longer free');
      }
      return bookingFailure('PROVIDER_UNAVAILABLE', 'the care unit refused the booking');
    },

    async cancel(input, call) {
      const { connection } = call;
      const decoded = providerReferences.decode(input.providerReference);
      if (!decoded.ok)
        return bookingFailure('NOT_FOUND', 'not a booking reference of this provider');
      const reference = decoded.value;
      const details = await connection.client.bookingDetails(
        reference.healthcareFacility,
        reference.bookingId,
        call.signal,
      );
      if (details === null) {
        // Gone from the book: cancelled before, if this adapter made it for this reservation.
        const entry = index.get(connection.id, input.reservationId);
        if (entry?.bookingId === reference.bookingId) {
          const gone = await lookUp(entry, input.reservationId, call);
          if (gone) return { booking: gone, error: null };
        }
        return bookingFailure('NOT_FOUND', 'no such booking at the care unit');
      }
      // Never cancel on the strength of a reference alone: it must belong to this reservation.
      if (reservationIdOf(details.purpose) !== input.reservationId) {
        return bookingFailure('NOT_FOUND', 'no booking with this reference for this reservation');
      }
      if (details.cancel_booking_allowed === false) {
        return bookingFailure('NOT_CANCELLABLE', 'the care unit no longer allows cancelling it');
      }
      const outcome = await connection.client.cancelBooking(
        reference.healthcareFacility,
        reference.bookingId,
        call.signal,
      );
      if (!outcome.ok) return refused('CancelBooking', outcome.fault);
      if (outcome.value.resultCode === 'ERROR') {
        const kind = classifyCancelRefusal(outcome.value.resultText);
        return kind === 'unknown'
          ? bookingFailure('NOT_FOUND', 'no such booking at the care unit')
          : kind === 'too-late'
            ? bookingFailure('NOT_CANCELLABLE', 'too late to cancel this booking')
            : bookingFailure('PROVIDER_UNAVAILABLE', 'the care unit refused the cancellation');
      }
      call.logger.info(
        { reservationId: input.reservationId, providerReference: input.providerReference },
        'booking cancelled',
      );
      return {
        booking: toContractBooking(details, input.reservationId, 'CANCELLED'),
        error: null,
      };
    },
  };
}
