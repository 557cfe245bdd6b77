import { invalid } from './errors.js';
import { type Operation, ok } from './operation.js';
import { page } from './paging.js';
import { queryBoolean, queryInteger } from './readFields.js';

/**
 * `GET /v2/bookings/team-member-booking-profiles` [ListTeamMemberBookingProfiles], with
 * `location_id`, `bookable_only`, `limit` (1..100, default 100) and `cursor`.
 */
export const listTeamMemberBookingProfiles: Operation = (store, { query }) => {
  const limit = queryInteger(query, 'limit', 1, 100) ?? 100;
  const bookableOnly = queryBoolean(query, 'bookable_only') ?? false;
  const locationId = query.get('location_id');
  if (locationId && !store.locations.has(locationId)) {
    throw invalid('INVALID_VALUE', `Unknown location ${locationId}.`, 'location_id');
  }
  const members = [...store.teamMembers.values()].filter(
    (member) =>
      (!bookableOnly || member.isBookable) && (!locationId || member.locationId === locationId),
  );
  const { items, cursor } = page(members, query.get('cursor'), limit);
  return ok({
    team_member_booking_profiles: items.map((member) => ({
      team_member_id: member.id,
      description: member.description,
      display_name: member.displayName,
      is_bookable: member.isBookable,
    })),
    ...(cursor ? { cursor } : {}),
  });
};
