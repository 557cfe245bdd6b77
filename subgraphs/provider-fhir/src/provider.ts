import {
  type ConnectionConfig,
  defineProvider,
  type EntryOf,
  ianaTimeZone,
} from '@booking/provider-kit';
import { z } from 'zod';
import { createFhirClient, type FhirClient } from './client/createFhirClient.js';
import { createFhirAdapter } from './createFhirAdapter.js';
import { type FhirCatalogueCache, loadFhirCatalogue } from './loadFhirCatalogue.js';

/** One organisation on a FHIR server as a contract connection. */
export interface FhirConnection extends ConnectionConfig {
  readonly client: FhirClient;
  /** How long a hold keeps its slot, written on the hold and announced to scheduling. */
  readonly holdTtlSeconds: number;
  /** The organisation's directory (clinics, services, schedules), refreshed in the background. */
  readonly catalogue: FhirCatalogueCache;
}

/** Hold lifetime unless an organisation's entry says otherwise. */
const defaultHoldTtlSeconds = 300;
/** Zone of clinics without a timezone extension, unless an organisation's entry says otherwise. */
const defaultTimeZone = 'Europe/Stockholm';

/** A `FHIR_CONNECTIONS` entry's own fields: where the server is and which organisation to serve. */
const connectionFields = {
  /** The FHIR base URL, e.g. `http://127.0.0.1:4102/fhir/R4`. */
  baseUrl: z.url({ protocol: /^https?$/ }),
  /** Logical id of the Organization whose clinics (Locations) this connection serves. */
  organization: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'a FHIR logical id'),
  /** Sent as `Authorization: Bearer …`. A secret: never logged. Default: none. */
  accessToken: z.string().min(1).optional(),
  /** How long a hold keeps its slot before it lapses. Default: 300. */
  holdTtlSeconds: z.number().int().positive().max(86_400).optional(),
  /** Zone of clinics without a timezone extension. Default: `Europe/Stockholm`. */
  timeZone: ianaTimeZone.optional(),
};

/** One `FHIR_CONNECTIONS` entry. Onboarding an organisation is one more of these. */
export type FhirConnectionEntry = EntryOf<typeof connectionFields>;

/** The simulator's organisations (`simulators/fhir`), both on its one FHIR server at `baseUrl`. */
export function simulatorConnections(baseUrl: string): FhirConnectionEntry[] {
  const fhirBase = `${baseUrl.replace(/\/+$/, '')}/fhir/R4`;
  return [
    {
      id: 'halsanord',
      name: 'Hälsa Nord Vårdcentraler',
      baseUrl: fhirBase,
      organization: 'halsanord',
    },
    { id: 'sydvarden', name: 'Sydvården', baseUrl: fhirBase, organization: 'sydvarden' },
  ];
}

/**
 * FHIR R4 scheduling servers (Schedule, Slot, Appointment): one connection per organisation,
 * several of which may share a server, each with its own dispatcher, so one organisation's burst
 * cannot starve another.
 */
export const fhirProvider = defineProvider({
  system: 'fhir',
  port: 4011,
  connectionFields,
  developmentConnections: simulatorConnections('http://127.0.0.1:4102'),
  connect: (entry, { id, deadlineMs, dispatcher, catalogue }): FhirConnection => {
    const client = createFhirClient({
      baseUrl: entry.baseUrl,
      accessToken: entry.accessToken,
      dispatcher,
    });
    const { organization, timeZone = defaultTimeZone } = entry;
    return Object.freeze({
      id,
      name: entry.name,
      deadlineMs,
      holdTtlSeconds: entry.holdTtlSeconds ?? defaultHoldTtlSeconds,
      client,
      catalogue: catalogue({
        load: (budget) => loadFhirCatalogue({ client, organization, timeZone }, budget),
        label: 'FHIR directory (Location, HealthcareService, Schedule)',
      }),
    });
  },
  adapter: (connections, { now }) => createFhirAdapter({ connections, now }),
});
