import type { ApolloServerPlugin } from '@apollo/server';
import { allows, type Scope } from '@booking/server-kit';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { forbidden, unauthenticated } from '../errors.js';
import type { Principal } from './createAuthenticator.js';
import { requiredScopes } from './requiredScopes.js';

/** The gateway's GraphQL context: who the request acts for. */
export interface GatewayContext {
  principal: Principal;
}

/**
 * The scopes of each operation seen. Apollo Server keeps a parsed document for each query text it
 * has seen, so a client repeating a query hands the same operation node again: its scopes are
 * worked out once, not per request. Weak: they go when Apollo Server lets the document go.
 */
const scopesByOperation = new WeakMap<OperationDefinitionNode, ReadonlySet<Scope>>();

function scopesOf(operation: OperationDefinitionNode, document: DocumentNode): ReadonlySet<Scope> {
  let scopes = scopesByOperation.get(operation);
  if (!scopes) {
    const fragments = Object.fromEntries(
      document.definitions.flatMap((definition) =>
        definition.kind === 'FragmentDefinition'
          ? [[definition.name.value, definition] as const]
          : [],
      ),
    );
    scopes = requiredScopes(operation, fragments);
    scopesByOperation.set(operation, scopes);
  }
  return scopes;
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
          const { principal } = contextValue;
          for (const scope of scopesOf(operation, document)) {
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
