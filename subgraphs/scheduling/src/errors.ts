import { GraphQLError } from 'graphql';

/**
 * The scheduling subgraph's unexpected failures, each with a stable `extensions.code`. Expected
 * business outcomes are schema types, not errors.
 */
export const SchedulingErrorCode = {
  /** The request's arguments are invalid; `extensions.field` names the argument. */
  BadUserInput: 'BAD_USER_INPUT',
  /** A provider could not be reached for a call that needs exactly that provider. */
  ProviderUnavailable: 'PROVIDER_UNAVAILABLE',
  /** The client is not allowed this operation (a scope is missing). HTTP 403. */
  Forbidden: 'FORBIDDEN',
  /**
   * The platform could not finish the request for a moment (its ledger database was unreachable);
   * repeating it, with the same idempotency key for a mutation, is safe. `retryAfterSeconds`.
   */
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
} as const;

/** A request whose client lacks `scope`. */
export function forbidden(scope: string): GraphQLError {
  return new GraphQLError(`this operation needs the ${scope} scope`, {
    extensions: { code: SchedulingErrorCode.Forbidden, scope, http: { status: 403 } },
  });
}

/** An invalid argument, e.g. `invalidInput('filter.to', 'must be after filter.from')`. */
export function invalidInput(field: string, message: string): GraphQLError {
  return new GraphQLError(`${field}: ${message}`, {
    extensions: { code: SchedulingErrorCode.BadUserInput, field },
  });
}

/** A call that can only be answered by one provider, which did not answer. */
export function providerUnavailable(providerName: string, reason: string): GraphQLError {
  return new GraphQLError(`${providerName} is not answering: ${reason}`, {
    extensions: { code: SchedulingErrorCode.ProviderUnavailable },
  });
}

/** A request that failed because the ledger could not be reached; safe to repeat. */
export function serviceUnavailable(): GraphQLError {
  return new GraphQLError(
    'the booking service could not reach its ledger; repeat the request (with the same idempotency key) in a moment',
    { extensions: { code: SchedulingErrorCode.ServiceUnavailable, retryAfterSeconds: 1 } },
  );
}
