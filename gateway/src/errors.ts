import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';

/**
 * The gateway's own refusals, each with a stable `extensions.code` and HTTP status. They are
 * raised before any subgraph is called.
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
  /** What production answers in place of any error not meant for clients. */
  InternalServerError: ApolloServerErrorCode.INTERNAL_SERVER_ERROR,
} as const;

/** Codes of the subgraphs' errors that are meant for clients and pass through the gateway. */
const subgraphClientCodes = {
  /** An invalid argument; `extensions.field` names it. */
  BadUserInput: ApolloServerErrorCode.BAD_USER_INPUT,
  /** A provider that the request needs did not answer. */
  ProviderUnavailable: 'PROVIDER_UNAVAILABLE',
  /** Scheduling could not reach its ledger for a moment; repeat (`retryAfterSeconds`). */
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
} as const;

/** Codes whose messages are written for API clients; every other error is masked in production. */
export const clientFacingCodes: ReadonlySet<string> = new Set<string>([
  subgraphClientCodes.BadUserInput,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
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

/** A request over the client's rate limit (429 with `Retry-After`). */
export function rateLimited(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`too many requests; retry after ${retryAfterSeconds} s`, {
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
