import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@booking/server-kit';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLedger, type Ledger } from '../src/access/ledger/createLedger.js';
import { createWebhookStore } from '../src/access/webhooks/createWebhookStore.js';
import { createPatientCipher } from '../src/engines/createPatientCipher.js';
import { createCursorSealer } from '../src/engines/cursors.js';
import { encodeGlobalId } from '../src/engines/globalId.js';
import { defaultRetryPolicy, type RetryPolicy } from '../src/engines/webhookRules.js';
import { createWebhookDelivery } from '../src/manager/createWebhookDelivery.js';
import { createWebhookManager } from '../src/manager/createWebhookManager.js';
import { ledgerBackends, openTestLedger } from './ledgerDatabases.js';
import { bookedReservation } from './reservationRows.js';

const logger = createLogger({ service: 'test', level: 'silent' });
const cipher = createPatientCipher(Buffer.alloc(32, 7).toString('base64'));
const snapshot = {
  clinicId: 'c1',
  start: '2026-05-04T07:00:00.000Z',
  end: '2026-05-04T07:30:00.000Z',
  treatmentIds: ['physiotherapy'],
  requestedTreatmentId: null,
  practitioner: null,
};

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** An endpoint on 127.0.0.1 that answers with `answer()` (a status, or null to hang up). */
async function startEndpoint(answer: (request: Received) => number | null = () => 200) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const status = answer(request);
      if (status === null) {
        req.socket.destroy();
        return;
      }
      if (status < 300) received.push(request);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(ledgerBackends)('webhooks on %s', (backend) => {
  let ledger: Ledger;
  let close: () => Promise<void>;
  let clock = Date.parse('2026-05-01T10:00:00Z');
  const now = () => clock;
  let clients = 0;
  let clientId = 'app-0';
  const admin = () => ({ clientId, subject: null, admin: true });

  beforeAll(async () => {
    const opened = await openTestLedger(backend);
    close = opened.close;
    ledger = createLedger(opened.db, now);
  }, 60_000);
  afterAll(async () => {
    await close?.();
  });
  beforeEach(() => {
    clientId = `app-${++clients}`;
  });

  function webhooks(policy: RetryPolicy = { ...defaultRetryPolicy, firstRetryMs: 1000 }) {
    const store = createWebhookStore(ledger.db, () => new Date(now()));
    const delivery = createWebhookDelivery({
      store,
      cipher,
      logger,
      now,
      policy,
      intervalMs: 60_000,
      timeoutMs: 2_000,
    });
    const manager = createWebhookManager({
      store,
      cipher,
      cursors: createCursorSealer(Buffer.alloc(32, 1)),
      production: false,
      wake: () => undefined,
      now,
    });
    return { store, delivery, manager };
  }

  let slots = 0;
  /** A reservation of the test's application, confirmed, then (optionally) cancelled. */
  const reservationWith = (steps: ('CONFIRM' | 'CANCEL')[]) =>
    bookedReservation(
      ledger,
      { clientId, connectionId: 'cliniq-nordklinik', slotId: `wh-slot-${++slots}`, snapshot },
      { cancel: steps.includes('CANCEL') },
    );

  /** Fans out and sends until `done` (events become readable once older transactions end). */
  async function deliverUntil(
    delivery: ReturnType<typeof webhooks>['delivery'],
    done: () => boolean,
  ) {
    await expect
      .poll(
        async () => {
          await delivery.tick();
          return done();
        },
        { timeout: 10_000, interval: 100 },
      )
      .toBe(true);
  }

  it('delivers each event signed (Standard Webhooks), with its event id, and no patient data', async () => {
    const endpoint = await startEndpoint();
    const { delivery, manager } = webhooks();
    const { secret } = await manager.create(admin(), { url: endpoint.url });
    const row = await reservationWith(['CONFIRM', 'CANCEL']);
    await deliverUntil(delivery, () => endpoint.received.length >= 2);
    const bodies = endpoint.received.map(({ headers, body }) => {
      // Verified as a receiver does: the signature, and a timestamp within five minutes of now.
      const verifier = new Webhook(secret!);
      // The test's clock is not the wall clock the receiver checks freshness against.
      (verifier as unknown as { verifyTimestamp: (header: string) => Date }).verifyTimestamp = (
        header,
      ) => new Date(Number(header) * 1000);
      return verifier.verify(body, headers as Record<string, string>) as {
        type: string;
        data: { id: string; reservation: { id: string; status: string } };
      };
    });
    expect(bodies.map((b) => b.type)).toEqual(['reservation.confirmed', 'reservation.cancelled']);
    expect(endpoint.received[0]!.headers['webhook-id']).toBe(bodies[0]!.data.id);
    expect(JSON.stringify(bodies)).not.toContain('personalIdentityNumber');
    expect(bodies[1]!.data.reservation.status).toBe('CANCELLED');
    // A tampered body fails verification.
    expect(() =>
      new Webhook(secret!).verify(
        endpoint.received[0]!.body.replace('confirmed', 'cancelled'),
        endpoint.received[0]!.headers as Record<string, string>,
      ),
    ).toThrow();
    expect(row.client_id).toBe(clientId);
    await endpoint.close();
  });

  it('retries a failing endpoint with backoff, and keeps each reservation’s events in order', async () => {
    let failures = 3;
    const endpoint = await startEndpoint(() => (failures-- > 0 ? 503 : 200));
    const { delivery, manager } = webhooks();
    await manager.create(admin(), { url: endpoint.url });
    await reservationWith(['CONFIRM', 'CANCEL']);
    await expect
      .poll(
        async () => {
          clock += 60_000; // past any backoff so far
          await delivery.tick();
          return endpoint.received.length;
        },
        { timeout: 10_000, interval: 50 },
      )
      .toBe(2);
    const types = endpoint.received.map((r) => (JSON.parse(r.body) as { type: string }).type);
    expect(types).toEqual(['reservation.confirmed', 'reservation.cancelled']);
    const [endpointView] = await manager.list(admin());
    const log = await manager.deliveries(admin(), endpointView!.id, 10, null);
    expect(log.edges.map((e) => e.node.status)).toEqual(['DELIVERED', 'DELIVERED']);
    expect(log.edges.reduce((sum, e) => sum + e.node.attempts, 0)).toBe(5);
    await endpoint.close();
  });

  it('sends again what a worker claimed and never finished (it died), once its lease ends', async () => {
    const endpoint = await startEndpoint();
    const { store, delivery, manager } = webhooks();
    await manager.create(admin(), { url: endpoint.url });
    await reservationWith(['CONFIRM']);
    // A worker that fans out and claims, then dies before sending.
    await expect.poll(() => store.fanOut(100), { timeout: 10_000 }).toBeGreaterThan(0);
    const claimed = await store.claimDue(10, 30_000);
    expect(claimed.length).toBeGreaterThan(0);
    await delivery.tick();
    expect(endpoint.received).toHaveLength(0); // leased: nobody else sends it yet
    clock += 31_000;
    await delivery.tick();
    expect(endpoint.received).toHaveLength(1);
    await endpoint.close();
  });

  it('disables an endpoint that failed for too long; replay sends the missed events again', async () => {
    let up = false;
    const endpoint = await startEndpoint(() => (up ? 200 : 500));
    const policy = { ...defaultRetryPolicy, firstRetryMs: 1000, disableAfterMs: 3600_000 };
    const { delivery, manager } = webhooks(policy);
    const { endpoint: created } = await manager.create(admin(), { url: endpoint.url });
    const since = new Date(clock).toISOString();
    await reservationWith(['CONFIRM']);
    await expect
      .poll(
        async () => {
          clock += 20 * 60_000;
          await delivery.tick();
          return (await manager.list(admin()))[0]!.enabled;
        },
        { timeout: 10_000, interval: 50 },
      )
      .toBe(false);
    expect((await manager.list(admin()))[0]!.disabledReason).toMatch(/failed since/);
    up = true;
    await manager.update(admin(), { id: created.id, enabled: true });
    const replayed = await manager.replay(admin(), { endpointId: created.id, since });
    expect(replayed.queued).toBe(1);
    // The delivery that waited, and its replay: at least once, the same event id both times.
    await deliverUntil(delivery, () => endpoint.received.length >= 2);
    const ids = new Set(endpoint.received.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    await endpoint.close();
  });

  it('shares the work between two instances without sending any event twice, each reservation in order', async () => {
    const endpoint = await startEndpoint();
    const first = webhooks();
    const second = webhooks();
    await first.manager.create(admin(), { url: endpoint.url });
    const rows = await Promise.all(
      Array.from({ length: 12 }, () => reservationWith(['CONFIRM', 'CANCEL'])),
    );
    await expect
      .poll(
        async () => {
          await Promise.all([first.delivery.tick(), second.delivery.tick()]);
          return endpoint.received.length;
        },
        { timeout: 15_000, interval: 50 },
      )
      .toBe(24);
    const ids = endpoint.received.map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(24);
    const bodies = endpoint.received.map(
      (r) => JSON.parse(r.body) as { type: string; data: { reservation: { id: string } } },
    );
    for (const row of rows) {
      const publicId = encodeGlobalId('Reservation', row.connection_id, row.id);
      expect(
        bodies.filter((body) => body.data.reservation.id === publicId).map((body) => body.type),
      ).toEqual(['reservation.confirmed', 'reservation.cancelled']);
    }
    await endpoint.close();
  });

  it('refuses bad endpoints, end users, and other applications’ endpoints', async () => {
    const { manager } = webhooks();
    await expect(manager.create(admin(), { url: 'http://example.com/hook' })).rejects.toThrow(
      /url: must be https/,
    );
    await expect(
      manager.create(admin(), {
        url: 'https://example.com/hook',
        eventTypes: ['reservation.made'],
      }),
    ).rejects.toThrow(/eventTypes/);
    await expect(
      manager.create({ clientId, subject: 'patient-1', admin: true }, { url: 'https://x.se/h' }),
    ).rejects.toThrow(/backend client/);
    await expect(manager.remove(admin(), 'not-an-id')).rejects.toThrow(/id/);
    const { endpoint } = await manager.create(admin(), { url: 'https://example.com/hook' });
    const stranger = { clientId: 'someone-else', subject: null, admin: true };
    await expect(manager.remove(stranger, endpoint.id)).rejects.toThrow(/not a webhook endpoint/);
    expect(await manager.list(stranger)).toEqual([]);
    expect(await manager.remove(admin(), endpoint.id)).toBe(true);
  });
});
