/**
 * `@varden/booking-sdk`: a typed client of the Vården Booking Platform for backends, and (from
 * `@varden/booking-sdk/documents`) the same operations as TypedDocumentNodes for frontends.
 */
export type * from './__generated__/graphql.js';
export {
  BookingApiError,
  type BookingClientErrorCode,
  type GraphQLErrorPayload,
} from './BookingApiError.js';
export {
  type BookingClient,
  type BookingClientOptions,
  createBookingClient,
  type RetryOptions,
} from './createBookingClient.js';
export {
  type BookingWebhook,
  type ReservationWebhook,
  type SlotOpenedWebhook,
  verifyWebhook,
  WebhookSignatureError,
} from './verifyWebhook.js';
