import type * as kit from '@booking/provider-kit';
import { slotKeyOf, toContractSlot, toContractStatus } from '../mapping.js';
import type { SquareConnection } from '../provider.js';
import { bookingEventData, bookingEventTypes, squareEvent } from './bookingEvent.js';
import { toBookingChanges } from './toBookingChanges.js';
import { verifySquareSignature } from './verifySquareSignature.js';

const notePattern = /^Vården reservation (\S+)$/;

/**
 * Square's event notification to one connection (`POST /push/<connection id>`), checked before
 * anything is read: its signature (401 without a valid one), its shape (400), a replay (an
 * `event_id` already accepted: 200, nothing recorded again) and its age (`created_at` further than
 * the freshness window from the connection's clock: 400). Then a booking event of this location
 * that the platform made — its seller note names a reservation the reservation index has, with
 * this booking or none yet — becomes changes at the clinic (`toBookingChanges`); anything else is
 * acknowledged and left out. An event older than one already reported for the booking (Square
 * does not promise order) is acknowledged and left out too.
 */
export async function receiveSquarePush(
  connection: SquareConnection,
  push: kit.PushRequest,
): Promise<kit.PushAnswer> {
  const state = connection.push;
  if (!state) return { status: 404, message: 'this connection takes no pushes' };
  const keys = state.signatureKeys();
  // Not subscribed yet (just started): Square tries again later.
  if (keys.length === 0) return { status: 503, message: 'not subscribed yet' };
  const signed = keys.some((key) =>
    verifySquareSignature(push.headers, push.body, state.notificationUrl, key),
  );
  if (!signed) return { status: 401, message: 'missing or invalid x-square-hmacsha256-signature' };

  let json: unknown;
  try {
    json = JSON.parse(push.body.toString('utf8'));
  } catch {
    return { status: 400, message: 'the body is not JSON' };
  }
  const parsed = squareEvent.safeParse(json);
  if (!parsed.success) return { status: 400, message: 'not a Square event notification' };
  const event = parsed.data;
  if (await state.changes.has(event.event_id)) return { status: 200, message: 'already accepted' };
  const ageMs = state.now() - Date.parse(event.created_at);
  if (Math.abs(ageMs) > state.maxAgeMs) {
    return { status: 400, message: 'created_at is outside the freshness window' };
  }
  if (!bookingEventTypes.includes(event.type))
    return { status: 200, message: 'not a booking event' };
  const data = bookingEventData.safeParse(event.data);
  if (!data.success) return { status: 400, message: 'not a booking event Square would send' };
  const booking = data.data.object.booking;
  if (booking.location_id !== connection.locationId) {
    return { status: 200, message: 'a booking of another location' };
  }

  const reservationId = notePattern.exec(booking.seller_note ?? '')?.[1];
  const entry = reservationId
    ? await connection.reservations.get(connection.id, reservationId)
    : undefined;
  if (!reservationId || !entry || (entry.providerReference ?? booking.id) !== booking.id) {
    return { status: 200, message: 'not a booking the platform made' };
  }
  const previous = state.seen(booking.id);
  if (previous && previous.version >= booking.version) {
    return { status: 200, message: 'older than what was reported' };
  }
  const { services, named } = await connection.catalogue
    .get(AbortSignal.timeout(connection.deadlineMs))
    .catch(() => ({ services: [], named: (slot: kit.ContractSlot) => slot }));
  const changes = toBookingChanges({
    eventId: event.event_id,
    booking,
    reservationId,
    bookedSlotId: entry.slotId,
    previous,
    nowMs: state.now(),
    slotOf(key) {
      const service = services.find((s) => s.variationId === key.service_variation_id);
      return service ? named(toContractSlot(key, connection.locationId, service)) : null;
    },
  });
  // Checked again after the awaits: a concurrent redelivery of the same event may have won.
  if ((state.seen(booking.id)?.version ?? -1) >= booking.version) {
    return { status: 200, message: 'older than what was reported' };
  }
  for (const change of changes) await state.changes.append(change);
  state.remember(booking.id, {
    version: booking.version,
    status: toContractStatus(booking.status),
    key: slotKeyOf(booking),
  });
  return { status: 200 };
}
