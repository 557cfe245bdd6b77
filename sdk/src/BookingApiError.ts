/** One error of a GraphQL response, as the gateway sends it. */
export interface GraphQLErrorPayload {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/**
 * Codes the client sets itself, when the gateway's answer carries none. Every other code is the
 * gateway's `extensions.code`, e.g. `BAD_USER_INPUT`, `GRAPHQL_VALIDATION_FAILED`,
 * `PERSISTED_QUERY_NOT_FOUND`, `TRUSTED_DOCUMENT_REQUIRED`, `PROVIDER_UNAVAILABLE`.
 */
export type BookingClientErrorCode =
  /** The request never got an HTTP answer (connection refused, reset, DNS). */
  | 'NETWORK_ERROR'
  /** No answer within `timeoutMs`. */
  | 'TIMEOUT'
  /** An HTTP error status without a GraphQL error in the body (e.g. a proxy's 502 or a 429). */
  | 'HTTP_ERROR'
  /** A GraphQL error without `extensions.code`, or an answer without `data`. */
  | 'GRAPHQL_ERROR';

/**
 * Every failure of a {@link BookingClient} call that is not a schema result: network failures,
 * timeouts, HTTP errors and GraphQL errors. Expected booking outcomes (`SlotUnavailable`, …) are not
 * errors: they are members of each mutation's result union.
 */
export class BookingApiError extends Error {
  override readonly name = 'BookingApiError';
  /** The gateway's `extensions.code` of the first GraphQL error, or a {@link BookingClientErrorCode}. */
  readonly code: BookingClientErrorCode | (string & {});
  /** HTTP status of the last answer; undefined when there was none (network error, timeout). */
  readonly status: number | undefined;
  /** The operation that failed, e.g. `ReserveSlot`. */
  readonly operationName: string;
  /** Every GraphQL error of the last answer (empty for network and HTTP errors). */
  readonly errors: readonly GraphQLErrorPayload[];
  /** How many HTTP requests were made, retries included. */
  readonly attempts: number;

  constructor(init: {
    message: string;
    code: BookingApiError['code'];
    operationName: string;
    attempts: number;
    status?: number | undefined;
    errors?: readonly GraphQLErrorPayload[];
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.operationName = init.operationName;
    this.errors = init.errors ?? [];
    this.attempts = init.attempts;
  }
}
