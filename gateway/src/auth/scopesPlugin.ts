import type { ApolloServerPlugin } from '@apollo/server';
import { allows } from '@booking/server-kit';
import { forbidden, unauthenticated } from '../errors.js';
import type { Principal } from './createAuthenticator.js';
import { requiredScopes } from './requiredScopes.js';

/** The gateway's GraphQL context: who the request acts for. */
export interface GatewayContext {
  principal: Principal;
}

/**
 * Refuses an operation whose client lacks a scope it needs, before any subgraph is called:
 * `UNAUTHENTICATED` (401) when the client sent no credentials, `FORBIDDEN` (403) otherwise.
 */
export function scopesPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, contextValue }) {
          if (!operation) return;
          const fragments = Object.fromEntries(
            document.definitions.flatMap((definition) =>
              definition.kind === 'FragmentDefinition'
                ? [[definition.name.value, definition] as const]
                : [],
            ),
          );
          const { principal } = contextValue;
          for (const scope of requiredScopes(operation, fragments)) {
            if (allows(principal.scopes, scope)) continue;
            if (principal.method === 'anonymous') {
              throw unauthenticated(`this operation needs credentials with the ${scope} scope`);
            }
            throw forbidden(scope);
          }
        },
      };
    },
  };
}
