import {
  type CatalogueCache,
  type ConnectionConfig,
  defineProvider,
  type EntryOf,
} from '@booking/provider-kit';
import { milliseconds } from '@booking/server-kit';
import { z } from 'zod';
import { type CliniqClient, createCliniqClient } from './client/createCliniqClient.js';
import { type ChangePoll, createChangePoll } from './createChangePoll.js';
import { createCliniqAdapter } from './createCliniqAdapter.js';
import { type CliniqCatalogue, loadCliniqCatalogue } from './loadCliniqCatalogue.js';

/** One Cliniq tenant (clinic chain) as a contract connection. */
export interface CliniqConnection extends ConnectionConfig {
  readonly client: CliniqClient;
  /** The tenant's clinics and services, refreshed in the background by the kit. */
  readonly catalogue: CatalogueCache<CliniqCatalogue>;
  /** How long Cliniq keeps a hold, as announced to scheduling. */
  readonly holdTtlSeconds: number;
  /** Follows the tenant's change feed into the connection's change log; null when switched off. */
  readonly changes: ChangePoll | null;
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

/**
 * Cliniq's system-wide variables: the rhythm of the change poll, the same for every tenant.
 * `parse({})` gives the defaults, for services built without the environment (tests).
 */
export const cliniqSettings = z
  .object({
    // One request per tenant per interval when nothing changed: 0.5 of Cliniq's 50 per second.
    // 0 switches change detection off (no CHANGES: scheduling's sweep of look-ups remains).
    CLINIQ_CHANGE_POLL_MS: z.coerce
      .number()
      .int()
      .refine((ms) => ms === 0 || ms >= 100, 'must be 0 (off) or at least 100')
      .default(2000),
    CLINIQ_CHANGE_POLL_MAX_BACKOFF_MS: milliseconds(60_000),
  })
  .transform((env) => ({
    /** Milliseconds between two polls of a tenant's change feed; 0: no polling, no `CHANGES`. */
    changePollMs: env.CLINIQ_CHANGE_POLL_MS,
    /** Longest wait between polls after failures, even when `Retry-After` asks for more. */
    changePollMaxBackoffMs: env.CLINIQ_CHANGE_POLL_MAX_BACKOFF_MS,
  }));
export type CliniqSettings = z.output<typeof cliniqSettings>;

/** The simulator's tenants (`simulators/cliniq`) at `baseUrl`: their paths and keys follow the id. */
export function simulatorConnections(baseUrl: string): CliniqConnectionEntry[] {
  const base = baseUrl.replace(/\/+$/, '');
  const tenants = { nordklinik: 'Nordklinik', vastkusten: 'Västkustens Vårdcentraler' };
  return Object.entries(tenants).map(([id, name]) => ({
    id,
    name,
    baseUrl: `${base}/t/${id}/api/v1`,
    apiKey: `dev-key-${id}`,
  }));
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
  settings: cliniqSettings,
  connect: (entry, context): CliniqConnection => {
    const { baseUrl, apiKey } = entry;
    const { dispatcher, now } = context;
    const client = createCliniqClient({ baseUrl, apiKey, dispatcher, now });
    const catalogue = context.catalogue({
      load: (budget) => loadCliniqCatalogue(client, budget),
      label: 'Cliniq catalogue (clinics, services)',
    });
    return Object.freeze({
      id: context.id,
      name: entry.name,
      deadlineMs: context.deadlineMs,
      holdTtlSeconds: entry.holdTtlSeconds ?? defaultHoldTtlSeconds,
      client,
      catalogue,
      // Cliniq cannot push: its changes are polled from its change feed.
      changes: createChangePoll(client, catalogue, context),
    });
  },
  adapter: createCliniqAdapter,
});
