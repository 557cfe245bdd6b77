import { bookElsewhere } from './bookElsewhere.js';
import type { SellerStore } from './createSellerStore.js';
import { type Answer, notFound, SquareFailure } from './errors.js';
import { makeClinicChange } from './makeClinicChange.js';
import { asObject, requiredString } from './readFields.js';
import type { DeliveryRecord } from './webhooks/createWebhookDelivery.js';

/** The sellers by merchant id, the connection ids of the control protocol. */
type Sellers = ReadonlyMap<string, SellerStore>;

/** What the simulator's own admin endpoints read. */
export interface OwnAdminContext {
  sellers: Sellers;
  /** The webhook deliveries recorded, oldest first. */
  deliveries(): readonly DeliveryRecord[];
}

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

/** `GET /_admin/webhook-subscriptions?seller=`: every seller's (or one's) subscriptions, with their keys. */
function adminSubscriptions(sellers: Sellers, query: URLSearchParams): Answer {
  const wanted = query.get('seller');
  if (wanted !== null) sellerOf(sellers, wanted);
  const subscriptions = [...sellers]
    .filter(([id]) => wanted === null || id === wanted)
    .flatMap(([id, store]) =>
      [...store.webhooks.subscriptions.values()].map((s) => ({ seller: id, ...s })),
    );
  return { status: 200, body: { subscriptions } };
}

/**
 * `GET /_admin/webhook-deliveries?seller=&booking=&event=`: the event notifications sent (the
 * last 1000), oldest first, each with its attempts.
 */
function adminDeliveries(context: OwnAdminContext, query: URLSearchParams): Answer {
  const seller = query.get('seller');
  const booking = query.get('booking');
  const event = query.get('event');
  const deliveries = context
    .deliveries()
    .filter((d) => seller === null || d.merchant_id === seller)
    .filter((d) => booking === null || d.booking_id === booking)
    .filter((d) => event === null || d.event_id === event);
  return { status: 200, body: { deliveries } };
}

/** The simulator's own `/_admin/` endpoints, beside the kit's control protocol. */
export function routeOwnAdmin(
  context: OwnAdminContext,
  method: string,
  action: string,
  query: URLSearchParams,
  body: unknown,
): Answer {
  const { sellers } = context;
  try {
    if (method === 'GET' && action === 'bookings') return adminBookings(sellers, query);
    if (method === 'POST' && action === 'book-elsewhere') return adminBookElsewhere(sellers, body);
    if (method === 'POST' && action === 'clinic-changes') return makeClinicChange(sellers, body);
    if (method === 'GET' && action === 'webhook-subscriptions') {
      return adminSubscriptions(sellers, query);
    }
    if (method === 'GET' && action === 'webhook-deliveries') return adminDeliveries(context, query);
    throw notFound(`No ${method} /_admin/${action}.`);
  } catch (error) {
    if (error instanceof SquareFailure) return error.toAnswer();
    throw error;
  }
}
