import { cancelBooking } from './cancelBooking.js';
import { createBooking } from './createBooking.js';
import { createCustomer } from './createCustomer.js';
import { listBookings } from './listBookings.js';
import { listLocations } from './listLocations.js';
import { listTeamMemberBookingProfiles } from './listTeamMemberBookingProfiles.js';
import type { Operation } from './operation.js';
import { retrieveBooking } from './retrieveBooking.js';
import { retrieveBusinessBookingProfile } from './retrieveBusinessBookingProfile.js';
import { searchAvailability } from './searchAvailability.js';
import { searchCatalogObjects } from './searchCatalogObjects.js';
import { updateBooking } from './updateBooking.js';

/** Method and path pattern (`*` is one path parameter) of every endpoint simulated. */
const routes: readonly [string, string, Operation][] = [
  ['GET', 'v2/locations', listLocations],
  ['GET', 'v2/bookings/team-member-booking-profiles', listTeamMemberBookingProfiles],
  ['GET', 'v2/bookings/business-booking-profile', retrieveBusinessBookingProfile],
  ['POST', 'v2/catalog/search', searchCatalogObjects],
  ['POST', 'v2/customers', createCustomer],
  ['POST', 'v2/bookings/availability/search', searchAvailability],
  ['POST', 'v2/bookings', createBooking],
  ['GET', 'v2/bookings', listBookings],
  ['GET', 'v2/bookings/*', retrieveBooking],
  ['PUT', 'v2/bookings/*', updateBooking],
  ['POST', 'v2/bookings/*/cancel', cancelBooking],
];

/** The operation for a method and path segments, with the path parameters; `undefined` if none. */
export function routeSquareApi(method: string, segments: readonly string[]) {
  for (const [routeMethod, pattern, operation] of routes) {
    const parts = pattern.split('/');
    if (routeMethod !== method || parts.length !== segments.length) continue;
    const params: string[] = [];
    const fits = parts.every((part, i) => {
      if (part === '*') {
        params.push(segments[i] as string);
        return true;
      }
      return part === segments[i];
    });
    if (fits) return { operation, params };
  }
  return undefined;
}
