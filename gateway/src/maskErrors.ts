import type { GraphQLFormattedError } from 'graphql';

/** Codes whose messages are written for API clients; every other error is masked in production. */
const clientFacingCodes = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'TRUSTED_DOCUMENT_REQUIRED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'PROVIDER_UNAVAILABLE',
]);

/**
 * Production's `formatError`: errors meant for clients keep their message and code (and `field`,
 * `scope`, `retryAfterSeconds`); anything else — a bug, a subgraph's internals — becomes
 * "Internal server error" with code `INTERNAL_SERVER_ERROR`, and nothing else leaves.
 */
export function maskErrors(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && clientFacingCodes.has(code)) {
    const { field, scope, retryAfterSeconds } = formatted.extensions ?? {};
    return {
      message: formatted.message,
      ...(formatted.locations && { locations: formatted.locations }),
      ...(formatted.path && { path: formatted.path }),
      extensions: {
        code,
        ...(field !== undefined && { field }),
        ...(scope !== undefined && { scope }),
        ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
      },
    };
  }
  return {
    message: 'Internal server error',
    ...(formatted.path && { path: formatted.path }),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
