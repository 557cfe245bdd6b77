import type { BookingClientErrorCode } from './BookingApiError.js';

/**
 * The `extensions.code`s of the gateway's errors that reach clients (every other error is masked
 * as `INTERNAL_SERVER_ERROR`).
 */
export const gatewayErrorCodes = [
  /** No token where the operation needs one, or a token that is not valid. HTTP 401. */
  'UNAUTHENTICATED',
  /** The token lacks a scope the operation needs (`extensions.scope`). HTTP 403. */
  'FORBIDDEN',
  /** Too many requests this minute; `extensions.retryAfterSeconds`. HTTP 429. */
  'RATE_LIMITED',
  /** A document that is not one of the SDK's, where only those may run. HTTP 400. */
  'TRUSTED_DOCUMENT_REQUIRED',
  /** A hash the gateway does not know (an SDK newer than the gateway's manifest). */
  'PERSISTED_QUERY_NOT_FOUND',
  /** A hash sent to a gateway that takes document text only. */
  'PERSISTED_QUERY_NOT_SUPPORTED',
  /** A value refused before anything ran; `extensions.field` names it. */
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  /** A provider the request needs did not answer. */
  'PROVIDER_UNAVAILABLE',
  /** A platform service did not answer for a moment: repeat (same idempotency key). HTTP 503. */
  'SERVICE_UNAVAILABLE',
  /** Anything not meant for clients, masked. */
  'INTERNAL_SERVER_ERROR',
] as const;

/**
 * What went wrong with a call of the Booking API: a gateway code (`UNAUTHENTICATED`,
 * `RATE_LIMITED`, `TRUSTED_DOCUMENT_REQUIRED`, …) or one the client sets itself when the answer
 * carries none (`NETWORK_ERROR`, `TIMEOUT`, `HTTP_ERROR`, `GRAPHQL_ERROR`). Open-ended: a code
 * added to the API later comes through as it is.
 */
export type BookingErrorCode =
  | (typeof gatewayErrorCodes)[number]
  | BookingClientErrorCode
  | (string & {});

/** The engines' messages for a `fetch` that got no answer (Node, Chromium, Firefox, WebKit, React Native). */
const fetchFailureMessages = new Set([
  'fetch failed',
  'Failed to fetch',
  'NetworkError when attempting to fetch resource.',
  'Load failed',
  'Network request failed',
]);

// Apollo Client brands its error classes with this symbol; reading it keeps Apollo out of the
// SDK's root entry (and works across several copies of Apollo Client).
const apolloErrorBrand = Symbol.for('apollo.error');

function firstCode(errors: unknown): string | undefined {
  if (!Array.isArray(errors)) return undefined;
  for (const error of errors) {
    const code = (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** The code in an HTTP error's body, when the body is a GraphQL response (the gateway's are). */
function codeOfBody(bodyText: unknown): string | undefined {
  if (typeof bodyText !== 'string') return undefined;
  try {
    return firstCode((JSON.parse(bodyText) as { errors?: unknown } | null)?.errors);
  } catch {
    return undefined;
  }
}

/**
 * The Booking API's code of any error a call can end with, or null for an error that did not come
 * from a call (a bug in the page, say). Understands the backend client's `BookingApiError` and
 * Apollo Client 4's errors: `CombinedGraphQLErrors` (the first `extensions.code`), `ServerError`
 * (the code in its body, else `HTTP_ERROR`), `ServerParseError`, and a `fetch` that got no answer
 * (`NETWORK_ERROR`) or timed out through an `AbortSignal.timeout` (`TIMEOUT`).
 *
 * @example
 * if (bookingErrorCode(error) === 'UNAUTHENTICATED') await auth.signinRedirect();
 */
export function bookingErrorCode(error: unknown): BookingErrorCode | null {
  if (typeof error !== 'object' || error === null) return null;
  const { name, code, errors, bodyText, statusCode, message } = error as Record<string, unknown>;
  if (name === 'BookingApiError' && typeof code === 'string') return code;
  switch ((error as Record<symbol, unknown>)[apolloErrorBrand]) {
    case 'CombinedGraphQLErrors':
    case 'CombinedProtocolErrors':
      return firstCode(errors) ?? 'GRAPHQL_ERROR';
    case 'ServerError':
      return codeOfBody(bodyText) ?? 'HTTP_ERROR';
    case 'ServerParseError':
      return typeof statusCode === 'number' && statusCode >= 300 ? 'HTTP_ERROR' : 'GRAPHQL_ERROR';
  }
  if (name === 'TypeError' && typeof message === 'string' && fetchFailureMessages.has(message)) {
    return 'NETWORK_ERROR';
  }
  if (name === 'TimeoutError') return 'TIMEOUT';
  return null;
}

/**
 * Whether `error` is an error of a Booking API call (see {@link bookingErrorCode}), with `code`
 * when one is given.
 *
 * @example
 * if (isBookingError(error, 'RATE_LIMITED')) showTryAgainLater();
 */
export function isBookingError(error: unknown, code?: BookingErrorCode): boolean {
  const actual = bookingErrorCode(error);
  return actual !== null && (code === undefined || actual === code);
}
