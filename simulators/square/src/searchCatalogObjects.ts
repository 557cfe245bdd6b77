import type { SellerStore } from './createSellerStore.js';
import { type Operation, ok } from './operation.js';
import { page } from './paging.js';
import { asObject, optionalArray, optionalInteger, optionalString } from './readFields.js';
import { catalogVersion, type ServiceSeed, type VariationSeed } from './seed.js';
import { formatTime } from './time.js';

const updatedAt = formatTime(catalogVersion);

function variationObject(
  store: SellerStore,
  service: ServiceSeed,
  variation: VariationSeed,
  ordinal: number,
) {
  const locationIds = [
    ...new Set(
      variation.teamMemberIds.map((id) => store.teamMembers.get(id)?.locationId).filter(Boolean),
    ),
  ] as string[];
  return {
    type: 'ITEM_VARIATION',
    id: variation.id,
    updated_at: updatedAt,
    version: catalogVersion,
    is_deleted: false,
    present_at_all_locations: false,
    present_at_location_ids: locationIds,
    item_variation_data: {
      item_id: service.id,
      name: variation.name,
      ordinal,
      pricing_type: 'FIXED_PRICING',
      price_money: { amount: variation.priceSek * 100, currency: 'SEK' },
      service_duration: variation.durationMinutes * 60_000,
      available_for_booking: variation.availableForBooking ?? true,
      team_member_ids: [...variation.teamMemberIds],
      sellable: true,
      stockable: true,
    },
  };
}

function itemObject(store: SellerStore, service: ServiceSeed) {
  const variations = service.variations.map((v, i) => variationObject(store, service, v, i + 1));
  return {
    type: 'ITEM',
    id: service.id,
    updated_at: updatedAt,
    version: catalogVersion,
    is_deleted: false,
    present_at_all_locations: false,
    present_at_location_ids: [...new Set(variations.flatMap((v) => v.present_at_location_ids))],
    item_data: {
      name: service.name,
      description: service.description,
      is_taxable: true,
      variations,
      product_type: 'APPOINTMENTS_SERVICE',
      skip_modifier_screen: false,
    },
  };
}

/** The `exact_query` attributes the simulator understands; others match nothing. */
function matches(service: ServiceSeed, query: Record<string, unknown> | undefined): boolean {
  const exact = query?.exact_query as
    | { attribute_name?: unknown; attribute_value?: unknown }
    | undefined;
  if (!exact) return true;
  const value = String(exact.attribute_value ?? '').toLowerCase();
  if (exact.attribute_name === 'product_type') return 'appointments_service' === value;
  if (exact.attribute_name === 'name') return service.name.toLowerCase().includes(value);
  return false;
}

/**
 * `POST /v2/catalog/search` [SearchCatalogObjects]: the seller's APPOINTMENTS_SERVICE items,
 * each with its ITEM_VARIATION objects nested (`item_data.variations`); `object_types` with
 * `ITEM_VARIATION` lists the variations as objects of their own. `limit` is advisory, as in Square.
 */
export const searchCatalogObjects: Operation = (store, { body }) => {
  const request = asObject(body ?? {}, '');
  const types = (optionalArray(request, 'object_types', 'object_types') ?? ['ITEM']).map(String);
  const query = request.query === undefined ? undefined : asObject(request.query, 'query');
  const requested = optionalInteger(request, 'limit', 'limit');
  const limit = requested !== undefined && requested > 0 && requested <= 1000 ? requested : 100;
  const services = [...store.seller.services].filter((service) => matches(service, query));
  const objects = services.flatMap((service) => {
    const item = itemObject(store, service);
    return [
      ...(types.includes('ITEM') ? [item] : []),
      ...(types.includes('ITEM_VARIATION') ? item.item_data.variations : []),
    ];
  });
  const { items, cursor } = page(objects, optionalString(request, 'cursor', 'cursor'), limit);
  return ok({
    objects: items,
    ...(cursor ? { cursor } : {}),
    latest_time: updatedAt,
  });
};
