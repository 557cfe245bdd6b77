import { parseSearchRequest } from '@medplum/core';
import { FhirRouter, MemoryRepository, makeSimpleRequest } from '@medplum/fhir-router';
import type { Appointment, Bundle, Resource, Slot } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { directoryResources } from '../src/directoryResources.js';
import { loadFhirDefinitions } from '../src/loadFhirDefinitions.js';
import { SimulatorRepository } from '../src/SimulatorRepository.js';
import { defaultOrganizations } from '../src/seed.js';
import { slotResources } from '../src/slotResources.js';

beforeAll(() => loadFhirDefinitions());

const now = new Date('2026-10-19T08:00:00Z');

/**
 * Both organisations from Friday to Monday across the autumn DST change (25 October), so the
 * slots carry +02:00, +01:00 and UTC instants.
 */
async function seeded(): Promise<SimulatorRepository> {
  const repository = new SimulatorRepository(() => now);
  await repository.load([
    ...directoryResources(defaultOrganizations),
    ...slotResources(defaultOrganizations, '2026-10-23', '2026-10-26', { seed: 1, now }),
  ]);
  return repository;
}

/** Medplum's own memory search (a scan evaluating every filter on every resource), same storage. */
const plainSearch = async (repository: SimulatorRepository, query: string) =>
  MemoryRepository.prototype.search.call(repository, parseSearchRequest(query));

const ownSearch = async (repository: SimulatorRepository, query: string) =>
  repository.search(parseSearchRequest(query));

async function expectSameAnswers(repository: SimulatorRepository, queries: readonly string[]) {
  for (const query of queries) {
    const expected = await plainSearch(repository, query).catch((error: unknown) => error);
    const actual = await ownSearch(repository, query).catch((error: unknown) => error);
    expect({ query, answer: actual }).toEqual({ query, answer: expected });
  }
}

const schedules = [
  'Schedule/sched-lindqvist',
  'Schedule/sched-lindqvist,Schedule/sched-persson,Schedule/sched-lindqvist',
  defaultOrganizations[0]!.locations
    .flatMap((l) => l.practitioners.map((p) => `Schedule/sched-${p.key}`))
    .join(','),
  'sched-lindqvist',
];
const statuses = [
  '',
  'free,busy-tentative',
  'FREE',
  '|free',
  'http://hl7.org/fhir/slotstatus|free',
];
const windows = [
  [],
  ['start=ge2026-10-24T22:00:00.000Z', 'start=lt2026-10-26T23:00:00.000Z'],
  ['start=ge2026-10-26T08:00:00+01:00'],
  ['start=gt2026-10-26T07:00:00Z'],
  ['start=le2026-10-26T07:00:00Z'],
  ['start=lt2026-10-26T07:20:00Z'],
  ['start=2026-10-26'],
  ['start=eq2026-10-26T08:20:00+01:00'],
  ['start=ap2026-10'],
  ['start=ne2026-10-26'],
  ['start=sa2026-10-25'],
  ['start=eb2026-10-26T08:00:00.000+01:00'],
  ['start=ge2026-10-26T12:00:00Z,lt2026-10-24T09:00:00Z'],
  ['start=ge2026-10-26T12:00:00Z', 'start=lt2026-10-26T09:00:00Z'],
  ['start=ge2026'],
];

/** The provider subgraph's searches (schedule, status, window) and their neighbours. */
const slotQueries = schedules.flatMap((schedule) =>
  statuses.flatMap((status) =>
    windows.map((window) =>
      [`Slot?schedule=${schedule}`, ...(status ? [`status=${status}`] : []), ...window]
        .join('&')
        .replaceAll('+', '%2B'),
    ),
  ),
);

/** Modifiers, other parameters and types, paging, `_include` and `_sort`. */
const otherQueries = [
  'Slot?_count=7&_offset=3',
  'Slot?schedule=Schedule/sched-holm&_count=5&_offset=4',
  'Slot?schedule=Schedule/sched-holm&_count=0',
  'Slot?schedule=Schedule/sched-holm&_offset=1000',
  'Slot?schedule=Schedule/sched-holm&_include=Slot:schedule&_revinclude=Appointment:slot',
  'Slot?schedule=Schedule/sched-holm&_sort=-start&_count=5',
  'Slot?schedule=',
  'Slot?schedule:missing=false&status=busy-unavailable',
  'Slot?schedule:Schedule=sched-holm',
  'Slot?schedule:identifier=x',
  'Slot?schedule=Schedule/sched-holm&status:not=free',
  'Slot?schedule=Schedule/sched-holm&status:missing=true',
  'Slot?schedule:not=Schedule/sched-holm&status=busy',
  'Slot?schedule=Schedule/sched-holm&start:missing=false',
  'Slot?schedule=Schedule/sched-holm&service-type=124',
  'Slot?service-type=http://terminology.hl7.org/CodeSystem/service-type|124&status=busy',
  'Slot?service-type=http://terminology.hl7.org/CodeSystem/service-type|',
  'Slot?service-type:text=general&status=busy',
  'Slot?_id=slot-lindqvist-202610260800,slot-persson-202610260800',
  'Slot?_lastUpdated=ge2026-10-19&status=busy',
  'Slot?schedule=Schedule/sched-holm&unknown=1',
  'Slot?schedule=Schedule/sched-holm&comment=x',
  'Slot?_compartment=Schedule/sched-holm',
  'Appointment?identifier=urn:booking-web:halsanord|slot-lindqvist-202610260820',
  'Appointment?identifier=URN:BOOKING-WEB:SYDVARDEN|',
  'Appointment?slot=Slot/slot-lindqvist-202610260820,Slot/slot-persson-202610260900&status=booked',
  'Appointment?slot=Slot/slot-lindqvist-202610260820&status=pending',
  'Appointment?date=ge2026-10-26&actor=Location/loc-sodermalm',
  'Appointment?patient=Patient/pat-seed-1&_count=3&_offset=2',
  'Schedule?actor=Location/loc-sodermalm,Location/loc-uppsala',
  'Location?organization=Organization/halsanord',
  'PractitionerRole?organization=Organization/sydvarden',
  'HealthcareService?organization=Organization/sydvarden&service-type=124',
  'Patient?identifier=http://electronichealth.se/identifier/personnummer|194910112384',
  'Slot?start=ge2026-10-26T23:59:60Z',
];

describe('SimulatorRepository search (index and extracted values)', () => {
  it('answers the provider subgraph’s Slot searches exactly as Medplum’s memory search', async () => {
    const repository = await seeded();
    const [some] = (await repository.search(parseSearchRequest(slotQueries[1] ?? ''))).entry ?? [];
    expect(some?.resource?.resourceType).toBe('Slot');
    await expectSameAnswers(repository, slotQueries);
  });

  it('answers modifiers, other parameters and types, paging, _include and _sort as Medplum does', async () => {
    const repository = await seeded();
    await expectSameAnswers(repository, otherQueries);
  });

  it('still answers as Medplum after bookings, a rolled-back transaction, moves and deletes', async () => {
    const repository = await seeded();
    const router = new FhirRouter();
    const transaction = (entry: Bundle['entry']) =>
      router.handleRequest(
        {
          ...makeSimpleRequest('POST', '/', { resourceType: 'Bundle', type: 'transaction', entry }),
          config: { transactions: true },
        },
        repository,
      );
    const slot = async (id: string) => repository.readResource<Slot>('Slot', id);
    const book = async (id: string, ifMatch = true): Promise<string> => {
      const current = await slot(id);
      const appointment: Appointment = {
        resourceType: 'Appointment',
        status: 'booked',
        start: current.start,
        end: current.end,
        slot: [{ reference: `Slot/${id}` }],
        participant: [{ actor: { reference: 'Location/loc-sodermalm' }, status: 'accepted' }],
      };
      const [outcome] = await transaction([
        { request: { method: 'POST', url: 'Appointment' }, resource: appointment },
        {
          request: {
            method: 'PUT',
            url: `Slot/${id}`,
            ifMatch: ifMatch ? `W/"${current.meta?.versionId}"` : 'W/"stale"',
          },
          resource: { ...current, status: 'busy' },
        },
      ]);
      return outcome.id ?? '';
    };

    // Searched after every write: the index is built by the first Slot search, then kept up to
    // date by each write, and rebuilt after a rollback.
    const probes = windows.flatMap((window) =>
      ['', '&status=free,busy-tentative'].map(
        (status) =>
          `Slot?schedule=${schedules[1]}${status}&${window.join('&').replaceAll('+', '%2B')}`,
      ),
    );
    const searchAgain = () => expectSameAnswers(repository, probes);

    await searchAgain();
    expect(await book('slot-lindqvist-202610260800')).toBe('ok');
    await searchAgain();
    expect(await book('slot-persson-202610260800')).toBe('ok');
    await searchAgain();
    expect(await book('slot-lindqvist-202610260820', false)).toBe('precondition-failed');
    await searchAgain();
    // A transaction that changes one slot and then fails on another leaves both as they were.
    const [first, second] = await Promise.all(
      ['slot-lindqvist-202610260900', 'slot-persson-202610260820'].map(slot),
    );
    const [rolledBack] = await transaction([
      {
        request: {
          method: 'PUT',
          url: `Slot/${first?.id}`,
          ifMatch: `W/"${first?.meta?.versionId}"`,
        },
        resource: { ...first, status: 'busy-unavailable' } as Slot,
      },
      {
        request: { method: 'PUT', url: `Slot/${second?.id}`, ifMatch: 'W/"stale"' },
        resource: { ...second, status: 'busy-unavailable' } as Slot,
      },
    ]);
    expect(rolledBack.id).toBe('precondition-failed');
    expect((await slot('slot-lindqvist-202610260900')).status).toBe('free');
    await searchAgain();
    // Cancelled: free again.
    const cancelled = await slot('slot-lindqvist-202610260800');
    await repository.updateResource({ ...cancelled, status: 'free' });
    await searchAgain();
    // Moved to another schedule and day.
    const moved = await slot('slot-persson-202610260840');
    await repository.updateResource({
      ...moved,
      schedule: { reference: 'Schedule/sched-lindqvist' },
      start: '2026-10-24T05:00:00Z',
      end: '2026-10-24T05:20:00Z',
    });
    await searchAgain();
    // Deleted, then made again: it now comes last in storage order.
    await repository.deleteResource('Slot', 'slot-lindqvist-202610260840');
    await searchAgain();
    await repository.createResource<Slot>({
      resourceType: 'Slot',
      id: 'slot-lindqvist-202610260840',
      schedule: { reference: 'Schedule/sched-lindqvist' },
      status: 'free',
      start: '2026-10-26T08:40:00+01:00',
      end: '2026-10-26T09:00:00+01:00',
    });
    await searchAgain();
    // Millisecond precision: a start period of one instant rather than one second.
    await repository.createResource<Slot>({
      resourceType: 'Slot',
      schedule: { reference: 'Schedule/sched-lindqvist' },
      status: 'busy-tentative',
      start: '2026-10-26T07:00:00.123Z',
      end: '2026-10-26T07:10:00Z',
    });
    const found = await repository.search<Slot>(
      parseSearchRequest('Slot?schedule=Schedule/sched-lindqvist&status=busy-tentative'),
    );
    expect(found.total).toBe(1);
    await expectSameAnswers(repository, [...slotQueries, ...otherQueries]);
  }, 30_000);

  it('answers with stored versions that cannot be changed through the answer', async () => {
    const repository = await seeded();
    const bundle = await repository.search<Slot>(
      parseSearchRequest('Slot?schedule=Schedule/sched-holm&status=free&_count=1'),
    );
    const found = bundle.entry?.[0]?.resource as Resource & { status: string };
    expect(() => {
      found.status = 'busy';
    }).toThrow(TypeError);
    expect((await repository.readResource<Slot>('Slot', found.id ?? '')).status).toBe('free');
  });
});
