import { captureLogs } from '@booking/provider-contract-tests';
import { createChangeLog, ProviderError } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { createSmartSimulator, type SmartSimulator } from '@booking/simulator-smart';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPublisherSync, type PublisherSyncOptions } from '../src/createPublisherSync.js';

/** Everything the syncs log, to prove that line contents never reach a log line. */
const { lines: logLines, destination } = captureLogs();
const logger = createLogger({
  service: 'provider-smart',
  level: 'debug',
  destination,
});

let simulator: SmartSimulator;
const agent = new Agent();
/** The adapter's clock, moved by hand: polling decisions are the adapter's, not the publisher's. */
let now = 1_000_000;
const signal = new AbortController().signal;

beforeAll(async () => {
  simulator = createSmartSimulator({ clock: () => new Date('2026-10-19T08:00:00Z') });
  await simulator.listen(0);
});
afterEach(async () => {
  await fetch(`${simulator.url}/_admin/reset`, { method: 'POST' });
});
afterAll(async () => {
  await simulator.close();
  await agent.close();
});

function syncOf(publisher: 'sverige' | 'example', options: Partial<PublisherSyncOptions> = {}) {
  return createPublisherSync({
    manifestUrl: `${simulator.url}/${publisher}/$bulk-publish`,
    timeZone: publisher === 'example' ? 'America/New_York' : 'Europe/Stockholm',
    bookingSource: 'varden',
    dispatcher: agent,
    logger,
    now: () => now,
    ...options,
  });
}
const stats = (publisher: 'sverige' | 'example') => ({ ...simulator.state.stats[publisher] });
async function mutate(publisher: string, mutations: object[]) {
  const res = await fetch(`${simulator.url}/_admin/mutate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ publisher, mutations }),
  });
  expect(res.status).toBe(200);
}
const advance = (ms: number) => {
  now += ms;
};

describe('polling', () => {
  it('fetches the manifest at most once a minute however often it is asked', async () => {
    const sync = syncOf('sverige');
    await Promise.all(Array.from({ length: 50 }, () => sync.sync()));
    for (let i = 0; i < 50; i += 1) {
      await sync.index(signal);
      advance(1000);
      await sync.sync();
    }
    expect(stats('sverige').manifestRequests).toBe(1);
    advance(10_000);
    await sync.sync();
    expect(stats('sverige').manifestRequests).toBe(2);
    expect(sync.status().polls).toBe(2);
  });

  it('asks again with If-None-Match and gets a 304 when nothing changed, downloading no file', async () => {
    const sync = syncOf('example', { useSince: false });
    await sync.sync();
    const first = stats('example');
    expect(first.fileRequests).toBe(7);
    advance(60_000);
    await sync.sync();
    const second = stats('example');
    expect(second.manifestRequests).toBe(2);
    expect(second.manifestNotModified).toBe(1);
    expect(second.fileRequests).toBe(7);
    expect(sync.status().notModified).toBe(1);
  });

  it('waits as long as the publisher’s Cache-Control max-age says, when longer than a minute', async () => {
    await fetch(`${simulator.url}/_admin/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ maxAgeSeconds: 300 }),
    });
    const sync = syncOf('sverige');
    await sync.sync();
    advance(299_000);
    await sync.sync();
    expect(stats('sverige').manifestRequests).toBe(1);
    advance(1000);
    await sync.sync();
    expect(stats('sverige').manifestRequests).toBe(2);
  });
});

describe('incremental ingest', () => {
  it('downloads only the file that changed, and sees slots come and go', async () => {
    const sync = syncOf('sverige');
    const before = await sync.index(signal);
    const [first] = before.openSlotsBySchedule.get('sch-sodermalm-lakare-1')!;
    await mutate('sverige', [
      { op: 'removeSlot', slotId: first!.id },
      {
        op: 'addSlot',
        file: 'slots-2026-W43.ndjson',
        slot: {
          id: 'extra-1',
          schedule: { reference: 'Schedule/sch-sodermalm-lakare-1' },
          status: 'free',
          start: '2026-10-23T17:00:00+02:00',
          end: '2026-10-23T17:20:00+02:00',
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/booking-deep-link',
              valueUrl: 'https://portal.example.se/boka?slot=extra-1',
            },
          ],
        },
      },
    ]);
    const filesBefore = stats('sverige').fileRequests;
    advance(60_000);
    await sync.sync();
    const after = await sync.index(signal);
    expect(stats('sverige').manifestSinceRequests).toBe(1);
    expect(stats('sverige').fileRequests - filesBefore).toBe(1);
    expect(after.slotsById.has(first!.id)).toBe(false);
    expect(after.slotsById.get('extra-1')).toMatchObject({
      start: '2026-10-23T15:00:00.000Z',
      bookingUrl: 'https://portal.example.se/boka?slot=extra-1&source=varden',
    });
    expect(after.slotsById.size).toBe(before.slotsById.size);
    // Nothing changed since: an empty `_since` manifest, then the same one again, answered 304.
    const filesAfter = stats('sverige').fileRequests;
    advance(60_000);
    await sync.sync();
    advance(60_000);
    await sync.sync();
    expect(stats('sverige').manifestNotModified).toBe(1);
    expect(stats('sverige').fileRequests).toBe(filesAfter);
  });

  it('sees a slot booked on the portal as taken after the next poll', async () => {
    const sync = syncOf('sverige');
    const [slot] = (await sync.index(signal)).openSlotsBySchedule.get('sch-haga-lakare-1')!;
    const booked = await fetch(`${simulator.url}/sverige/portal/boka`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slot: slot!.id }),
    });
    expect(booked.status).toBe(201);
    expect((await sync.index(signal)).slotsById.get(slot!.id)?.status).toBe('FREE');
    advance(60_000);
    await sync.sync();
    const index = await sync.index(signal);
    expect(index.slotsById.get(slot!.id)?.status).toBe('BOOKED');
    expect(index.openSlotsBySchedule.get('sch-haga-lakare-1')![0]?.id).not.toBe(slot!.id);
  });

  it('reads the whole manifest again after the full-sync interval, dropping withdrawn files', async () => {
    const sync = syncOf('example', { fullSyncIntervalMs: 120_000 });
    await sync.sync();
    await mutate('example', [{ op: 'bumpTransactionTime' }]);
    advance(60_000);
    await sync.sync();
    advance(60_000);
    await sync.sync();
    const counts = stats('example');
    expect(counts.manifestSinceRequests).toBe(1);
    expect(counts.manifestRequests).toBe(3);
    // The full read asks for every file conditionally: all unchanged.
    expect(counts.fileNotModified).toBe(7);
  });
});

describe('changes at the clinic', () => {
  async function clinicChange(body: object) {
    const res = await fetch(`${simulator.url}/_admin/clinic-changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ connection: 'sverige', ...body }),
    });
    expect(res.status).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: the test reads the Slot the simulator published.
    return ((await res.json()) as any).slot as { id: string; start: string };
  }

  it('takes the first ingest as the baseline, then reports a slot opened and one booked by the next _since poll', async () => {
    const changes = createChangeLog();
    const cursor = (await changes.page(null, 100)).cursor;
    const sync = syncOf('sverige', { changes });
    await sync.index(signal);
    expect((await changes.page(cursor, 100)).changes).toEqual([]);

    const opened = await clinicChange({
      kind: 'OPEN_SLOT',
      clinic: 'sthlm-sodermalm',
      start: '2026-10-21T10:00:00Z',
    });
    const [taken] = (await sync.index(signal)).openSlotsBySchedule.get('sch-haga-lakare-1')!;
    const portal = await fetch(`${simulator.url}/sverige/portal/boka`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slot: taken!.id }),
    });
    expect(portal.status).toBe(201);
    const since = stats('sverige').manifestSinceRequests;
    advance(60_000);
    await sync.sync();
    expect(stats('sverige').manifestSinceRequests).toBe(since + 1);

    const page = await changes.page(cursor, 100);
    const transactionTime = sync.status().transactionTime!;
    expect(page.changes).toHaveLength(2);
    expect(page.changes.map((c) => [c.kind, c.slot?.id])).toEqual(
      expect.arrayContaining([
        ['SLOT_OPENED', opened.id],
        ['SLOT_CLOSED', taken!.id],
      ]),
    );
    const openedChange = page.changes.find((c) => c.kind === 'SLOT_OPENED')!;
    expect(openedChange).toMatchObject({
      id: `SLOT_OPENED:${opened.id}:${transactionTime}`,
      source: 'POLL',
      occurredAt: new Date(transactionTime).toISOString(),
      slot: { clinicId: 'sthlm-sodermalm', start: new Date(opened.start).toISOString() },
    });

    // Nothing changed since: the next poll finds nothing, and nothing is appended twice.
    advance(60_000);
    await sync.sync();
    expect((await changes.page(page.cursor, 100)).changes).toEqual([]);
  });
});

describe('dirty data', () => {
  it('skips and counts malformed lines, unknown extensions and references, logging no content', async () => {
    const sync = syncOf('example');
    await sync.sync();
    await mutate('example', [
      {
        op: 'appendLine',
        file: 'slots-2021-W13.ndjson',
        line: '{"resourceType":"Slot","id":"199001010017"',
      },
      { op: 'appendLine', file: 'slots-2021-W13.ndjson', line: 'Test Patient 199001010017' },
      {
        op: 'addSlotExtension',
        slotId: '300',
        extension: { url: 'urn:vendor:x', valueString: 'x' },
      },
      {
        op: 'addSlot',
        slot: {
          id: 'dangling',
          schedule: { reference: 'Schedule/999' },
          status: 'free',
          start: '2021-03-29T14:00:00Z',
          end: '2021-03-29T15:00:00Z',
        },
      },
    ]);
    advance(60_000);
    await sync.sync();
    const status = sync.status();
    expect(status.malformedLines).toBe(2);
    expect(status.index).toMatchObject({ unknownExtensions: 1, unknownReferences: 1, slots: 300 });
    expect(status.lastError).toBeNull();
    expect(logLines.join('')).not.toContain('199001010017');
    expect(logLines.some((line) => line.includes('"line skipped"'))).toBe(true);
  });

  it('ingests the specification’s example data as published', async () => {
    const index = await syncOf('example').index(signal);
    expect(index.counts).toMatchObject({
      locations: 10,
      schedules: 10,
      slots: 300,
      openSlots: 300,
      unknownExtensions: 0,
      unknownReferences: 0,
    });
    expect(index.treatments).toEqual([
      { id: 'vaccination', providerCode: '57', name: 'Immunization', durationMinutes: null },
    ]);
    expect(index.clinics[0]).toMatchObject({
      id: '0',
      name: 'SMART Vaccine Clinic Boston',
      address: { line: '123 Summer St', city: 'Boston', postalCode: '02114' },
      location: null,
      timeZone: 'America/New_York',
      treatmentIds: ['vaccination'],
    });
    expect(index.slotsById.get('90')).toMatchObject({
      clinicId: '0',
      start: '2021-03-08T14:00:00.000Z',
      end: '2021-03-08T23:00:00.000Z',
      capacity: 100,
      bookingUrl: 'https://ehr-portal.example.org/bookings?slot=1000070&source=varden',
      practitioner: null,
    });
  });

  it('counts the Swedish data’s misspelled extension, dangling calendar and unmapped visit type', async () => {
    const counts = (await syncOf('sverige').index(signal)).counts;
    expect(counts.unknownExtensions).toBeGreaterThan(0);
    expect(counts.unknownReferences).toBe(1);
    expect(counts.unmappedSchedules).toBe(1);
  });
});

describe('a publisher that is down', () => {
  it('is unavailable until it answers, then served; retried no sooner than a minute', async () => {
    await fetch(`${simulator.url}/_admin/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ publishers: { sverige: { down: true } } }),
    });
    const sync = syncOf('sverige');
    const error = await sync.index(signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe('PROVIDER_UNAVAILABLE');
    expect(sync.status()).toMatchObject({
      settled: true,
      lastError: expect.stringContaining('503'),
    });
    await fetch(`${simulator.url}/_admin/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ publishers: { sverige: { down: false } } }),
    });
    advance(30_000);
    await expect(sync.index(signal)).rejects.toThrow(/not ingested yet/);
    advance(30_000);
    expect((await sync.index(signal)).counts.openSlots).toBeGreaterThan(0);
    expect(stats('sverige').manifestRequests).toBe(2);
  });

  it('keeps serving the last data while failing, until it is older than the staleness limit', async () => {
    const sync = syncOf('sverige', { maxStalenessMs: 300_000 });
    await sync.index(signal);
    await fetch(`${simulator.url}/_admin/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ faultRate: 1 }),
    });
    advance(60_000);
    await sync.sync();
    expect(sync.status().lastError).toContain('503');
    expect((await sync.index(signal)).counts.openSlots).toBeGreaterThan(0);
    advance(300_000);
    await sync.sync();
    await expect(sync.index(signal)).rejects.toThrow(/stale/);
  });
});
