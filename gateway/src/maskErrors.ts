import type { GraphQLFormattedError } from 'graphql';
import { clientFacingCodes, GatewayErrorCode } from './errors.js';

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
    extensions: { code: GatewayErrorCode.InternalServerError },
  };
}
