import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDevelopmentToken } from '@booking/gateway';
import { simulatorConnections as rivtaConnections } from '@booking/provider-rivta';
import { simulatorConnections as squareConnections } from '@booking/provider-square';
import { seededSellers } from '@booking/simulator-square';
import { type RunningSystem, startSystem } from '@booking/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The SDK as Vården's backend uses it (from source: the published package's exports are its build).
import { type BookingWebhook, verifyWebhook } from '../../sdk/src/verifyWebhook.js';

/**
 * What happens at the clinic reaches Vården, across the real processes: a booking cancelled in
 * each provider's own system (its simulator's `/_admin/clinic-changes`) becomes a CANCELLED
 * reservation (`cancelledBy: PROVIDER`) and a signed webhook, by push, by change feed or by the
 * sweep of look-ups; and webhooks survive a kill of scheduling mid-delivery.
 */

interface GraphQLBody {
  // biome-ignore lint/suspicious/noExplicitAny: tests walk untyped GraphQL results by path
  data?: any;
  errors?: { message: string }[];
}

/** The sweep's interval in this run: the detection time of systems that cannot push or list. */
const sweepIntervalMs = 3_000;

const patient = {
  personalIdentityNumber: '19900101-0017',
  givenName: 'Selma',
  familyName: 'Lagerlöf',
};

/** A backend of Vården: it books, reads its reservations, and manages its webhooks. */
const token = signDevelopmentToken({
  clientId: 'varden-backend',
  scopes: ['availability:read', 'reservations:read', 'reservations:write', 'webhooks:manage'],
});

interface Received {
  at: number;
  webhook: BookingWebhook;
}

/** The reservation a webhook is about; null for a watch's. */
const reservationIdOf = (webhook: BookingWebhook) =>
  'reservation' in webhook.data ? webhook.data.reservation.id : null;

/** Vården's webhook receiver, on loopback: verifies every delivery with the SDK. */
async function startReceiver() {
  const received: Received[] = [];
  const refused: string[] = [];
  let secret = '';
  let answer: () => number | 'hang' = () => 204;
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = answer();
      if (status === 'hang') {
        held.push(res);
        return;
      }
      if (status >= 300) {
        res.writeHead(status).end();
        return;
      }
      try {
        const webhook = verifyWebhook(Buffer.concat(chunks), req.headers as never, secret);
        received.push({ at: Date.now(), webhook });
        res.writeHead(status).end();
      } catch (error) {
        refused.push((error as Error).message);
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    received,
    refused,
    setSecret(value: string) {
      secret = value;
    },
    answerWith(next: () => number | 'hang') {
      answer = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held.splice(0)) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('changes at the clinic reach Vården, across the real processes', () => {
  let system: RunningSystem;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const lags: Record<string, { detectedMs: number; deliveredMs: number }> = {};
  // The embedded ledger, in a directory of this run's own: it outlives a kill of scheduling.
  const ledgerDir = mkdtempSync(join(tmpdir(), 'clinic-changes-ledger-'));

  async function api(query: string, variables: object = {}): Promise<GraphQLBody> {
    const response = await fetch(system.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLBody;
  }

  beforeAll(async () => {
    receiver = await startReceiver();
    system = await startSystem({
      ports: 'free',
      colour: false,
      output: () => undefined,
      providerDeadlineMs: 5_000,
      env: {
        scheduling: {
          LEDGER_DATA_DIR: ledgerDir,
          CLINIC_FEED_INTERVAL_MS: '500',
          CLINIC_SWEEP_INTERVAL_MS: String(sweepIntervalMs),
          WEBHOOK_INTERVAL_MS: '500',
          WEBHOOK_RETRY_FIRST_MS: '500',
          WEBHOOK_RETRY_MAX_MS: '2000',
          // A delivery's claim lasts twice this and 5 s: how long a killed sender holds it.
          WEBHOOK_TIMEOUT_MS: '2000',
        },
        'provider-cliniq': { CLINIQ_CHANGE_POLL_MS: '1000' },
        'simulator-cliniq': { CLINIQ_RATE_LIMIT_PER_SECOND: '1000' },
      },
    });
    const created = await api(
      `mutation ($input: CreateWebhookEndpointInput!) {
        createWebhookEndpoint(input: $input) { endpoint { id } secret } }`,
      { input: { url: receiver.url, description: 'system test' } },
    );
    expect(created.errors).toBeUndefined();
    receiver.setSecret(created.data.createWebhookEndpoint.secret);
  }, 240_000);
  afterAll(async () => {
    await system?.stop();
    await receiver?.close();
    rmSync(ledgerDir, { recursive: true, force: true });
    if (Object.keys(lags).length > 0) console.info('clinic change lags (ms):', lags);
  });

  /** Books the first free slot of the system's first bookable provider; its id and reference. */
  async function bookAt(systemName: string) {
    const { data } = await api('{ providers { id system capabilities } }');
    const provider = data.providers.find(
      (p: { system: string; capabilities: string[] }) =>
        p.system === systemName && p.capabilities.includes('API_BOOKING'),
    );
    expect(provider, `a bookable ${systemName} provider`).toBeDefined();
    const from = new Date(Date.now() + 2 * 24 * 3600_000);
    const search = await api(
      'query ($filter: AvailabilityFilter!) { availability(filter: $filter, first: 5) { edges { node { id } } } }',
      {
        filter: {
          providerIds: [provider.id],
          from: from.toISOString(),
          to: new Date(from.getTime() + 7 * 24 * 3600_000).toISOString(),
        },
      },
    );
    const slotId = search.data?.availability.edges[0]?.node.id;
    expect(slotId, JSON.stringify(search.errors)).toBeDefined();
    const booked = await api(
      `mutation ($input: ReserveSlotInput!) { reserveSlot(input: $input) { __typename
        ... on ReservationResult { reservation { id status providerReference
          slot { id start clinic { id } } } } } }`,
      { input: { slotId, patient, idempotencyKey: `clinic-${systemName}-${Date.now()}` } },
    );
    const reservation = booked.data?.reserveSlot.reservation;
    expect(reservation?.status, JSON.stringify(booked)).toBe('CONFIRMED');
    return { providerId: provider.id as string, reservation } as {
      providerId: string;
      reservation: {
        id: string;
        providerReference: string;
        slot: { id: string; start: string; clinic: { id: string } };
      };
    };
  }

  /** The simulator's own name for the connection a provider id names. */
  function simulatorConnection(systemName: string, providerId: string): string {
    const connectionId = (
      JSON.parse(Buffer.from(providerId, 'base64url').toString()) as string[]
    )[1]!;
    const local = connectionId.slice(systemName.length + 1);
    switch (systemName) {
      case 'rivta':
        return rivtaConnections('http://x').find((c) => c.id === local)!.logicalAddress;
      case 'square': {
        const { accessToken } = squareConnections('http://x').find((c) => c.id === local)!;
        return seededSellers.find((s) => s.accessToken === accessToken)!.merchantId;
      }
      case 'fhir':
        return 'fhir';
      default:
        return local;
    }
  }

  async function cancelAtClinic(systemName: string, providerId: string, booking: string) {
    const response = await fetch(
      `${system.urls[`simulator-${systemName}`]}/_admin/clinic-changes`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          connection: simulatorConnection(systemName, providerId),
          kind: 'CANCEL',
          booking,
        }),
      },
    );
    expect(response.status, await response.clone().text()).toBe(200);
  }

  // Push (Square webhooks, FHIR Subscriptions) and change feeds (Cliniq) within 10 s; RIV-TA,
  // which cannot push or list changes, within one sweep interval (plus a look-up's own time).
  it.each([
    ['square', 10_000],
    ['fhir', 10_000],
    ['cliniq', 10_000],
    ['rivta', sweepIntervalMs + 5_000],
  ])(
    'a booking cancelled at the clinic (%s) is CANCELLED by the provider and a verified webhook within %i ms',
    async (systemName, withinMs) => {
      const { providerId, reservation } = await bookAt(systemName);
      const cancelledAt = Date.now();
      await cancelAtClinic(systemName, providerId, reservation.providerReference);
      let detectedAt = 0;
      await expect
        .poll(
          async () => {
            const { data } = await api(
              'query ($id: ID!) { reservation(id: $id) { status cancelledBy } }',
              {
                id: reservation.id,
              },
            );
            if (data?.reservation?.status === 'CANCELLED') detectedAt ||= Date.now();
            return data?.reservation;
          },
          { timeout: withinMs, interval: 100 },
        )
        .toEqual({ status: 'CANCELLED', cancelledBy: 'PROVIDER' });
      const delivered = () =>
        receiver.received.find(
          (r) =>
            reservationIdOf(r.webhook) === reservation.id &&
            r.webhook.type === 'reservation.cancelled',
        );
      await expect.poll(() => delivered(), { timeout: withinMs, interval: 100 }).toBeDefined();
      const webhook = delivered()!.webhook;
      expect('source' in webhook.data && webhook.data.source).toBe('PROVIDER');
      lags[systemName] = {
        detectedMs: detectedAt - cancelledAt,
        deliveredMs: delivered()!.at - cancelledAt,
      };
      expect(lags[systemName]!.deliveredMs).toBeLessThan(withinMs);
    },
  );

  it('fires a watch exactly once when the clinic frees the slot it waits for', async () => {
    const { providerId, reservation } = await bookAt('cliniq');
    const { slot } = reservation;
    const watched = await api(
      `mutation ($input: WatchAvailabilityInput!) { watchAvailability(input: $input) { id status } }`,
      {
        input: {
          clinicIds: [slot.clinic.id],
          before: new Date(Date.parse(slot.start) + 3600_000).toISOString(),
        },
      },
    );
    expect(watched.data?.watchAvailability.status, JSON.stringify(watched.errors)).toBe('ACTIVE');
    const watchId = watched.data.watchAvailability.id as string;
    // The clinic cancels: the ledger frees the slot, and Cliniq's feed reports it opened.
    const cancelledAt = Date.now();
    await cancelAtClinic('cliniq', providerId, reservation.providerReference);
    const opened = () =>
      receiver.received.filter(
        (r) =>
          r.webhook.type === 'availability.slot_opened' &&
          r.webhook.data.watchId === watchId &&
          r.webhook.data.slot.id === slot.id,
      );
    await expect.poll(() => opened().length, { timeout: 10_000, interval: 100 }).toBe(1);
    const deliveredMs = opened()[0]!.at - cancelledAt;
    lags['watch (cliniq)'] = { detectedMs: deliveredMs, deliveredMs };
    // Both reports have arrived by now (a feed read is 0.5 s): still one.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(opened()).toHaveLength(1);
    const events = await api(
      '{ availabilityEvents(first: 100) { edges { node { watch { id } slot { id } } } } }',
    );
    const mine = events.data.availabilityEvents.edges.filter(
      (e: { node: { watch: { id: string } } }) => e.node.watch.id === watchId,
    );
    expect(mine.map((e: { node: { slot: { id: string } } }) => e.node.slot.id)).toEqual([slot.id]);
  });

  it('refuses a Square webhook that Square did not sign, and changes nothing', async () => {
    const { providerId, reservation } = await bookAt('square');
    const connectionId = (
      JSON.parse(Buffer.from(providerId, 'base64url').toString()) as string[]
    )[1]!;
    const bookingId = reservation.providerReference;
    const forged = JSON.stringify({
      merchant_id: simulatorConnection('square', providerId),
      type: 'booking.updated',
      event_id: `forged-${Date.now()}`,
      created_at: new Date().toISOString(),
      data: {
        type: 'booking',
        id: bookingId,
        object: { booking: { id: bookingId, status: 'CANCELLED_BY_SELLER', version: 99 } },
      },
    });
    const response = await fetch(`${system.urls['provider-square']}/push/${connectionId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-square-hmacsha256-signature': Buffer.alloc(32, 1).toString('base64'),
      },
      body: forged,
    });
    expect(response.status).toBe(401);
    // Longer than a feed read and a delivery: still as it was.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const { data } = await api('query ($id: ID!) { reservation(id: $id) { status cancelledBy } }', {
      id: reservation.id,
    });
    expect(data.reservation).toEqual({ status: 'CONFIRMED', cancelledBy: null });
  });

  it('loses no webhook and keeps each reservation’s order when scheduling is killed mid-delivery', async () => {
    receiver.answerWith(() => 'hang');
    const { reservation } = await bookAt('cliniq');
    const cancelled = await api(
      `mutation ($input: CancelReservationInput!) { cancelReservation(input: $input) { __typename } }`,
      { input: { reservationId: reservation.id, idempotencyKey: `kill-${Date.now()}` } },
    );
    expect(cancelled.data?.cancelReservation.__typename).toBe('ReservationResult');
    // A delivery is in flight (the receiver holds it), and another waits behind it in order.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await system.processes.scheduling!.kill();
    receiver.answerWith(() => 204);
    await system.restart('scheduling');
    const ofReservation = () =>
      receiver.received.filter((r) => reservationIdOf(r.webhook) === reservation.id);
    await expect
      .poll(() => new Set(ofReservation().map((r) => r.webhook.type)).size, {
        timeout: 60_000,
        interval: 250,
      })
      .toBe(2);
    // At least once: a repeat is possible, but never a cancellation before its confirmation.
    const types = ofReservation().map((r) => r.webhook.type);
    expect(types.indexOf('reservation.confirmed')).toBeLessThan(
      types.lastIndexOf('reservation.cancelled'),
    );
    expect(types[0]).toBe('reservation.confirmed');
    expect(receiver.refused).toEqual([]);
  }, 120_000);
});
