import { ApolloClient, InMemoryCache } from '@apollo/client';
import { createBookingLink, possibleTypes, typePolicies } from '@varden/booking-sdk/apollo';

export interface ApolloClientOptions {
  /** The gateway's GraphQL endpoint. */
  uri: string;
  /** The signed-in patient's access token, read at each request; undefined when signed out. */
  getToken: () => Promise<string | undefined>;
}

/**
 * Apollo Client for the booking API, as the SDK sets it up: its link sends the SDK's documents by
 * their persisted hash (the gateway may accept nothing else) with the patient's token, and its
 * cache knows the result unions (`possibleTypes`) and how the lists page (`typePolicies`:
 * `fetchMore` appends the next page of `availability` and `myReservations`).
 */
export function createApolloClient(options: ApolloClientOptions): ApolloClient {
  return new ApolloClient({
    link: createBookingLink({
      uri: options.uri,
      getToken: options.getToken,
      persistedDocuments: 'hash',
    }),
    cache: new InMemoryCache({ typePolicies, possibleTypes }),
  });
}
