import type { SellerStore } from './createSellerStore.js';
import { type Operation, ok } from './operation.js';
import type { LocationSeed } from './seed.js';

const createdAt = '2024-02-01T08:00:00Z';

function toLocation(store: SellerStore, location: LocationSeed) {
  return {
    id: location.id,
    name: location.name,
    address: {
      address_line_1: location.address.line1,
      locality: location.address.locality,
      postal_code: location.address.postalCode,
      country: 'SE',
    },
    timezone: store.zone,
    capabilities: ['CREDIT_CARD_PROCESSING'],
    status: 'ACTIVE',
    created_at: createdAt,
    merchant_id: store.seller.merchantId,
    country: 'SE',
    language_code: 'sv-SE',
    currency: 'SEK',
    phone_number: location.phone,
    business_name: store.seller.businessName,
    type: 'PHYSICAL',
    business_hours: {
      periods: location.hours.map((period) => ({
        day_of_week: period.day,
        start_local_time: `${period.from}:00`,
        end_local_time: `${period.to}:00`,
      })),
    },
    coordinates: location.coordinates,
    mcc: '8099',
  };
}

/** `GET /v2/locations` [ListLocations]: every location of the token's seller, unpaged as in Square. */
export const listLocations: Operation = (store) =>
  ok({ locations: [...store.locations.values()].map((location) => toLocation(store, location)) });
