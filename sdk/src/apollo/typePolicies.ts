import type { TypePolicies } from '@apollo/client/cache';
import { relayStylePagination } from '@apollo/client/utilities';

/**
 * The cache's rules for the Booking API, for `new InMemoryCache({ typePolicies, possibleTypes })`.
 *
 * The paginated lists keep one list per what they list (`availability` and `clinics` per
 * `filter`, `myReservations` one per user) whatever `first` and `after` a page was asked with,
 * and a page asked with `after` (`fetchMore({ variables: { after: pageInfo.endCursor } })`) is
 * spliced in after the edge with that cursor, so the list grows page by page; a page asked without
 * `after` (a refetch) starts the list again. A list's `totalCount` and `providerOutcomes` are its
 * latest page's. Build the `filter` once (e.g. round `from` to the minute): a new filter object with
 * another `from` is another list. The feeds (`reservationEvents`, `availabilityEvents`) are read
 * by the cursor you keep, not accumulated, so they have no policy.
 *
 * Every object type with an identity has an `id` (Apollo's default key). An address or a location
 * has none: it is part of its clinic, so a query that selects fewer of its fields (a slot's clinic)
 * merges into it rather than replacing it.
 */
export const typePolicies: TypePolicies = {
  Query: {
    fields: {
      availability: relayStylePagination(['filter']),
      clinics: relayStylePagination(['filter']),
      myReservations: relayStylePagination(false),
    },
  },
  Address: { merge: true },
  GeoPoint: { merge: true },
};
