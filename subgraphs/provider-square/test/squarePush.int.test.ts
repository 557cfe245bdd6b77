import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type PushedSquare, startPushedSquare } from './startPushedSquare.js';

let square: PushedSquare | undefined;
afterEach(async () => {
  await square?.stop();
  square = undefined;
});

const bookingFields = 'reservationId slotId status providerReference start end';
const slotsQuery = `query ($input: ContractSlotsInput!) { contractSlots(input: $input) { id start end practitioner { id } } }`;
const bookMutation = `mutation ($input: ContractBookInput!) {
  contractBook(input: $input) { booking { ${bookingFields} } error { code message } } }`;
const changesQuery = `query ($c: ID!, $after: String) {
  contractChanges(connectionId: $c, after: $after) {
    changes { id kind source occurredAt booking { ${bookingFields} } slot { id start end } }
    cursor hasMore resumed } }`;
const lookUpQuery = `query ($c: ID!, $r: ID!) {
  contractBooking(connectionId: $c, reservationId: $r) { status booking { ${bookingFields} } } }`;
const patient = {
  personalIdentityNumber: '199001010017',
  givenName: 'Test',
  familyName: 'Patient',
};

interface Slot {
  id: string;
  start: string;
  end: string;
  practitioner: { id: string };
}
interface Change {
  id: string;
  kind: string;
  source: string;
  occurredAt: string;
  booking: { reservationId: string; slotId: string; status: string; start: string } | null;
  slot: { id: string; start: string } | null;
}

async function slots(s: PushedSquare): Promise<Slot[]> {
  const answer = await s.graphql<{ contractSlots: Slot[] }>(slotsQuery, {
    input: {
      connectionId: s.connectionId,
      from: '2026-03-26T00:00:00Z',
      to: '2026-03-27T00:00:00Z',
    },
  });
  return answer.data!.contractSlots;
}

let reservations = 0;
async function book(s: PushedSquare, slot?: Slot) {
  const chosen = slot ?? (await slots(s))[0]!;
  const reservationId = `res-push-${++reservations}`;
  const answer = await s.graphql<{
    contractBook: { booking: { providerReference: string } | null; error: unknown };
  }>(bookMutation, {
    input: { connectionId: s.connectionId, slotId: chosen.id, reservationId, patient },
  });
  expect(answer.data?.contractBook.error ?? null).toBeNull();
  return {
    slot: chosen,
    reservationId,
    bookingId: answer.data!.contractBook.booking!.providerReference,
  };
}

async function changesAfter(s: PushedSquare, after: string | null) {
  const answer = await s.graphql<{
    contractChanges: { changes: Change[]; cursor: string };
  }>(changesQuery, { c: s.connectionId, after });
  expect(answer.errors).toBeUndefined();
  return answer.data!.contractChanges;
}

/** Every change recorded since the run began. */
const allChanges = async (s: PushedSquare) => (await changesAfter(s, 'from-the-start')).changes;

async function atClinic(s: PushedSquare, change: Record<string, unknown>) {
  const res = await fetch(`${s.squareUrl}/_admin/clinic-changes`, {
    method: 'POST',
    body: JSON.stringify({ connection: s.merchantId, ...change }),
  });
  expect(res.status).toBe(200);
}

/** Waits for the change, polling as scheduling does but every 5 ms; answers it and how long it took. */
async function awaitChange(s: PushedSquare, cursor: string, wanted: (c: Change) => boolean) {
  const started = performance.now();
  let after = cursor;
  for (;;) {
    const page = await changesAfter(s, after);
    after = page.cursor;
    const found = page.changes.find(wanted);
    if (found) return { change: found, lagMs: performance.now() - started };
    if (performance.now() - started > 10_000) throw new Error('the change did not arrive in 10 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A Square event signed as Square signs it (the subscription's key, the notification URL, the body). */
function signed(s: PushedSquare, event: unknown, key = s.signatureKey()) {
  const body = JSON.stringify(event);
  const signature = createHmac('sha256', key)
    .update(s.notificationUrl + body)
    .digest('base64');
  return { body, headers: { 'x-square-hmacsha256-signature': signature } };
}

/** The last push Square delivered for a booking, as it came. */
async function deliveredPush(s: PushedSquare, bookingId: string, version: number) {
  await s.simulator.webhooks.idle();
  const push = s.pushes.findLast((p) => {
    const event = JSON.parse(p.body);
    return (
      event.data.object.booking.id === bookingId && event.data.object.booking.version === version
    );
  });
  expect(push?.status).toBe(200);
  return push!;
}

describe('Square webhooks into contractChanges', () => {
  it('reports a cancel at the clinic within seconds: BOOKING_UPDATED by PUSH, the slot opened, and the look-up says CANCELLED', async () => {
    square = await startPushedSquare();
    const { slot, reservationId, bookingId } = await book(square);
    const { cursor } = await changesAfter(square, null);
    square.clock.set('2026-03-25T08:01:00Z');
    const sent = performance.now();
    await atClinic(square, { kind: 'CANCEL', booking: bookingId });
    const { change, lagMs } = await awaitChange(
      square,
      cursor,
      (c) => c.kind === 'BOOKING_UPDATED' && c.booking?.status === 'CANCELLED',
    );
    const totalMs = performance.now() - sent;
    console.info(
      `Square clinic-side cancel → contractChanges: ${totalMs.toFixed(0)} ms (${lagMs.toFixed(0)} ms after the clinic's answer)`,
    );
    // Tens of milliseconds alone; a bound that holds on a busy two-core runner too.
    expect(totalMs).toBeLessThan(3000);
    expect(change).toMatchObject({
      source: 'PUSH',
      occurredAt: '2026-03-25T08:01:00.000Z',
      booking: {
        reservationId,
        slotId: slot.id,
        status: 'CANCELLED',
        start: slot.start,
        end: slot.end,
      },
    });
    const all = await allChanges(square);
    expect(all.find((c) => c.kind === 'SLOT_OPENED')).toMatchObject({
      id: `${change.id}:SLOT_OPENED`,
      slot: { id: slot.id, start: slot.start },
    });
    const lookUp = await square.graphql<{ contractBooking: { booking: { status: string } } }>(
      lookUpQuery,
      { c: square.connectionId, r: reservationId },
    );
    expect(lookUp.data!.contractBooking.booking.status).toBe('CANCELLED');
  });

  it('reports a move at the clinic: BOOKED at the new start with the new slot’s id, the old slot opened and the new one closed', async () => {
    square = await startPushedSquare();
    const free = await slots(square);
    const first = free[0]!;
    const later = free.find(
      (s) => s.start > first.end && s.practitioner.id === first.practitioner.id,
    )!;
    const { reservationId, bookingId } = await book(square, first);
    const { cursor } = await changesAfter(square, null);
    await atClinic(square, { kind: 'MOVE', booking: bookingId, start: later.start });
    // The booking's own created webhook may come after the cursor (Square sends side by side):
    // the move is the update at the new start.
    const { change } = await awaitChange(
      square,
      cursor,
      (c) => c.kind === 'BOOKING_UPDATED' && c.booking?.start === later.start,
    );
    expect(change.booking).toMatchObject({
      reservationId,
      status: 'BOOKED',
      slotId: later.id,
      start: later.start,
      end: later.end,
    });
    const kinds = (await allChanges(square)).map((c) => [c.kind, c.slot?.id ?? c.booking?.slotId]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['SLOT_OPENED', first.id],
        ['SLOT_CLOSED', later.id],
      ]),
    );
    const lookUp = await square.graphql<{ contractBooking: { booking: { start: string } } }>(
      lookUpQuery,
      { c: square.connectionId, r: reservationId },
    );
    expect(lookUp.data!.contractBooking.booking).toMatchObject({
      start: later.start,
      slotId: later.id,
    });
  });

  it('tells a move only from the version just before: none after missed versions, the next one from where it was', async () => {
    square = await startPushedSquare();
    const free = await slots(square);
    // Times of the same service and practitioner: only the start changes in a move.
    const length = (slot: Slot) => Date.parse(slot.end) - Date.parse(slot.start);
    const [first, second, third] = free.filter(
      (s) => s.practitioner.id === free[0]!.practitioner.id && length(s) === length(free[0]!),
    );
    const { reservationId, bookingId } = await book(square, first);
    const created = JSON.parse((await deliveredPush(square, bookingId, 0)).body);
    const movedTo = (eventId: string, version: number, slot: Slot) => {
      const booking = { ...created.data.object.booking, version, start_at: slot.start };
      const event = { ...created, event_id: eventId, type: 'booking.updated' };
      return signed(square!, { ...event, data: { ...created.data, object: { booking } } });
    };
    const post = async (push: { body: string; headers: Record<string, string> }) =>
      (await square!.post(push.body, push.headers)).status;
    expect(await post(movedTo('moved-at-3', 3, second!))).toBe(200);
    expect(await post(movedTo('moved-at-4', 4, third!))).toBe(200);
    expect(await post(movedTo('moved-at-2', 2, first!))).toBe(200);
    const changes = (await allChanges(square)).filter((c) => c.id.startsWith('moved-at-'));
    expect(changes.map((c) => [c.id, c.slot?.id ?? c.booking?.slotId])).toEqual([
      ['moved-at-3', second!.id],
      ['moved-at-4', third!.id],
      ['moved-at-4:SLOT_OPENED', second!.id],
      ['moved-at-4:SLOT_CLOSED', third!.id],
    ]);
    expect(changes[1]!.booking).toMatchObject({
      reservationId,
      status: 'BOOKED',
      start: third!.start,
    });
  });

  it('refuses a tampered body, a wrong signature and none with 401, and records nothing', async () => {
    square = await startPushedSquare();
    const { bookingId } = await book(square);
    await atClinic(square, { kind: 'NO_SHOW', booking: bookingId });
    const genuine = await deliveredPush(square, bookingId, 1);
    const before = await allChanges(square);
    const signature = genuine.headers['x-square-hmacsha256-signature']!;
    const tampered = genuine.body.replace('"NO_SHOW"', '"CANCELLED_BY_SELLER"');
    expect(tampered).not.toBe(genuine.body);
    const fresh = JSON.parse(genuine.body);
    fresh.event_id = 'a-new-event-id';
    const attempts = [
      [tampered, { 'x-square-hmacsha256-signature': signature }],
      [JSON.stringify(fresh), { 'x-square-hmacsha256-signature': signature }],
      [genuine.body, signed(square, JSON.parse(genuine.body), 'another-key').headers],
      [genuine.body, { 'x-square-hmacsha256-signature': 'bm90IGEgc2lnbmF0dXJl' }],
      [genuine.body, {}],
    ] as const;
    for (const [body, headers] of attempts) {
      expect((await square.post(body, headers)).status).toBe(401);
    }
    expect(await allChanges(square)).toEqual(before);
  });

  it('acknowledges a replayed event with 200 and records it once', async () => {
    square = await startPushedSquare();
    const { bookingId } = await book(square);
    await atClinic(square, { kind: 'CANCEL', booking: bookingId });
    const genuine = await deliveredPush(square, bookingId, 1);
    const before = await allChanges(square);
    const replay = await square.post(genuine.body, genuine.headers);
    expect(replay).toEqual({
      status: 200,
      body: expect.objectContaining({ message: 'already accepted' }),
    });
    expect(await allChanges(square)).toEqual(before);
    expect(before.filter((c) => c.id === JSON.parse(genuine.body).event_id)).toHaveLength(1);
  });

  it('refuses a correctly signed event whose created_at is outside the freshness window with 400', async () => {
    square = await startPushedSquare();
    const { bookingId } = await book(square);
    await atClinic(square, { kind: 'CANCEL', booking: bookingId });
    const genuine = await deliveredPush(square, bookingId, 1);
    const before = await allChanges(square);
    const old = {
      ...JSON.parse(genuine.body),
      event_id: 'replayed-later',
      created_at: '2026-03-25T07:54:59Z',
    };
    const stale = signed(square, old);
    expect((await square.post(stale.body, stale.headers)).status).toBe(400);
    const future = signed(square, {
      ...old,
      event_id: 'from-the-future',
      created_at: '2026-03-25T08:06:00Z',
    });
    expect((await square.post(future.body, future.headers)).status).toBe(400);
    // Five minutes by the subgraph's clock, not the wall clock: the same event is fresh at 07:56.
    square.clock.set('2026-03-25T07:56:00Z');
    const inWindow = signed(square, {
      ...old,
      event_id: 'fresh-enough',
      data: { ...old.data, object: { booking: { ...old.data.object.booking, version: 9 } } },
    });
    expect((await square.post(inWindow.body, inWindow.headers)).status).toBe(200);
    expect((await allChanges(square)).length).toBeGreaterThan(before.length);
  });

  it('leaves out what the platform did not book, other locations, older versions and other events; refuses a malformed body with 400', async () => {
    square = await startPushedSquare();
    const { bookingId } = await book(square);
    await atClinic(square, { kind: 'CANCEL', booking: bookingId });
    const genuine = JSON.parse((await deliveredPush(square, bookingId, 1)).body);
    const free = await slots(square);
    square.simulator.bookElsewhere({
      accessToken: 'EAAAdev-rorelse-fysioterapi',
      locationId: 'LSTHSODERMALM01',
      teamMemberId: free[0]!.practitioner.id,
      serviceVariationId: 'IVFYSATERBESOK3000000001',
      startAt: free[0]!.start,
    });
    await square.simulator.webhooks.idle();
    const before = await allChanges(square);
    const booking = genuine.data.object.booking;
    const variants = [
      {
        ...genuine,
        event_id: 'other-location',
        data: {
          ...genuine.data,
          object: { booking: { ...booking, location_id: 'LSTHKUNGSHOLM01' } },
        },
      },
      {
        ...genuine,
        event_id: 'older',
        data: {
          ...genuine.data,
          object: { booking: { ...booking, version: 0, status: 'ACCEPTED' } },
        },
      },
      {
        ...genuine,
        event_id: 'not-ours',
        data: { ...genuine.data, object: { booking: { ...booking, id: 'bk00000000zzzz' } } },
      },
      {
        ...genuine,
        event_id: 'a-customer',
        type: 'customer.created',
        data: { type: 'customer', id: 'C1' },
      },
    ];
    for (const variant of variants) {
      const push = signed(square, variant);
      expect((await square.post(push.body, push.headers)).status, variant.event_id).toBe(200);
    }
    expect(await allChanges(square)).toEqual(before);
    for (const malformed of [
      '{',
      '[]',
      JSON.stringify({ ...genuine, event_id: 'm', created_at: 'yesterday' }),
      JSON.stringify({ ...genuine, event_id: 'n', data: { type: 'booking', object: {} } }),
    ]) {
      const signature = createHmac('sha256', square.signatureKey())
        .update(square.notificationUrl + malformed)
        .digest('base64');
      expect(
        (await square.post(malformed, { 'x-square-hmacsha256-signature': signature })).status,
        malformed.slice(0, 20),
      ).toBe(400);
    }
    expect(await allChanges(square)).toEqual(before);
  });

  it('gets a push refused once (503) from Square’s retry, and records it once', async () => {
    square = await startPushedSquare({ retryDelayMs: 50 });
    const { bookingId } = await book(square);
    await square.simulator.webhooks.idle();
    const { cursor } = await changesAfter(square, null);
    square.refuseNext(1);
    await atClinic(square, { kind: 'CANCEL', booking: bookingId });
    const { change } = await awaitChange(
      square,
      cursor,
      (c) => c.kind === 'BOOKING_UPDATED' && c.booking?.status === 'CANCELLED',
    );
    // The change is recorded before the 200 is sent: let the simulator read that answer too.
    await square.simulator.webhooks.idle();
    const delivery = square.simulator.webhooks.deliveries().find((d) => d.event_id === change.id)!;
    expect(delivery.attempts.map((a) => a.status)).toEqual([503, 200]);
    const pushes = square.pushes.filter((p) => JSON.parse(p.body).event_id === change.id);
    expect(pushes.map((p) => p.headers['square-retry-number'])).toEqual([undefined, '1']);
    expect((await allChanges(square)).filter((c) => c.id === change.id)).toHaveLength(1);
  });

  it('gets a push sent while the subgraph was down once it is back: it finds its subscription again and reads the key back', async () => {
    square = await startPushedSquare({ attempts: 8, retryDelayMs: 100 });
    const { bookingId, reservationId } = await book(square);
    await square.simulator.webhooks.idle();
    const subscriptions = square.simulator.webhooks.subscriptions(square.merchantId);
    await square.stopSubgraph();
    await atClinic(square, { kind: 'CANCEL', booking: bookingId });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await square.startSubgraph();
    const { change } = await awaitChange(
      square,
      'a-cursor-of-the-run-before',
      (c) => c.kind === 'BOOKING_UPDATED',
    );
    expect(change.booking).toMatchObject({ reservationId, status: 'CANCELLED' });
    const delivery = square.simulator.webhooks.deliveries().find((d) => d.event_id === change.id)!;
    expect(delivery.state).toBe('delivered');
    expect(delivery.attempts.length).toBeGreaterThan(1);
    expect(delivery.attempts[0]).toMatchObject({ status: null, reason: 'connection_error' });
    // The same subscription, not a second one.
    expect(square.simulator.webhooks.subscriptions(square.merchantId)).toEqual(subscriptions);
  });
});
