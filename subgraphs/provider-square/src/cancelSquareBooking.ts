import * as kit from '@booking/provider-kit';
import * as square from './__generated__/client.gen.js';
import { retrieveSquareBooking, squareBookings } from './bookSquareSlot.js';
import type { SquareCall } from './createSquareAdapter.js';
import { sellerNote, toContractBooking } from './mapping.js';

const notFound = () => kit.bookingFailure('NOT_FOUND', 'no such booking for this reservation');

/**
 * Cancels a reservation's booking with the `booking_version` just read; a refused cancel (a stale
 * version: the clinic changed the booking in between) is retried once after a fresh read.
 * Cancelling what is already cancelled succeeds.
 */
export async function cancelSquareBooking(
  input: kit.ContractCancelInput,
  call: SquareCall,
): Promise<kit.ContractBookingResult> {
  const { reservationId, providerReference } = input;
  for (let attempt = 1; ; attempt += 1) {
    const found = await squareBookings(call).find(reservationId);
    // Not knowing is not "not found": the platform would take a live booking for gone. Only a
    // booking Square shows to be another reservation's is certainly not this one's.
    if (found.status === 'UNKNOWN') {
      const note = (await retrieveSquareBooking(call, providerReference))?.seller_note;
      if (note !== undefined && note !== sellerNote(reservationId)) return notFound();
      throw new kit.ProviderError(
        kit.ProviderErrorCode.Unavailable,
        `${found.reason}; nothing cancelled`,
      );
    }
    if (found.status === 'NOT_BOOKED') return notFound();
    const { booking, entry } = found.booking;
    if (entry.providerReference !== providerReference) return notFound();
    const current = toContractBooking(booking, reservationId, entry.slotId);
    // The clinic recorded that the patient did not come: nothing left to cancel.
    if (current.status === 'NO_SHOW') {
      return kit.bookingFailure('NOT_CANCELLABLE', 'the clinic recorded a no-show');
    }
    if (current.status === 'CANCELLED') return { booking: current, error: null };
    const version = booking.version ?? 0;
    const body = {
      idempotency_key: `${reservationId}:cancel:${version}`,
      booking_version: version,
    };
    const request = square.CancelBooking({ path: { booking_id: providerReference }, body });
    const answer = await call.connection.client.send(request, call);
    if (answer.ok && answer.value.booking) {
      const cancelled = toContractBooking(answer.value.booking, reservationId, entry.slotId);
      return { booking: cancelled, error: null };
    }
    // Refused (409 or VERSION_MISMATCH for a stale version, BAD_REQUEST for a booking cancelled
    // in between): read again, once.
    if (attempt >= 2) {
      return kit.bookingFailure('NOT_CANCELLABLE', `Square refused the cancel (${answer.status})`);
    }
  }
}
