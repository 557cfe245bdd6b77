import { type ConnectionConfig, defineProvider, type EntryOf } from '@booking/provider-kit';
import { z } from 'zod';
import { type __Name__Client, create__Name__Client } from './client/create__Name__Client.js';
import { create__Name__Adapter } from './create__Name__Adapter.js';

/** One connection (tenant) of the __Name__ system. */
export interface __Name__Connection extends ConnectionConfig {
  readonly client: __Name__Client;
}

/** A `__NAME___CONNECTIONS` entry's own fields: where the tenant's API is. */
const connectionFields = {
  /** The tenant's API root, e.g. `https://api.__name__.example/v1/`. */
  baseUrl: z.url({ protocol: /^https?$/ }),
};

/** One `__NAME___CONNECTIONS` entry. Onboarding a tenant is one more of these. */
export type __Name__ConnectionEntry = EntryOf<typeof connectionFields>;

/** The simulator's tenant at `baseUrl`. */
export function simulatorConnections(baseUrl: string): __Name__ConnectionEntry[] {
  return [{ id: 'default', name: '__Name__', baseUrl: `${baseUrl.replace(/\/+$/, '')}/` }];
}

/** The __Name__ booking system: one connection per tenant, mapped to the contract. */
export const __name__Provider = defineProvider({
  system: '__name__',
  port: 49001,
  connectionFields,
  developmentConnections: simulatorConnections('http://127.0.0.1:49002'),
  connect: (entry, { id, deadlineMs, dispatcher }): __Name__Connection => ({
    id,
    name: entry.name,
    deadlineMs,
    client: create__Name__Client(entry.baseUrl, dispatcher),
  }),
  adapter: (connections) => create__Name__Adapter(connections),
});
