import {
  bookingFailure,
  bookingFound,
  type ContractBookInput,
  type ContractBookingResult,
  type ContractPatientInput,
  identityNumberFailure,
  notBooked,
  type ProviderAdapter,
  type ProviderCall,
  parseVendorValue,
  reservationReusedFailure,
  unexpectedOutcome,
} from '@booking/provider-kit';
import {
  bookEntries,
  confirmEntries,
  holdEntries,
  releaseEntries,
  type Written,
} from './bookingEntries.js';
import { type FhirOutcome, issueCodes } from './client/createFhirClient.js';
import {
  appointmentSchema,
  type FhirAppointment,
  type FhirSlot,
  fhirId,
  slotSchema,
} from './client/schemas.js';
import {
  belongs,
  findAppointment,
  lapsedAmong,
  lapsedFrom,
  pendingOn,
  readAppointment,
  readSlot,
  slotsAndHolds,
} from './fhirReads.js';
import type { FhirCatalogue } from './loadFhirCatalogue.js';
import {
  bookedStatuses,
  isLapsedHold,
  referenceId,
  reservationIdOf,
  slotIdOf,
  slotStatusOf,
  toBookingFailure,
  toContractBooking,
  toContractSlot,
} from './mapping.js';
import type { FhirConnection } from './provider.js';

export interface FhirAdapterOptions {
  /** The organisations served, one connection each (`fhirProvider.connect`). */
  connections: readonly FhirConnection[];
  /** Epoch ms: hold expiry, lapsed holds, slots that have started. */
  now: () => number;
}

type Call = ProviderCall<FhirConnection, undefined>;

/** Tries of a read-check-write cycle that keeps meeting other writers (412) before giving up. */
const maxAttempts = 3;

const unexpected = (outcome: FhirOutcome<unknown>, what: string): never =>
  unexpectedOutcome(`FHIR ${what}`, outcome, issueCodes);

/**
 * A FHIR R4 scheduling server behind the provider contract: one connection per organisation.
 * Finding is a Slot search by the organisation's Schedules; booking, holding, confirming and
 * cancelling are each one transaction that writes the Appointment and the Slot together, the Slot
 * with `If-Match` on the version read, so no other client's write can be lost or overtaken.
 * Patient data passes through to the server and is never logged.
 */
export function createFhirAdapter(
  options: FhirAdapterOptions,
): ProviderAdapter<FhirConnection, undefined> {
  const { now } = options;
  const catalogueOf = (call: Call) => call.connection.catalogue.get(call.signal);

  async function write(written: Written, call: Call) {
    return call.connection.client.transaction(written.entries, call);
  }

  /**
   * Writes a booking's transaction and answers with the Appointment written, logged as `event`;
   * `conflict` when someone wrote the slot or Appointment since it was read (read again).
   */
  async function commit(
    written: Written,
    event: string,
    subject: 'slot' | 'booking',
    call: Call,
  ): Promise<ContractBookingResult | 'conflict'> {
    const answer = await write(written, call);
    if (!answer.ok) {
      if (answer.status === 409 || answer.status === 412) return 'conflict';
      return toBookingFailure(answer.status, answer.error, subject);
    }
    const index = written.appointmentIndex;
    const appointment = parseVendorValue(
      appointmentSchema,
      answer.value.entry[index]?.resource,
      `FHIR ${event}: transaction entry ${index}`,
    );
    call.logger.info(
      { reservationId: reservationIdOf(appointment), providerReference: appointment.id },
      event,
    );
    return { booking: toContractBooking(appointment, now()), error: null };
  }

  /**
   * Frees a slot a lapsed platform hold still keeps: the hold's Appointment is cancelled and the
   * slot set free, both version-aware. Null when the slot is held for real; `conflict` when
   * someone changed either in the meantime (look again).
   */
  async function releaseLapsed(slot: FhirSlot, call: Call): Promise<FhirSlot | null | 'conflict'> {
    const holds = (await pendingOn([slot.id], call)).get(slot.id) ?? [];
    const [hold] = holds;
    if (!hold || holds.length > 1 || !isLapsedHold(hold, now())) return null;
    const answer = await write(releaseEntries(hold, slot, { kind: 'lapsed' }), call);
    if (answer.ok) {
      call.logger.info(
        { reservationId: reservationIdOf(hold), providerReference: hold.id },
        'lapsed hold released',
      );
      const freed = answer.value.entry[1]?.resource;
      return parseVendorValue(slotSchema, freed, 'FHIR release lapsed hold: transaction entry 1');
    }
    if (answer.status === 409 || answer.status === 412) return 'conflict';
    return unexpected(answer, 'release lapsed hold');
  }

  /** The answer to a repeated hold or book: what was made the first time. */
  async function replay(
    kind: 'hold' | 'book',
    existing: FhirAppointment,
    input: { slotId: string; patient?: ContractPatientInput; note?: string | null | undefined },
    catalogue: FhirCatalogue,
    call: Call,
  ): Promise<ContractBookingResult> {
    if (slotIdOf(existing) !== input.slotId || !belongs(existing, catalogue)) {
      return reservationReusedFailure();
    }
    // Booking a slot this reservation holds is confirming the hold, lapsed or not: the
    // version-aware write still guarantees nobody took the slot since.
    if (kind === 'book' && existing.status === 'pending' && input.patient) {
      return confirmHold(existing, { patient: input.patient, note: input.note }, true, call);
    }
    return { booking: toContractBooking(existing, now()), error: null };
  }

  /** Hold or book a free slot: one version-aware transaction, retried when someone wrote first. */
  async function take(
    kind: 'hold' | 'book',
    input: {
      slotId: string;
      reservationId: string;
      patient?: ContractPatientInput;
      note?: string | null | undefined;
    },
    call: Call,
  ): Promise<ContractBookingResult> {
    const catalogue = await catalogueOf(call);
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const existing = await findAppointment(input.reservationId, call);
      if (existing) return replay(kind, existing, input, catalogue, call);
      let slot = await readSlot(input.slotId, call);
      const schedule =
        slot && catalogue.schedules.get(referenceId(slot.schedule.reference, 'Schedule') ?? '');
      if (!slot || !schedule) {
        return bookingFailure('SLOT_UNAVAILABLE', 'the slot does not exist (any more)');
      }
      if (Date.parse(slot.start) <= now()) {
        return bookingFailure('SLOT_UNAVAILABLE', 'the slot has already started');
      }
      if (slot.status === 'busy-tentative') {
        const freed = await releaseLapsed(slot, call);
        if (freed === 'conflict') continue;
        if (freed === null) return bookingFailure('SLOT_UNAVAILABLE', 'the slot is held');
        slot = freed;
      }
      if (slot.status !== 'free') {
        return bookingFailure('SLOT_UNAVAILABLE', 'the slot is already booked');
      }
      const written =
        kind === 'hold'
          ? holdEntries(
              slot,
              schedule,
              input.reservationId,
              now(),
              new Date(now() + call.connection.holdTtlSeconds * 1000).toISOString(),
            )
          : bookEntries(slot, schedule, { ...input, patient: input.patient! }, now());
      const event = kind === 'hold' ? 'slot held' : 'slot booked';
      const result = await commit(written, event, 'slot', call);
      // Someone wrote the slot since we read it: look again (it may be this very reservation).
      if (result !== 'conflict') return result;
    }
    const existing = await findAppointment(input.reservationId, call);
    if (existing) return replay(kind, existing, input, catalogue, call);
    return bookingFailure('SLOT_UNAVAILABLE', 'the slot kept changing while booking it');
  }

  /** Turns a held Appointment into a booking; `acceptLapsed` for a direct booking of the same slot. */
  async function confirmHold(
    held: FhirAppointment,
    input: { patient: ContractPatientInput; note?: string | null | undefined },
    acceptLapsed: boolean,
    call: Call,
  ): Promise<ContractBookingResult> {
    let appointment: FhirAppointment | null = held;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      if (attempt > 1) appointment = await readAppointment(held.id, call);
      if (!appointment) return bookingFailure('NOT_FOUND', 'the hold no longer exists');
      if (bookedStatuses.has(appointment.status)) {
        return { booking: toContractBooking(appointment, now()), error: null };
      }
      if (appointment.status !== 'pending') {
        return bookingFailure('HOLD_EXPIRED', 'the hold was released');
      }
      const slotId = slotIdOf(appointment);
      const slot = slotId ? await readSlot(slotId, call) : null;
      if (isLapsedHold(appointment, now()) && !acceptLapsed) {
        const keep = slot?.status === 'busy-tentative' ? slot : null;
        const released = await write(releaseEntries(appointment, keep, { kind: 'lapsed' }), call);
        if (!released.ok && released.status !== 409 && released.status !== 412) {
          unexpected(released, 'release lapsed hold');
        }
        return bookingFailure('HOLD_EXPIRED', 'the hold has expired');
      }
      if (slot?.status !== 'busy-tentative') {
        return bookingFailure('SLOT_UNAVAILABLE', 'the held slot was changed by someone else');
      }
      const result = await commit(
        confirmEntries(appointment, slot, input),
        'hold confirmed',
        'booking',
        call,
      );
      if (result !== 'conflict') return result;
    }
    return bookingFailure('SLOT_UNAVAILABLE', 'the hold kept changing while confirming it');
  }

  /** The Appointment a confirm or cancel names, if it is this reservation's at this organisation. */
  async function ownAppointment(reference: string, reservationId: string, call: Call) {
    const [appointment, catalogue] = await Promise.all([
      readAppointment(reference, call),
      catalogueOf(call),
    ]);
    return appointment &&
      reservationIdOf(appointment) === reservationId &&
      belongs(appointment, catalogue)
      ? appointment
      : null;
  }

  return {
    system: 'fhir',
    connections: options.connections,
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
      const treatmentId = input.treatmentId ?? null;
      const practitionerId = input.practitionerId ?? null;
      const wanted = input.clinicIds ? new Set(input.clinicIds) : null;
      const catalogue = await catalogueOf(call);
      const schedules = [...catalogue.schedules.values()].filter(
        (schedule) =>
          (wanted === null || wanted.has(schedule.clinicId)) &&
          (practitionerId === null || schedule.practitioner?.id === practitionerId) &&
          // A slot's own service types override its schedule's, so an untyped schedule may match.
          (treatmentId === null ||
            schedule.treatmentIds.length === 0 ||
            schedule.treatmentIds.includes(treatmentId)),
      );
      if (schedules.length === 0) return [];

      const { found, holds } = await slotsAndHolds(schedules, input, call);
      const lapsed = lapsedFrom(found, holds, now());

      return found.flatMap((fhirSlot) => {
        if (fhirSlot.status !== 'free' && !lapsed.has(fhirSlot.id)) return [];
        const schedule = catalogue.schedules.get(
          referenceId(fhirSlot.schedule.reference, 'Schedule') ?? '',
        );
        return schedule ? [toContractSlot(fhirSlot, schedule)] : [];
      });
    },

    async getSlot(slotId, call) {
      const [slot, catalogue] = await Promise.all([readSlot(slotId, call), catalogueOf(call)]);
      if (!slot) return null;
      const schedule = catalogue.schedules.get(
        referenceId(slot.schedule.reference, 'Schedule') ?? '',
      );
      if (!schedule) return null;
      const lapsed = (await lapsedAmong([slot], now(), call)).has(slot.id);
      const status = slotStatusOf(slot, lapsed);
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
      return take('hold', input, call);
    },

    async book(input: ContractBookInput, call) {
      return identityNumberFailure(input.patient) ?? take('book', input, call);
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
      let appointment = await ownAppointment(input.providerReference, input.reservationId, call);
      if (!appointment) {
        return bookingFailure('NOT_FOUND', 'no booking with this reference for this reservation');
      }
      for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
        if (attempt > 1) appointment = await readAppointment(input.providerReference, call);
        if (!appointment) return bookingFailure('NOT_FOUND', 'the booking no longer exists');
        if (appointment.status === 'cancelled' || appointment.status === 'entered-in-error') {
          return { booking: toContractBooking(appointment, now()), error: null };
        }
        if (appointment.status !== 'booked' && bookedStatuses.has(appointment.status)) {
          return bookingFailure('NOT_CANCELLABLE', 'the visit has already taken place');
        }
        if (
          appointment.status === 'booked' &&
          appointment.start &&
          Date.parse(appointment.start) <= now()
        ) {
          return bookingFailure('NOT_CANCELLABLE', 'the appointment has already started');
        }
        const slotId = slotIdOf(appointment);
        const slot = slotId ? await readSlot(slotId, call) : null;
        // Free the slot only from the state this booking put it in: a slot the clinic has
        // since blocked stays blocked.
        const ours = appointment.status === 'pending' ? 'busy-tentative' : 'busy';
        const written = releaseEntries(appointment, slot?.status === ours ? slot : null, {
          kind: 'patient',
          text: input.reason,
        });
        const result = await commit(written, 'booking cancelled', 'booking', call);
        if (result !== 'conflict') return result;
      }
      return bookingFailure('PROVIDER_UNAVAILABLE', 'the booking kept changing; nothing was done');
    },
  };
}
