import { afterEach, describe, expect, it } from 'vitest';
import { conformsTo } from './conformsTo.js';
import { expectedSignature, startReceiver } from './startReceiver.js';
import { fysio, massageToken, startSimulator, type TestSimulator } from './startSimulator.js';

let sim: TestSimulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
afterEach(async () => {
  await sim?.close();
  await receiver?.close();
});

const bookingEvents = ['booking.created', 'booking.updated'];

async function start(answer?: Parameters<typeof startReceiver>[0], attempts = 3) {
  receiver = await startReceiver(answer);
  sim = await startSimulator({ webhooks: { attempts, retryDelayMs: 20, timeoutMs: 1000 } });
}

async function subscribe(path = '/push/square-sodermalm', extra: Record<string, unknown> = {}) {
  const created = await sim.call('POST', '/v2/webhooks/subscriptions', {
    idempotency_key: `sub-${path}`,
    subscription: {
      name: 'Booking platform',
      event_types: bookingEvents,
      notification_url: `${receiver.url}${path}`,
      ...extra,
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  return created.body.subscription;
}

async function bookFirstFree(key: string) {
  const search = await sim.searchAvailability('2026-03-26T00:00:00Z', '2026-03-27T00:00:00Z');
  const created = await sim.call(
    'POST',
    '/v2/bookings',
    sim.bookingBody(search.body.availabilities[0], key),
  );
  expect(created.status).toBe(200);
  return created.body.booking;
}

describe('the Webhook Subscriptions API', () => {
  it('creates a subscription with its signature key, lists it without, retrieves it with, in the document’s shapes', async () => {
    await start();
    const subscription = await subscribe();
    expect(subscription).toMatchObject({
      id: expect.stringMatching(/^wbhk_[0-9a-f]{32}$/),
      enabled: true,
      event_types: bookingEvents,
      notification_url: `${receiver.url}/push/square-sodermalm`,
      api_version: '2025-08-20',
      signature_key: expect.stringMatching(/^[\w-]{22}$/),
    });
    const list = await sim.call('GET', '/v2/webhooks/subscriptions');
    expect(list.body.subscriptions).toEqual([{ ...subscription, signature_key: undefined }]);
    expect(list.body.subscriptions[0]).not.toHaveProperty('signature_key');
    const retrieved = await sim.call('GET', `/v2/webhooks/subscriptions/${subscription.id}`);
    expect(retrieved.body.subscription.signature_key).toBe(subscription.signature_key);
    expect(conformsTo({ subscription }, 'CreateWebhookSubscriptionResponse')).toEqual([]);
    expect(conformsTo(list.body, 'ListWebhookSubscriptionsResponse')).toEqual([]);
    expect(conformsTo(retrieved.body, 'RetrieveWebhookSubscriptionResponse')).toEqual([]);
    const types = await sim.call('GET', '/v2/webhooks/event-types');
    expect(types.body.event_types).toEqual(bookingEvents);
    expect(conformsTo(types.body, 'ListWebhookEventTypesResponse')).toEqual([]);
  });

  it('answers the same subscription for a repeated idempotency key, and keeps subscriptions per seller', async () => {
    await start();
    const first = await subscribe();
    const again = await subscribe();
    expect(again.id).toBe(first.id);
    const other = await sim.call('GET', '/v2/webhooks/subscriptions', undefined, {
      token: massageToken,
    });
    expect(other.body.subscriptions).toEqual([]);
    expect(sim.simulator.webhooks.subscriptions(fysio.merchantId)).toHaveLength(1);
  });

  it('refuses a subscription without URL or event types, or with an event type it does not publish', async () => {
    await start();
    const refusals = [
      [{ event_types: bookingEvents }, 'subscription.notification_url'],
      [{ notification_url: receiver.url }, 'subscription.event_types'],
      [
        { notification_url: 'not a url', event_types: bookingEvents },
        'subscription.notification_url',
      ],
      [
        { notification_url: receiver.url, event_types: ['payment.created'] },
        'subscription.event_types[0]',
      ],
    ] as const;
    for (const [subscription, field] of refusals) {
      const res = await sim.call('POST', '/v2/webhooks/subscriptions', { subscription });
      expect(res.status, field).toBe(400);
      expect(res.body.errors[0].field).toBe(field);
      expect(conformsTo(res.body, 'CreateWebhookSubscriptionResponse')).toEqual([]);
    }
    expect((await sim.call('GET', '/v2/webhooks/subscriptions/wbhk_nope')).status).toBe(404);
  });

  it('updates, disables, rotates the key of and deletes a subscription', async () => {
    await start();
    const subscription = await subscribe();
    const path = `/v2/webhooks/subscriptions/${subscription.id}`;
    const updated = await sim.call('PUT', path, {
      subscription: { enabled: false, name: 'Paused' },
    });
    expect(updated.body.subscription).toMatchObject({ enabled: false, name: 'Paused' });
    expect(conformsTo(updated.body, 'UpdateWebhookSubscriptionResponse')).toEqual([]);
    expect((await sim.call('GET', '/v2/webhooks/subscriptions')).body.subscriptions).toEqual([]);
    const all = await sim.call('GET', '/v2/webhooks/subscriptions?include_disabled=true');
    expect(all.body.subscriptions).toHaveLength(1);
    const rotated = await sim.call('POST', `${path}/signature-key`, { idempotency_key: 'r1' });
    expect(rotated.body.signature_key).not.toBe(subscription.signature_key);
    expect(conformsTo(rotated.body, 'UpdateWebhookSubscriptionSignatureKeyResponse')).toEqual([]);
    expect((await sim.call('GET', path)).body.subscription.signature_key).toBe(
      rotated.body.signature_key,
    );
    expect((await sim.call('DELETE', path)).body).toEqual({});
    expect((await sim.call('GET', path)).status).toBe(404);
  });
});

describe('event notifications', () => {
  it('sends booking.created for a booking made through the API, signed over the notification URL and the raw body', async () => {
    await start();
    const subscription = await subscribe();
    const booking = await bookFirstFree('n1');
    await sim.simulator.webhooks.idle();
    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    const event = JSON.parse(got!.body);
    expect(event).toMatchObject({
      merchant_id: fysio.merchantId,
      type: 'booking.created',
      event_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      created_at: '2026-03-25T08:00:00Z',
      data: { type: 'booking', id: `${booking.id}:0`, object: { booking } },
    });
    expect(conformsTo(event, 'BookingCreatedEvent')).toEqual([]);
    expect(got!.path).toBe('/push/square-sodermalm');
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['x-square-hmacsha256-signature']).toBe(
      await expectedSignature(subscription.signature_key, subscription.notification_url, got!.body),
    );
    expect(got!.headers['square-retry-number']).toBeUndefined();
  });

  it('sends booking.updated for a cancel and an update through the API, each version once', async () => {
    await start();
    await subscribe();
    const booking = await bookFirstFree('n2');
    await sim.call('PUT', `/v2/bookings/${booking.id}`, {
      booking: { version: 0, customer_note: 'Knä' },
    });
    await sim.call('POST', `/v2/bookings/${booking.id}/cancel`, {
      idempotency_key: 'c',
      booking_version: 1,
    });
    // An idempotent repeat changes nothing, so it publishes nothing.
    await sim.call('POST', `/v2/bookings/${booking.id}/cancel`, {
      idempotency_key: 'c',
      booking_version: 1,
    });
    await sim.simulator.webhooks.idle();
    // Deliveries go out side by side, as Square's do (it promises no order): by version.
    const events = receiver.received
      .map((r) => JSON.parse(r.body))
      .sort((a, b) => a.data.object.booking.version - b.data.object.booking.version);
    expect(events.map((e) => [e.type, e.data.object.booking.version])).toEqual([
      ['booking.created', 0],
      ['booking.updated', 1],
      ['booking.updated', 2],
    ]);
    expect(events[2].data.object.booking.status).toBe('CANCELLED_BY_SELLER');
    expect(conformsTo(events[2], 'BookingUpdatedEvent')).toEqual([]);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(3);
  });

  it('sends a booking made elsewhere, to enabled subscriptions of the seller that take its type only', async () => {
    await start();
    await subscribe('/all');
    await subscribe('/created-only', { event_types: ['booking.created'] });
    await subscribe('/updated-only', { event_types: ['booking.updated'] });
    await subscribe('/disabled', { enabled: false });
    const search = await sim.searchAvailability('2026-03-26T00:00:00Z', '2026-03-27T00:00:00Z');
    const availability = search.body.availabilities[0];
    sim.simulator.bookElsewhere({
      accessToken: fysio.token,
      locationId: availability.location_id,
      teamMemberId: availability.appointment_segments[0].team_member_id,
      serviceVariationId: availability.appointment_segments[0].service_variation_id,
      startAt: availability.start_at,
    });
    await sim.simulator.webhooks.idle();
    expect(receiver.received.map((r) => r.path).sort()).toEqual(['/all', '/created-only']);
    const event = JSON.parse(receiver.received[0]!.body);
    expect(event.data.object.booking.source).toBe('FIRST_PARTY_BUYER');
  });

  it('retries a refused delivery with the same event and signature, saying which retry and why', async () => {
    let answers = 0;
    await start(() => (++answers === 1 ? 503 : 200));
    await subscribe();
    const booking = await bookFirstFree('n3');
    await sim.simulator.webhooks.idle();
    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received;
    expect(second!.body).toBe(first!.body);
    expect(second!.headers['x-square-hmacsha256-signature']).toBe(
      first!.headers['x-square-hmacsha256-signature'],
    );
    expect(second!.headers['square-retry-number']).toBe('1');
    expect(second!.headers['square-retry-reason']).toBe('http_error');
    expect(second!.headers['square-initial-delivery-timestamp']).toBe(
      first!.headers['square-initial-delivery-timestamp'],
    );
    const [delivery] = sim.simulator.webhooks.deliveries();
    expect(delivery).toMatchObject({
      booking_id: booking.id,
      state: 'delivered',
      attempts: [
        { number: 1, status: 503, reason: 'http_error' },
        { number: 2, status: 200 },
      ],
    });
  });

  it('gives up after the configured attempts when the receiver is down, and shows it at /_admin/webhook-deliveries', async () => {
    await start(undefined, 3);
    await subscribe();
    await receiver.close();
    const started = Date.now();
    const booking = await bookFirstFree('n4');
    await sim.simulator.webhooks.idle();
    // Waits of 20 and 40 ms between the three attempts.
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
    const res = await fetch(`${sim.url}/_admin/webhook-deliveries?booking=${booking.id}`);
    const { deliveries } = (await res.json()) as { deliveries: Record<string, unknown>[] };
    expect(deliveries).toEqual([
      expect.objectContaining({
        type: 'booking.created',
        state: 'failed',
        attempts: [1, 2, 3].map((number) =>
          expect.objectContaining({ number, status: null, reason: 'connection_error' }),
        ),
      }),
    ]);
  });

  it('keeps its subscriptions across /_admin/reset, and publishes nothing for the seed', async () => {
    await start();
    const subscription = await subscribe();
    expect((await fetch(`${sim.url}/_admin/reset`, { method: 'POST' })).status).toBe(200);
    const res = await fetch(`${sim.url}/_admin/webhook-subscriptions?seller=${fysio.merchantId}`);
    const body = (await res.json()) as { subscriptions: { id: string; signature_key: string }[] };
    expect(body.subscriptions).toEqual([
      expect.objectContaining({ id: subscription.id, signature_key: subscription.signature_key }),
    ]);
    await sim.call('GET', '/v2/bookings?start_at_min=2026-03-26T00:00:00Z');
    await sim.simulator.webhooks.idle();
    expect(receiver.received).toEqual([]);
  });
});
