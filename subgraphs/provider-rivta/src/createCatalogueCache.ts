import { abortable } from '@booking/provider-kit';
import type { RivtaClient } from './client/createRivtaClient.js';
import type { RivTimeType } from './client/schemas.js';

/** One healthcare facility of a unit with what can be booked there and by whom. */
export interface CatalogueFacility {
  hsaId: string;
  name: string | undefined;
  timeTypes: RivTimeType[];
  /** Performer HSA id → "First Last". */
  performers: ReadonlyMap<string, string>;
}

export interface CatalogueCacheOptions {
  client: RivtaClient;
  /** Identity number the reads are sent with. */
  subjectOfCare: string;
  /** How long a fetched catalogue is reused, in ms; 0 fetches every time. */
  ttlMs: number;
  /** A fetch is abandoned after this long, whoever is waiting for it. */
  fetchTimeoutMs: number;
  /** Epoch ms. Default: `Date.now`. */
  now?: () => number;
}

export type CatalogueCache = ReturnType<typeof createCatalogueCache>;

/**
 * A unit's facilities, time types and performers: GetAllHealthcareFacilities for the unit, then
 * GetAllTimeTypes and GetAllPerformers per facility. They change seldom and every search needs
 * them, so one fetch is shared by concurrent callers and reused for `ttlMs`. The fetch runs under
 * its own timeout rather than the first caller's deadline, so one caller giving up does not fail
 * the others; each caller still stops waiting at its own deadline. Failures are not kept.
 */
export function createCatalogueCache(options: CatalogueCacheOptions) {
  const { client, subjectOfCare, ttlMs, fetchTimeoutMs, now = Date.now } = options;
  let current: { value: Promise<CatalogueFacility[]>; fetchedAt: number } | undefined;

  async function fetchCatalogue(): Promise<CatalogueFacility[]> {
    const signal = AbortSignal.timeout(fetchTimeoutMs);
    const facilities = await client.healthcareFacilities(
      client.logicalAddress,
      subjectOfCare,
      signal,
    );
    return Promise.all(
      facilities.map(async (facility) => {
        const [timeTypes, performers] = await Promise.all([
          client.timeTypes(facility.healthcare_facility, subjectOfCare, signal),
          client.performers(facility.healthcare_facility, subjectOfCare, signal),
        ]);
        return {
          hsaId: facility.healthcare_facility,
          name: facility.healthcare_facility_name,
          timeTypes,
          performers: new Map(
            performers.map((p) => [p.perfomer, `${p.firstName} ${p.lastName}`.trim()]),
          ),
        };
      }),
    );
  }

  return {
    /** The unit's facilities, from cache when fresh. */
    facilities(signal: AbortSignal): Promise<CatalogueFacility[]> {
      if (!current || now() - current.fetchedAt >= ttlMs) {
        const value = fetchCatalogue();
        const entry = { value, fetchedAt: now() };
        current = entry;
        value.catch(() => {
          if (current === entry) current = undefined;
        });
      }
      return abortable(current.value, signal);
    },
  };
}
