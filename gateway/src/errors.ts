import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';

/**
 * The gateway's own answers, each with a stable `extensions.code` and HTTP status. Its refusals
 * are raised before any subgraph is called; a client input a subgraph refuses and a subgraph
 * that refuses the gateway are translated from the subgraph's answer.
 */
export const GatewayErrorCode = {
  /** No credentials where the operation needs them, or credentials that are not valid. HTTP 401. */
  Unauthenticated: 'UNAUTHENTICATED',
  /** The client is not allowed this operation (a scope is missing). HTTP 403. */
  Forbidden: 'FORBIDDEN',
  /** The client sent too many requests this minute; `extensions.retryAfterSeconds`. HTTP 429. */
  RateLimited: 'RATE_LIMITED',
  /** `TRUSTED_DOCUMENTS=enforced` and the document is not one of the SDK's. HTTP 400. */
  TrustedDocumentRequired: 'TRUSTED_DOCUMENT_REQUIRED',
  /**
   * An `operationName` that names no operation of the document, or several operations and no
   * `operationName`. HTTP 400.
   */
  OperationResolutionFailure: ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  /**
   * A value the client sent that a subgraph refuses (a `DateTime` without offset), or a persisted
   * document hash that is not its text's; `extensions.field` names the value. HTTP 400 when the
   * gateway or a subgraph refuses the request before running it.
   */
  BadUserInput: ApolloServerErrorCode.BAD_USER_INPUT,
  /**
   * What production answers in place of any error not meant for clients; HTTP 503 when a subgraph
   * refuses the gateway's own credentials (`INTERNAL_SECRET`), an operator's fault.
   */
  InternalServerError: ApolloServerErrorCode.INTERNAL_SERVER_ERROR,
} as const;

/** Codes of the subgraphs' errors that are meant for clients and pass through the gateway. */
const subgraphClientCodes = {
  /** A provider that the request needs did not answer. */
  ProviderUnavailable: 'PROVIDER_UNAVAILABLE',
  /** Scheduling could not reach its ledger for a moment; repeat (`retryAfterSeconds`). */
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
} as const;

/** Codes whose messages are written for API clients; every other error is masked in production. */
export const clientFacingCodes: ReadonlySet<string> = new Set<string>([
  GatewayErrorCode.BadUserInput,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  GatewayErrorCode.OperationResolutionFailure,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  GatewayErrorCode.TrustedDocumentRequired,
  GatewayErrorCode.Unauthenticated,
  GatewayErrorCode.Forbidden,
  GatewayErrorCode.RateLimited,
  subgraphClientCodes.ProviderUnavailable,
  subgraphClientCodes.ServiceUnavailable,
]);

/** A request without valid credentials (401, `WWW-Authenticate: Bearer`). */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: GatewayErrorCode.Unauthenticated,
      http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) },
    },
  });
}

/** A request whose client lacks `scope` (403). */
export function forbidden(scope: string): GraphQLError {
  return new GraphQLError(`this operation needs the ${scope} scope`, {
    extensions: { code: GatewayErrorCode.Forbidden, scope, http: { status: 403 } },
  });
}

/**
 * A request over a rate limit (429 with `Retry-After`); `reason` says which, e.g. `too many
 * requests` (the default) or `too many failed authentications from this address`.
 */
export function rateLimited(retryAfterSeconds: number, reason = 'too many requests'): GraphQLError {
  return new GraphQLError(`${reason}; retry after ${retryAfterSeconds} s`, {
    extensions: {
      code: GatewayErrorCode.RateLimited,
      retryAfterSeconds,
      http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
    },
  });
}

/** A document that is not one of the SDK's where only those may run (400). */
export function trustedDocumentRequired(): GraphQLError {
  return new GraphQLError(
    'only the trusted documents of the SDK may run here: send a persisted document hash',
    { extensions: { code: GatewayErrorCode.TrustedDocumentRequired, http: { status: 400 } } },
  );
}

/** A request whose `operationName` does not pick one operation of its document (400). */
export function operationNotResolved(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: GatewayErrorCode.OperationResolutionFailure, http: { status: 400 } },
  });
}

/**
 * A value the client sent that is refused before anything runs (400); `field` names it, e.g.
 * `$filter.from` (a variable) or `filter.from` (an argument written in the document).
 */
export function badUserInput(
  message: string,
  options: { field?: string; debug?: Record<string, unknown> } = {},
): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: GatewayErrorCode.BadUserInput,
      ...(options.field !== undefined && { field: options.field }),
      ...(options.debug && { debug: options.debug }),
      http: { status: 400 },
    },
  });
}

/**
 * A subgraph the request needs refuses the gateway itself (503): the platform is misconfigured,
 * which is neither the client's fault nor something it can fix. `debug` is shown in development only.
 */
export function serviceUnavailable(debug: Record<string, unknown>): GraphQLError {
  return new GraphQLError('the service is unavailable; retry later', {
    extensions: { code: GatewayErrorCode.InternalServerError, debug, http: { status: 503 } },
  });
}

/**
 * A subgraph went away mid-request or could not be reached (a crash, a restart): the client's
 * `SERVICE_UNAVAILABLE` (503), safe to repeat with the same idempotency key. `debug` is shown in
 * development only.
 */
export function subgraphUnreachable(debug: Record<string, unknown>): GraphQLError {
  return new GraphQLError(
    'a platform service did not answer; repeat the request (with the same idempotency key) in a moment',
    {
      extensions: {
        code: subgraphClientCodes.ServiceUnavailable,
        retryAfterSeconds: 1,
        debug,
        http: { status: 503 },
      },
    },
  );
}

/**
 * The identity provider's keys could not be fetched (`AUTH_JWKS_URL`): no token can be checked.
 * The platform's trouble, not the client's: 503, retry later.
 */
export function identityProviderUnavailable(): GraphQLError {
  return new GraphQLError('tokens cannot be checked right now; retry later', {
    extensions: {
      code: GatewayErrorCode.InternalServerError,
      retryAfterSeconds: 5,
      http: { status: 503, headers: new Map([['retry-after', '5']]) },
    },
  });
}
