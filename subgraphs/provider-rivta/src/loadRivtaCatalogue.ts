import type { RequestBudget } from '@booking/provider-kit';
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

/** Where a unit's catalogue is read. */
export interface RivtaDirectory {
  readonly client: RivtaClient;
  /** Identity number the reads are sent with. */
  readonly subjectOfCare: string;
}

/**
 * A unit's facilities, time types and performers: GetAllHealthcareFacilities for the unit, then
 * GetAllTimeTypes and GetAllPerformers per facility. They change seldom and every search needs
 * them: the kit's `createCatalogueCache` keeps them per connection.
 */
export async function loadRivtaCatalogue(
  { client, subjectOfCare }: RivtaDirectory,
  budget: RequestBudget,
): Promise<CatalogueFacility[]> {
  const unit = { healthcareFacility: client.logicalAddress, subjectOfCare };
  const { healthcareFacilityInfos } = await client.read('GetAllHealthcareFacilities', unit, budget);
  return Promise.all(
    healthcareFacilityInfos.map(async (facility) => {
      const request = { healthcareFacility: facility.healthcare_facility, subjectOfCare };
      const [{ ListOfTimeTypes: timeTypes }, { performerInfos: performers }] = await Promise.all([
        client.read('GetAllTimeTypes', request, budget),
        client.read('GetAllPerformers', request, budget),
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
