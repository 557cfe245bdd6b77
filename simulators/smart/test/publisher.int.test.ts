import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultStandardsDirectory } from '../src/standardsDirectory.js';
import { startSimulator, type TestSimulator } from './startSimulator.js';

let sim: TestSimulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

const examples = join(defaultStandardsDirectory(), 'examples');

describe('the specification example publisher', () => {
  it('serves the example manifest with its URLs moved under the local base path', async () => {
    const { status, headers, body } = await sim.manifest('example');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('application/json');
    const original = JSON.parse(readFileSync(join(examples, '$bulk-publish'), 'utf8'));
    expect(body.transactionTime).toBe(original.transactionTime);
    expect(body.request).toBe(`${sim.url}/example/$bulk-publish`);
    expect(body.output).toEqual(
      original.output.map((entry: { url: string }) => ({
        ...entry,
        url: `${sim.url}/example/${entry.url.split('/').pop()}`,
      })),
    );
    expect(body.error).toEqual([]);
  });

  it('serves every example file line for line as the standards folder has it', async () => {
    const { body } = await sim.manifest('example');
    for (const entry of body.output) {
      const res = await sim.get(entry.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/fhir+ndjson');
      const name = entry.url.split('/').pop()!;
      const expected = readFileSync(join(examples, name), 'utf8').split(/\r?\n/).filter(Boolean);
      expect(res.text.split('\n').filter(Boolean)).toEqual(expected);
    }
  });
});

describe('HTTP caching', () => {
  it('answers 304 to If-None-Match with the current ETag, with max-age and Last-Modified', async () => {
    const first = await sim.get('/sverige/$bulk-publish');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=60');
    expect(Date.parse(first.headers.get('last-modified')!)).toBe(
      Date.parse('2026-10-19T08:00:00Z'),
    );
    const again = await sim.get('/sverige/$bulk-publish', { 'if-none-match': `"x", W/${etag}` });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    const stale = await sim.get('/sverige/$bulk-publish', { 'if-none-match': '"other"' });
    expect(stale.status).toBe(200);
    expect(sim.simulator.state.stats.sverige).toMatchObject({
      manifestRequests: 3,
      manifestNotModified: 1,
    });
  });

  it('honours If-Modified-Since on files when no ETag is sent', async () => {
    const { body } = await sim.manifest('sverige');
    const file = body.output[0]!.url;
    const res = await sim.get(file);
    const lastModified = res.headers.get('last-modified')!;
    expect((await sim.get(file, { 'if-modified-since': lastModified })).status).toBe(304);
    const before = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await sim.get(file, { 'if-modified-since': before })).status).toBe(200);
  });

  it('announces the configured max-age, per publisher too', async () => {
    await sim.admin('POST', 'config', {
      maxAgeSeconds: 300,
      publishers: { example: { maxAgeSeconds: 90 } },
    });
    expect((await sim.get('/sverige/$bulk-publish')).headers.get('cache-control')).toBe(
      'public, max-age=300',
    );
    expect((await sim.get('/example/$bulk-publish')).headers.get('cache-control')).toBe(
      'public, max-age=90',
    );
  });
});

describe('changes to the data', () => {
  it('lists only files changed since `_since`, and everything for an unreadable `_since`', async () => {
    const { body: before } = await sim.manifest('sverige');
    const since = `?_since=${before.transactionTime}`;
    expect((await sim.manifest('sverige', since)).body.output).toEqual([]);
    const slotFile = before.output.find((o) => o.type === 'Slot')!;
    const [slot] = await sim.resources(slotFile.url);
    const changed = await sim.admin('POST', 'mutate', {
      publisher: 'sverige',
      mutations: [{ op: 'removeSlot', slotId: slot.id }],
    });
    expect(changed.status).toBe(200);
    const { body: after } = await sim.manifest('sverige', since);
    expect(Date.parse(after.transactionTime)).toBeGreaterThan(Date.parse(before.transactionTime));
    expect(after.output.map((o) => o.url)).toEqual([slotFile.url]);
    expect(after.request).toBe(`${sim.url}/sverige/$bulk-publish${since}`);
    expect((await sim.resources(slotFile.url)).some((s) => s.id === slot.id)).toBe(false);
    expect((await sim.manifest('sverige', '?_since=yesterday')).body.output).toHaveLength(
      before.output.length,
    );
    expect(sim.simulator.state.stats.sverige.manifestSinceRequests).toBe(3);
  });

  it('adds slots, sets statuses, adds extensions and appends malformed lines as asked', async () => {
    const { body } = await sim.manifest('example');
    const lastFile = body.output[body.output.length - 1]!.url;
    const [first] = await sim.resources(lastFile);
    const res = await sim.admin('POST', 'mutate', {
      publisher: 'example',
      mutations: [
        {
          op: 'addSlot',
          slot: {
            id: 'added-1',
            schedule: { reference: 'Schedule/10' },
            status: 'free',
            start: '2021-04-01T14:00:00Z',
            end: '2021-04-01T15:00:00Z',
          },
        },
        { op: 'setSlotStatus', slotId: first.id, status: 'busy' },
        {
          op: 'addSlotExtension',
          slotId: first.id,
          extension: { url: 'urn:example:unknown', valueString: 'x' },
        },
        { op: 'appendLine', file: 'slots-2021-W13.ndjson', line: '{"resourceType":"Slot", broken' },
      ],
    });
    expect(res.status).toBe(200);
    const lines = (await sim.get(lastFile)).text.split('\n').filter(Boolean);
    expect(lines[lines.length - 1]).toBe('{"resourceType":"Slot", broken');
    const parsed = lines.slice(0, -1).map((line) => JSON.parse(line));
    expect(parsed.find((s) => s.id === 'added-1')).toMatchObject({
      resourceType: 'Slot',
      status: 'free',
    });
    const changed = parsed.find((s) => s.id === first.id);
    expect(changed.status).toBe('busy');
    expect(changed.extension.at(-1)).toEqual({ url: 'urn:example:unknown', valueString: 'x' });
    // Lines nobody touched keep their exact bytes.
    const original = readFileSync(join(examples, 'slots-2021-W13.ndjson'), 'utf8').split('\n');
    expect(lines[1]).toBe(original[1]);
  });

  it('refuses changes to unknown slots, applying none of the batch', async () => {
    const { body } = await sim.manifest('example');
    const res = await sim.admin('POST', 'mutate', {
      publisher: 'example',
      mutations: [{ op: 'bumpTransactionTime' }, { op: 'removeSlot', slotId: 'no-such-slot' }],
    });
    expect(res.status).toBe(404);
    expect((await sim.manifest('example')).body.transactionTime).toBe(body.transactionTime);
  });

  it('bumps transactionTime without changing any file', async () => {
    const before = await sim.manifest('example');
    await sim.admin('POST', 'mutate', {
      publisher: 'example',
      mutations: [{ op: 'bumpTransactionTime' }],
    });
    const after = await sim.manifest('example');
    expect(after.body.transactionTime).toBe('2026-10-19T08:00:00.000Z');
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    expect(
      (await sim.manifest('example', `?_since=${before.body.transactionTime}`)).body.output,
    ).toEqual([]);
  });

  it('rolls the Swedish data over at local midnight', async () => {
    const before = await sim.manifest('sverige');
    sim.clock.advanceSeconds(24 * 3600);
    const after = await sim.manifest('sverige');
    expect(after.body.transactionTime).toBe('2026-10-20T08:00:00.000Z');
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
  });

  it('restores the seed data and the counters on reset, with a newer transactionTime', async () => {
    const before = await sim.manifest('sverige');
    const slotFile = before.body.output.find((o) => o.type === 'Slot')!;
    const [slot] = await sim.resources(slotFile.url);
    await sim.book('sverige', slot.id);
    await sim.admin('POST', 'reset');
    const after = await sim.manifest('sverige');
    expect(Date.parse(after.body.transactionTime)).toBeGreaterThan(
      Date.parse(before.body.transactionTime),
    );
    expect((await sim.resources(slotFile.url))[0]).toEqual(slot);
    expect(sim.simulator.state.stats.sverige.manifestRequests).toBe(1);
    expect((await sim.admin('GET', 'bookings')).body.sverige).toEqual([]);
  });
});

describe('booking horizons', () => {
  it('lists a week file for every week up to the longest clinic horizon', async () => {
    const { body } = await sim.manifest('sverige');
    const slotFiles = body.output.filter((o) => o.type === 'Slot');
    // Today is in 2026-W43; Linköping's 182 days end on Monday 19 April 2027, in 2027-W16.
    const first = DateTime.fromObject({ weekYear: 2026, weekNumber: 43 });
    const expected = Array.from({ length: 27 }, (_, i) => {
      const week = first.plus({ weeks: i });
      return `${sim.url}/sverige/slots-${week.toFormat("kkkk-'W'WW")}.ndjson`;
    });
    expect(slotFiles.map((o) => o.url)).toEqual(expected);
    // Past every other clinic's horizon, only Linköping's county is left.
    expect(slotFiles.at(-1)?.extension).toEqual({ state: ['E'] });
  });

  it('books a slot half a year ahead through its deep link, at the clinic that opens that far', async () => {
    const { body } = await sim.manifest('sverige');
    const farFile = body.output.filter((o) => o.type === 'Slot').at(-1)!.url;
    const slot = (await sim.resources(farFile)).find(
      (s) => s.status === 'free' && s.start.startsWith('2027-04-19'),
    );
    expect(slot.schedule.reference).toBe('Schedule/sch-agatan-lakare-1');
    const link = slot.extension.find((e: { url: string }) =>
      e.url.endsWith('booking-deep-link'),
    ).valueUrl;
    const page = await sim.get(link);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Ledig tid 2027-04-19');
    expect((await sim.book('sverige', slot.id)).status).toBe(201);
    const published = (await sim.resources(farFile)).find((s) => s.id === slot.id);
    expect(published.status).toBe('busy');
  });

  it("serves every clinic's slots for today..today+`daysAhead` when it is set", async () => {
    const short = await startSimulator({ daysAhead: 3 });
    try {
      const { body } = await short.manifest('sverige');
      const slotFiles = body.output.filter((o) => o.type === 'Slot');
      expect(slotFiles.map((o) => o.url)).toEqual([`${short.url}/sverige/slots-2026-W43.ndjson`]);
      const slots = await short.resources(slotFiles[0]!.url);
      // Thursday 22 October, three days on, is the last day at Södermalm (28 days of its own)
      // and Linköping (182) alike.
      const lastDay = slots.filter((s) => s.start.startsWith('2026-10-22'));
      for (const schedule of ['sch-sodermalm-lakare-1', 'sch-agatan-lakare-1']) {
        expect(lastDay.some((s) => s.schedule.reference === `Schedule/${schedule}`)).toBe(true);
      }
      expect(slots.every((s) => s.start < '2026-10-23')).toBe(true);
    } finally {
      await short.close();
    }
  });
});

describe('the booking portal', () => {
  it('books a free slot exactly once under concurrent requests', async () => {
    const { body } = await sim.manifest('sverige');
    const slots = await sim.resources(body.output.find((o) => o.type === 'Slot')!.url);
    const single = slots.find(
      (s) => s.status === 'free' && !s.schedule.reference.includes('dropin'),
    );
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => sim.book('sverige', single.id)),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const published = (await sim.resources(body.output.find((o) => o.type === 'Slot')!.url)).find(
      (s) => s.id === single.id,
    );
    expect(published.status).toBe('busy');
    expect(sim.simulator.state.stats.sverige).toMatchObject({
      portalBookings: 1,
      portalConflicts: 7,
    });
  });

  it('counts down the capacity of a drop-in session until it is full', async () => {
    const { body } = await sim.manifest('sverige');
    const files = body.output.filter((o) => o.type === 'Slot');
    const all = (await Promise.all(files.map((f) => sim.resources(f.url)))).flat();
    const dropIn = all.find(
      (s) =>
        s.schedule.reference.includes('dropin') &&
        s.status === 'free' &&
        s.extension.some((e: { valueInteger?: number }) => e.valueInteger === 2),
    );
    expect(dropIn).toBeDefined();
    expect((await sim.book('sverige', dropIn.id)).body.remainingCapacity).toBe(1);
    expect((await sim.book('sverige', dropIn.id)).body.remainingCapacity).toBe(0);
    expect((await sim.book('sverige', dropIn.id)).status).toBe(409);
    expect((await sim.book('sverige', 'no-such-slot')).status).toBe(404);
  });

  it('shows a landing page for a deep link and counts visits by source', async () => {
    const { body } = await sim.manifest('sverige');
    const [slot] = await sim.resources(body.output.find((o) => o.type === 'Slot')!.url);
    const link = slot.extension.find((e: { url: string }) =>
      e.url.endsWith('booking-deep-link'),
    ).valueUrl;
    const url = new URL(link);
    url.searchParams.set('source', '<varden>');
    const page = await sim.get(url.toString());
    expect(page.status).toBe(200);
    expect(page.text).toContain('&lt;varden&gt;');
    expect(page.text).not.toContain('<varden>');
    expect(sim.simulator.state.stats.sverige.portalVisitsBySource).toEqual({ '<varden>': 1 });
  });
});

describe('operator knobs', () => {
  it('answers 503 for a publisher marked down and at fault rate 1, counting them', async () => {
    await sim.admin('POST', 'config', { publishers: { sverige: { down: true } } });
    expect((await sim.get('/sverige/$bulk-publish')).status).toBe(503);
    expect((await sim.get('/example/$bulk-publish')).status).toBe(200);
    await sim.admin('POST', 'config', { faultRate: 1, publishers: { sverige: { down: false } } });
    expect((await sim.get('/example/locations.ndjson')).status).toBe(503);
    expect(sim.simulator.state.stats.sverige.faults).toBe(1);
    expect(sim.simulator.state.stats.example.faults).toBe(1);
  });

  it('adds latency per publisher', async () => {
    await sim.admin('POST', 'config', { publishers: { example: { latencyMs: 200 } } });
    const timed = async (path: string) => {
      const started = performance.now();
      await sim.get(path);
      return performance.now() - started;
    };
    expect(await timed('/example/$bulk-publish')).toBeGreaterThanOrEqual(190);
    // The day's first request renders the Swedish publication: time one after it.
    await sim.get('/sverige/$bulk-publish');
    expect(await timed('/sverige/$bulk-publish')).toBeLessThan(190);
  });

  it('refuses writes to the publication and unknown configuration', async () => {
    const res = await fetch(`${sim.url}/sverige/$bulk-publish`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect((await sim.admin('POST', 'config', { latency: 5 })).status).toBe(400);
    expect(
      (await sim.admin('POST', 'mutate', { publisher: 'nowhere', mutations: [] })).status,
    ).toBe(400);
    expect((await sim.get('/sverige/nothing.ndjson')).status).toBe(404);
  });
});
