/**
 * `@varden/booking-sdk`: a typed client of the Vården Booking Platform for backends, what every
 * client needs besides (the error guard, the patient check, page loading, document hashes), and
 * (from `@varden/booking-sdk/documents`) the same operations as TypedDocumentNodes for frontends;
 * Apollo Client's link and cache rules are in `@varden/booking-sdk/apollo`.
 */
export type * from './__generated__/graphql.js';
export {
  BookingApiError,
  type BookingClientErrorCode,
  type GraphQLErrorPayload,
} from './BookingApiError.js';
export { type BookingErrorCode, bookingErrorCode, isBookingError } from './bookingErrorCode.js';
export {
  type BookingClient,
  type BookingClientOptions,
  createBookingClient,
} from './createBookingClient.js';
export { documentHash } from './documentHash.js';
export { type ConfirmOutcome, holdAfterConfirm } from './holdAfterConfirm.js';
export { loadAllPages, maxPageSize, type Page } from './loadAllPages.js';
export type { RetryOptions } from './retryPolicy.js';
export {
  type PatientValidation,
  type ValidatePatientOptions,
  type ValidPatient,
  validatePatient,
} from './validatePatient.js';
export {
  type BookingWebhook,
  type ReservationWebhook,
  type SlotOpenedWebhook,
  verifyWebhook,
  WebhookSignatureError,
} from './verifyWebhook.js';
