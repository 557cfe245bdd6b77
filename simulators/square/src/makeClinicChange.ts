import { ensureBookable } from './bookingRules.js';
import type { Booking, BookingStatus, SellerStore } from './createSellerStore.js';
import { type Answer, conflict, invalid, notFound, SquareFailure } from './errors.js';
import { asObject, requiredString } from './readFields.js';
import { findBooking } from './retrieveBooking.js';
import { formatTime, parseTime } from './time.js';

const kinds = ['CANCEL', 'MOVE', 'NO_SHOW', 'OPEN_SLOT'] as const;
type Kind = (typeof kinds)[number];

/** Statuses in which the clinic can still change the booking (Square's `BookingStatus`). */
const open: ReadonlySet<BookingStatus> = new Set(['PENDING', 'ACCEPTED']);

/**
 * `POST /_admin/clinic-changes` (simulator-kit's "Changes at the clinic"): what the clinic's staff
 * do in Square's Dashboard or Point of Sale app, made in the seller's store and published to its
 * webhook subscriptions as `booking.updated`, as Square does for changes from any channel.
 * `connection` is the merchant id; `booking` Square's booking id.
 *
 * - `CANCEL`: the seller cancels, `CANCELLED_BY_SELLER`; its time is free again.
 * - `MOVE`: `start_at` becomes `start`, same location, same team members and services, if they
 *   are free and working then (else 409, as a create would be refused).
 * - `NO_SHOW`: the status becomes `NO_SHOW`.
 * - `OPEN_SLOT`: 501. Square has no slots: availability is computed from the team members'
 *   booking profiles and working hours, which the Bookings API neither changes nor reports by
 *   webhook, so there is no change at the clinic that Square would push as a new time.
 *
 * Each change adds one to `version` and sets `updated_at`. A booking no longer `ACCEPTED` (or
 * `PENDING`) cannot be changed: 409.
 */
export function makeClinicChange(sellers: ReadonlyMap<string, SellerStore>, body: unknown): Answer {
  const fields = asObject(body, '');
  const merchantId = requiredString(fields, 'connection', 'connection');
  const kindText = requiredString(fields, 'kind', 'kind');
  if (!(kinds as readonly string[]).includes(kindText)) {
    throw invalid('INVALID_VALUE', `kind must be one of ${kinds.join(', ')}.`, 'kind');
  }
  const kind = kindText as Kind;
  const store = sellers.get(merchantId);
  if (!store) throw notFound(`Unknown seller ${merchantId}.`, 'connection');
  if (kind === 'OPEN_SLOT') {
    throw new SquareFailure(501, {
      category: 'API_ERROR',
      code: 'NOT_IMPLEMENTED',
      detail: 'Square has no slots to open: availability comes from working hours.',
    });
  }
  const startMs =
    kind === 'MOVE' ? parseTime(requiredString(fields, 'start', 'start'), 'start') : undefined;
  const record = findBooking(store, requiredString(fields, 'booking', 'booking'));
  const current = record.booking;
  if (!open.has(current.status)) {
    throw conflict(
      `Booking is ${current.status}: the clinic cannot change it any more.`,
      'booking',
    );
  }
  const changed: Booking = {
    ...current,
    version: current.version + 1,
    updated_at: formatTime(store.clock().getTime()),
  };
  if (kind === 'CANCEL') changed.status = 'CANCELLED_BY_SELLER';
  if (kind === 'NO_SHOW') changed.status = 'NO_SHOW';
  if (startMs !== undefined) {
    ensureBookable(store, startMs, current.appointment_segments, current.id);
    changed.start_at = formatTime(startMs);
  }
  store.put({ ...record, booking: changed, startMs: startMs ?? record.startMs }, 'booking.updated');
  return { status: 200, body: { booking: structuredClone(changed) } };
}
