import { describe, expect, it } from 'vitest';
import { configure, graphql, setSimulatorNow, slots, useRivtaSubgraph } from './rivtaSubgraph.js';

useRivtaSubgraph();

describe('describe', () => {
  it('serves one connection per care unit, with facilities as clinics and time types as treatments', async () => {
    const result = await graphql(
      '{ contractConnections { id system capabilities holdTtlSeconds unavailableReason clinics { id name timeZone treatmentIds address { line city } location { latitude } } treatments { id providerCode name } } }',
    );
    expect(result.errors).toBeUndefined();
    const connections = result.data.contractConnections;
    expect(connections.map((c: { id: string }) => c.id)).toEqual([
      'rivta-kungsholmen',
      'rivta-gottsunda',
      'rivta-mollevangen',
      'rivta-natt',
      'rivta-okand',
    ]);
    const kungsholmen = connections[0];
    expect(kungsholmen).toMatchObject({
      system: 'rivta',
      capabilities: ['API_BOOKING', 'CANCEL', 'RESCHEDULE'],
      holdTtlSeconds: null,
      unavailableReason: null,
    });
    expect(kungsholmen.clinics[0]).toEqual({
      id: 'SE2321000016-12A1',
      name: 'Vårdcentralen Kungsholmen, läkar- och sjuksköterskemottagning',
      timeZone: 'Europe/Stockholm',
      treatmentIds: ['general-practitioner', 'nurse-visit', 'vaccination'],
      address: { line: 'Fleminggatan 22', city: 'Stockholm' },
      location: { latitude: 59.3326 },
    });
    // TEL10 (Telefontid) has no catalogue treatment and is left out.
    expect(kungsholmen.treatments.map((t: { providerCode: string }) => t.providerCode)).toEqual([
      'LAK20',
      'SSK15',
      'VACC10',
    ]);
  });

  it('reports a unit the platform cannot route to as unavailable, without failing the others', async () => {
    const result = await graphql('{ contractConnections { id unavailableReason clinics { id } } }');
    const byId = new Map(
      result.data.contractConnections.map((c: { id: string }) => [c.id, c] as const),
    );
    expect(byId.get('rivta-okand')).toMatchObject({ clinics: [] });
    expect((byId.get('rivta-okand') as { unavailableReason: string }).unavailableReason).toMatch(
      /VP004/,
    );
    expect(
      (byId.get('rivta-gottsunda') as { unavailableReason: null }).unavailableReason,
    ).toBeNull();
  });
});

describe('find', () => {
  it('keeps 09:00 local at the weekend vaccination clinic across the autumn change', async () => {
    const found = await slots('rivta-kungsholmen', '2026-10-22T22:00:00Z', '2026-10-25T23:00:00Z', {
      clinicIds: ['SE2321000016-12B2'],
    });
    const firstOfDay = (day: string) => found.find((s) => s.start.startsWith(day))?.start;
    expect(firstOfDay('2026-10-23')).toBe('2026-10-23T07:00:00.000Z');
    expect(firstOfDay('2026-10-24')).toBe('2026-10-24T07:00:00.000Z');
    expect(firstOfDay('2026-10-25')).toBe('2026-10-25T08:00:00.000Z');
    expect(found.at(-1)?.start).toBe('2026-10-25T11:50:00.000Z');
    expect(found.every((s) => s.treatmentIds[0] === 'vaccination')).toBe(true);
  });

  it('reads the repeated autumn hour as the producer books it: each wall time once, at its earlier occurrence', async () => {
    const night = await slots('rivta-natt', '2026-10-24T22:00:00Z', '2026-10-25T04:00:00Z');
    expect(night.map((s) => [s.start.slice(11, 16), s.end.slice(11, 16)])).toEqual([
      ['23:00', '23:20'],
      ['23:20', '23:40'],
      ['23:40', '00:00'],
      ['00:00', '00:20'], // 02:00 CEST
      ['00:20', '00:40'],
      ['00:40', '02:00'], // 02:40 CEST to 03:00 CET, as the wall clock has it
      ['02:00', '02:20'], // 03:00 CET
      ['02:20', '02:40'],
      ['02:40', '03:00'],
    ]);
    expect(night[0]!.practitioner).toEqual({ id: 'SE2321000016-N901', name: 'Nils Natt' });
  });

  it('skips the spring hour that does not exist, and a slot ending in it lasts its 20 minutes', async () => {
    setSimulatorNow(new Date('2026-03-27T08:00:00Z'));
    const night = await slots('rivta-natt', '2026-03-28T23:00:00Z', '2026-03-29T04:00:00Z');
    expect(night.map((s) => [s.start.slice(11, 16), s.end.slice(11, 16)])).toEqual([
      ['00:00', '00:20'],
      ['00:20', '00:40'],
      ['00:40', '01:00'], // 01:40 CET to "02:00", which the clock shows as 03:00 CEST
      ['01:00', '01:20'], // 03:00 CEST
      ['01:20', '01:40'],
      ['01:40', '02:00'],
    ]);
  });

  it('applies the window exactly, and narrows by treatment and practitioner', async () => {
    const from = '2026-10-21T06:30:00Z';
    const to = '2026-10-21T07:30:00Z';
    const found = await slots('rivta-kungsholmen', from, to);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((s) => s.start >= '2026-10-21T06:30' && s.start < '2026-10-21T07:30')).toBe(
      true,
    );
    const nurse = await slots('rivta-kungsholmen', from, to, { treatmentId: 'nurse-visit' });
    expect(nurse.length).toBeGreaterThan(0);
    expect(nurse.every((s) => s.practitioner?.id === 'SE2321000016-S102')).toBe(true);
    const anna = await slots('rivta-kungsholmen', from, to, {
      practitionerId: 'SE2321000016-L101',
    });
    expect(anna.every((s) => s.treatmentIds[0] === 'general-practitioner')).toBe(true);
    expect(await slots('rivta-kungsholmen', from, to, { treatmentId: 'dental-checkup' })).toEqual(
      [],
    );
  });

  it('refuses a window without offset or over 62 days as the caller’s error', async () => {
    const result = await graphql(
      'query { contractSlots(input: { connectionId: "rivta-kungsholmen", from: "2026-10-21T08:00:00", to: "2026-10-22T08:00:00Z" }) { id } }',
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('reports a producer fault on a search as PROVIDER_UNAVAILABLE', async () => {
    await slots('rivta-kungsholmen', '2026-10-21T06:00:00Z', '2026-10-21T07:00:00Z');
    await configure({ faultRate: 1 });
    const result = await graphql(
      'query { contractSlots(input: { connectionId: "rivta-kungsholmen", from: "2026-10-21T06:00:00Z", to: "2026-10-21T07:00:00Z" }) { id } }',
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
    expect(result.errors?.[0]?.message).toMatch(/VP009/);
  });
});
