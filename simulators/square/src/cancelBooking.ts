import { invalid } from './errors.js';
import { idempotent } from './idempotent.js';
import { type Operation, ok } from './operation.js';
import { asObject, optionalInteger, optionalString } from './readFields.js';
import { findBooking } from './retrieveBooking.js';
import { formatTime } from './time.js';

/**
 * `POST /v2/bookings/{booking_id}/cancel` [CancelBooking]: the booking becomes
 * CANCELLED_BY_SELLER (the token is the seller's) with `version` + 1, and its time is free again.
 * A `booking_version` other than the current one is 400 VERSION_MISMATCH; cancelling a booking
 * that is no longer ACCEPTED is 400 BAD_REQUEST, unless it repeats the first cancel's
 * `idempotency_key`, which answers the first cancel's booking.
 */
export const cancelBooking: Operation = (store, { params, body }) => {
  const record = findBooking(store, params[0]);
  const request = asObject(body ?? {}, '');
  const key = optionalString(request, 'idempotency_key', 'idempotency_key', 255);
  const expected = optionalInteger(request, 'booking_version', 'booking_version');
  return idempotent(store, `CancelBooking|${record.booking.id}`, key, request, () => {
    const current = record.booking;
    if (expected !== undefined && expected !== current.version) {
      throw invalid(
        'VERSION_MISMATCH',
        `booking_version ${expected} does not match the booking's current version ${current.version}.`,
        'booking_version',
      );
    }
    if (current.status !== 'ACCEPTED') {
      throw invalid(
        'BAD_REQUEST',
        `Booking is ${current.status}: cannot transition via "seller cancel".`,
      );
    }
    const cancelled = {
      ...current,
      status: 'CANCELLED_BY_SELLER' as const,
      version: current.version + 1,
      updated_at: formatTime(store.clock().getTime()),
    };
    store.put({ ...record, booking: cancelled }, 'booking.updated');
    return ok({ booking: cancelled });
  });
};
