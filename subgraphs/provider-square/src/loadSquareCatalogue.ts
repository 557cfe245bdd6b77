import * as kit from '@booking/provider-kit';
import * as square from './__generated__/client.gen.js';
import type { SquareClient } from './client/createSquareClient.js';
import { type SlotKey, servicesOf, toContractSlot } from './mapping.js';

const appointments = { attribute_name: 'product_type', attribute_value: 'APPOINTMENTS_SERVICE' };

/**
 * One location's catalogue: the location, its mapped services, its bookable team members. The
 * three lists are read at once; services and team members follow Square's cursor, which only each
 * page names, so their pages come one after another. The kit's cache keeps it off the search path.
 */
export async function loadSquareCatalogue(
  client: SquareClient,
  seller: {
    locationId: string;
    /** Square catalogue item id → platform treatment id. */
    treatments: Readonly<Record<string, string>>;
  },
  budget: kit.RequestBudget,
) {
  const { locationId } = seller;
  const query = { exact_query: appointments };
  const items = (cursor?: string) =>
    square.SearchCatalogObjects({ body: { object_types: ['ITEM'], query, cursor } });
  const staff = (cursor?: string) =>
    square.ListTeamMemberBookingProfiles({
      query: { bookable_only: true, location_id: locationId, cursor },
    });
  const [listed, objects, profiles] = await Promise.all([
    client.value(square.ListLocations(), budget),
    client.all(items, (page) => page.objects, budget),
    client.all(staff, (page) => page.team_member_booking_profiles, budget),
  ]);
  const location = listed.locations?.find((l) => l.id === locationId);
  if (!location) throw new kit.ProviderError(kit.ProviderErrorCode.Internal, 'no such location');
  const names = new Map(profiles.map((p) => [p.team_member_id, p.display_name]));
  const services = servicesOf(objects, seller.treatments, locationId);
  return {
    location,
    services,
    /** The slot of a key as a search names it; null when its service is not offered. */
    slotOf(key: SlotKey): kit.ContractSlot | null {
      const service = services.find((s) => s.variationId === key.service_variation_id);
      const name = names.get(key.team_member_id) ?? key.team_member_id;
      return service ? toContractSlot(key, locationId, service.treatment.id, name) : null;
    },
  };
}
