import { ApolloLink } from '@apollo/client/link';
import { Observable } from '@apollo/client/utilities';
import { documentHash } from '../documentHash.js';

/**
 * Sends each operation as its persisted-document hash only (`extensions.persistedQuery`, the
 * protocol of Apollo's automatic persisted queries), never its text: what a gateway with
 * `TRUSTED_DOCUMENTS=enforced` runs. Unlike Apollo's `PersistedQueryLink` it never falls back to
 * sending the text, which such a gateway refuses anyway; a document that is not the SDK's fails
 * here at once, before anything is sent.
 */
export function createPersistedDocumentLink(): ApolloLink {
  return new ApolloLink((operation, forward) => {
    const sha256Hash = documentHash(operation.query);
    if (!sha256Hash) {
      return new Observable((observer) => {
        observer.error(
          new TypeError(
            `${operation.operationName ?? 'the operation'} is not a persisted document of the SDK: ` +
              "send it with persistedDocuments: 'text' to a gateway that does not enforce trusted documents",
          ),
        );
      });
    }
    operation.extensions.persistedQuery = { version: 1, sha256Hash };
    operation.setContext(({ http }) => ({
      http: { ...http, includeQuery: false, includeExtensions: true },
    }));
    return forward(operation);
  });
}
