import type { GraphQLFormattedError } from 'graphql';
import type { GatewayEnvironment } from './environment.js';
import { GatewayErrorCode } from './errors.js';
import { maskErrors } from './maskErrors.js';

/**
 * Extensions that describe the gateway's or a subgraph's insides: stack traces, a subgraph's URL,
 * status and body (`response`, from Apollo Gateway), its name, and the gateway's own `debug`.
 */
const internalExtensions = ['stacktrace', 'exception', 'response', 'serviceName', 'debug'];

/**
 * Apollo Server answers a few malformed requests (a persisted-query hash that is not its text's,
 * an unknown persisted-query version) with an HTTP 4xx but no code, which it then reports as
 * `INTERNAL_SERVER_ERROR`. They are the client's input: `BAD_USER_INPUT`.
 */
function withClientCode(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = (error as { extensions?: { code?: unknown; http?: { status?: unknown } } })
    ?.extensions;
  const status = original?.http?.status;
  if (original?.code !== undefined || typeof status !== 'number' || status < 400 || status >= 500) {
    return formatted;
  }
  return {
    ...formatted,
    extensions: { ...formatted.extensions, code: GatewayErrorCode.BadUserInput },
  };
}

/** Development: whatever describes the insides, gathered under `extensions.debug`. */
function debugUnderOneKey(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const extensions = { ...formatted.extensions };
  const debug: Record<string, unknown> = { ...(extensions.debug as object | undefined) };
  for (const key of internalExtensions) {
    if (key !== 'debug' && extensions[key] !== undefined) debug[key] = extensions[key];
    delete extensions[key];
  }
  if (Object.keys(debug).length > 0) extensions.debug = debug;
  return { ...formatted, extensions };
}

/** Tests: the insides left out, the messages kept (production masks those too). */
function withoutInsides(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const extensions = { ...formatted.extensions };
  for (const key of internalExtensions) delete extensions[key];
  return { ...formatted, extensions };
}

/**
 * The gateway's `formatError` in every mode. A client's malformed request is `BAD_USER_INPUT`
 * everywhere. Production masks every error not meant for clients (`maskErrors`); development keeps
 * stack traces and a subgraph's URL and answer, under `extensions.debug` only; anything else
 * (tests) shows none of them.
 */
export function createErrorFormatter(
  nodeEnv: GatewayEnvironment['nodeEnv'],
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  const finish =
    nodeEnv === 'production'
      ? maskErrors
      : nodeEnv === 'development'
        ? debugUnderOneKey
        : withoutInsides;
  return (formatted, error) => finish(withClientCode(formatted, error));
}
