import { invalid } from './errors.js';
import { type Operation, ok } from './operation.js';
import { page } from './paging.js';
import { queryInteger } from './readFields.js';
import { dayMs, parseTime } from './time.js';

/** Square's ListBookings window: `start_at_max` defaults to, and may be at most, 31 days after `start_at_min`. */
export const maxListWindowMs = 31 * dayMs;

/**
 * `GET /v2/bookings` [ListBookings]: bookings (any status) starting in `start_at_min` (default
 * now)..`start_at_max` (default min + 31 days), optionally of one `location_id`, `team_member_id`
 * or `customer_id`, by start time; `limit` 1..10000 (default 100) and `cursor`.
 */
export const listBookings: Operation = (store, { query }) => {
  const limit = queryInteger(query, 'limit', 1, 10_000) ?? 100;
  const minText = query.get('start_at_min');
  const maxText = query.get('start_at_max');
  const min = minText ? parseTime(minText, 'start_at_min') : store.clock().getTime();
  const max = maxText ? parseTime(maxText, 'start_at_max') : min + maxListWindowMs;
  if (max < min)
    throw invalid(
      'INVALID_TIME_RANGE',
      'start_at_max must not be before start_at_min.',
      'start_at_max',
    );
  if (max - min > maxListWindowMs) {
    throw invalid(
      'INVALID_TIME_RANGE',
      'start_at_max must be at most 31 days after start_at_min.',
      'start_at_max',
    );
  }
  const locationId = query.get('location_id') || undefined;
  if (locationId && !store.locations.has(locationId)) {
    throw invalid('INVALID_VALUE', `Unknown location ${locationId}.`, 'location_id');
  }
  const teamMemberId = query.get('team_member_id') || undefined;
  const customerId = query.get('customer_id') || undefined;
  const members = [...store.teamMembers.values()].filter(
    (m) => !locationId || m.locationId === locationId,
  );
  store.prepare(
    members.map((m) => m.id),
    { start: min, end: max },
  );
  const found = [...store.all()]
    .filter(({ startMs }) => startMs >= min && startMs <= max)
    .filter(({ booking }) => !locationId || booking.location_id === locationId)
    .filter(({ booking }) => !customerId || booking.customer_id === customerId)
    .filter(
      ({ booking }) =>
        !teamMemberId ||
        booking.appointment_segments.some((s) => s.team_member_id === teamMemberId),
    )
    .sort((a, b) => a.startMs - b.startMs || (a.booking.id < b.booking.id ? -1 : 1))
    .map(({ booking }) => booking);
  const { items, cursor } = page(found, query.get('cursor'), limit);
  return ok({ bookings: items, ...(cursor ? { cursor } : {}), errors: [] });
};
