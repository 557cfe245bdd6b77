import {
  type AdapterContext,
  bookingFailure,
  bookingFound,
  type ContractBookingResult,
  type ContractPatientInput,
  identityNumberFailure,
  notBooked,
  type ProviderAdapter,
  type ProviderCall,
  reservationReusedFailure,
} from '@booking/provider-kit';
import {
  confirmEntries,
  releaseEntries,
  type TakeEntriesInput,
  takeEntries,
} from './bookingEntries.js';
import {
  isConflict,
  type TransactionEntry,
  unexpected,
  writtenResource,
} from './client/createFhirClient.js';
import { type FhirAppointment, type FhirSlot, fhirId } from './client/schemas.js';
import { bookableSlots, findAppointment, holdsOn } from './fhirReads.js';
import {
  belongs,
  bookedStatuses,
  heldOnlyByLapsed,
  isLapsedHold,
  reservationIdOf,
  scheduleOf,
  slotIdOf,
  slotStatusOf,
  toBookingFailure,
  toContractBooking,
  toContractSlot,
} from './mapping.js';
import type { FhirConnection, FhirSettings } from './provider.js';

type Call = ProviderCall<FhirConnection, undefined>;

/** Tries of a read-check-write cycle that keeps meeting other writers (412) before giving up. */
const maxAttempts = 3;

/** The typed answer when the slot cannot be had, saying why. */
const unavailable = (why: string) => bookingFailure('SLOT_UNAVAILABLE', why);

/**
 * A FHIR R4 scheduling server behind the provider contract: one connection per organisation.
 * Finding is a Slot search by the organisation's Schedules; booking, holding, confirming and
 * cancelling are each one transaction that writes the Appointment and the Slot together, the Slot
 * with `If-Match` on the version read, so no other client's write can be lost or overtaken.
 * Patient data passes through to the server and is never logged.
 */
export function createFhirAdapter(
  connections: readonly FhirConnection[],
  /** `now`: epoch ms for hold expiry, lapsed holds and slots that have started. */
  { now }: AdapterContext<FhirSettings>,
): ProviderAdapter<FhirConnection, undefined> {
  const catalogueOf = (call: Call) => call.connection.catalogue.get(call.signal);
  const answer = (appointment: FhirAppointment): ContractBookingResult => ({
    booking: toContractBooking(appointment, now()),
    error: null,
  });
  // A booking is logged by its reservation id and Appointment id only: never patient data.
  const logged = (appointment: FhirAppointment) => ({
    reservationId: reservationIdOf(appointment),
    providerReference: appointment.id,
  });
  const slotOf = (appointment: FhirAppointment, call: Call) => {
    const slotId = slotIdOf(appointment);
    return slotId ? call.connection.client.read('Slot', slotId, call) : null;
  };

  /**
   * Writes a booking's transaction and answers with the Appointment written, logged as `event`;
   * `conflict` when someone wrote the slot or Appointment since it was read (read again).
   */
  async function commit(
    entries: TransactionEntry[],
    event: string,
    subject: 'slot' | 'booking',
    call: Call,
  ): Promise<ContractBookingResult | 'conflict'> {
    const written = await call.connection.client.transaction(entries, call);
    if (isConflict(written)) return 'conflict';
    if (!written.ok) return toBookingFailure(written.status, written.error, subject);
    const appointment = writtenResource(written.value, 'Appointment', event);
    call.logger.info(logged(appointment), event);
    return answer(appointment);
  }

  /**
   * Cancels a platform hold past its expiry and frees `slot` (null: leaves it alone), both
   * version-aware: the slot as freed, or `conflict` when someone changed either in the meantime.
   */
  async function releaseLapsed(hold: FhirAppointment, slot: FhirSlot | null, call: Call) {
    const entries = releaseEntries(hold, slot, { kind: 'lapsed' });
    const released = await call.connection.client.transaction(entries, call);
    if (isConflict(released)) return 'conflict';
    if (!released.ok) return unexpected('release lapsed hold', released);
    call.logger.info(logged(hold), 'lapsed hold released');
    return slot && writtenResource(released.value, 'Slot', 'release lapsed hold');
  }

  /** Hold or book a free slot: one version-aware transaction, retried when someone wrote first. */
  async function take(input: TakeEntriesInput, call: Call): Promise<ContractBookingResult> {
    const catalogue = await catalogueOf(call);
    for (let attempt = 1; ; attempt += 1) {
      // First, and after every conflict: the writer may have been a repeat of this very request,
      // answered with what was made the first time.
      const existing = await findAppointment(input.reservationId, call);
      if (existing) {
        if (slotIdOf(existing) !== input.slotId || !belongs(existing, catalogue)) {
          return reservationReusedFailure();
        }
        // Booking a slot this reservation holds is confirming the hold, lapsed or not: the
        // version-aware write still guarantees nobody took the slot since.
        const { patient, note } = input;
        return patient && existing.status === 'pending'
          ? confirmHold(existing, { patient, note }, true, call)
          : answer(existing);
      }
      if (attempt > maxAttempts) return unavailable('the slot kept changing while booking it');
      let slot = await call.connection.client.read('Slot', input.slotId, call);
      const schedule = slot && scheduleOf(slot, catalogue);
      if (!slot || !schedule) return unavailable('the slot does not exist (any more)');
      if (Date.parse(slot.start) <= now()) return unavailable('the slot has already started');
      if (slot.status === 'busy-tentative') {
        const holds = await holdsOn(slot.id, call);
        const lapsed = holds.length === 1 && heldOnlyByLapsed(slot, holds, now());
        if (!lapsed) return unavailable('the slot is held');
        const freed = await releaseLapsed(holds[0]!, slot, call);
        if (freed === 'conflict') continue;
        slot = freed;
      }
      if (slot?.status !== 'free') return unavailable('the slot is already booked');
      const entries = takeEntries(slot, schedule, input, now(), call.connection.holdTtlSeconds);
      const event = input.patient ? 'slot booked' : 'slot held';
      const result = await commit(entries, event, 'slot', call);
      if (result !== 'conflict') return result;
    }
  }

  /** Turns a held Appointment into a booking; `acceptLapsed` for a direct booking of the same slot. */
  async function confirmHold(
    held: FhirAppointment,
    input: { patient: ContractPatientInput; note?: string | null | undefined },
    acceptLapsed: boolean,
    call: Call,
  ): Promise<ContractBookingResult> {
    const { client } = call.connection;
    let appointment: FhirAppointment | null = held;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      if (attempt > 1) appointment = await client.read('Appointment', held.id, call);
      if (!appointment) return bookingFailure('NOT_FOUND', 'the hold no longer exists');
      if (bookedStatuses.has(appointment.status)) return answer(appointment);
      if (appointment.status !== 'pending') {
        return bookingFailure('HOLD_EXPIRED', 'the hold was released');
      }
      const slot = await slotOf(appointment, call);
      const tentative = slot?.status === 'busy-tentative' ? slot : null;
      if (isLapsedHold(appointment, now()) && !acceptLapsed) {
        // Released for whoever wants the slot; a conflict means someone is already at it.
        await releaseLapsed(appointment, tentative, call);
        return bookingFailure('HOLD_EXPIRED', 'the hold has expired');
      }
      if (!tentative) return unavailable('the held slot was changed by someone else');
      const entries = confirmEntries(appointment, tentative, input);
      const result = await commit(entries, 'hold confirmed', 'booking', call);
      if (result !== 'conflict') return result;
    }
    return unavailable('the hold kept changing while confirming it');
  }

  /** The Appointment a confirm or cancel names, if it is this reservation's at this organisation. */
  async function ownAppointment(reference: string, reservationId: string, call: Call) {
    const [appointment, catalogue] = await Promise.all([
      call.connection.client.read('Appointment', reference, call),
      catalogueOf(call),
    ]);
    const own = appointment && reservationIdOf(appointment) === reservationId;
    return own && belongs(appointment, catalogue) ? appointment : null;
  }

  return {
    system: 'fhir',
    connections,
    localIds: { slot: (id) => fhirId.safeParse(id).success },
    createScope: () => undefined,

    async describe(call) {
      const catalogue = await catalogueOf(call);
      return {
        capabilities: ['API_BOOKING', 'HOLDS', 'CANCEL', 'RESCHEDULE'],
        holdTtlSeconds: call.connection.holdTtlSeconds,
        clinics: catalogue.clinics,
        treatments: catalogue.treatments,
      };
    },

    async findSlots(input, call) {
      const { clinicIds, practitionerId, treatmentId } = input;
      const catalogue = await catalogueOf(call);
      // Only schedules that can have what is asked are searched; the kit filters what is found.
      const schedules = [...catalogue.schedules.values()].filter(
        (schedule) =>
          (!clinicIds || clinicIds.includes(schedule.clinicId)) &&
          (!practitionerId || schedule.practitioner?.id === practitionerId) &&
          // A slot's own service types override its schedule's, so an untyped schedule may match.
          (!treatmentId ||
            schedule.treatmentIds.length === 0 ||
            schedule.treatmentIds.includes(treatmentId)),
      );
      const slots = await bookableSlots(schedules, input, now(), call);
      return slots.flatMap((slot) => {
        const schedule = scheduleOf(slot, catalogue);
        return schedule ? [toContractSlot(slot, schedule)] : [];
      });
    },

    async getSlot(slotId, call) {
      const [slot, catalogue] = await Promise.all([
        call.connection.client.read('Slot', slotId, call),
        catalogueOf(call),
      ]);
      const schedule = slot && scheduleOf(slot, catalogue);
      if (!slot || !schedule) return null;
      const holds = slot.status === 'busy-tentative' ? await holdsOn(slot.id, call) : [];
      const status = slotStatusOf(slot, heldOnlyByLapsed(slot, holds, now()));
      return status ? { slot: toContractSlot(slot, schedule), status } : null;
    },

    async getBooking(reservationId, call) {
      const [appointment, catalogue] = await Promise.all([
        findAppointment(reservationId, call),
        catalogueOf(call),
      ]);
      // The search by the reservation's identifier answered: none there (or none at this
      // organisation's clinics) is certain. A failed search has thrown.
      if (!appointment || !belongs(appointment, catalogue)) return notBooked();
      return bookingFound(toContractBooking(appointment, now()));
    },

    hold(input, call) {
      return take(input, call);
    },

    async book(input, call) {
      return identityNumberFailure(input.patient) ?? take(input, call);
    },

    async confirm(input, call) {
      const invalid = identityNumberFailure(input.patient);
      if (invalid) return invalid;
      const held = await ownAppointment(input.providerReference, input.reservationId, call);
      if (!held) {
        return bookingFailure('NOT_FOUND', 'no hold with this reference for this reservation');
      }
      return confirmHold(held, input, false, call);
    },

    async cancel(input, call) {
      const { providerReference, reservationId } = input;
      const { client } = call.connection;
      let appointment = await ownAppointment(providerReference, reservationId, call);
      if (!appointment) {
        return bookingFailure('NOT_FOUND', 'no booking with this reference for this reservation');
      }
      for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
        if (attempt > 1) appointment = await client.read('Appointment', providerReference, call);
        if (!appointment) return bookingFailure('NOT_FOUND', 'the booking no longer exists');
        const { status, start } = appointment;
        if (status === 'cancelled' || status === 'entered-in-error') return answer(appointment);
        if (status !== 'booked' && bookedStatuses.has(status)) {
          return bookingFailure('NOT_CANCELLABLE', 'the visit has already taken place');
        }
        if (status === 'booked' && start && Date.parse(start) <= now()) {
          return bookingFailure('NOT_CANCELLABLE', 'the appointment has already started');
        }
        const slot = await slotOf(appointment, call);
        // Free the slot only from the state this booking put it in: a slot the clinic has
        // since blocked stays blocked.
        const ours = status === 'pending' ? 'busy-tentative' : 'busy';
        const reason = { kind: 'patient', text: input.reason } as const;
        const entries = releaseEntries(appointment, slot?.status === ours ? slot : null, reason);
        const result = await commit(entries, 'booking cancelled', 'booking', call);
        if (result !== 'conflict') return result;
      }
      return bookingFailure('PROVIDER_UNAVAILABLE', 'the booking kept changing; nothing was done');
    },
  };
}
