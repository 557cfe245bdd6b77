import * as kit from '@booking/provider-kit';
import * as square from './__generated__/client.gen.js';
import type { SquareClient } from './client/createSquareClient.js';
import { type Service, servicesOf } from './mapping.js';

const appointments = { attribute_name: 'product_type', attribute_value: 'APPOINTMENTS_SERVICE' };

/** Where one seller location's catalogue is read. */
export interface SquareDirectory {
  readonly client: SquareClient;
  readonly locationId: string;
  /** Square catalogue item id → platform treatment id. */
  readonly treatments: Readonly<Record<string, string>>;
}

/** One location's catalogue: the location, its mapped services, its bookable team members. */
export interface SquareCatalogue {
  location: Awaited<ReturnType<typeof readLocations>>[number];
  services: Service[];
  /** The slot with its practitioner's display name. */
  named(slot: kit.ContractSlot): kit.ContractSlot;
}

function readLocations(client: SquareClient, budget: kit.RequestBudget) {
  return client.value(square.ListLocations(), budget).then((answer) => answer.locations ?? []);
}

/**
 * Reads the location, its appointment services and its bookable team members, the three lists at
 * once. Services and team members follow Square's cursor, which only each page names, so their
 * pages come one after another; the catalogue is kept off the search path by the kit's cache.
 */
export async function loadSquareCatalogue(
  { client, locationId, treatments }: SquareDirectory,
  budget: kit.RequestBudget,
): Promise<SquareCatalogue> {
  const query = { exact_query: appointments };
  const items = (cursor?: string) =>
    square.SearchCatalogObjects({ body: { object_types: ['ITEM'], query, cursor } });
  const staff = (cursor?: string) =>
    square.ListTeamMemberBookingProfiles({
      query: { bookable_only: true, location_id: locationId, cursor },
    });
  const [locations, services, profiles] = await Promise.all([
    readLocations(client, budget),
    client.all(items, (page) => page.objects, budget),
    client.all(staff, (page) => page.team_member_booking_profiles, budget),
  ]);
  const location = locations.find((l) => l.id === locationId);
  if (!location) throw new kit.ProviderError(kit.ProviderErrorCode.Internal, 'no such location');
  const names = new Map(profiles.map((p) => [p.team_member_id, p.display_name]));
  return {
    location,
    services: servicesOf(services, treatments, locationId),
    named(slot) {
      const id = slot.practitioner?.id ?? '';
      return { ...slot, practitioner: { id, name: names.get(id) ?? id } };
    },
  };
}
