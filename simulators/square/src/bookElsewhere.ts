import { ensureBookable } from './bookingRules.js';
import type { Booking, SellerStore } from './createSellerStore.js';
import { invalid } from './errors.js';
import { catalogVersion } from './seed.js';
import { formatTime, parseTime } from './time.js';

/** A booking made by another client of the seller, as `bookElsewhere` takes it. */
export interface ElsewhereBooking {
  locationId: string;
  teamMemberId: string;
  serviceVariationId: string;
  /** RFC 3339, e.g. `2026-03-30T07:00:00Z`. */
  startAt: string;
}

/**
 * Books a slot as the seller's own online booking site would: under the same rules as
 * CreateBooking (free, in working hours, in the future), with `source: FIRST_PARTY_BUYER`.
 * Throws a `SquareFailure` (409 CONFLICT when the time is not bookable).
 */
export function bookElsewhere(store: SellerStore, input: ElsewhereBooking): Booking {
  const variation = store.variations.get(input.serviceVariationId)?.variation;
  if (!variation) {
    throw invalid('INVALID_VALUE', 'Unknown service variation.', 'service_variation_id');
  }
  const member = store.teamMembers.get(input.teamMemberId);
  if (
    member?.locationId !== input.locationId ||
    !variation.teamMemberIds.includes(input.teamMemberId)
  ) {
    throw invalid(
      'INVALID_VALUE',
      'The team member does not provide this service here.',
      'team_member_id',
    );
  }
  const startMs = parseTime(input.startAt, 'start_at');
  const segments = [
    {
      duration_minutes: variation.durationMinutes,
      service_variation_id: variation.id,
      team_member_id: input.teamMemberId,
      service_variation_version: catalogVersion,
      intermission_minutes: 0,
      any_team_member: false,
    },
  ];
  ensureBookable(store, startMs, segments);
  const now = formatTime(store.clock().getTime());
  const booking: Booking = {
    id: store.nextId('booking'),
    version: 0,
    status: 'ACCEPTED',
    created_at: now,
    updated_at: now,
    start_at: formatTime(startMs),
    location_id: input.locationId,
    appointment_segments: segments,
    transition_time_minutes: 0,
    all_day: false,
    location_type: 'BUSINESS_LOCATION',
    source: 'FIRST_PARTY_BUYER',
  };
  store.put({ booking, startMs, origin: 'elsewhere' }, 'booking.created');
  return structuredClone(booking);
}
