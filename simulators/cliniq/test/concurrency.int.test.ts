import { afterEach, beforeEach, expect, it } from 'vitest';
import { patient, startSimulator, type TestSimulator } from './startSimulator.js';

let sim: TestSimulator;
beforeEach(async () => {
  sim = await startSimulator({ latencyMs: 5 });
});
afterEach(async () => {
  await sim.close();
});

it('books a slot exactly once under 20 concurrent POST /bookings', async () => {
  const slot = await sim.freeSlot('2026-03-26');
  const responses = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      sim.call('POST', '/bookings', { body: { slotId: slot.id, externalRef: `c-${i}`, patient } }),
    ),
  );
  const statuses = responses.map((r) => r.status);
  expect(statuses.filter((s) => s === 201)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(19);
  expect(
    responses.filter((r) => r.status === 409).every((r) => r.body.error === 'slot_taken'),
  ).toBe(true);
  expect((await sim.apiBookings()).filter((b) => b.slotId === slot.id)).toHaveLength(1);
});

it('holds a slot exactly once under 20 concurrent POST /holds', async () => {
  const slot = await sim.freeSlot('2026-03-26');
  const responses = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      sim.call('POST', '/holds', { body: { slotId: slot.id, externalRef: `h-${i}` } }),
    ),
  );
  expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
  const live = (await sim.admin('GET', 'bookings?tenant=nordklinik')).body.holds;
  expect(live).toHaveLength(1);
});
