import { afterEach, beforeEach, expect, it } from 'vitest';
import { fysio, startSimulator, type TestSimulator } from './startSimulator.js';

let sim: TestSimulator;
beforeEach(async () => {
  // A little latency holds every request in the control's await, so all of them reach the check together.
  sim = await startSimulator({ latencyMs: 5 });
});
afterEach(async () => {
  await sim.close();
});

it('books one slot exactly once under 20 concurrent CreateBooking calls with different keys', async () => {
  const search = await sim.searchAvailability('2026-03-26T00:00:00Z', '2026-03-27T00:00:00Z');
  const availability = search.body.availabilities[0];
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      sim.call('POST', '/v2/bookings', sim.bookingBody(availability, `race-${i}`)),
    ),
  );
  expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
  const refused = answers.filter((r) => r.status === 409);
  expect(refused).toHaveLength(19);
  expect(refused.every((r) => r.body.errors[0].code === 'CONFLICT')).toBe(true);
  const store = sim.simulator.sellers.get(fysio.merchantId);
  const made = [...(store?.all() ?? [])].filter((r) => r.origin === 'api');
  expect(made).toHaveLength(1);
});

it('answers one booking to 10 concurrent repeats of one idempotency key', async () => {
  const search = await sim.searchAvailability('2026-03-26T00:00:00Z', '2026-03-27T00:00:00Z');
  const body = sim.bookingBody(search.body.availabilities[0], 'one-key');
  const answers = await Promise.all(
    Array.from({ length: 10 }, () => sim.call('POST', '/v2/bookings', body)),
  );
  expect(answers.every((r) => r.status === 200)).toBe(true);
  expect(new Set(answers.map((r) => r.body.booking.id)).size).toBe(1);
});

it('refuses a slot another client booked meanwhile (bookElsewhere)', async () => {
  const search = await sim.searchAvailability('2026-03-26T00:00:00Z', '2026-03-27T00:00:00Z');
  const availability = search.body.availabilities[0];
  const segment = availability.appointment_segments[0];
  const elsewhere = sim.simulator.bookElsewhere({
    accessToken: fysio.token,
    locationId: availability.location_id,
    teamMemberId: segment.team_member_id,
    serviceVariationId: segment.service_variation_id,
    startAt: availability.start_at,
  });
  expect(elsewhere).toMatchObject({
    status: 'ACCEPTED',
    source: 'FIRST_PARTY_BUYER',
    start_at: availability.start_at,
  });
  const res = await sim.call('POST', '/v2/bookings', sim.bookingBody(availability, 'late'));
  expect(res.status).toBe(409);
  expect(() =>
    sim.simulator.bookElsewhere({
      accessToken: fysio.token,
      locationId: availability.location_id,
      teamMemberId: segment.team_member_id,
      serviceVariationId: segment.service_variation_id,
      startAt: availability.start_at,
    }),
  ).toThrow(/CONFLICT/);
});
