import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeSlot, type StartedSimulator, startSimulator } from './startSimulator.js';

let sim: StartedSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.stop());

describe('concurrent writers', () => {
  it('lets exactly one of twenty transactions with the same If-Match take a slot', async () => {
    const slot = await freeSlot(sim, 'sched-holm');
    const attempts = Array.from({ length: 20 }, (_, n) =>
      sim.fhir('POST', '', {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            resource: {
              resourceType: 'Appointment',
              identifier: [{ system: 'urn:test:race', value: String(n) }],
              status: 'booked',
              start: slot.start,
              end: slot.end,
              slot: [{ reference: `Slot/${slot.id}` }],
              participant: [{ actor: { reference: 'Location/loc-uppsala' }, status: 'accepted' }],
            },
            request: { method: 'POST', url: 'Appointment' },
          },
          {
            resource: { ...slot, status: 'busy' },
            request: {
              method: 'PUT',
              url: `Slot/${slot.id}`,
              ifMatch: `W/"${slot.meta.versionId}"`,
            },
          },
        ],
      }),
    );
    const statuses = (await Promise.all(attempts)).map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    const booked = await sim.fhir('GET', `Appointment?slot=Slot/${slot.id}`);
    expect(booked.body.total).toBe(1);
  });

  it('creates one Patient for ten concurrent conditional creates of the same identity', async () => {
    const identifier = {
      system: 'http://electronichealth.se/identifier/personnummer',
      value: '198507099805',
    };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        sim.fhir(
          'POST',
          'Patient',
          { resourceType: 'Patient', identifier: [identifier] },
          { 'if-none-exist': `identifier=${identifier.system}|${identifier.value}` },
        ),
      ),
    );
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const found = await sim.fhir(
      'GET',
      `Patient?identifier=${identifier.system}|${identifier.value}`,
    );
    expect(found.body.total).toBe(1);
  });
});
