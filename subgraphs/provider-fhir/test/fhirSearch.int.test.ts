import { type GraphQLAnswer, slotsQuery } from '@booking/provider-contract-tests';
import { createProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { createFhirSimulator } from '@booking/simulator-fhir';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { fhirProvider, simulatorConnections } from '../src/provider.js';
import {
  admin,
  fhir,
  findSlots,
  graphql,
  nord,
  slotState,
  syd,
  useFhirSubgraph,
} from './fhirSubgraph.js';

useFhirSubgraph();

describe('describe', () => {
  it('serves both organisations of one FHIR server, each with only its own clinics', async () => {
    const result = await graphql(
      '{ contractConnections { id system capabilities holdTtlSeconds unavailableReason clinics { id name timeZone treatmentIds address { line postalCode city } location { latitude longitude } } treatments { id providerCode name durationMinutes } } }',
    );
    const [halsanord, sydvarden] = result.data.contractConnections;
    expect(halsanord).toMatchObject({
      id: nord,
      system: 'fhir',
      capabilities: ['API_BOOKING', 'HOLDS', 'CANCEL', 'RESCHEDULE', 'CHANGES'],
      holdTtlSeconds: 120,
      unavailableReason: null,
    });
    expect(halsanord.clinics.map((c: { id: string }) => c.id)).toEqual([
      'loc-sodermalm',
      'loc-uppsala',
      'loc-vasteras',
    ]);
    expect(halsanord.clinics[0]).toMatchObject({
      timeZone: 'Europe/Stockholm',
      address: { line: 'Götgatan 48', postalCode: '118 26', city: 'Stockholm' },
      treatmentIds: ['general-practitioner', 'nurse-visit', 'vaccination'],
    });
    expect(sydvarden.holdTtlSeconds).toBe(300);
    // Lund offers dental care and psychiatry; the catalogue has no psychiatry, so it is dropped.
    const lund = sydvarden.clinics.find((c: { id: string }) => c.id === 'loc-lund');
    expect(lund.treatmentIds).toEqual(['dental-checkup']);
    expect(sydvarden.treatments.map((t: { id: string }) => t.id)).toEqual([
      'child-health',
      'dental-checkup',
      'general-practitioner',
      'vaccination',
    ]);
    expect(sydvarden.treatments).toContainEqual({
      id: 'general-practitioner',
      providerCode: '124',
      name: 'General Practice',
      durationMinutes: null,
    });
  });
});

describe('find', () => {
  it('returns only free slots: the seeded busy and busy-unavailable ones never appear', async () => {
    const slots = await findSlots(nord, '2026-10-20T00:00:00Z', '2026-10-23T00:00:00Z');
    const returned = new Set(slots.map((s) => s.id));
    const all = await fhir(
      'Slot?schedule=Schedule/sched-lindqvist,Schedule/sched-berg,Schedule/sched-holm&start=ge2026-10-20T00:00:00Z&start=lt2026-10-23T00:00:00Z&_count=500',
    );
    // biome-ignore lint/suspicious/noExplicitAny: FHIR JSON.
    const resources = all.entry.map((e: any) => e.resource);
    // biome-ignore lint/suspicious/noExplicitAny: FHIR JSON.
    const taken = resources.filter((s: any) => s.status !== 'free');
    expect(taken.some((s: { status: string }) => s.status === 'busy')).toBe(true);
    expect(taken.some((s: { status: string }) => s.status === 'busy-unavailable')).toBe(true);
    for (const slot of taken) expect(returned.has(slot.id)).toBe(false);
    // biome-ignore lint/suspicious/noExplicitAny: FHIR JSON.
    for (const slot of resources.filter((s: any) => s.status === 'free')) {
      expect(returned.has(slot.id)).toBe(true);
    }
  });

  it('follows every page when the server pages small, with the same answer', async () => {
    const window = ['2026-10-20T00:00:00Z', '2026-10-27T00:00:00Z'] as const;
    const big = await findSlots(nord, ...window);
    await admin('POST', 'config', { maxPageSize: 25 });
    const paged = await findSlots(nord, ...window);
    expect(paged).toEqual(big);
    expect(big.length).toBeGreaterThan(100);
  });

  it('normalises both organisations’ instants (local offsets and UTC) and keeps 08:00 across the DST change', async () => {
    for (const connection of [nord, syd]) {
      const slots = await findSlots(connection, '2026-10-22T22:00:00Z', '2026-10-26T23:00:00Z');
      for (const slot of slots) expect(slot.start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
      const persson = slots.filter((s) => s.practitioner?.id === 'role-persson');
      const friday = persson.find((s) => s.start.startsWith('2026-10-23'));
      const monday = persson.find((s) => s.start.startsWith('2026-10-26'));
      if (connection === syd) {
        expect(DateTime.fromISO(friday!.start).setZone('Europe/Stockholm').toFormat('HH:mm')).toBe(
          '08:00',
        );
        expect(DateTime.fromISO(monday!.start).setZone('Europe/Stockholm').toFormat('HH:mm')).toBe(
          '08:00',
        );
        expect(friday!.start).toBe('2026-10-23T06:00:00.000Z');
      }
    }
  });

  it('keeps 08:00 across the spring change too (29 March 2026)', async () => {
    const spring = createFhirSimulator({ clock: () => new Date('2026-03-25T08:00:00Z') });
    const base = await spring.listen(0);
    const [halsanord] = simulatorConnections(base);
    const springGraph = createProviderService(
      fhirProvider,
      { connections: [halsanord!], providerDeadlineMs: 5000 },
      createLogger({ service: 'provider-fhir', level: 'silent' }),
    );
    const url = await springGraph.listen(0);
    try {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: slotsQuery,
          variables: {
            input: {
              connectionId: nord,
              from: '2026-03-26T23:00:00Z',
              to: '2026-03-30T22:00:00Z',
              practitionerId: 'role-lindqvist',
            },
          },
        }),
      });
      const slots = (
        (await response.json()) as GraphQLAnswer<{ contractSlots: { start: string }[] }>
      ).data!.contractSlots as {
        start: string;
      }[];
      const local = slots.map((s) =>
        DateTime.fromISO(s.start).setZone('Europe/Stockholm').toFormat('yyyy-MM-dd HH:mm'),
      );
      expect(slots.every((s) => s.start.endsWith('Z'))).toBe(true);
      // Friday in winter time (08:00 is 07:00Z); on Monday, in summer time, 08:00 is taken by
      // another patient (seed 1), so the first free slot is 08:20 (06:20Z): the same wall clock.
      expect(slots.map((s) => s.start)).toEqual(
        expect.arrayContaining(['2026-03-27T07:00:00.000Z', '2026-03-30T06:20:00.000Z']),
      );
      expect(local.filter((t) => t.startsWith('2026-03-27')).sort()[0]).toBe('2026-03-27 08:00');
      expect(local.filter((t) => t.startsWith('2026-03-30')).sort()[0]).toBe('2026-03-30 08:20');
      expect(local.every((t) => /(0[89]|1[0-6]):(00|20|40)$/.test(t))).toBe(true);
    } finally {
      await springGraph.close();
      await spring.close();
    }
  });

  it('narrows by clinic, treatment and practitioner, and knows no slots of the other organisation', async () => {
    const window = ['2026-10-20T00:00:00Z', '2026-10-21T00:00:00Z'] as const;
    const vaccination = await findSlots(nord, ...window, { treatmentId: 'vaccination' });
    expect(vaccination.length).toBeGreaterThan(0);
    expect(new Set(vaccination.map((s) => s.practitioner?.id))).toEqual(new Set(['role-berg']));
    const uppsala = await findSlots(nord, ...window, { clinicIds: ['loc-uppsala'] });
    expect(new Set(uppsala.map((s) => s.clinicId))).toEqual(new Set(['loc-uppsala']));
    expect(await findSlots(nord, ...window, { clinicIds: ['loc-lund'] })).toEqual([]);
    expect(await findSlots(nord, ...window, { treatmentId: 'midwife' })).toEqual([]);
    const sara = await findSlots(nord, ...window, { practitionerId: 'role-holm' });
    expect(sara[0]?.practitioner).toEqual({ id: 'role-holm', name: 'Sara Holm' });
    const otherOrganisation = await findSlots(syd, ...window);
    expect(await slotState(nord, otherOrganisation[0]!.id)).toBeNull();
  });
});

describe('reads when the server fails', () => {
  it('raises PROVIDER_UNAVAILABLE for a search the server refuses, and reports the connection down', async () => {
    await admin('POST', 'config', { down: true });
    const result = await graphql(slotsQuery, {
      input: { connectionId: syd, from: '2026-10-20T00:00:00Z', to: '2026-10-21T00:00:00Z' },
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
  });

  it('refuses a window without offset or longer than 62 days as BAD_USER_INPUT', async () => {
    const bad = await graphql(slotsQuery, {
      input: { connectionId: nord, from: '2026-10-20T00:00:00', to: '2026-10-21T00:00:00Z' },
    });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const long = await graphql(slotsQuery, {
      input: { connectionId: nord, from: '2026-10-20T00:00:00Z', to: '2027-01-21T00:00:00Z' },
    });
    expect(long.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
