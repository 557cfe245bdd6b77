import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type TestSimulator } from './startSimulator.js';

let sim: TestSimulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

async function book(key: string, index = 0) {
  const res = await sim.searchAvailability('2026-03-26T00:00:00Z', '2026-03-27T00:00:00Z');
  const availability = res.body.availabilities[index];
  const created = await sim.call('POST', '/v2/bookings', sim.bookingBody(availability, key));
  return { availability, booking: created.body.booking };
}

const isOffered = async (startAt: string, memberId: string) => {
  const res = await sim.searchAvailability('2026-03-26T00:00:00Z', '2026-03-27T00:00:00Z');
  return res.body.availabilities.some(
    (a: { start_at: string; appointment_segments: { team_member_id: string }[] }) =>
      a.start_at === startAt && a.appointment_segments[0]?.team_member_id === memberId,
  );
};

describe('CancelBooking', () => {
  it('cancels with the current version: CANCELLED_BY_SELLER, version 1, the time is free again', async () => {
    const { availability, booking } = await book('c1');
    const res = await sim.call('POST', `/v2/bookings/${booking.id}/cancel`, {
      idempotency_key: 'cancel-1',
      booking_version: 0,
    });
    expect(res.status).toBe(200);
    expect(res.body.booking).toMatchObject({
      id: booking.id,
      status: 'CANCELLED_BY_SELLER',
      version: 1,
    });
    expect(
      await isOffered(availability.start_at, availability.appointment_segments[0].team_member_id),
    ).toBe(true);
    expect((await sim.call('GET', `/v2/bookings/${booking.id}`)).body.booking.status).toBe(
      'CANCELLED_BY_SELLER',
    );
  });

  it('refuses a stale booking_version with 400 VERSION_MISMATCH and leaves the booking as it was', async () => {
    const { booking } = await book('c2');
    const res = await sim.call('POST', `/v2/bookings/${booking.id}/cancel`, {
      idempotency_key: 'k',
      booking_version: 3,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        category: 'INVALID_REQUEST_ERROR',
        code: 'VERSION_MISMATCH',
        detail: expect.any(String),
        field: 'booking_version',
      },
    ]);
    expect((await sim.call('GET', `/v2/bookings/${booking.id}`)).body.booking).toMatchObject({
      status: 'ACCEPTED',
      version: 0,
    });
  });

  it('answers a repeated cancel with the same key as the first time, and refuses a second cancel', async () => {
    const { booking } = await book('c3');
    const body = { idempotency_key: 'cancel-once', booking_version: 0 };
    const first = await sim.call('POST', `/v2/bookings/${booking.id}/cancel`, body);
    const repeat = await sim.call('POST', `/v2/bookings/${booking.id}/cancel`, body);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(first.body);
    const again = await sim.call('POST', `/v2/bookings/${booking.id}/cancel`, {
      idempotency_key: 'other',
    });
    expect(again.status).toBe(400);
    expect(again.body.errors[0]).toMatchObject({
      category: 'INVALID_REQUEST_ERROR',
      code: 'BAD_REQUEST',
    });
    const stale = await sim.call('POST', `/v2/bookings/${booking.id}/cancel`, {
      idempotency_key: 'o2',
      booking_version: 0,
    });
    expect(stale.body.errors[0].code).toBe('VERSION_MISMATCH');
  });

  it('answers 404 NOT_FOUND for an unknown booking', async () => {
    const res = await sim.call('POST', '/v2/bookings/doesnotexist00/cancel', {
      idempotency_key: 'k',
    });
    expect(res.status).toBe(404);
    expect(res.body.errors[0].code).toBe('NOT_FOUND');
  });
});

describe('UpdateBooking', () => {
  it('moves a booking to another free time with the current version, and version + 1', async () => {
    const { booking } = await book('u1', 0);
    const target = (await sim.searchAvailability('2026-03-27T00:00:00Z', '2026-03-28T00:00:00Z'))
      .body.availabilities[0];
    const res = await sim.call('PUT', `/v2/bookings/${booking.id}`, {
      idempotency_key: 'move-1',
      booking: {
        version: 0,
        start_at: target.start_at,
        appointment_segments: target.appointment_segments,
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.booking).toMatchObject({
      start_at: target.start_at,
      version: 1,
      status: 'ACCEPTED',
    });
  });

  it('refuses a stale version with VERSION_MISMATCH on booking.version, and a taken time with CONFLICT', async () => {
    const { booking } = await book('u2', 0);
    const { availability: other } = await book('u3', 1);
    const stale = await sim.call('PUT', `/v2/bookings/${booking.id}`, {
      booking: { version: 5, seller_note: 'x' },
    });
    expect(stale.status).toBe(400);
    expect(stale.body.errors[0]).toMatchObject({
      code: 'VERSION_MISMATCH',
      field: 'booking.version',
    });
    const taken = await sim.call('PUT', `/v2/bookings/${booking.id}`, {
      booking: {
        version: 0,
        start_at: other.start_at,
        appointment_segments: other.appointment_segments,
      },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.errors[0]).toMatchObject({ code: 'CONFLICT', field: 'booking.start_at' });
  });
});

describe('SearchAvailability by booking_id (rescheduling)', () => {
  it('offers the booking’s own time and team member, and refuses booking_id with location_id', async () => {
    const { availability, booking } = await book('re-1');
    const member = availability.appointment_segments[0].team_member_id;
    const res = await sim.call('POST', '/v2/bookings/availability/search', {
      query: {
        filter: {
          start_at_range: { start_at: '2026-03-26T00:00:00Z', end_at: '2026-03-27T00:00:00Z' },
          booking_id: booking.id,
        },
      },
    });
    expect(res.status).toBe(200);
    const offered = res.body.availabilities as {
      start_at: string;
      appointment_segments: { team_member_id: string }[];
    }[];
    expect(offered.some((a) => a.start_at === availability.start_at)).toBe(true);
    expect(offered.every((a) => a.appointment_segments[0]?.team_member_id === member)).toBe(true);
    const both = await sim.call('POST', '/v2/bookings/availability/search', {
      query: {
        filter: {
          start_at_range: { start_at: '2026-03-26T00:00:00Z', end_at: '2026-03-27T00:00:00Z' },
          booking_id: booking.id,
          location_id: availability.location_id,
        },
      },
    });
    expect(both.body.errors[0]).toMatchObject({
      code: 'CONFLICTING_PARAMETERS',
      field: 'query.filter.booking_id',
    });
  });
});
