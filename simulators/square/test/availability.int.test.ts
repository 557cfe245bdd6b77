import { afterEach, describe, expect, it } from 'vitest';
import { fysio, startSimulator, type TestSimulator } from './startSimulator.js';

let sim: TestSimulator;
afterEach(async () => {
  await sim.close();
});

const starts = (body: { availabilities: { start_at: string }[] }) =>
  body.availabilities.map((a) => a.start_at);
const oskarOnly = { team_member_id_filter: { any: [fysio.oskar] } };

describe('start_at_range', () => {
  it.each([
    ['23 hours', '2026-03-26T00:00:00Z', '2026-03-26T23:00:00Z'],
    ['32 days and a minute', '2026-03-26T00:00:00Z', '2026-04-27T00:01:00Z'],
    ['end before start', '2026-03-27T00:00:00Z', '2026-03-26T00:00:00Z'],
    // Local midnight to midnight on the spring DST day is only 23 hours long.
    ['the local day of the spring DST switch', '2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z'],
  ])(
    'refuses a range of %s with INVALID_TIME_RANGE on query.filter.start_at_range',
    async (_, start, end) => {
      sim = await startSimulator();
      const res = await sim.searchAvailability(start, end);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        {
          category: 'INVALID_REQUEST_ERROR',
          code: 'INVALID_TIME_RANGE',
          detail: expect.any(String),
          field: 'query.filter.start_at_range',
        },
      ]);
    },
  );

  it.each([
    ['exactly 24 hours', '2026-03-26T00:00:00Z', '2026-03-27T00:00:00Z'],
    ['exactly 32 days', '2026-03-26T00:00:00Z', '2026-04-27T00:00:00Z'],
  ])('accepts a range of %s', async (_, start, end) => {
    sim = await startSimulator();
    const res = await sim.searchAvailability(start, end);
    expect(res.status).toBe(200);
    expect(res.body.availabilities.length).toBeGreaterThan(0);
  });

  it('refuses a start that is not RFC 3339 with INVALID_TIME on its field', async () => {
    sim = await startSimulator();
    const res = await sim.searchAvailability('2026-03-26 00:00', '2026-03-27T00:00:00Z');
    expect(res.body.errors[0]).toMatchObject({
      code: 'INVALID_TIME',
      field: 'query.filter.start_at_range.start_at',
    });
  });
});

describe('other filters', () => {
  it('names the missing or wrong field', async () => {
    sim = await startSimulator();
    const missingRange = await sim.call('POST', '/v2/bookings/availability/search', {
      query: { filter: {} },
    });
    expect(missingRange.body.errors[0]).toMatchObject({
      code: 'MISSING_REQUIRED_PARAMETER',
      field: 'query.filter.start_at_range',
    });
    const noLocation = await sim.call('POST', '/v2/bookings/availability/search', {
      query: {
        filter: {
          start_at_range: { start_at: '2026-03-26T00:00:00Z', end_at: '2026-03-27T00:00:00Z' },
          segment_filters: [{ service_variation_id: fysio.nybesok60 }],
        },
      },
    });
    expect(noLocation.body.errors[0]).toMatchObject({
      code: 'MISSING_REQUIRED_PARAMETER',
      field: 'query.filter.location_id',
    });
    const unknown = await sim.searchAvailability(
      '2026-03-26T00:00:00Z',
      '2026-03-27T00:00:00Z',
      'NOPE',
    );
    expect(unknown.body.errors[0]).toMatchObject({
      code: 'INVALID_VALUE',
      field: 'query.filter.segment_filters[0].service_variation_id',
    });
    const notOnline = await sim.searchAvailability(
      '2026-03-26T00:00:00Z',
      '2026-03-27T00:00:00Z',
      fysio.notBookable,
    );
    expect(notOnline.status).toBe(400);
  });

  it('answers availabilities in Square shape, only of the team members in team_member_id_filter.any', async () => {
    sim = await startSimulator();
    const res = await sim.searchAvailability(
      '2026-03-26T00:00:00Z',
      '2026-03-27T00:00:00Z',
      fysio.nybesok60,
      fysio.sodermalm,
      oskarOnly,
    );
    expect(res.status).toBe(200);
    expect(res.body.availabilities.length).toBeGreaterThan(0);
    for (const availability of res.body.availabilities) {
      expect(availability).toEqual({
        start_at: expect.stringMatching(/^2026-03-26T\d{2}:\d{2}:00Z$/),
        location_id: fysio.sodermalm,
        appointment_segments: [
          {
            duration_minutes: 60,
            service_variation_id: fysio.nybesok60,
            team_member_id: fysio.oskar,
            service_variation_version: expect.any(Number),
          },
        ],
      });
    }
  });
});

describe('working hours across DST', () => {
  // Oskar works Sundays 09:00–15:00 Stockholm time; with no other customers every half hour is free.
  it.each([
    [
      'the Sunday before the spring switch (CET)',
      '2026-03-22',
      '2026-03-22T08:00:00Z',
      '2026-03-22T13:30:00Z',
    ],
    [
      'the spring switch day (CEST from 03:00)',
      '2026-03-29',
      '2026-03-29T07:00:00Z',
      '2026-03-29T12:30:00Z',
    ],
    [
      'the Sunday before the autumn switch (CEST)',
      '2026-10-18',
      '2026-10-18T07:00:00Z',
      '2026-10-18T12:30:00Z',
    ],
    [
      'the autumn switch day (CET from 03:00)',
      '2026-10-25',
      '2026-10-25T08:00:00Z',
      '2026-10-25T13:30:00Z',
    ],
  ])('keeps 09:00–15:00 local on %s', async (_, day, first, last) => {
    sim = await startSimulator({ bookedShare: 0 });
    sim.clock.set('2026-03-01T08:00:00Z');
    const from = new Date(`${day}T00:00:00Z`).getTime() - 2 * 3_600_000;
    const res = await sim.searchAvailability(
      new Date(from).toISOString(),
      new Date(from + 26 * 3_600_000).toISOString(),
      fysio.aterbesok30,
      fysio.sodermalm,
      oskarOnly,
    );
    const onDay = starts(res.body).filter((s) => s.startsWith(day));
    expect(onDay[0]).toBe(first);
    expect(onDay.at(-1)).toBe(last);
    expect(onDay).toHaveLength(12);
  });
});

describe('other customers and the clock', () => {
  it('never offers a time in the past', async () => {
    sim = await startSimulator({ bookedShare: 0 });
    sim.clock.set('2026-03-26T10:10:00Z');
    const res = await sim.searchAvailability(
      '2026-03-26T00:00:00Z',
      '2026-03-27T00:00:00Z',
      fysio.aterbesok30,
    );
    expect(starts(res.body)[0]).toBe('2026-03-26T10:30:00Z');
    expect(starts(res.body).every((s) => s > '2026-03-26T10:10:00Z')).toBe(true);
  });

  it('leaves out the times other customers booked, the same ones for the same seed', async () => {
    sim = await startSimulator({ bookedShare: 0 });
    const free = starts(
      (await sim.searchAvailability('2026-03-30T00:00:00Z', '2026-04-06T00:00:00Z')).body,
    );
    await sim.close();
    sim = await startSimulator({ seed: 7 });
    const seeded = starts(
      (await sim.searchAvailability('2026-03-30T00:00:00Z', '2026-04-06T00:00:00Z')).body,
    );
    const others = await sim.call(
      'GET',
      '/v2/bookings?start_at_min=2026-03-30T00:00:00Z&start_at_max=2026-04-06T00:00:00Z&limit=1000',
    );
    await sim.close();
    sim = await startSimulator({ seed: 7 });
    const again = starts(
      (await sim.searchAvailability('2026-03-30T00:00:00Z', '2026-04-06T00:00:00Z')).body,
    );
    expect(seeded.length).toBeLessThan(free.length);
    expect(again).toEqual(seeded);
    expect(others.body.bookings.length).toBeGreaterThan(0);
    expect(others.body.bookings[0]).toMatchObject({
      status: 'ACCEPTED',
      source: 'FIRST_PARTY_BUYER',
    });
  });
});
