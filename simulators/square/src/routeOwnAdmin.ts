import { bookElsewhere } from './bookElsewhere.js';
import type { SellerStore } from './createSellerStore.js';
import { type Answer, notFound, SquareFailure } from './errors.js';
import { asObject, requiredString } from './readFields.js';

/** The sellers by merchant id, the connection ids of the control protocol. */
type Sellers = ReadonlyMap<string, SellerStore>;

function sellerOf(sellers: Sellers, merchantId: string | null): SellerStore {
  const store = merchantId === null ? undefined : sellers.get(merchantId);
  if (!store) throw notFound(`Unknown seller ${merchantId ?? ''}.`, 'seller');
  return store;
}

/** `GET /_admin/bookings?seller=`: every booking of one seller (or all), with its `origin`. */
function adminBookings(sellers: Sellers, query: URLSearchParams): Answer {
  const wanted = query.get('seller');
  if (wanted !== null) sellerOf(sellers, wanted);
  const bookings = [...sellers]
    .filter(([id]) => wanted === null || id === wanted)
    .flatMap(([id, store]) =>
      [...store.all()].map(({ booking, origin }) => ({ seller: id, origin, ...booking })),
    );
  return { status: 200, body: { bookings } };
}

/**
 * `POST /_admin/book-elsewhere` `{seller, locationId, teamMemberId, serviceVariationId, startAt}`:
 * another client books a slot, for tests running the simulator as a separate process.
 */
function adminBookElsewhere(sellers: Sellers, body: unknown): Answer {
  const fields = asObject(body ?? {}, '');
  const store = sellerOf(sellers, requiredString(fields, 'seller', 'seller'));
  const booking = bookElsewhere(store, {
    locationId: requiredString(fields, 'locationId', 'locationId'),
    teamMemberId: requiredString(fields, 'teamMemberId', 'teamMemberId'),
    serviceVariationId: requiredString(fields, 'serviceVariationId', 'serviceVariationId'),
    startAt: requiredString(fields, 'startAt', 'startAt'),
  });
  return { status: 201, body: { booking } };
}

/** The simulator's own `/_admin/` endpoints, beside the kit's control protocol. */
export function routeOwnAdmin(
  sellers: Sellers,
  method: string,
  action: string,
  query: URLSearchParams,
  body: unknown,
): Answer {
  try {
    if (method === 'GET' && action === 'bookings') return adminBookings(sellers, query);
    if (method === 'POST' && action === 'book-elsewhere') return adminBookElsewhere(sellers, body);
    throw notFound(`No ${method} /_admin/${action}.`);
  } catch (error) {
    if (error instanceof SquareFailure) return error.toAnswer();
    throw error;
  }
}
