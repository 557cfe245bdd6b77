import {
  bookingFailure,
  bookingFound,
  type ContractBooking,
  type ContractBookingResult,
  type ContractCancelInput,
  instantToLocal,
  notBooked,
  type ProviderAdapter,
  type ProviderCall,
  type RequestBudget,
  unexpectedOutcome,
} from '@booking/provider-kit';
import * as cliniq from './__generated__/client.gen.js';
import type { Booking, Hold } from './__generated__/types.gen.js';
import type { CliniqOutcome } from './client/createCliniqClient.js';
import { type ClinicSlotQuery, type CliniqScope, createCliniqScope } from './createCliniqScope.js';
import { clinicZones } from './loadCliniqCatalogue.js';
import {
  bookingFromVendorBooking,
  bookingFromVendorHold,
  cliniqTimeZone,
  serviceCodesFor,
  toBookingFailure,
  toContractClinic,
  toContractSlot,
  toContractSlotState,
  toContractTreatments,
  toVendorPatient,
} from './mapping.js';
import type { CliniqConnection } from './provider.js';

export interface CliniqAdapterOptions {
  /** The tenants served, one connection each (`cliniqProvider.connect`). */
  connections: readonly CliniqConnection[];
}

type Call = ProviderCall<CliniqConnection, CliniqScope>;

const hourMs = 60 * 60 * 1000;
const dayMs = 24 * hourMs;
/**
 * A window is searched a day at a time, every day at once. Cliniq numbers its pages and says how
 * many there are only on page 1, so a long window costs page 1 and then its other pages, one round
 * trip after another; a clinic's day fits on one page (100 slots), so the days asked together are
 * one round trip. (Cliniq refuses a search over 31 days in any case.)
 */
const vendorWindowMs = dayMs;

/**
 * The local windows to ask Cliniq for, covering [from, to) in `zone`: a day each, their wall-time
 * bounds touching, so every wall time between the first and the last is asked once. The ends are
 * widened by an hour because Cliniq compares offset-less wall times: around the autumn change a
 * slot inside the UTC window can sort outside the local one. The exact window is applied again
 * after conversion.
 */
function vendorWindows(from: number, to: number, zone: string): { from: string; to: string }[] {
  const windows: { from: string; to: string }[] = [];
  for (let start = from; start < to; start += vendorWindowMs) {
    const end = Math.min(start + vendorWindowMs, to);
    windows.push({
      from: instantToLocal(new Date(start === from ? start - hourMs : start), zone),
      to: instantToLocal(new Date(end === to ? end + hourMs : end), zone),
    });
  }
  return windows;
}

const unexpected = (outcome: CliniqOutcome<unknown>, what: string): never =>
  unexpectedOutcome(`Cliniq ${what}`, outcome, (error) => error.error);

/** How a write that answers with a Cliniq booking is settled: the booking in its clinic's zone. */
const bookedIn = (call: Call) => ({
  reference: (booking: Booking) => booking.bookingId,
  booking: async (booking: Booking) => toBooking(booking, call),
});

async function toBooking(booking: Booking, call: Call): Promise<ContractBooking> {
  const zoneOf = await clinicZones(call.connection.catalogue, call.signal);
  return bookingFromVendorBooking(booking, zoneOf(booking.clinicId));
}

/**
 * A write's answer in the contract: its expected failure translated, or its booking, logged as
 * `event`. Cliniq is idempotent by `externalRef`: 201 made something, 200 is the same one again.
 * Input that breaks Cliniq's document (a reservation id over 128 characters) is refused before it
 * is sent, as Cliniq would refuse it.
 */
async function settle<V>(
  write: () => Promise<CliniqOutcome<V>>,
  written: {
    event: string;
    reference: (value: V) => string;
    booking: (value: V) => ContractBooking | Promise<ContractBooking>;
  },
  reservationId: string,
  call: Call,
): Promise<ContractBookingResult> {
  let outcome: CliniqOutcome<V>;
  try {
    outcome = await write();
  } catch (error) {
    if (!(error instanceof cliniq.InvalidOperationInput)) throw error;
    return toBookingFailure(400, { error: 'invalid_request' });
  }
  if (!outcome.ok) return toBookingFailure(outcome.status, outcome.error);
  const providerReference = written.reference(outcome.value);
  call.logger.info(
    { reservationId, providerReference, created: outcome.status === 201 },
    written.event,
  );
  return { booking: await written.booking(outcome.value), error: null };
}

/**
 * The Cliniq system behind the provider contract: one connection per tenant (clinic chain), all
 * speaking the same REST API. Patient data passes through to Cliniq and is never logged.
 */
export function createCliniqAdapter(
  options: CliniqAdapterOptions,
): ProviderAdapter<CliniqConnection, CliniqScope> {
  async function cancelBooking(
    bookingId: string,
    input: ContractCancelInput,
    call: Call,
    budget: RequestBudget,
  ): Promise<ContractBookingResult> {
    const { client } = call.connection;
    const found = await client.send(cliniq.getBooking({ path: { bookingId } }), budget);
    if (!found.ok) {
      return found.status === 404
        ? toBookingFailure(404, found.error)
        : unexpected(found, 'get booking');
    }
    // Never cancel on the strength of a reference alone: it must belong to this reservation.
    if (found.value.externalRef !== input.reservationId) {
      return bookingFailure('NOT_FOUND', 'no booking with this reference for this reservation');
    }
    if (found.value.status === 'cancelled' || found.value.status === 'cancelled_by_clinic') {
      return { booking: await toBooking(found.value, call), error: null };
    }
    if (found.value.status === 'no_show') {
      return bookingFailure('NOT_CANCELLABLE', 'the clinic recorded the booking as a no-show');
    }
    const cancelled = await client.send(cliniq.cancelBooking({ path: { bookingId } }), budget);
    if (!cancelled.ok) return toBookingFailure(cancelled.status, cancelled.error);
    call.logger.info(
      { reservationId: input.reservationId, providerReference: bookingId },
      'booking cancelled',
    );
    return { booking: await toBooking(cancelled.value, call), error: null };
  }

  async function releaseHold(
    holdId: string,
    input: ContractCancelInput,
    call: Call,
    budget: RequestBudget,
  ): Promise<ContractBookingResult> {
    const { client } = call.connection;
    const found = await client.send(cliniq.getHold({ path: { holdId } }), budget);
    if (!found.ok) {
      return found.status === 404
        ? toBookingFailure(404, found.error)
        : unexpected(found, 'get hold');
    }
    const hold = found.value;
    if (hold.externalRef !== input.reservationId) {
      return bookingFailure('NOT_FOUND', 'no hold with this reference for this reservation');
    }
    // A confirmed hold lives on as a booking; cancelling "the hold" means cancelling that.
    if (hold.status === 'confirmed' && hold.bookingId) {
      return cancelBooking(hold.bookingId, input, call, budget);
    }
    if (hold.status === 'held') {
      const released = await client.send(cliniq.releaseHold({ path: { holdId } }), budget);
      if (!released.ok) {
        // Confirmed between our look and the release: cancel the booking it became.
        if (released.error.error === 'hold_confirmed') {
          const again = await client.send(cliniq.getHold({ path: { holdId } }), budget);
          if (again.ok && again.value.bookingId)
            return cancelBooking(again.value.bookingId, input, call, budget);
        }
        return toBookingFailure(released.status, released.error);
      }
      call.logger.info(
        { reservationId: input.reservationId, providerReference: holdId },
        'hold released',
      );
    }
    return {
      booking: { ...bookingFromVendorHold(hold), status: 'CANCELLED' },
      error: null,
    };
  }

  const adapter: ProviderAdapter<CliniqConnection, CliniqScope> = {
    system: 'cliniq',
    connections: options.connections,
    // Cliniq's `Slot.id`: `SL-<clinicId>-<practitionerId>-<yyyyMMddHHmm>` (its OpenAPI document).
    localIds: { slot: /^SL-\S+-\S+-\d{12}$/ },
    createScope() {
      // Called once per GraphQL request: the request is foreground traffic of every connection.
      for (const connection of options.connections) connection.foreground.touch();
      return createCliniqScope();
    },

    async describe(call) {
      const { clinics, services } = await call.connection.catalogue.get(call.signal);
      return {
        capabilities: ['API_BOOKING', 'HOLDS', 'CANCEL', 'RESCHEDULE'],
        holdTtlSeconds: call.connection.holdTtlSeconds,
        clinics: clinics.map(toContractClinic),
        treatments: toContractTreatments(services),
      };
    },

    async findSlots(input, call) {
      const { fromMs: from, toMs: to } = input;
      const treatmentId = input.treatmentId ?? null;
      const practitionerId = input.practitionerId ?? undefined;
      const codes = treatmentId === null ? [undefined] : serviceCodesFor(treatmentId);
      // A treatment Cliniq has no code for has no slots here; no need to ask.
      if (codes.length === 0) return [];

      const { clinics } = await call.connection.catalogue.get(call.signal);
      const wanted = input.clinicIds ? new Set(input.clinicIds) : null;
      const chosen = clinics.filter((clinic) => wanted === null || wanted.has(clinic.id));
      const queries: ClinicSlotQuery[] = chosen.flatMap((clinic) =>
        codes
          .filter((code) => code === undefined || clinic.serviceCodes.includes(code))
          .flatMap((serviceCode) =>
            vendorWindows(from, to, clinic.timezone).map((window) => ({
              clinicId: clinic.id,
              ...window,
              serviceCode,
              practitionerId,
            })),
          ),
      );
      const answers = await Promise.all(
        queries.map((query) => call.scope.slots(call.connection, query, call)),
      );

      // Only clinics of this tenant; the kit keeps what answers the query, once each, in order.
      const zones = new Map(chosen.map((clinic) => [clinic.id, clinic.timezone]));
      return answers.flat().flatMap((vendorSlot) => {
        const zone = zones.get(vendorSlot.clinicId);
        return zone ? [toContractSlot(vendorSlot, zone)] : [];
      });
    },

    async getSlot(slotId, call) {
      const [outcome, { clinics }] = await Promise.all([
        call.scope.slot(call.connection, slotId, call),
        call.connection.catalogue.get(call.signal),
      ]);
      if (!outcome.ok) return outcome.status === 404 ? null : unexpected(outcome, 'get slot');
      const zone = clinics.find((clinic) => clinic.id === outcome.value.clinicId)?.timezone;
      return toContractSlotState(outcome.value, zone ?? cliniqTimeZone);
    },

    async getBooking(reservationId, call) {
      const { client } = call.connection;
      const query = { externalRef: reservationId };
      const findBooking = async () =>
        (await client.value(cliniq.findBookings({ query }), call)).data[0];
      // Both lookups at once: a reconciliation usually runs when time is already short.
      const [booking, { data }] = await Promise.all([
        findBooking(),
        client.value(cliniq.findHolds({ query }), call),
      ]);
      const hold = data[0];
      if (booking) return bookingFound(await toBooking(booking, call));
      if (hold?.status === 'confirmed') {
        // Confirmed after the booking lookup above: look once more for the booking it became.
        const confirmed = await findBooking();
        if (confirmed) return bookingFound(await toBooking(confirmed, call));
      }
      // Both searches by external reference answered: nothing, or a hold, is certain. A failed
      // search has thrown (the kit reports it; the platform cannot conclude anything from it).
      return hold ? bookingFound(bookingFromVendorHold(hold)) : notBooked();
    },

    hold(input, call) {
      const body = { slotId: input.slotId, externalRef: input.reservationId };
      const written = { event: 'slot held', reference: (hold: Hold) => hold.holdId };
      return settle(
        () => call.connection.client.send(cliniq.createHold({ body }), call),
        { ...written, booking: bookingFromVendorHold },
        input.reservationId,
        call,
      );
    },

    confirm(input, call) {
      const body = { patient: toVendorPatient(input.patient), note: input.note ?? undefined };
      const path = { holdId: input.providerReference };
      return settle(
        () => call.connection.client.send(cliniq.confirmHold({ path, body }), call),
        { ...bookedIn(call), event: 'hold confirmed' },
        input.reservationId,
        call,
      );
    },

    book(input, call) {
      const body = {
        slotId: input.slotId,
        externalRef: input.reservationId,
        patient: toVendorPatient(input.patient),
        note: input.note ?? undefined,
      };
      return settle(
        () => call.connection.client.send(cliniq.createBooking({ body }), call),
        { ...bookedIn(call), event: 'slot booked' },
        input.reservationId,
        call,
      );
    },

    cancel(input, call) {
      // Cliniq ids carry their kind: `HD-…` holds, `BK-…` bookings.
      return input.providerReference.startsWith('HD-')
        ? releaseHold(input.providerReference, input, call, call)
        : cancelBooking(input.providerReference, input, call, call);
    },
  };
  return {
    ...adapter,
    findSlots: inForeground(adapter.findSlots),
    getSlot: inForeground(adapter.getSlot),
    getBooking: inForeground(adapter.getBooking),
    hold: inForeground(adapter.hold),
    confirm: inForeground(adapter.confirm),
    book: inForeground(adapter.book),
    cancel: inForeground(adapter.cancel),
  };
}

/** A contract call as the connection's foreground traffic, which its change poll makes way for. */
function inForeground<I, R>(
  method: ((input: I, call: Call) => Promise<R>) | undefined,
): (input: I, call: Call) => Promise<R> {
  if (!method) throw new Error('inForeground: no such method');
  return (input, call) => call.connection.foreground.during(() => method(input, call));
}
