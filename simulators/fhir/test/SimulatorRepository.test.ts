import { OperationOutcomeError } from '@medplum/core';
import { FhirRouter, makeSimpleRequest } from '@medplum/fhir-router';
import type { Slot } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFhirDefinitions } from '../src/loadFhirDefinitions.js';
import { SimulatorRepository } from '../src/SimulatorRepository.js';

const slot: Slot = {
  resourceType: 'Slot',
  id: 'slot-1',
  schedule: { reference: 'Schedule/s1' },
  status: 'free',
  start: '2026-10-20T08:00:00+02:00',
  end: '2026-10-20T08:20:00+02:00',
};

beforeAll(() => loadFhirDefinitions());

describe('SimulatorRepository', () => {
  it('refuses a resource that breaks the R4 structure, as Medplum’s server does', async () => {
    const repository = new SimulatorRepository(() => new Date());
    const error = await repository
      .createResource({ resourceType: 'Slot', status: 'free' } as Slot)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationOutcomeError);
    const expressions = (error as OperationOutcomeError).outcome.issue.flatMap((i) => i.expression);
    expect(expressions).toEqual(expect.arrayContaining(['Slot.schedule', 'Slot.start']));
  });

  it('stamps lastUpdated from the injected clock and ignores a client’s versionId', async () => {
    const repository = new SimulatorRepository(() => new Date('2026-10-19T08:00:00Z'));
    const stored = await repository.createResource<Slot>({ ...slot, meta: { versionId: 'mine' } });
    expect(stored.meta?.lastUpdated).toBe('2026-10-19T08:00:00.000Z');
    expect(stored.meta?.versionId).not.toBe('mine');
  });

  it('lists a resource’s history newest first on every read, not on every other one', async () => {
    const repository = new SimulatorRepository(() => new Date());
    const first = await repository.createResource(slot);
    await repository.updateResource({ ...first, comment: 'second' });
    for (let read = 0; read < 3; read += 1) {
      const history = await repository.readHistory<Slot>('Slot', 'slot-1');
      expect(history.entry?.map((entry) => entry.resource?.comment ?? 'first')).toEqual([
        'second',
        'first',
      ]);
    }
  });

  it('rolls a failed transaction back completely, though Medplum creates before it updates', async () => {
    const repository = new SimulatorRepository(() => new Date());
    await repository.createResource(slot);
    const [outcome] = await new FhirRouter().handleRequest(
      {
        ...makeSimpleRequest('POST', '/', {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            {
              resource: {
                resourceType: 'Appointment',
                status: 'booked',
                start: slot.start,
                end: slot.end,
                participant: [{ status: 'accepted', actor: { reference: 'Location/l1' } }],
                slot: [{ reference: 'Slot/slot-1' }],
              },
              request: { method: 'POST', url: 'Appointment' },
            },
            {
              resource: { ...slot, status: 'busy' },
              request: { method: 'PUT', url: 'Slot/slot-1', ifMatch: 'W/"stale"' },
            },
          ],
        }),
        config: { transactions: true },
      },
      repository,
    );
    expect(outcome.id).toBe('precondition-failed');
    expect(repository.all('Appointment')).toEqual([]);
    expect((await repository.readResource<Slot>('Slot', 'slot-1')).status).toBe('free');
  });
});
