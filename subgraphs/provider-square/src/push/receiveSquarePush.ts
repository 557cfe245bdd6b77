import * as kit from '@booking/provider-kit';
import {
  iso,
  parseSlotId,
  reservationOf,
  sameTime,
  slotKeyOf,
  toContractBooking,
} from '../mapping.js';
import type { SquareConnection } from '../provider.js';
import { bookingEventData, bookingEventTypes, squareEvent } from './bookingEvent.js';

/** @link https://developer.squareup.com/docs/webhooks/step3validate */
const signatureHeader = 'x-square-hmacsha256-signature';

/**
 * Square's event notification to one connection (`POST /push/<connection id>`), checked before
 * anything is read: its signature (401 without a valid one), then the kit's envelope checks
 * (`readWebhookEvent`: shape 400, an `event_id` already accepted 200, a `created_at` outside the
 * freshness window 400). Then a booking event of this location that the platform made — its
 * seller note names a reservation the reservation index has, with this booking or none yet —
 * becomes changes at the clinic (`toBookingChanges`); anything else is acknowledged and left out.
 * So is an event no newer than one already reported for the booking: Square promises no order.
 */
export async function receiveSquarePush(
  connection: SquareConnection,
  push: kit.PushRequest,
): Promise<kit.PushAnswer> {
  const { webhooks } = connection;
  if (!webhooks) return { status: 404, message: 'this connection takes no pushes' };
  const keys = webhooks.signatureKeys();
  // Not subscribed yet (just started): Square tries again later.
  if (keys.length === 0) return { status: 503, message: 'not subscribed yet' };
  // Base64 HMAC-SHA256 over the exact URL the subscription was made with, then the raw body.
  const signature = push.headers[signatureHeader];
  const signed = [webhooks.notificationUrl, push.body];
  if (!kit.verifyHmacSignature({ signature, keys, signed, encoding: 'base64' })) {
    return { status: 401, message: `missing or invalid ${signatureHeader}` };
  }
  const nowMs = webhooks.now();
  const read = await kit.readWebhookEvent(push.body, {
    schema: squareEvent,
    id: (event) => event.event_id,
    sentAt: (event) => Date.parse(event.created_at),
    changes: webhooks.changes,
    maxAgeMs: webhooks.maxAgeMs,
    nowMs,
  });
  if ('answer' in read) return read.answer;
  if (!bookingEventTypes.includes(read.event.type)) {
    return { status: 200, message: 'not a booking event' };
  }
  const data = bookingEventData.safeParse(read.event.data);
  if (!data.success) return { status: 400, message: 'not a booking event Square would send' };
  const { booking } = data.data.object;
  if (booking.location_id !== connection.locationId) {
    return { status: 200, message: 'a booking of another location' };
  }
  const reservationId = reservationOf(booking.seller_note);
  const entry = reservationId && (await connection.reservations.get(connection.id, reservationId));
  if (!entry || (entry.providerReference ?? booking.id) !== booking.id) {
    return { status: 200, message: 'not a booking the platform made' };
  }
  // Without the catalogue the booking is still reported, its slots not.
  const { slotOf } = await connection.catalogue
    .get(AbortSignal.timeout(connection.deadlineMs))
    .catch(() => ({ slotOf: () => null }));
  const { versions } = webhooks;
  if (!versions.isNewer(booking.id, booking.version)) {
    return { status: 200, message: 'older than what was reported' };
  }
  // Nothing reported yet: version 0 is the platform's own booking of the slot it reserved.
  const previous = versions.get(booking.id) ?? {
    version: 0,
    status: 'BOOKED' as const,
    slot: parseSlotId(entry.slotId),
  };
  const contract = toContractBooking(booking, entry.reservationId, entry.slotId);
  const slot = slotKeyOf(booking);
  const changes = kit.toBookingChanges({
    id: read.event.event_id,
    occurredAt: iso(Date.parse(booking.updated_at)),
    booking: contract,
    slot,
    // Known only when it is the version just before: Square promises no order.
    before: previous.version === booking.version - 1 ? previous : null,
    sameTime,
    slotOf,
    nowMs,
  });
  for (const change of changes) await webhooks.changes.append(change);
  versions.remember(booking.id, { version: booking.version, status: contract.status, slot });
  return { status: 200 };
}
