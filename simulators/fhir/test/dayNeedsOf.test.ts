import { parseSearchRequest } from '@medplum/core';
import type { HttpMethod } from '@medplum/fhir-router';
import type { Slot } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DayNeed, dayNeedsOf, everyDay } from '../src/dayNeedsOf.js';
import { loadFhirDefinitions } from '../src/loadFhirDefinitions.js';
import { SimulatorRepository } from '../src/SimulatorRepository.js';
import { defaultOrganizations } from '../src/seed.js';
import { slotResources } from '../src/slotResources.js';

beforeAll(() => loadFhirDefinitions());

function needs(
  method: HttpMethod,
  pathAndQuery: string,
  body?: unknown,
  headers: Record<string, string> = {},
): DayNeed[] {
  const [path = '', query = ''] = pathAndQuery.split('?');
  return dayNeedsOf({ method, path, query: new URLSearchParams(query), body, headers });
}

const window = (from: string, to: string): DayNeed => ({
  kind: 'window',
  fromMs: Date.parse(from),
  toMs: Date.parse(to),
});

describe('dayNeedsOf', () => {
  it('needs no day for a search of what changed after the seed was made (`_lastUpdated`)', () => {
    const seededAt = Date.parse('2026-10-19T08:00:00.000Z');
    const call = (query: string) => ({
      method: 'GET' as const,
      path: 'Slot',
      query: new URLSearchParams(query),
      body: undefined,
      headers: {},
    });
    expect(dayNeedsOf(call('_lastUpdated=gt2026-10-19T08:00:00.000Z'), seededAt)).toEqual([]);
    expect(dayNeedsOf(call('_lastUpdated=ge2026-10-19T08:00:00.001Z'), seededAt)).toEqual([]);
    // These can match seeded versions: every open day.
    expect(dayNeedsOf(call('_lastUpdated=ge2026-10-19T08:00:00.000Z'), seededAt)).toEqual([
      everyDay,
    ]);
    expect(dayNeedsOf(call('_lastUpdated=gt2026-10-19T07:59:59.999Z'), seededAt)).toEqual([
      everyDay,
    ]);
    expect(dayNeedsOf(call('_lastUpdated=gt2026-10-19T08:00:00.000Z'))).toEqual([everyDay]);
  });

  it('bounds a Slot search by its start filters, to the minute, a midnight `lt` not reaching the next day', () => {
    expect(
      needs('GET', 'Slot?start=ge2026-10-25T23:00:00Z&start=lt2026-10-26T23:00:00Z&_count=5'),
    ).toEqual([window('2026-10-25T23:00:00Z', '2026-10-26T22:59:00Z')]);
    expect(needs('GET', 'Slot?start=2026-10-26')).toEqual([
      window('2026-10-26T00:00:00Z', '2026-10-26T23:59:00Z'),
    ]);
    expect(needs('GET', 'Slot?start=sa2026-10-26T07:00:00Z&start=le2026-10-27')).toEqual([
      window('2026-10-26T07:01:00Z', '2026-10-27T23:59:00Z'),
    ]);
  });

  it('needs every open day for a Slot search without a usable bound', () => {
    for (const query of [
      'Slot?schedule=Schedule/sched-holm',
      'Slot?start=ne2026-10-26',
      'Slot?start=ap2026-10-26',
      'Slot?start=ge2026-10-26,lt2026-10-20',
      'Slot?start=gesoon',
      'Slot?start:missing=false',
    ]) {
      expect(needs('GET', query), query).toEqual([everyDay]);
    }
  });

  it('needs the day of a Slot or seeded Appointment it reads or writes, and nothing for other types', () => {
    const lindqvist = { kind: 'slots', ids: ['slot-lindqvist-202610260800'] };
    expect(needs('GET', 'Slot/slot-lindqvist-202610260800')).toEqual([lindqvist]);
    expect(needs('PUT', 'Slot/slot-lindqvist-202610260800', {})).toEqual([lindqvist]);
    expect(needs('GET', 'Slot/slot-lindqvist-202610260800/_history')).toEqual([lindqvist]);
    expect(needs('GET', 'Appointment/appt-lindqvist-202610260800')).toEqual([lindqvist]);
    expect(needs('GET', 'Appointment/0b6c5a0e-5d1c-4a36-9c57-1d2c6f3a0e11')).toEqual([]);
    expect(needs('GET', 'Patient?identifier=x|y')).toEqual([]);
    expect(needs('POST', 'Slot', { resourceType: 'Slot' })).toEqual([]);
    expect(needs('GET', '')).toEqual([everyDay]);
  });

  it('needs the slots an Appointment search names, else the window of its date filters', () => {
    expect(
      needs('GET', 'Appointment?slot=Slot/slot-holm-202610260800,slot-holm-202610260820'),
    ).toEqual([{ kind: 'slots', ids: ['slot-holm-202610260800', 'slot-holm-202610260820'] }]);
    expect(
      needs('GET', 'Appointment?identifier=urn:booking-web:halsanord|SLOT-HOLM-202610260800'),
    ).toEqual([{ kind: 'slots', ids: ['slot-holm-202610260800'] }]);
    // No seeded booking carries a reservation id: no day.
    expect(needs('GET', 'Appointment?identifier=urn:booking-platform:reservation|r1')).toEqual([
      { kind: 'slots', ids: ['r1'] },
    ]);
    expect(needs('GET', 'Appointment?identifier=urn:booking-web:halsanord|')).toEqual([everyDay]);
    expect(needs('GET', 'Appointment?date=ge2026-10-26&date=lt2026-10-27&status=booked')).toEqual([
      window('2026-10-26T00:00:00Z', '2026-10-26T23:59:00Z'),
    ]);
    expect(needs('GET', 'Appointment?patient=Patient/pat-seed-1')).toEqual([everyDay]);
    expect(
      needs('POST', 'Appointment', {}, { 'if-none-exist': 'identifier=urn:booking-web:x|y' }),
    ).toEqual([{ kind: 'slots', ids: ['y'] }]);
  });

  it('needs what every entry of a transaction needs', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { request: { method: 'POST', url: 'Appointment' }, resource: {} },
        { request: { method: 'PUT', url: 'Slot/slot-holm-202610260800' }, resource: {} },
        { request: { method: 'GET', url: 'Slot?start=ge2026-10-26&start=lt2026-10-27' } },
        { request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=a|b' } },
      ],
    };
    expect(needs('POST', '', bundle)).toEqual([
      { kind: 'slots', ids: ['slot-holm-202610260800'] },
      window('2026-10-26T00:00:00Z', '2026-10-26T23:59:00Z'),
    ]);
    expect(needs('POST', '', 'not a bundle')).toEqual([]);
  });

  it('leaves every slot Medplum’s search matches inside the window', async () => {
    const now = new Date('2026-10-19T08:00:00Z');
    const repository = new SimulatorRepository(() => now);
    await repository.load(
      slotResources(defaultOrganizations, '2026-10-23', '2026-10-27', { seed: 1, now }),
    );
    const instants = ['2026-10-26T07:00:00Z', '2026-10-26T08:00:00%2B01:00', '2026-10-26'];
    const operators = ['', 'eq', 'ge', 'gt', 'sa', 'lt', 'le', 'eb'];
    for (const instant of instants) {
      for (const operator of operators) {
        const query = `start=${operator}${instant}`;
        const [need] = needs('GET', `Slot?${query}`);
        const found = await repository.search<Slot>(
          parseSearchRequest(`Slot?${query}&_count=10000`),
        );
        const starts = (found.entry ?? []).map((entry) => Date.parse(entry.resource?.start ?? ''));
        expect(starts.length, query).toBeGreaterThan(0);
        if (need?.kind !== 'window') throw new Error(`${query}: no window`);
        for (const start of starts) {
          expect(start, query).toBeGreaterThanOrEqual(need.fromMs);
          expect(start, query).toBeLessThanOrEqual(need.toMs);
        }
      }
    }
  });
});
