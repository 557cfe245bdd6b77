import type { Access } from '@booking/simulator-kit';
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
import { createWebhookSubscription } from './webhooks/createWebhookSubscription.js';
import { deleteWebhookSubscription } from './webhooks/deleteWebhookSubscription.js';
import { listWebhookEventTypes } from './webhooks/listWebhookEventTypes.js';
import { listWebhookSubscriptions } from './webhooks/listWebhookSubscriptions.js';
import { retrieveWebhookSubscription } from './webhooks/retrieveWebhookSubscription.js';
import { updateWebhookSubscription } from './webhooks/updateWebhookSubscription.js';
import { updateWebhookSubscriptionSignatureKey } from './webhooks/updateWebhookSubscriptionSignatureKey.js';

/**
 * Method, path pattern (`*` is one path parameter) and access of every endpoint simulated. The
 * searches are POSTs that only read: the control protocol's read/write rules treat them as reads.
 */
const routes: readonly [string, string, Operation, Access][] = [
  ['GET', 'v2/locations', listLocations, 'read'],
  ['GET', 'v2/bookings/team-member-booking-profiles', listTeamMemberBookingProfiles, 'read'],
  ['GET', 'v2/bookings/business-booking-profile', retrieveBusinessBookingProfile, 'read'],
  ['POST', 'v2/catalog/search', searchCatalogObjects, 'read'],
  ['POST', 'v2/customers', createCustomer, 'write'],
  ['POST', 'v2/bookings/availability/search', searchAvailability, 'read'],
  ['POST', 'v2/bookings', createBooking, 'write'],
  ['GET', 'v2/bookings', listBookings, 'read'],
  ['GET', 'v2/bookings/*', retrieveBooking, 'read'],
  ['PUT', 'v2/bookings/*', updateBooking, 'write'],
  ['POST', 'v2/bookings/*/cancel', cancelBooking, 'write'],
  ['GET', 'v2/webhooks/event-types', listWebhookEventTypes, 'read'],
  ['GET', 'v2/webhooks/subscriptions', listWebhookSubscriptions, 'read'],
  ['POST', 'v2/webhooks/subscriptions', createWebhookSubscription, 'write'],
  ['GET', 'v2/webhooks/subscriptions/*', retrieveWebhookSubscription, 'read'],
  ['PUT', 'v2/webhooks/subscriptions/*', updateWebhookSubscription, 'write'],
  ['DELETE', 'v2/webhooks/subscriptions/*', deleteWebhookSubscription, 'write'],
  [
    'POST',
    'v2/webhooks/subscriptions/*/signature-key',
    updateWebhookSubscriptionSignatureKey,
    'write',
  ],
];

/** The operation for a method and path segments, with the path parameters; `undefined` if none. */
export function routeSquareApi(method: string, segments: readonly string[]) {
  for (const [routeMethod, pattern, operation, access] of routes) {
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
    if (fits) return { operation, params, access };
  }
  return undefined;
}
