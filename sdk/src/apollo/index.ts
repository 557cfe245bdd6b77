/**
 * `@varden/booking-sdk/apollo`: what an Apollo Client 4 app needs to use the Booking Platform —
 * the link to the gateway and the cache's rules. Needs `@apollo/client` 4 (an optional peer
 * dependency of the SDK).
 */
export { type BookingLinkOptions, createBookingLink } from './createBookingLink.js';
export { possibleTypes } from './possibleTypes.js';
export { typePolicies } from './typePolicies.js';
