import * as kit from '@booking/provider-kit';
import * as square from './__generated__/client.gen.js';
import { squareBookings } from './bookSquareSlot.js';
import type { SquareCall } from './createSquareAdapter.js';
import { sellerNote, toContractBooking } from './mapping.js';

const live = (status: string | undefined) => status === 'ACCEPTED' || status === 'PENDING';

/**
 * Cancels a reservation's booking with the `booking_version` just read; a refused cancel (a stale
 * version: the clinic changed the booking in between) is retried once after a fresh read.
 * Cancelling what is already cancelled succeeds.
 */
export async function cancelSquareBooking(
  input: kit.ContractCancelInput,
  call: SquareCall,
): Promise<kit.ContractBookingResult> {
  const bookings = squareBookings(call);
  const done = (b: { id?: string; status?: string }, slotId: string) => ({
    booking: toContractBooking(b, input.reservationId, slotId),
    error: null,
  });
  for (let attempt = 1; ; attempt += 1) {
    const found = await bookings.find(input.reservationId);
    // Not knowing is not "not found": the platform would take a live booking for gone. Only a
    // booking Square shows to be another reservation's is certainly not this one's.
    if (found.status === 'UNKNOWN') {
      if (await anotherReservations(input, call)) {
        return kit.bookingFailure('NOT_FOUND', 'no such booking for this reservation');
      }
      throw new kit.ProviderError(
        kit.ProviderErrorCode.Unavailable,
        `${found.reason}; nothing cancelled`,
      );
    }
    if (
      found.status === 'NOT_BOOKED' ||
      found.booking.entry.providerReference !== input.providerReference
    ) {
      return kit.bookingFailure('NOT_FOUND', 'no such booking for this reservation');
    }
    const { booking, entry } = found.booking;
    // The clinic recorded that the patient did not come: nothing left to cancel.
    if (booking.status === 'NO_SHOW') {
      return kit.bookingFailure('NOT_CANCELLABLE', 'the clinic recorded a no-show');
    }
    if (!live(booking.status)) return done(booking, entry.slotId);
    const version = booking.version ?? 0;
    const key = `${input.reservationId}:cancel:${version}`;
    const body = { idempotency_key: key, booking_version: version };
    const path = { booking_id: input.providerReference };
    const answer = await call.connection.client.send(square.CancelBooking({ path, body }), call);
    if (answer.ok && answer.value.booking) return done(answer.value.booking, entry.slotId);
    // Refused (409 or VERSION_MISMATCH for a stale version, BAD_REQUEST for a booking cancelled
    // in between): read again, once.
    if (attempt >= 2) {
      return kit.bookingFailure('NOT_CANCELLABLE', `Square refused the cancel (${answer.status})`);
    }
  }
}

/** Whether Square has the referenced booking, made for another reservation (its seller note). */
async function anotherReservations(input: kit.ContractCancelInput, call: SquareCall) {
  const request = square.RetrieveBooking({ path: { booking_id: input.providerReference } });
  const found = await call.connection.client.send(request, call);
  const note = found.ok ? found.value.booking?.seller_note : undefined;
  return note !== undefined && note !== sellerNote(input.reservationId);
}
