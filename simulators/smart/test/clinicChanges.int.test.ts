import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type TestSimulator } from './startSimulator.js';

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(async () => {
  await sim.admin('POST', 'reset');
});

const change = (body: Record<string, unknown>) =>
  sim.admin('POST', 'clinic-changes', { connection: 'sverige', ...body });

describe('changes at the clinic', () => {
  it('OPEN_SLOT publishes a new free slot at the clinic: a newer transactionTime, and _since lists only its file', async () => {
    const before = await sim.manifest('sverige');
    const answer = await change({
      kind: 'OPEN_SLOT',
      clinic: 'sthlm-sodermalm',
      start: '2026-10-21T08:00:00Z',
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const { slot, transactionTime } = answer.body;
    expect(slot).toMatchObject({ resourceType: 'Slot', status: 'free' });
    expect(Date.parse(slot.start)).toBeGreaterThanOrEqual(Date.parse('2026-10-21T08:00:00Z'));
    // Local time with its offset, as the clinic's other slots are published.
    expect(slot.start).toMatch(/\+0[12]:00$/);
    expect(Date.parse(transactionTime)).toBeGreaterThan(Date.parse(before.body.transactionTime));

    const since = await sim.manifest('sverige', `?_since=${before.body.transactionTime}`);
    expect(since.body.transactionTime).toBe(transactionTime);
    expect(since.body.output.map((o) => o.url)).toEqual([
      expect.stringContaining(answer.body.file),
    ]);
    const published = await sim.resources(since.body.output[0]!.url);
    expect(published.find((r) => r.id === slot.id)).toEqual(slot);
    // Nothing changed since: the next `_since` lists no file.
    expect((await sim.manifest('sverige', `?_since=${transactionTime}`)).body.output).toEqual([]);

    // Its deep link leads to the portal, which books it.
    const link = slot.extension.find((e: { url: string }) => e.url.endsWith('booking-deep-link'));
    expect(new URL(link.valueUrl).searchParams.get('slot')).toBe(slot.id);
    expect((await sim.book('sverige', slot.id)).status).toBe(201);
  });

  it('OPEN_SLOT overlaps none of the schedule’s own slots, and a second one finds the next free time', async () => {
    const start = '2026-10-21T06:00:00Z';
    const first = (await change({ kind: 'OPEN_SLOT', clinic: 'sthlm-sodermalm', start })).body.slot;
    const second = (await change({ kind: 'OPEN_SLOT', clinic: 'sthlm-sodermalm', start })).body
      .slot;
    expect(second.id).not.toBe(first.id);
    expect(Date.parse(second.start)).toBeGreaterThanOrEqual(Date.parse(first.end));
    const manifest = await sim.manifest('sverige');
    const slots = (
      await Promise.all(
        manifest.body.output.filter((o) => o.type === 'Slot').map((o) => sim.resources(o.url)),
      )
    )
      .flat()
      .filter((s) => s.schedule.reference === first.schedule.reference);
    for (const opened of [first, second]) {
      const clashes = slots.filter(
        (s) =>
          s.id !== opened.id &&
          Date.parse(s.start) < Date.parse(opened.end) &&
          Date.parse(opened.start) < Date.parse(s.end),
      );
      expect(clashes).toEqual([]);
    }
  });

  it('answers 501 to CANCEL, MOVE and NO_SHOW: a publication has no bookings', async () => {
    for (const kind of ['CANCEL', 'MOVE', 'NO_SHOW']) {
      const start = kind === 'MOVE' ? { start: '2026-10-21T08:00:00Z' } : {};
      const answer = await change({ kind, booking: 'PB-000001', ...start });
      expect(answer.status).toBe(501);
      expect(answer.body.message).toMatch(/no bookings/);
    }
  });

  it('refuses an unknown clinic or publisher (404) and a malformed body (400), publishing nothing', async () => {
    const before = (await sim.manifest('sverige')).body.transactionTime;
    expect((await change({ kind: 'OPEN_SLOT', clinic: 'no-such-clinic' })).status).toBe(404);
    expect(
      (
        await sim.admin('POST', 'clinic-changes', {
          connection: 'x',
          kind: 'OPEN_SLOT',
          clinic: 'a',
        })
      ).status,
    ).toBe(404);
    expect((await change({ kind: 'OPEN_SLOT' })).status).toBe(400);
    expect(
      (await change({ kind: 'OPEN_SLOT', clinic: 'sthlm-sodermalm', start: 'tomorrow' })).status,
    ).toBe(400);
    expect((await sim.manifest('sverige')).body.transactionTime).toBe(before);
  });
});
