import { ensureBookable, readSegments } from './bookingRules.js';
import type { Booking } from './createSellerStore.js';
import { invalid } from './errors.js';
import { idempotent } from './idempotent.js';
import { type Operation, ok } from './operation.js';
import { asObject, optionalString, requiredString, requireValue } from './readFields.js';
import { formatTime, parseTime } from './time.js';

/**
 * `POST /v2/bookings` [CreateBooking]. The slot is checked and taken in one synchronous step, so
 * of concurrent creates for one slot exactly one wins and the others get 409 CONFLICT. A repeat
 * with the same `idempotency_key` and body answers the first booking; another body with that key
 * is `IDEMPOTENCY_KEY_REUSED`.
 */
export const createBooking: Operation = (store, { body }) => {
  const request = asObject(body ?? {}, '');
  const key = optionalString(request, 'idempotency_key', 'idempotency_key', 255);
  const booking = asObject(requireValue(request, 'booking', 'booking'), 'booking');
  const locationId = requiredString(booking, 'location_id', 'booking.location_id', 32);
  if (!store.locations.has(locationId)) {
    throw invalid('INVALID_VALUE', `Unknown location ${locationId}.`, 'booking.location_id');
  }
  const startMs = parseTime(
    requireValue(booking, 'start_at', 'booking.start_at'),
    'booking.start_at',
  );
  const segments = readSegments(
    store,
    booking.appointment_segments,
    locationId,
    'booking.appointment_segments',
  );
  const customerId = optionalString(booking, 'customer_id', 'booking.customer_id', 192);
  if (customerId !== undefined && !store.customers.has(customerId)) {
    throw invalid(
      'CUSTOMER_NOT_FOUND',
      `Customer ${customerId} was not found.`,
      'booking.customer_id',
    );
  }
  const customerNote = optionalString(booking, 'customer_note', 'booking.customer_note', 4096);
  const sellerNote = optionalString(booking, 'seller_note', 'booking.seller_note', 4096);

  return idempotent(store, 'CreateBooking', key, request, () => {
    ensureBookable(store, startMs, segments);
    const now = formatTime(store.clock().getTime());
    const created: Booking = {
      id: store.nextId('booking'),
      version: 0,
      status: 'ACCEPTED',
      created_at: now,
      updated_at: now,
      start_at: formatTime(startMs),
      location_id: locationId,
      ...(customerId === undefined ? {} : { customer_id: customerId }),
      ...(customerNote === undefined ? {} : { customer_note: customerNote }),
      ...(sellerNote === undefined ? {} : { seller_note: sellerNote }),
      appointment_segments: segments,
      transition_time_minutes: 0,
      all_day: false,
      location_type: 'BUSINESS_LOCATION',
      source: 'API',
    };
    store.put({ booking: created, startMs, origin: 'api' }, 'booking.created');
    return ok({ booking: structuredClone(created) });
  });
};
