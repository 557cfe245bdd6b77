import {
  type CatalogueCache,
  type ConnectionConfig,
  defineProvider,
  type EntryOf,
} from '@booking/provider-kit';
import { z } from 'zod';
import { type CliniqClient, createCliniqClient } from './client/createCliniqClient.js';
import { createCliniqAdapter } from './createCliniqAdapter.js';
import { type CliniqCatalogue, loadCliniqCatalogue } from './loadCliniqCatalogue.js';

/** One Cliniq tenant (clinic chain) as a contract connection. */
export interface CliniqConnection extends ConnectionConfig {
  readonly client: CliniqClient;
  /** The tenant's clinics and services, refreshed in the background by the kit. */
  readonly catalogue: CatalogueCache<CliniqCatalogue>;
  /** How long Cliniq keeps a hold, as announced to scheduling. */
  readonly holdTtlSeconds: number;
}

/** Cliniq's hold lifetime unless a tenant's configuration says otherwise. */
export const defaultHoldTtlSeconds = 300;

/** A `CLINIQ_CONNECTIONS` entry's own fields: one tenant's endpoint and credentials. */
const connectionFields = {
  /** The tenant's API root, e.g. `http://127.0.0.1:4101/t/nordklinik/api/v1`. */
  baseUrl: z.url({ protocol: /^https?$/ }),
  /** Sent as `X-Api-Key`. A secret: never logged. */
  apiKey: z.string().min(1),
  /** How long the tenant keeps a hold, as announced to scheduling. Default: 300. */
  holdTtlSeconds: z.number().int().positive().optional(),
};

/** One `CLINIQ_CONNECTIONS` entry. Onboarding a tenant is one more of these. */
export type CliniqConnectionEntry = EntryOf<typeof connectionFields>;

/** The simulator's tenants (`simulators/cliniq`) at `baseUrl`. */
export function simulatorConnections(baseUrl: string): CliniqConnectionEntry[] {
  const base = baseUrl.replace(/\/+$/, '');
  return [
    {
      id: 'nordklinik',
      name: 'Nordklinik',
      baseUrl: `${base}/t/nordklinik/api/v1`,
      apiKey: 'dev-key-nordklinik',
    },
    {
      id: 'vastkusten',
      name: 'Västkustens Vårdcentraler',
      baseUrl: `${base}/t/vastkusten/api/v1`,
      apiKey: 'dev-key-vastkusten',
    },
  ];
}

/**
 * Cliniq, a proprietary REST booking system used by several clinic chains: one connection per
 * tenant, all speaking the same API (`client/`), mapped to the contract by the adapter.
 */
export const cliniqProvider = defineProvider({
  system: 'cliniq',
  port: 4010,
  connectionFields,
  developmentConnections: simulatorConnections('http://127.0.0.1:4101'),
  connect: (entry, { id, deadlineMs, dispatcher, now, catalogue }): CliniqConnection => {
    const client = createCliniqClient({
      baseUrl: entry.baseUrl,
      apiKey: entry.apiKey,
      dispatcher,
      now,
    });
    return Object.freeze({
      id,
      name: entry.name,
      deadlineMs,
      holdTtlSeconds: entry.holdTtlSeconds ?? defaultHoldTtlSeconds,
      client,
      catalogue: catalogue({
        load: (budget) => loadCliniqCatalogue(client, budget),
        label: 'Cliniq catalogue (clinics, services)',
      }),
    });
  },
  adapter: (connections) => createCliniqAdapter({ connections }),
});
