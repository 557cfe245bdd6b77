import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fysio, massageToken, startSimulator, type TestSimulator } from './startSimulator.js';

let sim: TestSimulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

async function firstFree(variation = fysio.nybesok60) {
  const res = await sim.searchAvailability(
    '2026-03-26T00:00:00Z',
    '2026-03-27T00:00:00Z',
    variation,
  );
  return res.body.availabilities[0];
}

async function customer() {
  const res = await sim.call('POST', '/v2/customers', {
    given_name: 'Astrid',
    family_name: 'Lind',
  });
  return res.body.customer.id as string;
}

describe('CreateBooking', () => {
  it('books a free availability: version 0, ACCEPTED, and the time is gone from the search', async () => {
    const availability = await firstFree();
    const customerId = await customer();
    const res = await sim.call(
      'POST',
      '/v2/bookings',
      sim.bookingBody(availability, 'create-1', {
        customer_id: customerId,
        customer_note: 'Ont i ryggen',
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.booking).toMatchObject({
      id: expect.stringMatching(/^[0-9a-z]{14}$/),
      version: 0,
      status: 'ACCEPTED',
      created_at: '2026-03-25T08:00:00Z',
      updated_at: '2026-03-25T08:00:00Z',
      start_at: availability.start_at,
      location_id: fysio.sodermalm,
      customer_id: customerId,
      customer_note: 'Ont i ryggen',
      appointment_segments: [expect.objectContaining(availability.appointment_segments[0])],
    });
    const after = await sim.searchAvailability('2026-03-26T00:00:00Z', '2026-03-27T00:00:00Z');
    const member = availability.appointment_segments[0].team_member_id;
    expect(
      after.body.availabilities.some(
        (a: { start_at: string; appointment_segments: { team_member_id: string }[] }) =>
          a.start_at === availability.start_at &&
          a.appointment_segments[0]?.team_member_id === member,
      ),
    ).toBe(false);
  });

  it('answers the same booking for the same idempotency key and body, and makes no second one', async () => {
    const body = sim.bookingBody(await firstFree(), 'same-key');
    const first = await sim.call('POST', '/v2/bookings', body);
    const second = await sim.call('POST', '/v2/bookings', body);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    const store = sim.simulator.sellers.get(fysio.merchantId);
    expect([...(store?.all() ?? [])].filter((r) => r.origin === 'api')).toHaveLength(1);
  });

  it('refuses the same idempotency key with another body: 400 IDEMPOTENCY_KEY_REUSED', async () => {
    const availability = await firstFree();
    await sim.call('POST', '/v2/bookings', sim.bookingBody(availability, 'reused'));
    const res = await sim.call(
      'POST',
      '/v2/bookings',
      sim.bookingBody(availability, 'reused', { seller_note: 'x' }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        category: 'INVALID_REQUEST_ERROR',
        code: 'IDEMPOTENCY_KEY_REUSED',
        detail: expect.any(String),
        field: 'idempotency_key',
      },
    ]);
  });

  it('refuses a time already taken with 409 CONFLICT on booking.start_at', async () => {
    const availability = await firstFree();
    await sim.call('POST', '/v2/bookings', sim.bookingBody(availability, 'a'));
    const res = await sim.call('POST', '/v2/bookings', sim.bookingBody(availability, 'b'));
    expect(res.status).toBe(409);
    expect(res.body.errors[0]).toMatchObject({
      category: 'INVALID_REQUEST_ERROR',
      code: 'CONFLICT',
      field: 'booking.start_at',
    });
  });

  it('refuses a time in the past and outside working hours with the same 409 CONFLICT', async () => {
    const availability = await firstFree();
    const past = await sim.call(
      'POST',
      '/v2/bookings',
      sim.bookingBody({ ...availability, start_at: '2026-03-24T08:00:00Z' }, 'p'),
    );
    expect(past.status).toBe(409);
    const night = await sim.call(
      'POST',
      '/v2/bookings',
      sim.bookingBody({ ...availability, start_at: '2026-03-26T22:00:00Z' }, 'n'),
    );
    expect(night.status).toBe(409);
    expect(night.body.errors[0].code).toBe('CONFLICT');
  });

  it.each([
    ['no booking', {}, 'MISSING_REQUIRED_PARAMETER', 'booking'],
    [
      'no location',
      { booking: { start_at: '2026-03-26T08:00:00Z' } },
      'MISSING_REQUIRED_PARAMETER',
      'booking.location_id',
    ],
    [
      'no start',
      { booking: { location_id: 'LSTHSODERMALM01' } },
      'MISSING_REQUIRED_PARAMETER',
      'booking.start_at',
    ],
    [
      'a start without offset',
      { booking: { location_id: 'LSTHSODERMALM01', start_at: '2026-03-26T08:00:00' } },
      'INVALID_TIME',
      'booking.start_at',
    ],
    [
      'no segments',
      { booking: { location_id: 'LSTHSODERMALM01', start_at: '2026-03-26T08:00:00Z' } },
      'MISSING_REQUIRED_PARAMETER',
      'booking.appointment_segments',
    ],
    [
      'a team member of another location',
      {
        booking: {
          location_id: 'LSTHKUNGSHOLM01',
          start_at: '2026-03-26T08:00:00Z',
          appointment_segments: [
            {
              team_member_id: 'TMelinsjoberg01',
              service_variation_id: 'IVFYSNYBESOK60000000001',
              service_variation_version: 1_767_225_600_000,
            },
          ],
        },
      },
      'INVALID_VALUE',
      'booking.appointment_segments[0].team_member_id',
    ],
    [
      'an unknown customer',
      {
        booking: {
          location_id: 'LSTHSODERMALM01',
          start_at: '2026-03-26T08:00:00Z',
          customer_id: 'NOBODY',
          appointment_segments: [
            {
              team_member_id: 'TMelinsjoberg01',
              service_variation_id: 'IVFYSNYBESOK60000000001',
              service_variation_version: 1_767_225_600_000,
            },
          ],
        },
      },
      'CUSTOMER_NOT_FOUND',
      'booking.customer_id',
    ],
    [
      'a key over 255 characters',
      { idempotency_key: 'k'.repeat(256), booking: {} },
      'VALUE_TOO_LONG',
      'idempotency_key',
    ],
  ])('refuses %s with 400 %s on %s', async (_, body, code, field) => {
    const res = await sim.call('POST', '/v2/bookings', body);
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ category: 'INVALID_REQUEST_ERROR', code, field });
  });
});

describe('RetrieveBooking', () => {
  it('answers a booking by id, and 404 NOT_FOUND for an unknown one', async () => {
    const created = await sim.call('POST', '/v2/bookings', sim.bookingBody(await firstFree(), 'r'));
    const res = await sim.call('GET', `/v2/bookings/${created.body.booking.id}`);
    expect(res.status).toBe(200);
    expect(res.body.booking).toEqual(created.body.booking);
    const missing = await sim.call('GET', '/v2/bookings/doesnotexist00');
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0]).toMatchObject({
      category: 'INVALID_REQUEST_ERROR',
      code: 'NOT_FOUND',
    });
  });

  it("does not show one seller's booking to another seller's token", async () => {
    const created = await sim.call('POST', '/v2/bookings', sim.bookingBody(await firstFree(), 'x'));
    const res = await sim.call('GET', `/v2/bookings/${created.body.booking.id}`, undefined, {
      token: massageToken,
    });
    expect(res.status).toBe(404);
  });
});
