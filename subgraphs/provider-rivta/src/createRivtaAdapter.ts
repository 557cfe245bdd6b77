import {
  type BookingLookup,
  bookingFailure,
  bookingFound,
  type ContractBooking,
  type ContractBookingResult,
  cannotTell,
  createIndexedBookings,
  identityNumberFailure,
  notBooked,
  type ProviderAdapter,
  type ProviderCall,
  reservationReusedFailure,
} from '@booking/provider-kit';
import type { CatalogueFacility } from './loadRivtaCatalogue.js';
import {
  classifyCancelRefusal,
  classifyRefusal,
  indexedBooking,
  purposeOf,
  refused,
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
import { tsToInstant, windowDates } from './rivtaTime.js';
import {
  providerReferences,
  requestedTimeslot,
  slotIds,
  type TimeslotKey,
} from './slotReference.js';

type Call = ProviderCall<RivtaConnection, undefined>;

/** Most patients of bookings with an outstanding answer kept at once; the oldest go first. */
const maxOutstanding = 10_000;

/**
 * RIV-TA crm:scheduling 1.1 behind the provider contract: one connection per care unit (logical
 * address). No holds (the contract has none: the platform holds slots itself); bookings are
 * made with MakeBooking, cancelled with CancelBooking, and found again by the reservation id
 * the booking carries in its `purpose`. Patient data passes through and is never logged.
 */
export function createRivtaAdapter(
  connections: readonly RivtaConnection[],
): ProviderAdapter<RivtaConnection, undefined> {
  /**
   * The patients of bookings whose answer is still outstanding, by connection and reservation id:
   * what finds such a booking in the patient's schedule. Kept in memory only, never written to
   * the reservation index; after a restart scheduling books again with the patient, which finds it.
   */
  const subjects = new Map<string, string>();
  const subjectKey = (call: Call, reservationId: string) =>
    `${call.connection.id}\n${reservationId}`;

  /** The facility with this HSA id in the connection's catalogue. */
  async function facilityOf(hsaId: string, call: Call): Promise<CatalogueFacility | undefined> {
    const facilities = await call.connection.catalogue.get(call.signal);
    return facilities.find((facility) => facility.hsaId === hsaId);
  }

  /** The free timeslot `key` names, if it is still free. */
  async function freeTimeslot(key: TimeslotKey, call: Call) {
    const { connection } = call;
    const day = key.start.slice(0, 8);
    const { timeslotDetail: free } = await connection.client.read(
      'GetAvailableTimeslots',
      {
        healthcareFacility: key.healthcareFacility,
        startDateInclusive: day,
        endDateInclusive: day,
        performers: key.performer ? [key.performer] : undefined,
        timeTypeId: key.timeTypeId,
        subjectOfCare: connection.searchSubjectOfCare,
      },
      call,
    );
    const wanted = slotIds.encode(key);
    return free.find((timeslot) => slotIdOf(timeslot) === wanted);
  }

  /**
   * The patient's booking that carries this reservation id, from their schedule at the slot's
   * facility, or certainly none there. Without the patient (a restart forgot them) nobody can
   * tell: scheduling's repeated book, which carries the patient, settles it.
   */
  async function ownScheduledBooking(
    { reservationId, slotId }: { reservationId: string; slotId: string },
    call: Call,
    subjectOfCare = subjects.get(subjectKey(call, reservationId)),
  ): Promise<BookingLookup<{ providerReference: string; booking: ContractBooking }>> {
    const key = slotIds.decode(slotId);
    if (!key.ok) return cannotTell('the reservation index holds a slot id of no care unit');
    if (!subjectOfCare) {
      return cannotTell('the patient is needed to search their schedule; a repeated book finds it');
    }
    const { healthcareFacility } = key.value;
    const schedule = await call.connection.client.read(
      'GetSubjectOfCareSchedule',
      { healthcareFacility, subjectOfCare },
      call,
    );
    const own = schedule.timeslotDetail.find(
      (timeslot) => reservationIdOf(timeslot.purpose) === reservationId,
    );
    if (!own) return notBooked();
    subjects.delete(subjectKey(call, reservationId));
    const booking = toContractBooking(own, reservationId, 'BOOKED');
    return bookingFound({ providerReference: booking.providerReference, booking });
  }

  /**
   * A connection's bookings through its reservation index: by booking id when known
   * (GetBookingDetails; a booking the producer no longer knows was cancelled), else from the
   * patient's schedule (GetSubjectOfCareSchedule), which finds a booking whose answer was lost.
   */
  function bookings(call: Call, subjectOfCare?: string) {
    return createIndexedBookings<ContractBooking>({
      index: call.connection.reservations,
      connectionId: call.connection.id,
      async retrieve(providerReference, { reservationId, slotId }) {
        const reference = providerReferences.decode(providerReference);
        if (!reference.ok) return null;
        const details = await call.connection.client.bookingDetails(reference.value, call);
        if (details === null) {
          return indexedBooking({ reservationId, slotId, providerReference }, 'CANCELLED');
        }
        return reservationIdOf(details.purpose) === reservationId
          ? toContractBooking(details, reservationId, 'BOOKED')
          : null;
      },
      settle: (entry) => ownScheduledBooking(entry, call, subjectOfCare),
    });
  }

  /**
   * A booking found for the reservation: the same slot is a repeat, another slot a misuse. The
   * slot the reservation was booked at (its index entry) counts too: a booking the care unit has
   * moved since names its new timeslot, and a repeat of the original book is still a repeat. The
   * index is read only then.
   */
  async function repeated(
    booking: ContractBooking,
    slotId: string,
    call: Call,
  ): Promise<ContractBookingResult> {
    if (booking.slotId === slotId) return { booking, error: null };
    const entry = await call.connection.reservations.get(call.connection.id, booking.reservationId);
    return entry?.slotId === slotId ? { booking, error: null } : reservationReusedFailure();
  }

  return {
    system: 'rivta',
    connections,
    localIds: { slot: (id) => slotIds.decode(id).ok },
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
          timeslots: (
            await connection.client.read(
              'GetAvailableTimeslots',
              {
                healthcareFacility: facility.hsaId,
                startDateInclusive: first,
                endDateInclusive: last,
                performers: practitionerId ? [practitionerId] : undefined,
                timeTypeId,
                subjectOfCare: connection.searchSubjectOfCare,
              },
              call,
            )
          ).timeslotDetail,
        })),
      );

      // Whole local days were asked for; the kit keeps what answers the query, once each.
      return answers.flatMap(({ facility, timeslots }) =>
        timeslots
          // Asked per facility: a timeslot of another one is the producer's mistake, not ours.
          .filter((timeslot) => timeslot.healthcare_facility === facility.hsaId)
          .map((timeslot) => toContractSlot(timeslot, connection.treatments, facility.performers)),
      );
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

    /**
     * What scheduling's sweep of live reservations asks: RIV-TA pushes nothing and has no
     * changed-since listing, so a change the care unit makes (a cancellation, a new time) is
     * found here. One look-up is one index read and one GetBookingDetails: the booking's state
     * now, at its time now (a moved booking keeps its id), or a fault when it is cancelled.
     */
    async getBooking(reservationId, call) {
      const found = await bookings(call).find(reservationId);
      return found.status === 'FOUND' ? bookingFound(found.booking.booking) : found;
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
      const { reservationId, slotId } = input;
      const subjectOfCare = input.patient.personalIdentityNumber;
      // Remembered before the call: if its answer is lost, the booking can still be found.
      subjects.set(subjectKey(call, reservationId), subjectOfCare);
      if (subjects.size > maxOutstanding) subjects.delete(subjects.keys().next().value ?? '');
      const reservation = { reservationId, slotId, startAt: tsToInstant(key.start) };
      const outcome = await bookings(call, subjectOfCare).write(reservation, async () => {
        const made = await connection.client.send(
          'MakeBooking',
          {
            ...requestedTimeslot(key),
            subjectOfCare,
            subject: toSubjectOfCareInfo(input.patient),
            purpose: purposeOf(reservationId),
            notification: input.note ?? undefined,
          },
          call,
        );
        if (!made.ok) return { refused: refused('MakeBooking', made.fault) };
        const result = made.value;
        if (result.resultCode !== 'ERROR' && result.bookingId) {
          const providerReference = providerReferences.encode({
            healthcareFacility: key.healthcareFacility,
            bookingId: result.bookingId,
          });
          // INFO is a booking made with a remark (e.g. the note was shortened); the remark is
          // the producer's prose and may quote the input, so only its presence is logged.
          call.logger.info(
            { reservationId, providerReference, resultCode: result.resultCode },
            'slot booked',
          );
          const booking = indexedBooking({ reservationId, slotId, providerReference }, 'BOOKED');
          return { providerReference, booking };
        }
        const kind = classifyRefusal(result.resultText);
        if (kind === 'subject') {
          return {
            refused: bookingFailure('INVALID_INPUT', 'the care unit rejected the identity number', {
              field: 'patient.personalIdentityNumber',
            }),
          };
        }
        if (kind === 'name') {
          return {
            refused: bookingFailure('INVALID_INPUT', 'the care unit rejected the patient name', {
              field: 'patient.familyName',
            }),
          };
        }
        // RIV-TA has no idempotency key: a repeat of a booking whose answer was lost finds its
        // own booking in the timeslot. The patient's schedule tells whether it is ours.
        const own = await ownScheduledBooking(reservation, call, subjectOfCare);
        if (own.status === 'FOUND') {
          const { providerReference } = own.booking;
          call.logger.info({ reservationId, providerReference }, 'booking found again');
          return own.booking;
        }
        if (kind === 'timeslot' || !(await freeTimeslot(key, call))) {
          return { refused: bookingFailure('SLOT_UNAVAILABLE', 'the timeslot is no longer free') };
        }
        return {
          refused: bookingFailure('PROVIDER_UNAVAILABLE', 'the care unit refused the booking'),
        };
      });
      subjects.delete(subjectKey(call, reservationId));
      return 'refused' in outcome ? outcome.refused : repeated(outcome.booking, slotId, call);
    },

    async cancel(input, call) {
      const { connection } = call;
      const decoded = providerReferences.decode(input.providerReference);
      if (!decoded.ok)
        return bookingFailure('NOT_FOUND', 'not a booking reference of this provider');
      const reference = decoded.value;
      const details = await connection.client.bookingDetails(reference, call);
      if (details === null) {
        // Gone from the book: cancelled before, if this adapter made it for this reservation.
        const gone = await connection.reservations.get(connection.id, input.reservationId);
        if (gone?.providerReference === input.providerReference) {
          return {
            booking: indexedBooking(
              { ...gone, providerReference: input.providerReference },
              'CANCELLED',
            ),
            error: null,
          };
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
      const outcome = await connection.client.send('CancelBooking', reference, call);
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
