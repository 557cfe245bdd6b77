import {
  bookingFailure,
  bookingFound,
  type ContractBooking,
  type ContractBookingResult,
  type ContractCancelInput,
  instantToLocal,
  notBooked,
  type OperationRequest,
  type ProviderAdapter,
  type ProviderCall,
  type SlotWindow,
  splitWindow,
  unexpectedOutcome,
} from '@booking/provider-kit';
import * as cliniq from './__generated__/client.gen.js';
import type { Booking, Hold } from './__generated__/types.gen.js';
import type { CliniqOutcome } from './client/createCliniqClient.js';
import { type CliniqScope, createCliniqScope } from './createCliniqScope.js';
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

type Call = ProviderCall<CliniqConnection, CliniqScope>;

const hourMs = 60 * 60 * 1000;

/**
 * The local windows to ask Cliniq for, covering `window` in `zone`: a day each, every day at
 * once. Cliniq numbers its pages and says how many there are only on page 1, so a long window
 * costs page 1 and then its other pages, one round trip after another; a clinic's day fits on one
 * page (100 slots), so the days asked together are one round trip. (Cliniq refuses a search over
 * 31 days in any case.) Their wall-time bounds touch, so every wall time between the first and the
 * last is asked once. The ends are widened by an hour because Cliniq compares offset-less wall
 * times: around the autumn change a slot inside the UTC window can sort outside the local one. The
 * kit applies the exact window again after conversion.
 */
function vendorWindows(window: SlotWindow, zone: string): { from: string; to: string }[] {
  const local = (ms: number) => instantToLocal(new Date(ms), zone);
  return splitWindow(window, { maxMs: 24 * hourMs }).map(({ fromMs, toMs }) => ({
    from: local(fromMs === window.fromMs ? fromMs - hourMs : fromMs),
    to: local(toMs === window.toMs ? toMs + hourMs : toMs),
  }));
}

const unexpected = (outcome: CliniqOutcome<unknown>, what: string): never =>
  unexpectedOutcome(`Cliniq ${what}`, outcome, (error) => error.error);

/** A failed look-up before a cancel: 404 is the contract's NOT_FOUND, anything else unexpected. */
const lookupFailure = (outcome: CliniqOutcome<unknown> & { ok: false }, what: string) =>
  outcome.status === 404 ? toBookingFailure(404, outcome.error) : unexpected(outcome, what);

async function toBooking(booking: Booking, call: Call): Promise<ContractBooking> {
  const zoneOf = await clinicZones(call.connection.catalogue, call.signal);
  return bookingFromVendorBooking(booking, zoneOf(booking.clinicId));
}

/**
 * A write's answer in the contract: its expected failure translated, or the hold or booking it
 * made, logged as `event`. Cliniq is idempotent by `externalRef`: 201 made something, 200 is the
 * same one again. Input that breaks Cliniq's document (a reservation id over 128 characters) is
 * refused before it is sent, as Cliniq would refuse it.
 */
async function settle(
  request: () => OperationRequest<Hold | Booking>,
  event: string,
  reservationId: string,
  call: Call,
): Promise<ContractBookingResult> {
  let outcome: CliniqOutcome<Hold | Booking>;
  try {
    outcome = await call.connection.client.send(request(), call);
  } catch (error) {
    if (!(error instanceof cliniq.InvalidOperationInput)) throw error;
    return toBookingFailure(400, { error: 'invalid_request' });
  }
  if (!outcome.ok) return toBookingFailure(outcome.status, outcome.error);
  const written = outcome.value;
  const providerReference = 'holdId' in written ? written.holdId : written.bookingId;
  call.logger.info({ reservationId, providerReference, created: outcome.status === 201 }, event);
  const booking =
    'holdId' in written ? bookingFromVendorHold(written) : await toBooking(written, call);
  return { booking, error: null };
}

async function cancelBooking(
  bookingId: string,
  input: ContractCancelInput,
  call: Call,
): Promise<ContractBookingResult> {
  const { client } = call.connection;
  const found = await client.send(cliniq.getBooking({ path: { bookingId } }), call);
  if (!found.ok) return lookupFailure(found, 'get booking');
  let booking = found.value;
  // Never cancel on the strength of a reference alone: it must belong to this reservation.
  if (booking.externalRef !== input.reservationId) {
    return bookingFailure('NOT_FOUND', 'no booking with this reference for this reservation');
  }
  if (booking.status === 'no_show') {
    return bookingFailure('NOT_CANCELLABLE', 'the clinic recorded the booking as a no-show');
  }
  // What is cancelled already stays so; only a live booking is cancelled.
  if (booking.status === 'booked') {
    const cancelled = await client.send(cliniq.cancelBooking({ path: { bookingId } }), call);
    if (!cancelled.ok) return toBookingFailure(cancelled.status, cancelled.error);
    const { reservationId } = input;
    call.logger.info({ reservationId, providerReference: bookingId }, 'booking cancelled');
    booking = cancelled.value;
  }
  return { booking: await toBooking(booking, call), error: null };
}

async function releaseHold(
  holdId: string,
  input: ContractCancelInput,
  call: Call,
): Promise<ContractBookingResult> {
  const { client } = call.connection;
  const found = await client.send(cliniq.getHold({ path: { holdId } }), call);
  if (!found.ok) return lookupFailure(found, 'get hold');
  const hold = found.value;
  if (hold.externalRef !== input.reservationId) {
    return bookingFailure('NOT_FOUND', 'no hold with this reference for this reservation');
  }
  // A confirmed hold lives on as a booking; cancelling "the hold" means cancelling that.
  if (hold.status === 'confirmed' && hold.bookingId) {
    return cancelBooking(hold.bookingId, input, call);
  }
  if (hold.status === 'held') {
    const released = await client.send(cliniq.releaseHold({ path: { holdId } }), call);
    if (!released.ok) {
      // Confirmed between our look and the release: cancel the booking it became.
      if (released.error.error === 'hold_confirmed') {
        const again = await client.send(cliniq.getHold({ path: { holdId } }), call);
        if (again.ok && again.value.bookingId)
          return cancelBooking(again.value.bookingId, input, call);
      }
      return toBookingFailure(released.status, released.error);
    }
    const { reservationId } = input;
    call.logger.info({ reservationId, providerReference: holdId }, 'hold released');
  }
  return { booking: { ...bookingFromVendorHold(hold), status: 'CANCELLED' }, error: null };
}

/**
 * The Cliniq system behind the provider contract: one connection per tenant (clinic chain), all
 * speaking the same REST API. Patient data passes through to Cliniq and is never logged.
 */
export function createCliniqAdapter(
  /** The tenants served, one connection each (`cliniqProvider.connect`). */
  connections: readonly CliniqConnection[],
): ProviderAdapter<CliniqConnection, CliniqScope> {
  return {
    system: 'cliniq',
    connections,
    // Cliniq's `Slot.id`: `SL-<clinicId>-<practitionerId>-<yyyyMMddHHmm>` (its OpenAPI document).
    localIds: { slot: /^SL-\S+-\S+-\d{12}$/ },
    createScope: createCliniqScope,

    async describe(call) {
      const { clinics, services } = await call.connection.catalogue.get(call.signal);
      return {
        capabilities: ['API_BOOKING', 'HOLDS', 'CANCEL', 'RESCHEDULE'],
        holdTtlSeconds: call.connection.holdTtlSeconds,
        clinics: clinics.map(toContractClinic),
        treatments: toContractTreatments(services),
      };
    },

    async findSlots(query, call) {
      const { treatmentId, clinicIds } = query;
      const practitionerId = query.practitionerId ?? undefined;
      const codes = typeof treatmentId === 'string' ? serviceCodesFor(treatmentId) : [undefined];
      // A treatment Cliniq has no code for has no slots here; no need to ask.
      if (codes.length === 0) return [];
      const { clinics } = await call.connection.catalogue.get(call.signal);
      const chosen = clinics.filter((clinic) => !clinicIds || clinicIds.includes(clinic.id));
      const answers = chosen.flatMap((clinic) =>
        codes
          .filter((code) => code === undefined || clinic.serviceCodes.includes(code))
          .flatMap((serviceCode) =>
            vendorWindows(query, clinic.timezone).map(async (window) => {
              const search = { clinicId: clinic.id, ...window, serviceCode, practitionerId };
              const slots = await call.scope.slots(call.connection, search, call);
              return slots.map((slot) => toContractSlot(slot, clinic.timezone));
            }),
          ),
      );
      // The kit keeps what answers the query, once each, in order.
      return (await Promise.all(answers)).flat();
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
      return settle(() => cliniq.createHold({ body }), 'slot held', input.reservationId, call);
    },

    confirm(input, call) {
      const body = { patient: toVendorPatient(input.patient), note: input.note ?? undefined };
      const path = { holdId: input.providerReference };
      return settle(
        () => cliniq.confirmHold({ path, body }),
        'hold confirmed',
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
      return settle(() => cliniq.createBooking({ body }), 'slot booked', input.reservationId, call);
    },

    cancel(input, call) {
      // Cliniq ids carry their kind: `HD-…` holds, `BK-…` bookings.
      return input.providerReference.startsWith('HD-')
        ? releaseHold(input.providerReference, input, call)
        : cancelBooking(input.providerReference, input, call);
    },
  };
}
