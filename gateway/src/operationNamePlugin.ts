import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Kind } from 'graphql';
import { operationNotResolved } from './errors.js';

/**
 * Refuses a request whose `operationName` picks no operation of its document, with
 * `OPERATION_RESOLUTION_FAILURE` (400) before planning. Apollo Server leaves this to execution,
 * where Apollo Gateway throws it as a 500 `INVALID_GRAPHQL`; the words are graphql-js's own.
 */
export function operationNamePlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (operation) return;
          if (request.operationName) {
            throw operationNotResolved(`Unknown operation named "${request.operationName}".`);
          }
          const operations = document.definitions.filter(
            (definition) => definition.kind === Kind.OPERATION_DEFINITION,
          ).length;
          throw operationNotResolved(
            operations > 1
              ? 'Must provide operation name if query contains multiple operations.'
              : 'Must provide an operation.',
          );
        },
      };
    },
  };
}
