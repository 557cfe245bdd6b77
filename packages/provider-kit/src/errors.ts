import { GraphQLError } from 'graphql';

/**
 * Stable `extensions.code`s a provider subgraph raises when it cannot answer at all. Expected
 * booking failures are not errors: they are `ContractBookingResult.error`.
 */
export const ProviderErrorCode = {
  /** The provider did not answer within the deadline. The outcome of a write is unknown. */
  Timeout: 'PROVIDER_TIMEOUT',
  /** The provider refused the call (down, 5xx, rate limited) and did nothing. */
  Unavailable: 'PROVIDER_UNAVAILABLE',
  /** The provider answered something the adapter could not understand. */
  BadResponse: 'PROVIDER_BAD_RESPONSE',
  /**
   * The provider answered and refused the request itself (an unexpected 4xx: a malformed or
   * oversized id, say). It did nothing, and it is not unwell: this never counts against it.
   */
  Refused: 'PROVIDER_REFUSED',
  /** Scheduling asked for a connection this subgraph does not serve. */
  UnknownConnection: 'UNKNOWN_CONNECTION',
  /** Anything else. */
  Internal: 'PROVIDER_INTERNAL',
} as const;
export type ProviderErrorCode = (typeof ProviderErrorCode)[keyof typeof ProviderErrorCode];

/** An adapter failure with a stable code, e.g. a 503 or a response that failed validation. */
export class ProviderError extends Error {
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    readonly details: { status?: number; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'ProviderError';
  }
}

/** Turns whatever an adapter threw into a GraphQL error with a stable code. */
export function toGraphQLError(error: unknown, signal: AbortSignal): GraphQLError {
  if (error instanceof GraphQLError) return error;
  if (
    signal.aborted ||
    (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))
  ) {
    return new GraphQLError('the provider did not answer within the deadline', {
      extensions: { code: ProviderErrorCode.Timeout },
    });
  }
  if (error instanceof ProviderError) {
    return new GraphQLError(error.message, {
      extensions: {
        code: error.code,
        ...(error.details.status !== undefined && { providerStatus: error.details.status }),
        ...(error.details.retryAfterSeconds !== undefined && {
          retryAfterSeconds: error.details.retryAfterSeconds,
        }),
      },
    });
  }
  return new GraphQLError('the provider adapter failed', {
    extensions: { code: ProviderErrorCode.Internal },
    originalError: error instanceof Error ? error : undefined,
  });
}

/** Errors raised before a request was sent: the provider certainly did nothing. */
const notSentCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Classifies a request that failed without an answer. Aborts pass through untouched (the kit
 * reports them as PROVIDER_TIMEOUT). A read, or a write that was never sent, did nothing:
 * PROVIDER_UNAVAILABLE. A write whose answer was lost may have happened: it is reported as a
 * timeout, so the platform reconciles by reservation id instead of assuming nothing was done.
 */
export function connectionFailure(
  error: unknown,
  request: { signal: AbortSignal; isWrite: boolean; label: string },
): unknown {
  if (request.signal.aborted) return error;
  const code = (error as { code?: string }).code || 'network error';
  if (!request.isWrite || notSentCodes.has(code)) {
    return new ProviderError(
      ProviderErrorCode.Unavailable,
      `${request.label}: unreachable (${code})`,
      {
        cause: error,
      },
    );
  }
  return new ProviderError(
    ProviderErrorCode.Timeout,
    `${request.label}: connection lost, outcome unknown (${code})`,
    { cause: error },
  );
}
