import { ensureBookable, readSegments } from './bookingRules.js';
import type { Booking } from './createSellerStore.js';
import { invalid } from './errors.js';
import { idempotent } from './idempotent.js';
import { type Operation, ok } from './operation.js';
import { asObject, optionalInteger, optionalString, requireValue } from './readFields.js';
import { findBooking } from './retrieveBooking.js';
import { formatTime, parseTime } from './time.js';

/**
 * `PUT /v2/bookings/{booking_id}` [UpdateBooking]: fields given in `booking` replace the stored
 * ones (`start_at`, `appointment_segments`, notes, `customer_id`); a new time is checked like a
 * create, ignoring the booking itself. `booking.version` other than the current one is 400
 * VERSION_MISMATCH; `location_id` cannot change; only ACCEPTED bookings can be updated.
 */
export const updateBooking: Operation = (store, { params, body }) => {
  const record = findBooking(store, params[0]);
  const request = asObject(body ?? {}, '');
  const key = optionalString(request, 'idempotency_key', 'idempotency_key', 255);
  const patch = asObject(requireValue(request, 'booking', 'booking'), 'booking');
  const expected = optionalInteger(patch, 'version', 'booking.version');
  const locationId = optionalString(patch, 'location_id', 'booking.location_id', 32);
  if (locationId !== undefined && locationId !== record.booking.location_id) {
    throw invalid(
      'INVALID_VALUE',
      'The location of a booking cannot be changed.',
      'booking.location_id',
    );
  }
  if (patch.status !== undefined && patch.status !== record.booking.status) {
    throw invalid('INVALID_VALUE', 'Use CancelBooking to cancel a booking.', 'booking.status');
  }
  const startMs =
    patch.start_at === undefined ? record.startMs : parseTime(patch.start_at, 'booking.start_at');
  const segments =
    patch.appointment_segments === undefined
      ? record.booking.appointment_segments
      : readSegments(
          store,
          patch.appointment_segments,
          record.booking.location_id,
          'booking.appointment_segments',
        );
  const customerId = optionalString(patch, 'customer_id', 'booking.customer_id', 192);
  if (customerId !== undefined && !store.customers.has(customerId)) {
    throw invalid(
      'CUSTOMER_NOT_FOUND',
      `Customer ${customerId} was not found.`,
      'booking.customer_id',
    );
  }
  const customerNote = optionalString(patch, 'customer_note', 'booking.customer_note', 4096);
  const sellerNote = optionalString(patch, 'seller_note', 'booking.seller_note', 4096);

  return idempotent(store, `UpdateBooking|${record.booking.id}`, key, request, () => {
    const current = store.get(record.booking.id)?.booking ?? record.booking;
    if (expected !== undefined && expected !== current.version) {
      throw invalid(
        'VERSION_MISMATCH',
        `booking.version ${expected} does not match the booking's current version ${current.version}.`,
        'booking.version',
      );
    }
    if (current.status !== 'ACCEPTED') {
      throw invalid('BAD_REQUEST', `Booking is ${current.status} and cannot be updated.`);
    }
    const moved = startMs !== record.startMs || patch.appointment_segments !== undefined;
    if (moved) ensureBookable(store, startMs, segments, current.id);
    const updated: Booking = {
      ...current,
      version: current.version + 1,
      updated_at: formatTime(store.clock().getTime()),
      start_at: formatTime(startMs),
      appointment_segments: segments,
      ...(customerId === undefined ? {} : { customer_id: customerId }),
      ...(customerNote === undefined ? {} : { customer_note: customerNote }),
      ...(sellerNote === undefined ? {} : { seller_note: sellerNote }),
    };
    store.put({ ...record, booking: updated, startMs }, 'booking.updated');
    return ok({ booking: updated });
  });
};
