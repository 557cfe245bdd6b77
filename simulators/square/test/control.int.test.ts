import { afterEach, beforeEach, expect, it } from 'vitest';
import { fysio, startSimulator, type TestSimulator } from './startSimulator.js';

let sim: TestSimulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sim.url}/_admin/${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the simulator sent.
  return { status: res.status, body: (await res.json()) as any };
}

const firstFree = async () =>
  (await sim.searchAvailability('2026-03-26T00:00:00Z', '2026-03-27T00:00:00Z')).body
    .availabilities[0];

it('renders an injected 5xx in Square shape: 503 API_ERROR / SERVICE_UNAVAILABLE, for that seller only', async () => {
  const rule = await admin('POST', 'faults', {
    connection: fysio.merchantId,
    on: 'reads',
    kind: 'error',
    status: 503,
    count: 1,
  });
  expect(rule.status).toBe(201);
  const failed = await sim.call('GET', '/v2/locations');
  expect(failed.status).toBe(503);
  expect(failed.body.errors[0]).toMatchObject({
    category: 'API_ERROR',
    code: 'SERVICE_UNAVAILABLE',
  });
  expect((await sim.call('GET', '/v2/locations')).status).toBe(200);
});

it('renders an injected 429 as RATE_LIMITED with the rule’s Retry-After', async () => {
  await admin('POST', 'faults', { kind: 'rateLimit', retryAfterSeconds: 7, count: 1 });
  const res = await sim.call('GET', '/v2/locations');
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toBe('7');
  expect(res.body.errors[0]).toMatchObject({ category: 'RATE_LIMIT_ERROR', code: 'RATE_LIMITED' });
});

it('loses the answer of a create but keeps the booking; a retry with the same key answers it', async () => {
  const availability = await firstFree();
  await admin('POST', 'faults', { kind: 'loseAnswer', count: 1 });
  const body = sim.bookingBody(availability, 'lost-1');
  await expect(sim.call('POST', '/v2/bookings', body)).rejects.toThrow();
  const made = (await admin('GET', `bookings?seller=${fysio.merchantId}`)).body.bookings.filter(
    (b: { origin: string }) => b.origin === 'api',
  );
  expect(made).toHaveLength(1);
  const retry = await sim.call('POST', '/v2/bookings', body);
  expect(retry.status).toBe(200);
  expect(retry.body.booking.id).toBe(made[0].id);
});

it('counts a search as a read and a create as a write per seller', async () => {
  const availability = await firstFree();
  await sim.call('POST', '/v2/bookings', sim.bookingBody(availability, 'count'));
  const traffic = (await admin('GET', 'traffic')).body.sellers[fysio.merchantId];
  expect(traffic).toMatchObject({ requests: 2, reads: 1, writes: 1 });
});

it('books elsewhere through /_admin/book-elsewhere, and resets to the seed', async () => {
  const availability = await firstFree();
  const segment = availability.appointment_segments[0];
  const taken = await admin('POST', 'book-elsewhere', {
    seller: fysio.merchantId,
    locationId: availability.location_id,
    teamMemberId: segment.team_member_id,
    serviceVariationId: segment.service_variation_id,
    startAt: availability.start_at,
  });
  expect(taken.status).toBe(201);
  expect((await sim.call('POST', '/v2/bookings', sim.bookingBody(availability, 'e'))).status).toBe(
    409,
  );
  const unknown = await admin('POST', 'book-elsewhere', { seller: 'NOPE' });
  expect(unknown.status).toBe(404);

  expect((await admin('POST', 'reset')).status).toBe(200);
  expect((await sim.call('GET', `/v2/bookings/${taken.body.booking.id}`)).status).toBe(404);
  expect((await sim.call('POST', '/v2/bookings', sim.bookingBody(availability, 'e'))).status).toBe(
    200,
  );
});

it('sets the rate limit per seller through /_admin/config', async () => {
  const config = await admin('POST', 'config', {
    sellers: { [fysio.merchantId]: { rateLimitPerSecond: 1 } },
  });
  expect(config.status).toBe(200);
  const answers = await Promise.all(
    Array.from({ length: 4 }, () => sim.call('GET', '/v2/locations')),
  );
  expect(answers.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(2);
});
