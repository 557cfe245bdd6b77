import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { otherPatients } from '../src/seed.js';
import { freeSlot, type StartedSimulator, startSimulator } from './startSimulator.js';

let sim: StartedSimulator;
const logs: string[] = [];

beforeAll(async () => {
  sim = await startSimulator({
    logger: { info: (message) => logs.push(message), warn: (message) => logs.push(message) },
  });
});
afterAll(() => sim.stop());
beforeEach(async () => {
  await sim.admin('POST', 'reset');
});

describe('admin knobs', () => {
  it('take-slot books a free slot as another client would: busy, its Appointment, a new version', async () => {
    const slot = await freeSlot(sim);
    const taken = await sim.admin('POST', `take-slot/${slot.id}`);
    expect(taken.status).toBe(200);
    const after = (await sim.fhir('GET', `Slot/${slot.id}`)).body;
    expect(after.status).toBe('busy');
    expect(after.meta.versionId).not.toBe(slot.meta.versionId);
    const listed = await sim.admin('GET', 'appointments?organization=halsanord&status=booked');
    expect(listed.body.appointments.some((a: { slotId: string }) => a.slotId === slot.id)).toBe(
      true,
    );
    expect((await sim.admin('POST', `take-slot/${slot.id}`)).status).toBe(409);
    expect((await sim.admin('POST', 'take-slot/nope')).status).toBe(404);
  });

  it('takeOnRead: another client books the slot right after it is read, so the reader’s If-Match fails', async () => {
    const slot = await freeSlot(sim);
    await sim.admin('POST', 'config', { takeOnRead: 1 });
    const read = await sim.fhir('GET', `Slot/${slot.id}`);
    expect(read.body.status).toBe('free');
    const update = await sim.fhir(
      'PUT',
      `Slot/${slot.id}`,
      { ...read.body, status: 'busy' },
      { 'if-match': read.headers.get('etag') ?? '' },
    );
    expect(update.status).toBe(412);
    expect((await sim.fhir('GET', `Slot/${slot.id}`)).body.status).toBe('busy');
    expect((await sim.admin('GET', 'config')).body.takeOnRead).toBe(0);
  });

  it('touchOnRead: another client only edits the slot, so it stays free at a new version', async () => {
    const slot = await freeSlot(sim);
    await sim.admin('POST', 'config', { touchOnRead: 1 });
    const read = await sim.fhir('GET', `Slot/${slot.id}`);
    const again = (await sim.fhir('GET', `Slot/${slot.id}`)).body;
    expect(again.status).toBe('free');
    expect(again.meta.versionId).not.toBe(read.body.meta.versionId);
  });

  it('faultRate and down answer 503 with an OperationOutcome and do nothing', async () => {
    await sim.admin('POST', 'config', { faultRate: 1 });
    const faulty = await sim.fhir('GET', 'Location');
    expect(faulty.status).toBe(503);
    expect(faulty.body.resourceType).toBe('OperationOutcome');
    await sim.admin('POST', 'config', { faultRate: 0, down: true });
    expect((await sim.fhir('GET', 'Location')).status).toBe(503);
  });

  it('lostResponses performs a write but drops its answer', async () => {
    const slot = await freeSlot(sim);
    await sim.admin('POST', 'config', { lostResponses: 1 });
    const attempt = sim.fhir(
      'PUT',
      `Slot/${slot.id}`,
      { ...slot, status: 'busy-unavailable' },
      { 'if-match': `W/"${slot.meta.versionId}"` },
    );
    await expect(attempt).rejects.toThrow();
    expect((await sim.fhir('GET', `Slot/${slot.id}`)).body.status).toBe('busy-unavailable');
    expect(logs).toContain('dropped the response to a write');
  });

  it('latencyMs delays every FHIR answer', async () => {
    await sim.admin('POST', 'config', { latencyMs: 150 });
    const started = performance.now();
    await sim.fhir('GET', 'Organization');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('reset restores the seed and the start-up configuration', async () => {
    const slot = await freeSlot(sim);
    await sim.admin('POST', `take-slot/${slot.id}`);
    await sim.admin('POST', 'config', { latencyMs: 5, maxPageSize: 3 });
    const reset = await sim.admin('POST', 'reset');
    expect(reset.body).toMatchObject({ latencyMs: 0, maxPageSize: 200 });
    expect((await sim.fhir('GET', `Slot/${slot.id}`)).body.status).toBe('free');
  });

  it('lists appointments without patient data and refuses an unknown knob', async () => {
    const listed = await sim.admin('GET', 'appointments?organization=sydvarden');
    expect(listed.body.total).toBeGreaterThan(0);
    const text = JSON.stringify(listed.body);
    expect(text).not.toMatch(/Patient\/|personnummer/);
    for (const patient of otherPatients) expect(text).not.toContain(patient.personnummer);
    expect((await sim.admin('POST', 'config', { nonsense: 1 })).status).toBe(400);
  });
});
