import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conformsTo } from './conformsTo.js';
import { startReceiver } from './startReceiver.js';
import { fysio, startSimulator, type TestSimulator } from './startSimulator.js';

let sim: TestSimulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeEach(async () => {
  receiver = await startReceiver();
  sim = await startSimulator({ webhooks: { attempts: 2, retryDelayMs: 10 } });
  await sim.call('POST', '/v2/webhooks/subscriptions', {
    subscription: {
      event_types: ['booking.created', 'booking.updated'],
      notification_url: `${receiver.url}/push`,
    },
  });
});
afterEach(async () => {
  await sim.close();
  await receiver.close();
});

const day = ['2026-03-26T00:00:00Z', '2026-03-27T00:00:00Z'] as const;
type Availability = {
  start_at: string;
  location_id: string;
  appointment_segments: { team_member_id: string; service_variation_id: string }[];
};

async function availabilities(): Promise<Availability[]> {
  return (await sim.searchAvailability(...day, fysio.aterbesok30)).body.availabilities;
}

async function book(chosen?: Availability) {
  const availability = chosen ?? (await availabilities())[0]!;
  const created = await sim.call(
    'POST',
    '/v2/bookings',
    sim.bookingBody(availability, `k${availability.start_at}`),
  );
  expect(created.status).toBe(200);
  return { availability, booking: created.body.booking };
}

async function atClinic(change: Record<string, unknown>, connection = fysio.merchantId) {
  const res = await fetch(`${sim.url}/_admin/clinic-changes`, {
    method: 'POST',
    body: JSON.stringify({ connection, ...change }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the simulator sent.
  return { status: res.status, body: (await res.json()) as any };
}

const offered = async (startAt: string, memberId: string) =>
  (await availabilities()).some(
    (a) => a.start_at === startAt && a.appointment_segments[0]?.team_member_id === memberId,
  );

/** The events the receiver got, after every pending delivery. */
async function events() {
  await sim.simulator.webhooks.idle();
  return receiver.received.map((r) => JSON.parse(r.body));
}

describe('POST /_admin/clinic-changes', () => {
  it('CANCEL: CANCELLED_BY_SELLER with version + 1 and updated_at, the time free again, booking.updated sent', async () => {
    const { availability, booking } = await book();
    const member = availability.appointment_segments[0]!.team_member_id;
    expect(await offered(availability.start_at, member)).toBe(false);
    sim.clock.set('2026-03-25T09:30:00Z');
    const res = await atClinic({ kind: 'CANCEL', booking: booking.id });
    expect(res.status).toBe(200);
    expect(res.body.booking).toMatchObject({
      id: booking.id,
      status: 'CANCELLED_BY_SELLER',
      version: 1,
      updated_at: '2026-03-25T09:30:00Z',
      created_at: booking.created_at,
    });
    expect(await offered(availability.start_at, member)).toBe(true);
    const retrieved = await sim.call('GET', `/v2/bookings/${booking.id}`);
    expect(retrieved.body.booking).toEqual(res.body.booking);
    const [created, updated] = await events();
    expect(created.type).toBe('booking.created');
    expect(updated).toMatchObject({
      type: 'booking.updated',
      created_at: '2026-03-25T09:30:00Z',
      data: { id: `${booking.id}:1`, object: { booking: res.body.booking } },
    });
    expect(conformsTo(updated, 'BookingUpdatedEvent')).toEqual([]);
  });

  it('MOVE: the same team member at the new start, the old time free and the new one taken', async () => {
    const { availability, booking } = await book();
    const member = availability.appointment_segments[0]!.team_member_id;
    const later = (await availabilities()).find(
      (a) =>
        a.start_at > availability.start_at && a.appointment_segments[0]?.team_member_id === member,
    )!;
    const res = await atClinic({ kind: 'MOVE', booking: booking.id, start: later.start_at });
    expect(res.status).toBe(200);
    expect(res.body.booking).toMatchObject({
      status: 'ACCEPTED',
      start_at: later.start_at,
      version: 1,
      location_id: booking.location_id,
      appointment_segments: booking.appointment_segments,
    });
    expect(await offered(availability.start_at, member)).toBe(true);
    expect(await offered(later.start_at, member)).toBe(false);
    const moved = (await events()).at(-1);
    expect(moved.data.object.booking.start_at).toBe(later.start_at);
  });

  it('MOVE: 409 to a time the team member is booked or not working, 400 without a valid start', async () => {
    const first = await book();
    const member = first.availability.appointment_segments[0]!.team_member_id;
    const second = await book(
      (await availabilities()).find((a) => a.appointment_segments[0]?.team_member_id === member),
    );
    const taken = await atClinic({
      kind: 'MOVE',
      booking: first.booking.id,
      start: second.availability.start_at,
    });
    expect(taken.status).toBe(409);
    const night = await atClinic({
      kind: 'MOVE',
      booking: first.booking.id,
      start: '2026-03-26T01:00:00Z',
    });
    expect(night.status).toBe(409);
    for (const start of [undefined, 'tomorrow', '2026-03-26 10:00']) {
      const res = await atClinic({ kind: 'MOVE', booking: first.booking.id, start });
      expect(res.status, String(start)).toBe(400);
    }
    expect((await sim.call('GET', `/v2/bookings/${first.booking.id}`)).body.booking.version).toBe(
      0,
    );
  });

  it('NO_SHOW: the status becomes NO_SHOW, version + 1', async () => {
    const { booking } = await book();
    const res = await atClinic({ kind: 'NO_SHOW', booking: booking.id });
    expect(res.status).toBe(200);
    expect(res.body.booking).toMatchObject({ status: 'NO_SHOW', version: 1 });
    expect((await events()).at(-1).data.object.booking.status).toBe('NO_SHOW');
  });

  it('409 for a booking no longer open: a second cancel, a move or no-show of a cancelled booking', async () => {
    const { booking } = await book();
    expect((await atClinic({ kind: 'CANCEL', booking: booking.id })).status).toBe(200);
    for (const kind of ['CANCEL', 'NO_SHOW']) {
      expect((await atClinic({ kind, booking: booking.id })).status, kind).toBe(409);
    }
    const move = await atClinic({
      kind: 'MOVE',
      booking: booking.id,
      start: '2026-03-26T12:00:00Z',
    });
    expect(move.status).toBe(409);
    expect((await events()).filter((e) => e.type === 'booking.updated')).toHaveLength(1);
  });

  it('404 for an unknown booking or seller; 400 for a malformed body; 501 for OPEN_SLOT', async () => {
    expect((await atClinic({ kind: 'CANCEL', booking: 'bk000000000zzz' })).status).toBe(404);
    expect((await atClinic({ kind: 'CANCEL', booking: 'x' }, 'MLNOSUCHSELLER')).status).toBe(404);
    expect((await atClinic({ kind: 'CANCEL' })).status).toBe(400);
    expect((await atClinic({ kind: 'DELETE', booking: 'x' })).status).toBe(400);
    expect((await atClinic({ booking: 'x' })).status).toBe(400);
    const notJson = await fetch(`${sim.url}/_admin/clinic-changes`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    const open = await atClinic({
      kind: 'OPEN_SLOT',
      clinic: fysio.sodermalm,
      start: '2026-03-26T12:00:00Z',
    });
    expect(open.status).toBe(501);
    expect(open.body.errors[0].code).toBe('NOT_IMPLEMENTED');
  });
});
