import { ApolloLink } from '@apollo/client/link';
import { SetContextLink } from '@apollo/client/link/context';
import { HttpLink } from '@apollo/client/link/http';
import { type RetryOptions, retryPolicy } from '../retryPolicy.js';
import { createIdempotencyKeyLink } from './createIdempotencyKeyLink.js';
import { createPersistedDocumentLink } from './createPersistedDocumentLink.js';
import { createRetryLink } from './createRetryLink.js';
import { markingNetworkFailures } from './networkFailures.js';

/** Options of {@link createBookingLink}. */
export interface BookingLinkOptions {
  /** The gateway's GraphQL endpoint, e.g. `https://booking.varden.se/graphql`. Required. */
  uri: string;
  /**
   * Returns the bearer token (`Authorization: Bearer <token>`); called before every HTTP request,
   * retries included, so a token the identity library renewed is picked up. No header when it
   * returns null or undefined (a signed-out visitor still reads availability outside
   * production). What it throws ends the operation with that error. Default: none.
   */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /**
   * `'hash'` sends only each document's sha256 hash (`extensions.persistedQuery`), never its
   * text: what a gateway with `TRUSTED_DOCUMENTS=enforced` (production's default) runs, and only
   * the SDK's documents have one. `'text'` sends the document's text, for a gateway that does not
   * enforce trusted documents (your own documents in development); an enforcing gateway refuses
   * it with `TRUSTED_DOCUMENT_REQUIRED`. Default: `'hash'`.
   */
  persistedDocuments?: 'hash' | 'text';
  /**
   * Retries of requests that got no answer (refused, reset, DNS), of 429 and 5xx answers (after
   * their `Retry-After`) and of a mutation whose earlier call with its key is still running
   * (`ProviderUnavailable` with `retryAfterSeconds`), with full-jitter backoff; never of other 4xx
   * answers or of GraphQL errors in a 200 answer. Queries are retried; mutations only with an
   * `input.idempotencyKey` (every reservation mutation has one, filled in when missing), always
   * with the same key. `false` makes exactly one request. Default: `{}` (the defaults of
   * {@link RetryOptions}: 3 attempts, 200 ms base, 5 s cap, `Retry-After` up to 30 s).
   */
  retry?: RetryOptions | false;
  /** The `fetch` to use. Default: the global `fetch` at the time of each request. */
  fetch?: typeof globalThis.fetch;
  /** Extra headers on every request. Default: none. */
  headers?: Record<string, string>;
}

/**
 * The Apollo Client 4 link to the Booking Platform's gateway, for
 * `new ApolloClient({ link: createBookingLink({ uri, getToken }), cache })`. In order: the SDK's
 * documents are set to go by hash (`persistedDocuments`; any other document fails here, before
 * anything is sent); a missing idempotency key of a reservation mutation is filled in once;
 * failures worth repeating are retried (`retry`); each attempt asks `getToken` for the bearer
 * token; the request goes over HTTP. A request that got no answer ends as a `BookingApiError` with
 * code `NETWORK_ERROR`; every other failure is Apollo's own error (`CombinedGraphQLErrors`,
 * `ServerError`): read any of them with `bookingErrorCode`.
 */
export function createBookingLink(options: BookingLinkOptions): ApolloLink {
  const { getToken } = options;
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  return ApolloLink.from([
    ...((options.persistedDocuments ?? 'hash') === 'hash' ? [createPersistedDocumentLink()] : []),
    createIdempotencyKeyLink(() => globalThis.crypto.randomUUID()),
    createRetryLink(retryPolicy(options.retry)),
    ...(getToken
      ? [
          new SetContextLink(async ({ headers }) => {
            const token = await getToken();
            return token ? { headers: { ...headers, authorization: `Bearer ${token}` } } : {};
          }),
        ]
      : []),
    new HttpLink({
      uri: options.uri,
      fetch: markingNetworkFailures(fetchImpl),
      ...(options.headers && { headers: options.headers }),
    }),
  ]);
}
