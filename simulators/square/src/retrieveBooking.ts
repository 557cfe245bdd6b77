import type { BookingRecord, SellerStore } from './createSellerStore.js';
import { notFound } from './errors.js';
import { type Operation, ok } from './operation.js';

/** The booking named by the path, or Square's 404 NOT_FOUND. */
export function findBooking(store: SellerStore, id: string | undefined): BookingRecord {
  const record = id === undefined ? undefined : store.get(id);
  if (!record) throw notFound(`Specified booking ${id ?? ''} was not found.`, 'booking_id');
  return record;
}

/** `GET /v2/bookings/{booking_id}` [RetrieveBooking]. */
export const retrieveBooking: Operation = (store, { params }) =>
  ok({ booking: findBooking(store, params[0]).booking });
