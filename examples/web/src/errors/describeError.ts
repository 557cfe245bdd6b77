import { bookingErrorCode } from '@varden/booking-sdk';

export interface ErrorDescription {
  /**
   * The platform's code, e.g. `UNAUTHENTICATED`, shown small for support; null for an error that
   * did not come from an API call.
   */
  code: string | null;
  /** What happened and what to do, for the patient. */
  message: string;
  /** Whether signing in again is the way out. */
  signInAgain: boolean;
}

/** What each of the platform's error codes means to a patient, and what they can do. */
const messages: Record<string, string> = {
  UNAUTHENTICATED: 'You are not signed in, or your session has ended. Sign in again.',
  FORBIDDEN: 'Your sign-in does not allow this. Sign in again.',
  RATE_LIMITED: 'There were too many requests just now. Wait a moment and try again.',
  NETWORK_ERROR: 'The booking service could not be reached. Check your connection and try again.',
  TIMEOUT: 'The booking service did not answer in time. Try again.',
  HTTP_ERROR: 'The booking service answered with an error. Try again in a moment.',
  PROVIDER_UNAVAILABLE: 'The clinic’s booking system is not answering. Try again in a moment.',
  SERVICE_UNAVAILABLE: 'The booking service is busy for a moment. Try again.',
  BAD_USER_INPUT:
    'The booking service could not use what was sent. Check the details and try again.',
  TRUSTED_DOCUMENT_REQUIRED: 'This page is out of date with the booking service. Reload the page.',
  PERSISTED_QUERY_NOT_FOUND: 'This page is out of date with the booking service. Reload the page.',
};

const signInCodes = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

/** Any error of an API call (GraphQL, HTTP or network), as the patient should read it. */
export function describeError(error: unknown): ErrorDescription {
  const code = bookingErrorCode(error);
  if (code === null)
    return { code, message: 'Something went wrong on this page.', signInAgain: false };
  return {
    code,
    message: messages[code] ?? 'Something went wrong at the booking service. Try again.',
    signInAgain: signInCodes.has(code),
  };
}
