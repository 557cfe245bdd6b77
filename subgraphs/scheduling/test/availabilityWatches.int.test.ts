import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@booking/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryEntry } from '../src/access/createProviderDirectory.js';
import type { LedgerDatabase } from '../src/access/ledger/createLedgerDatabase.js';
import { createWatchStore } from '../src/access/watches/createWatchStore.js';
import { createWebhookStore } from '../src/access/webhooks/createWebhookStore.js';
import { createPatientCipher } from '../src/engines/createPatientCipher.js';
import { createCursorSealer } from '../src/engines/cursors.js';
import { encodeGlobalId } from '../src/engines/globalId.js';
import { defaultRetryPolicy } from '../src/engines/webhookRules.js';
import { createAvailabilityWatches } from '../src/manager/createAvailabilityWatches.js';
import { createWebhookDelivery } from '../src/manager/createWebhookDelivery.js';
import { createWebhookManager } from '../src/manager/createWebhookManager.js';
import { ledgerBackends, openTestLedger } from './ledgerDatabases.js';

const logger = createLogger({ service: 'test', level: 'silent' });
const cipher = createPatientCipher(Buffer.alloc(32, 7).toString('base64'));
const cursors = createCursorSealer(Buffer.alloc(32, 1));
const connectionId = 'cliniq-nordklinik';
/** Stockholm city and Gothenburg, as the directory places the two clinics. */
const clinics = new Map([
  ['CL-STHLM', { id: 'CL-STHLM', location: { latitude: 59.3293, longitude: 18.0686 } }],
  ['CL-GBG', { id: 'CL-GBG', location: { latitude: 57.7089, longitude: 11.9746 } }],
]);
const entry = { connection: { id: connectionId }, clinics } as unknown as DirectoryEntry;

describe.each(ledgerBackends)('slot watches on %s', (backend) => {
  let db: LedgerDatabase;
  let close: () => Promise<void>;
  const now = Date.parse('2026-05-01T10:00:00Z');
  let clients = 0;

  beforeAll(async () => {
    const opened = await openTestLedger(backend);
    db = opened.db;
    close = opened.close;
  }, 60_000);
  afterAll(async () => {
    await close?.();
  });

  function watches(onOpened: () => void = () => undefined) {
    return createAvailabilityWatches({
      store: createWatchStore(db, () => new Date(now)),
      directory: { get: (id) => (id === connectionId ? entry : undefined) },
      cursors,
      logger,
      now: () => now,
      opened: onOpened,
    });
  }
  const patient = () => ({ clientId: `app-${++clients}`, subject: 'patient-1', admin: false });
  const slot = (clinicId: string, start: string, treatmentIds = ['physiotherapy']) => ({
    clinicId,
    start,
    end: new Date(Date.parse(start) + 30 * 60_000).toISOString(),
    treatmentIds,
    requestedTreatmentId: null,
    practitioner: null,
  });

  it('fires once per slot for a matching slot, whoever reports it and however often', async () => {
    let woken = 0;
    const manager = watches(() => {
      woken += 1;
    });
    const caller = patient();
    const watch = await manager.watch(caller, {
      treatmentId: 'physiotherapy',
      clinicIds: [encodeGlobalId('Clinic', connectionId, 'CL-STHLM')],
      before: '2026-05-10T00:00:00Z',
    });
    expect(watch.status).toBe('ACTIVE');
    const opened = slot('CL-STHLM', '2026-05-05T08:00:00Z');
    // The clinic's feed reports it, and the cancelled reservation gives it back: one event.
    expect(await manager.slotOpened(connectionId, 'SL-1', opened)).toBe(1);
    expect(await manager.slotOpened(connectionId, 'SL-1', opened)).toBe(0);
    expect(woken).toBe(1);
    await expect
      .poll(async () =>
        (await manager.events(caller, 10, null)).edges.map((e) => e.node.slot.localId),
      )
      .toEqual(['SL-1']);
    const [event] = (await manager.events(caller, 10, null)).edges;
    expect(event!.node.watch.publicId).toBe(watch.publicId);
  });

  it('does not fire for a slot outside what the patient waits for', async () => {
    const manager = watches();
    const caller = patient();
    await manager.watch(caller, {
      treatmentId: 'physiotherapy',
      providerIds: [encodeGlobalId('Provider', connectionId)],
      near: { latitude: 59.33, longitude: 18.06 },
      radiusKm: 20,
      from: '2026-05-11T00:00:00Z',
      before: '2026-05-20T00:00:00Z',
    });
    expect(
      await manager.slotOpened(connectionId, 'far', slot('CL-GBG', '2026-05-12T08:00:00Z')),
    ).toBe(0);
    expect(
      await manager.slotOpened(connectionId, 'late', slot('CL-STHLM', '2026-05-21T08:00:00Z')),
    ).toBe(0);
    expect(
      await manager.slotOpened(
        connectionId,
        'other-treatment',
        slot('CL-STHLM', '2026-05-12T09:00:00Z', ['vaccination']),
      ),
    ).toBe(0);
    expect(
      await manager.slotOpened(
        'fhir-halsanord',
        'other-provider',
        slot('CL-STHLM', '2026-05-12T09:00:00Z'),
      ),
    ).toBe(0);
    expect(
      await manager.slotOpened(connectionId, 'past', slot('CL-STHLM', '2026-04-30T09:00:00Z')),
    ).toBe(0);
    expect(
      await manager.slotOpened(connectionId, 'near', slot('CL-STHLM', '2026-05-12T09:00:00Z')),
    ).toBe(1);
  });

  it('stops firing when cancelled, and refuses what cannot be watched', async () => {
    const manager = watches();
    const caller = patient();
    const watch = await manager.watch(caller, {
      from: '2026-05-21T00:00:00Z',
      before: '2026-05-30T00:00:00Z',
    });
    expect((await manager.cancel(caller, watch.publicId)).status).toBe('CANCELLED');
    expect(
      await manager.slotOpened(connectionId, 'x', slot('CL-STHLM', '2026-05-22T08:00:00Z')),
    ).toBe(0);
    await expect(manager.cancel(patient(), watch.publicId)).rejects.toThrow(/not a watch of yours/);
    await expect(manager.watch(caller, { before: '2026-04-01T00:00:00Z' })).rejects.toThrow(
      /input.before/,
    );
    await expect(manager.watch(caller, { before: '2027-05-01T00:00:00Z' })).rejects.toThrow(
      /180 days/,
    );
    await expect(
      manager.watch(caller, { before: '2026-05-10T00:00:00Z', treatmentId: 'surgery' }),
    ).rejects.toThrow(/treatment/);
    await expect(
      manager.watch(caller, {
        before: '2026-05-10T00:00:00Z',
        near: { latitude: 59, longitude: 18 },
      }),
    ).rejects.toThrow(/radiusKm/);
    expect((await manager.list(caller)).map((w) => w.status)).toEqual(['CANCELLED']);
  });

  it('sends availability.slot_opened to the owner’s webhook endpoints', async () => {
    const received: string[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const store = createWebhookStore(db, () => new Date(now));
    const delivery = createWebhookDelivery({
      store,
      cipher,
      logger,
      now: () => now,
      policy: defaultRetryPolicy,
      intervalMs: 60_000,
      timeoutMs: 2000,
    });
    const backend = { clientId: `app-${++clients}`, subject: null, admin: false };
    await createWebhookManager({
      store,
      cipher,
      cursors,
      production: false,
      wake: () => undefined,
      now: () => now,
    }).create(backend, {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
      eventTypes: ['availability.slot_opened'],
    });
    const manager = watches();
    const watch = await manager.watch(
      { ...backend, subject: 'patient-2' },
      { from: '2026-06-01T00:00:00Z', before: '2026-06-10T00:00:00Z' },
    );
    await manager.slotOpened(connectionId, 'SL-W', slot('CL-STHLM', '2026-06-02T08:00:00Z'));
    await expect
      .poll(
        async () => {
          await delivery.tick();
          return received.length;
        },
        { timeout: 10_000, interval: 100 },
      )
      .toBe(1);
    expect(JSON.parse(received[0]!)).toMatchObject({
      type: 'availability.slot_opened',
      data: {
        watchId: watch.publicId,
        slot: {
          id: encodeGlobalId('Slot', connectionId, 'SL-W'),
          start: '2026-06-02T08:00:00.000Z',
          treatmentIds: ['physiotherapy'],
        },
      },
    });
    await delivery.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
