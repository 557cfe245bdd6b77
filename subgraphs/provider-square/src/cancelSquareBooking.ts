import * as kit from '@booking/provider-kit';
import * as square from './__generated__/client.gen.js';
import { squareBookings } from './bookSquareSlot.js';
import type { SquareCall } from './createSquareAdapter.js';
import { toContractBooking } from './mapping.js';

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
    if (!found || found.entry.providerReference !== input.providerReference) {
      return kit.bookingFailure('NOT_FOUND', 'no such booking for this reservation');
    }
    const { booking, entry } = found;
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
