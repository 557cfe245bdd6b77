import { ProviderErrorCode } from '@booking/provider-kit';

/**
 * Codes of a provider call that produced no data besides the kit's `ProviderErrorCode`s (which a
 * provider subgraph raises): the platform's own, and the ones a GraphQL server raises itself.
 */
export const CallErrorCode = {
  /** The platform's deadline passed. */
  Timeout: 'TIMEOUT',
  /** The provider subgraph could not be reached. */
  Transport: 'TRANSPORT',
  /** Not called: the connection's circuit is open, or it asked the platform to wait. */
  CircuitOpen: 'CIRCUIT_OPEN',
  /** Not called: too many calls to the connection are in flight and waiting. */
  Busy: 'BUSY',
  /** The call failed inside the platform. */
  Internal: 'INTERNAL',
  /** The provider subgraph's GraphQL server rejected the operation. */
  BadUserInput: 'BAD_USER_INPUT',
  /** The provider subgraph's GraphQL server failed. */
  ServerError: 'INTERNAL_SERVER_ERROR',
} as const;

/** Codes that say the provider is unwell: they count against its circuit, and may be repeated. */
const providerFailures = new Set<string>([
  CallErrorCode.Timeout,
  CallErrorCode.Transport,
  ProviderErrorCode.Timeout,
  ProviderErrorCode.Unavailable,
  ProviderErrorCode.BadResponse,
  ProviderErrorCode.Internal,
  CallErrorCode.ServerError,
]);

/** Of those, the ones a repeat can cure (a timeout has used the deadline up). */
const repeatable = new Set<string>([CallErrorCode.Transport, ProviderErrorCode.Unavailable]);

/** Codes with which a provider subgraph, or the guard before it, says nothing was done. */
const nothingDone = new Set<string>([
  ProviderErrorCode.Unavailable,
  ProviderErrorCode.Refused,
  ProviderErrorCode.UnknownConnection,
  CallErrorCode.BadUserInput,
  CallErrorCode.CircuitOpen,
  CallErrorCode.Busy,
]);

export const isProviderFailure = (code: string) => providerFailures.has(code);
export const isRepeatable = (code: string) => repeatable.has(code);
/** Whether the provider certainly did nothing; otherwise a write may have taken effect. */
export const isNothingDone = (code: string) => nothingDone.has(code);
/** Whether the provider refused the request itself: about the request, not the provider's health. */
export const isRefusedRequest = (code: string) => code === ProviderErrorCode.Refused;
/** Whether the deadline passed, at the platform or at the provider. */
export const isTimeout = (code: string) =>
  code === CallErrorCode.Timeout || code === ProviderErrorCode.Timeout;
