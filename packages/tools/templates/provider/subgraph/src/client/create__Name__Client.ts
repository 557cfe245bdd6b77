import {
  type RequestBudget,
  type RestOutcome,
  type RestRequest,
  sendRestRequest,
} from '@booking/provider-kit';
import type { Dispatcher } from 'undici';
import {
  type VendorError,
  vendorBooking,
  vendorClinic,
  vendorError,
  vendorSlot,
  vendorSlotState,
} from './schemas.js';

/** __Name__ answers that are expected failures of one call, for the adapter to translate. */
const expectedFailureStatuses = [404, 409] as const;

/** A call's result: the validated body, or an expected failure with the vendor's error body. */
export type VendorOutcome<T> = RestOutcome<
  T,
  VendorError,
  (typeof expectedFailureStatuses)[number]
>;

/**
 * Speaks the __Name__ vendor API: one method per endpoint, every response validated, through the
 * kit's REST transport (status classification, the retry of a rate-limited read, connection
 * failures). Requests go through the connection's own `dispatcher`. Add the vendor's `auth` here.
 */
export function create__Name__Client(baseUrl: string, dispatcher: Dispatcher) {
  const endpoint = {
    label: '__Name__',
    baseUrl,
    dispatcher,
    expectedFailures: { statuses: expectedFailureStatuses, schema: vendorError },
  };
  const send = <T>(call: RestRequest<T>): Promise<VendorOutcome<T>> =>
    sendRestRequest(endpoint, call);
  return {
    clinics: (budget: RequestBudget) =>
      send({ method: 'GET', path: 'clinics', schema: vendorClinic.array(), budget }),
    slots: (from: string, to: string, budget: RequestBudget) =>
      send({
        method: 'GET',
        path: 'slots',
        query: { from, to },
        schema: vendorSlot.array(),
        budget,
      }),
    slot: (id: string, budget: RequestBudget) =>
      send({ method: 'GET', path: 'slots/{id}', params: { id }, schema: vendorSlotState, budget }),
    bookingsByRef: (externalRef: string, budget: RequestBudget) =>
      send({
        method: 'GET',
        path: 'bookings',
        query: { externalRef },
        schema: vendorBooking.array(),
        budget,
      }),
    book: (slotId: string, externalRef: string, budget: RequestBudget) =>
      send({
        method: 'POST',
        path: 'bookings',
        body: { slotId, externalRef },
        schema: vendorBooking,
        budget,
      }),
    cancel: (id: string, budget: RequestBudget) =>
      send({
        method: 'DELETE',
        path: 'bookings/{id}',
        params: { id },
        schema: vendorBooking,
        budget,
      }),
  };
}

export type __Name__Client = ReturnType<typeof create__Name__Client>;
