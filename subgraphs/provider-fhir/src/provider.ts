import {
  type ConnectionConfig,
  defineProvider,
  type EntryOf,
  ianaTimeZone,
} from '@booking/provider-kit';
import { z } from 'zod';
import { type ChangeWatch, createChangeWatch } from './changes/createChangeWatch.js';
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
  /** Changes at the clinic: Subscription notifications and the catch-up poll. */
  readonly changes: ChangeWatch;
}

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

/** System-wide settings: the catch-up poll's interval and the Subscriptions' shared secret. */
export const fhirSettings = z
  .object({
    // A lost notification is found within this long; pushes normally arrive within a second.
    FHIR_CHANGES_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
    // Shared by every replica, so a notification any of them receives is checked (at least 32
    // characters); unset, each run makes its own and one replica takes the notifications.
    FHIR_PUSH_SECRET: z.string().min(32).optional(),
  })
  .transform((env) => ({
    /** Milliseconds between two catch-up polls of one connection. */
    changesPollMs: env.FHIR_CHANGES_POLL_MS,
    pushSecret: env.FHIR_PUSH_SECRET,
  }));
export type FhirSettings = z.output<typeof fhirSettings>;

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
 * cannot starve another. Changes reach it as Subscription notifications at the kit's push URL
 * (`FHIR_PUSH_BASE_URL`) and by a catch-up poll, a background task of each connection.
 */
export const fhirProvider = defineProvider({
  system: 'fhir',
  port: 4011,
  connectionFields,
  developmentConnections: simulatorConnections('http://127.0.0.1:4102'),
  settings: fhirSettings,
  connect: (entry, context): FhirConnection => {
    const { accessToken, organization, timeZone = 'Europe/Stockholm' } = entry;
    const { dispatcher } = context;
    const client = createFhirClient({ baseUrl: entry.baseUrl, accessToken, dispatcher });
    const catalogue = context.catalogue({
      load: (budget) => loadFhirCatalogue({ client, organization, timeZone }, budget),
      label: 'FHIR directory (Location, HealthcareService, Schedule)',
    });
    return Object.freeze({
      id: context.id,
      name: entry.name,
      deadlineMs: context.deadlineMs,
      holdTtlSeconds: entry.holdTtlSeconds ?? 300,
      client,
      catalogue,
      changes: createChangeWatch(context, client, catalogue),
    });
  },
  adapter: createFhirAdapter,
  receivePush: (connection, push) => connection.changes.receive(push),
});
