import { GraphQLError } from 'graphql';

/**
 * `extensions.code`s this subgraph raises besides the kit's `ProviderErrorCode`s (timeouts,
 * unavailable, bad response, unknown connection), which cover failures of the provider itself.
 */
export const FhirErrorCode = {
  /** The caller's input cannot be a valid question (e.g. a window end without offset). */
  BadUserInput: 'BAD_USER_INPUT',
} as const;

/** A GraphQL error for input scheduling should never have sent: a bug on the caller's side. */
export function badUserInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: FhirErrorCode.BadUserInput } });
}
