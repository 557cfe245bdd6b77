import { createHash } from 'node:crypto';
import * as kit from '@booking/provider-kit';
import * as square from './__generated__/client.gen.js';
import type { SquareCall } from './createSquareAdapter.js';
import { iso, parseSlotId, sellerNote, toBookingFailure, toContractBooking } from './mapping.js';

/**
 * A connection's bookings through its reservation index: Square cannot be searched by an external
 * reference. A write whose answer was lost is settled by listing the slot's start for the booking
 * whose seller note carries the reservation id.
 */
export function squareBookings(call: SquareCall) {
  const { connection: c, ...budget } = call;
  return kit.createIndexedBookings({
    index: c.reservations,
    connectionId: c.id,
    // Square keeps cancelled bookings: a refusal to give back one it made says nothing, and the
    // kit answers it as "cannot tell".
    retrieve: (id) => retrieveSquareBooking(call, id),
    async settle({ startAt, reservationId }) {
      const at = Date.parse(startAt);
      const window = { start_at_min: iso(at - 60_000), start_at_max: iso(at + 60_000) };
      const bookings = await c.client.all(
        (cursor) =>
          square.ListBookings({ query: { location_id: c.locationId, ...window, cursor } }),
        (page) => page.bookings,
        budget,
      );
      // Every booking starting around the slot's start was listed: none with the note is certain.
      const booking = bookings.find((b) => b.seller_note === sellerNote(reservationId));
      return booking?.id
        ? kit.bookingFound({ providerReference: booking.id, booking })
        : kit.notBooked();
    },
  });
}

/** Square's booking by its id; null when Square does not give it back (unknown, or refused). */
export async function retrieveSquareBooking({ connection, ...budget }: SquareCall, id: string) {
  const request = square.RetrieveBooking({ path: { booking_id: id } });
  const found = await connection.client.send(request, budget);
  return found.ok ? (found.value.booking ?? null) : null;
}

/**
 * Books a slot: a customer (name and contact only: the identity number never leaves the platform)
 * and the booking, both idempotent by the reservation id, between the reservation index's records.
 */
export async function bookSquareSlot(
  { reservationId, slotId, patient, note }: kit.ContractBookInput,
  call: SquareCall,
): Promise<kit.ContractBookingResult> {
  const { client, locationId } = call.connection;
  const key = parseSlotId(slotId);
  // The kit refuses such an id before calling (`localIds`); this keeps the adapter whole alone.
  if (!key) return kit.bookingFailure('SLOT_UNAVAILABLE', 'no slot has this id');
  const { startMs, ...segment } = key;
  const startAt = iso(startMs);
  try {
    const outcome = await squareBookings(call).write<kit.ContractBookingResult>(
      { reservationId, slotId, startAt },
      async () => {
        const customer = await client.send(
          square.CreateCustomer({
            body: {
              // A retried book reuses the customer the first one made (43 characters of 45).
              idempotency_key: createHash('sha256').update(reservationId).digest('base64url'),
              given_name: patient.givenName,
              family_name: patient.familyName,
              ...(patient.email && { email_address: patient.email }),
              ...(patient.phone && { phone_number: patient.phone }),
            },
          }),
          call,
        );
        if (!customer.ok) return { refused: toBookingFailure(customer.status, customer.error) };
        const booking = {
          start_at: startAt,
          location_id: locationId,
          customer_id: customer.value.customer?.id ?? null,
          seller_note: sellerNote(reservationId),
          ...(note && { customer_note: note }),
          appointment_segments: [segment],
        };
        const request = square.CreateBooking({ body: { idempotency_key: reservationId, booking } });
        const created = await client.send(request, call);
        if (!created.ok) return { refused: toBookingFailure(created.status, created.error) };
        const made = created.value.booking;
        if (!made?.id) return { refused: kit.bookingFailure('SLOT_UNAVAILABLE', 'no booking') };
        return { providerReference: made.id, booking: made };
      },
    );
    if ('refused' in outcome) return outcome.refused;
    return { booking: toContractBooking(outcome.booking, reservationId, slotId), error: null };
  } catch (error) {
    if (!(error instanceof square.InvalidOperationInput)) throw error;
    return kit.bookingFailure('INVALID_INPUT', error.message, { field: error.issues[0]?.path });
  }
}
