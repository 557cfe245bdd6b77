import { afterEach, beforeEach, expect, it } from 'vitest';
import { fysio, startSimulator, type TestSimulator } from './startSimulator.js';

let sim: TestSimulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

const window = 'start_at_min=2026-03-26T00:00:00Z&start_at_max=2026-04-02T00:00:00Z';

it('lists the bookings of a window by start time, other customers included', async () => {
  const res = await sim.call(
    'GET',
    `/v2/bookings?${window}&location_id=${fysio.sodermalm}&limit=1000`,
  );
  expect(res.status).toBe(200);
  const startAts = res.body.bookings.map((b: { start_at: string }) => b.start_at);
  expect(startAts.length).toBeGreaterThan(5);
  expect([...startAts].sort()).toEqual(startAts);
  expect(
    res.body.bookings.every((b: { location_id: string }) => b.location_id === fysio.sodermalm),
  ).toBe(true);
  expect(res.body.cursor).toBeUndefined();
});

it('pages with limit and cursor through the same list', async () => {
  const whole = (await sim.call('GET', `/v2/bookings?${window}&limit=1000`)).body.bookings.map(
    (b: { id: string }) => b.id,
  );
  const paged: string[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i += 1) {
    const res = await sim.call(
      'GET',
      `/v2/bookings?${window}&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
    );
    paged.push(...res.body.bookings.map((b: { id: string }) => b.id));
    cursor = res.body.cursor;
    if (!cursor) break;
  }
  expect(paged).toEqual(whole);
});

it('filters by team member and customer', async () => {
  const res = await sim.call('GET', `/v2/bookings?${window}&team_member_id=${fysio.oskar}`);
  expect(res.body.bookings.length).toBeGreaterThan(0);
  for (const booking of res.body.bookings) {
    expect(booking.appointment_segments[0].team_member_id).toBe(fysio.oskar);
  }
  const none = await sim.call('GET', `/v2/bookings?${window}&customer_id=NOBODY`);
  expect(none.body.bookings).toEqual([]);
});

it('refuses a window over 31 days, and start_at_max before start_at_min, with INVALID_TIME_RANGE', async () => {
  const long = await sim.call(
    'GET',
    '/v2/bookings?start_at_min=2026-03-26T00:00:00Z&start_at_max=2026-04-26T00:00:01Z',
  );
  expect(long.status).toBe(400);
  expect(long.body.errors[0]).toMatchObject({ code: 'INVALID_TIME_RANGE', field: 'start_at_max' });
  const backwards = await sim.call(
    'GET',
    '/v2/bookings?start_at_min=2026-03-26T00:00:00Z&start_at_max=2026-03-25T00:00:00Z',
  );
  expect(backwards.body.errors[0].code).toBe('INVALID_TIME_RANGE');
  const exactly = await sim.call(
    'GET',
    '/v2/bookings?start_at_min=2026-03-26T00:00:00Z&start_at_max=2026-04-26T00:00:00Z',
  );
  expect(exactly.status).toBe(200);
});

it('refuses a malformed time, limit or cursor naming the parameter', async () => {
  expect(
    (await sim.call('GET', '/v2/bookings?start_at_min=yesterday')).body.errors[0],
  ).toMatchObject({
    code: 'INVALID_TIME',
    field: 'start_at_min',
  });
  expect((await sim.call('GET', '/v2/bookings?limit=0')).body.errors[0]).toMatchObject({
    code: 'VALUE_TOO_LOW',
    field: 'limit',
  });
  expect((await sim.call('GET', '/v2/bookings?cursor=%%%')).body.errors[0].code).toBe(
    'INVALID_CURSOR',
  );
});
