import { findTreatment } from '@booking/catalogue';
import {
  type CatalogueCache,
  type ConnectionConfig,
  defineProvider,
  type EntryOf,
  latitude,
  longitude,
  type ReservationIndex,
} from '@booking/provider-kit';
import { z } from 'zod';
import { createRivtaClient, type RivtaClient } from './client/createRivtaClient.js';
import { createRivtaAdapter } from './createRivtaAdapter.js';
import { type CatalogueFacility, loadRivtaCatalogue } from './loadRivtaCatalogue.js';
import { defaultTreatmentMap, type TreatmentMap } from './mapping.js';
import { isPersonnummer } from './personnummer.js';

/** One care unit (logical address) as a contract connection. */
export interface RivtaConnection extends ConnectionConfig {
  /** The unit's HSA id, every request's `LogicalAddress`. */
  readonly logicalAddress: string;
  readonly client: RivtaClient;
  /** Facilities, time types and performers, refreshed in the background by the kit. */
  readonly catalogue: CatalogueCache<CatalogueFacility[]>;
  /** Address and position per facility HSA id, from configuration. */
  readonly facilityDetails: Readonly<Record<string, FacilityDetails>>;
  /** Time type → catalogue treatment, the built-in codes plus the unit's own. */
  readonly treatments: TreatmentMap;
  /** The identity number sent by reads that demand one (`RIVTA_SEARCH_SUBJECT_OF_CARE`). */
  readonly searchSubjectOfCare: string;
  /**
   * Reservation id → facility and booking id: RIV-TA finds a booking only by its id or by the
   * patient's personnummer, and `getBooking` is given neither.
   */
  readonly reservations: ReservationIndex;
}

/** What RIV-TA does not say about a facility (name aside): its address and position. */
const facilitySchema = z.strictObject({
  /** Shown when the producer sends no name. */
  name: z.string().min(1).optional(),
  address: z
    .strictObject({
      line: z.string().min(1),
      postalCode: z.string().optional(),
      city: z.string().min(1),
    })
    .optional(),
  location: z.strictObject({ latitude, longitude }).optional(),
});

/** A facility's configured details, by its HSA id in a connection entry's `facilities`. */
export type FacilityDetails = z.output<typeof facilitySchema>;

/** A `RIVTA_CONNECTIONS` entry's own fields: where the unit is reached and what RIV-TA omits. */
const connectionFields = {
  /**
   * The service platform the unit is reached through, e.g. `https://…/vp`; interactions are
   * `<baseUrl>/crm/scheduling/<Interaction>/1/rivtabp21`.
   */
  baseUrl: z.url({ protocol: /^https?$/ }),
  /** The unit's HSA id, which the platform routes by (`LogicalAddress`). */
  logicalAddress: z.string().min(1),
  /** Address and position per facility HSA id. Default: none (clinics without address). */
  facilities: z.record(z.string().min(1), facilitySchema).optional(),
  /** The unit's own time type codes → catalogue ids, on top of the built-in ones. */
  timeTypes: z
    .record(
      z.string().min(1),
      z.string().refine((id) => findTreatment(id) !== undefined, 'not a catalogue treatment id'),
    )
    .optional(),
};

/** One `RIVTA_CONNECTIONS` entry. Onboarding a care unit is one more of these. */
export type RivtaConnectionEntry = EntryOf<typeof connectionFields>;

/**
 * The simulator's seed care units (`simulators/rivta`) with their facilities' addresses, behind
 * the service platform it serves at `<baseUrl>/vp`. Each unit's facilities share one site.
 */
export function simulatorConnections(baseUrl: string): RivtaConnectionEntry[] {
  const unit = (
    [id, name, logicalAddress]: [string, string, string],
    hsaIds: readonly string[],
    site: FacilityDetails,
  ): RivtaConnectionEntry => ({
    id,
    name,
    baseUrl: `${baseUrl.replace(/\/+$/, '')}/vp`,
    logicalAddress,
    facilities: Object.fromEntries(hsaIds.map((hsaId) => [hsaId, site])),
  });
  return [
    unit(
      ['kungsholmen', 'Vårdcentralen Kungsholmen', 'SE2321000016-1234'],
      ['SE2321000016-12A1', 'SE2321000016-12B2'],
      {
        address: { line: 'Fleminggatan 22', postalCode: '112 26', city: 'Stockholm' },
        location: { latitude: 59.3326, longitude: 18.0419 },
      },
    ),
    unit(
      ['gottsunda', 'Gottsunda vårdcentral', 'SE2321000032-5678'],
      ['SE2321000032-56A1', 'SE2321000032-56B2', 'SE2321000032-56C3'],
      {
        address: { line: 'Valthornsvägen 1', postalCode: '756 46', city: 'Uppsala' },
        location: { latitude: 59.808, longitude: 17.628 },
      },
    ),
    unit(['mollevangen', 'Vårdcentralen Möllevången', 'SE2321000255-9012'], ['SE2321000255-90A1'], {
      address: { line: 'Bergsgatan 20', postalCode: '214 22', city: 'Malmö' },
      location: { latitude: 55.594, longitude: 13.0047 },
    }),
  ];
}

/**
 * RIV-TA's own variable, the same for every care unit: the personnummer reads are sent with
 * (never echoed). Where the reservation index lives is the kit's (`reservationIndex`).
 */
export const rivtaSettings = z.object({
  /**
   * "Tolvan Tolvansson", Skatteverket's well-known test personnummer: what reads are sent with
   * when nobody in particular is asking. Production sets the identity its agreement names.
   */
  RIVTA_SEARCH_SUBJECT_OF_CARE: z
    .string()
    .refine(isPersonnummer, '12 digits with a valid check digit')
    .default('191212121212'),
});

/** The settings as `connect` gets them. */
export type RivtaSettings = z.output<typeof rivtaSettings>;

/**
 * RIV-TA crm:scheduling 1.1, the national booking contracts behind 1177: one connection per care
 * unit, each reached at its logical address through a service platform (`client/`), mapped to
 * the contract by the adapter.
 */
export const rivtaProvider = defineProvider({
  system: 'rivta',
  port: 4012,
  connectionFields,
  developmentConnections: simulatorConnections('http://127.0.0.1:4103'),
  settings: rivtaSettings,
  // The platform's reservation id cannot be searched for in RIV-TA: the kit keeps an index.
  reservationIndex: true,
  connect: (entry, context): RivtaConnection => {
    const { id, deadlineMs, dispatcher, settings, catalogue } = context;
    const searchSubjectOfCare = settings.RIVTA_SEARCH_SUBJECT_OF_CARE;
    const client = createRivtaClient({
      baseUrl: entry.baseUrl,
      logicalAddress: entry.logicalAddress,
      dispatcher,
    });
    return Object.freeze({
      id,
      name: entry.name,
      deadlineMs,
      logicalAddress: entry.logicalAddress,
      client,
      catalogue: catalogue({
        load: (budget) =>
          loadRivtaCatalogue({ client, subjectOfCare: searchSubjectOfCare }, budget),
        label: 'RIV-TA catalogue (facilities, time types, performers)',
      }),
      facilityDetails: entry.facilities ?? {},
      treatments: Object.freeze({ ...defaultTreatmentMap, ...entry.timeTypes }),
      searchSubjectOfCare,
      reservations: context.reservations(),
    });
  },
  adapter: (connections) => createRivtaAdapter(connections),
});
