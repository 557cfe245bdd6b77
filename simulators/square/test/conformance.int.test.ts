import { afterAll, beforeAll, expect, it } from 'vitest';
import { conformsTo } from './conformsTo.js';
import { startSimulator, type TestSimulator } from './startSimulator.js';

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim.close();
});

const day = ['2026-03-26T00:00:00Z', '2026-03-27T00:00:00Z'] as const;

it('answers every read in the shapes of Square’s OpenAPI document', async () => {
  const reads: [string, string, unknown, string][] = [
    ['GET', '/v2/locations', undefined, 'ListLocationsResponse'],
    [
      'GET',
      '/v2/bookings/team-member-booking-profiles?limit=2',
      undefined,
      'ListTeamMemberBookingProfilesResponse',
    ],
    [
      'GET',
      '/v2/bookings/business-booking-profile',
      undefined,
      'RetrieveBusinessBookingProfileResponse',
    ],
    [
      'POST',
      '/v2/catalog/search',
      { object_types: ['ITEM', 'ITEM_VARIATION'] },
      'SearchCatalogObjectsResponse',
    ],
    ['GET', `/v2/bookings?start_at_min=${day[0]}&limit=5`, undefined, 'ListBookingsResponse'],
  ];
  for (const [method, path, body, schema] of reads) {
    const res = await sim.call(method, path, body);
    expect(res.status, path).toBe(200);
    expect(conformsTo(res.body, schema), path).toEqual([]);
  }
});

it('answers the booking flow, and its refusals, in the shapes of the document', async () => {
  const customer = await sim.call('POST', '/v2/customers', {
    given_name: 'Astrid',
    email_address: 'a@example.se',
  });
  expect(conformsTo(customer.body, 'CreateCustomerResponse')).toEqual([]);
  const search = await sim.searchAvailability(...day);
  expect(conformsTo(search.body, 'SearchAvailabilityResponse')).toEqual([]);
  const availability = search.body.availabilities[0];
  const created = await sim.call(
    'POST',
    '/v2/bookings',
    sim.bookingBody(availability, 'shape', {
      customer_id: customer.body.customer.id,
      seller_note: 'Ny patient',
    }),
  );
  expect(conformsTo(created.body, 'CreateBookingResponse')).toEqual([]);
  const id = created.body.booking.id;
  expect(
    conformsTo((await sim.call('GET', `/v2/bookings/${id}`)).body, 'RetrieveBookingResponse'),
  ).toEqual([]);
  const updated = await sim.call('PUT', `/v2/bookings/${id}`, {
    booking: { version: 0, customer_note: 'Knä' },
  });
  expect(conformsTo(updated.body, 'UpdateBookingResponse')).toEqual([]);
  const cancelled = await sim.call('POST', `/v2/bookings/${id}/cancel`, { booking_version: 1 });
  expect(conformsTo(cancelled.body, 'CancelBookingResponse')).toEqual([]);

  const refusals: [unknown, string][] = [
    [
      (await sim.call('POST', '/v2/bookings', sim.bookingBody(availability, 'shape-2'))).body,
      'CreateBookingResponse',
    ],
    [
      (await sim.call('POST', `/v2/bookings/${id}/cancel`, { booking_version: 0 })).body,
      'CancelBookingResponse',
    ],
    [(await sim.call('GET', '/v2/bookings/nope')).body, 'RetrieveBookingResponse'],
    [(await sim.searchAvailability(day[0], day[0])).body, 'SearchAvailabilityResponse'],
    [
      (await sim.call('GET', '/v2/locations', undefined, { token: 'x' })).body,
      'ListLocationsResponse',
    ],
  ];
  for (const [body, schema] of refusals) expect(conformsTo(body, schema), schema).toEqual([]);
});

it('would notice a field the document does not declare', () => {
  expect(conformsTo({ booking: { id: 'x', colour: 'red' } }, 'RetrieveBookingResponse')).toEqual([
    'RetrieveBookingResponse.booking.colour: not in the schema',
  ]);
  expect(
    conformsTo({ errors: [{ category: 'OOPS', code: 'NOT_FOUND' }] }, 'RetrieveBookingResponse'),
  ).toHaveLength(1);
});
