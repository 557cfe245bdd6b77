import { type ConnectionConfig, defineProvider, type EntryOf } from '@booking/provider-kit';
import { z } from 'zod';
import { createSquareClient, type SquareClient } from './client/createSquareClient.js';
import { createSquareAdapter } from './createSquareAdapter.js';

/** One connection (tenant) of the Square system. */
export interface SquareConnection extends ConnectionConfig {
  readonly client: SquareClient;
}

/** A `SQUARE_CONNECTIONS` entry's own fields: where the tenant's API is. */
const connectionFields = {
  /** The tenant's API root, e.g. `https://api.square.example/v1/`. */
  baseUrl: z.url({ protocol: /^https?$/ }),
};

/** One `SQUARE_CONNECTIONS` entry. Onboarding a tenant is one more of these. */
export type SquareConnectionEntry = EntryOf<typeof connectionFields>;

/** The simulator's tenant at `baseUrl`. */
export function simulatorConnections(baseUrl: string): SquareConnectionEntry[] {
  return [{ id: 'default', name: 'Square', baseUrl: `${baseUrl.replace(/\/+$/, '')}/` }];
}

/** The Square booking system: one connection per tenant, mapped to the contract. */
export const squareProvider = defineProvider({
  system: 'square',
  port: 4014,
  connectionFields,
  developmentConnections: simulatorConnections('http://127.0.0.1:4105'),
  connect: (entry, { id, deadlineMs, dispatcher }): SquareConnection => ({
    id,
    name: entry.name,
    deadlineMs,
    client: createSquareClient(entry.baseUrl, dispatcher),
  }),
  adapter: (connections) => createSquareAdapter(connections),
});
