import { createContractClient, slotsQuery } from '@booking/provider-contract-tests';
import { createProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { describe, expect, it } from 'vitest';
import { cliniqProvider, simulatorConnections } from '../src/provider.js';
import {
  configureSimulator,
  graphql,
  setSimulatorNow,
  simulatorUrl,
  slotQuery,
  useCliniqSubgraph,
  vendorSlotsInUtc,
} from './cliniqSubgraph.js';

useCliniqSubgraph();

describe('provider-cliniq: searching the Cliniq simulator', () => {
  it('lists both tenants as connections with their clinics and mapped treatments', async () => {
    const result = await graphql(`{
      contractConnections {
        id system name capabilities holdTtlSeconds unavailableReason
        clinics { id name timeZone treatmentIds address { line postalCode city } location { latitude longitude } }
        treatments { id providerCode name durationMinutes }
      }
    }`);
    expect(result.errors).toBeUndefined();
    const [nordklinik, vastkusten] = result.data.contractConnections;
    expect(nordklinik).toMatchObject({
      id: 'cliniq-nordklinik',
      system: 'cliniq',
      name: 'Nordklinik',
      capabilities: ['API_BOOKING', 'HOLDS', 'CANCEL', 'RESCHEDULE', 'CHANGES'],
      holdTtlSeconds: 300,
      unavailableReason: null,
    });
    expect(nordklinik.clinics.map((c: { id: string }) => c.id)).toEqual([
      'CL1001',
      'CL1002',
      'CL1003',
    ]);
    expect(nordklinik.clinics[0]).toEqual({
      id: 'CL1001',
      name: 'Nordklinik Södermalm',
      timeZone: 'Europe/Stockholm',
      treatmentIds: [
        'general-practitioner',
        'nurse-visit',
        'vaccination',
        'physiotherapy',
        'child-health',
      ],
      address: { line: 'Götgatan 54', postalCode: '118 26', city: 'Stockholm' },
      location: { latitude: 59.3142, longitude: 18.0736 },
    });
    expect(nordklinik.treatments).toContainEqual({
      id: 'general-practitioner',
      providerCode: 'ALLM20',
      name: 'Läkarbesök allmänmedicin',
      durationMinutes: 20,
    });
    expect(nordklinik.treatments).toHaveLength(6);
    expect(vastkusten).toMatchObject({
      id: 'cliniq-vastkusten',
      name: 'Västkustens Vårdcentraler',
    });
    expect(vastkusten.clinics.map((c: { address: { city: string } }) => c.address.city)).toEqual([
      'Göteborg',
      'Göteborg',
      'Malmö',
    ]);
  });

  it('marks only the tenant whose catalogue cannot be loaded as unavailable in contractConnections', async () => {
    await configureSimulator({ tenants: { vastkusten: { down: true } } });
    // A subgraph starting now cannot load Västkusten's catalogue.
    const starting = createProviderService(
      cliniqProvider,
      { providerDeadlineMs: 1000, connections: simulatorConnections(simulatorUrl()) },
      createLogger({ service: 'provider-cliniq', level: 'silent' }),
    );
    const url = await starting.listen(0);
    const query = '{ contractConnections { id unavailableReason clinics { id } } }';
    try {
      const result = await createContractClient(() => `${url}/graphql`).graphql(query);
      const [nordklinik, vastkusten] = result.data.contractConnections;
      expect(nordklinik).toMatchObject({ unavailableReason: null });
      expect(nordklinik.clinics).toHaveLength(3);
      expect(vastkusten.unavailableReason).toMatch(/503/);
      expect(vastkusten.clinics).toEqual([]);
    } finally {
      await starting.close();
    }
    // The running subgraph loaded it before the outage: it keeps describing the last good copy.
    const running = await graphql(query);
    expect(running.data.contractConnections[1]).toMatchObject({ unavailableReason: null });
    expect(running.data.contractConnections[1].clinics).toHaveLength(3);
  });

  it('returns slots across the spring DST change in UTC, ordered and inside the window', async () => {
    // Saturday 28 March is winter time (UTC+1), Monday 30 March summer time (UTC+2).
    const from = '2026-03-28T00:00:00Z';
    const to = '2026-03-30T07:00:00Z';
    const result = await graphql(slotsQuery, {
      input: {
        connectionId: 'cliniq-nordklinik',
        clinicIds: ['CL1001'],
        treatmentId: 'general-practitioner',
        from,
        to,
      },
    });
    expect(result.errors).toBeUndefined();
    const slots = result.data.contractSlots as {
      id: string;
      start: string;
      end: string;
      treatmentIds: string[];
    }[];
    const expected = await vendorSlotsInUtc('2026-03-28T00:00:00', '2026-03-30T09:00:00', {
      '2026-03-28': 1,
      '2026-03-30': 2,
    });
    expect(expected.some((s) => s.start.startsWith('2026-03-28T09:'))).toBe(true);
    expect(expected.some((s) => s.start.startsWith('2026-03-30T06:'))).toBe(true);
    expect(slots.map((s) => ({ id: s.id, start: s.start }))).toEqual(expected);
    expect(slots.every((s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/.test(s.start))).toBe(true);
    expect(slots.every((s) => s.treatmentIds.includes('general-practitioner'))).toBe(true);
    const sorted = [...slots].sort((a, b) =>
      a.start === b.start ? (a.id < b.id ? -1 : 1) : a.start < b.start ? -1 : 1,
    );
    expect(slots.map((s) => s.id)).toEqual(sorted.map((s) => s.id));
  });

  it('returns slots across the autumn DST change in UTC', async () => {
    // Saturday 24 October is summer time (UTC+2), Monday 26 October winter time (UTC+1).
    setSimulatorNow(new Date('2026-10-21T08:00:00Z'));
    await fetch(`${simulatorUrl()}/_admin/reset`, { method: 'POST' });
    const result = await graphql(slotsQuery, {
      input: {
        connectionId: 'cliniq-nordklinik',
        clinicIds: ['CL1001'],
        treatmentId: 'general-practitioner',
        from: '2026-10-24T00:00:00Z',
        to: '2026-10-26T09:00:00Z',
      },
    });
    expect(result.errors).toBeUndefined();
    const expected = await vendorSlotsInUtc('2026-10-24T00:00:00', '2026-10-26T10:00:00', {
      '2026-10-24': 2,
      '2026-10-26': 1,
    });
    expect(expected.some((s) => s.start.startsWith('2026-10-24T08:'))).toBe(true);
    expect(expected.some((s) => s.start.startsWith('2026-10-26T07:'))).toBe(true);
    const slots = result.data.contractSlots as { id: string; start: string }[];
    expect(slots.map((s) => ({ id: s.id, start: s.start }))).toEqual(expected);
  });

  it('merges several clinics into one ordered list and honours the practitioner filter', async () => {
    const input = {
      connectionId: 'cliniq-vastkusten',
      from: '2026-03-30T06:00:00Z',
      to: '2026-03-30T10:00:00Z',
    };
    const all = await graphql(slotsQuery, { input });
    const slots = all.data.contractSlots as {
      id: string;
      start: string;
      clinicId: string;
      practitioner: { id: string };
    }[];
    expect(new Set(slots.map((s) => s.clinicId))).toEqual(new Set(['CL2001', 'CL2002', 'CL2003']));
    expect(slots.map((s) => s.start)).toEqual([...slots.map((s) => s.start)].sort());
    const one = await graphql(slotsQuery, { input: { ...input, practitionerId: 'PR2202' } });
    const own = one.data.contractSlots as { practitioner: { id: string } }[];
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((s) => s.practitioner.id === 'PR2202')).toBe(true);
    // Cliniq has no code for midwife visits: nothing to find, and nothing asked.
    const none = await graphql(slotsQuery, { input: { ...input, treatmentId: 'midwife' } });
    expect(none).toEqual({ data: { contractSlots: [] } });
  });

  it('times out a tenant slower than its deadline while the other tenant answers', async () => {
    await configureSimulator({ tenants: { nordklinik: { latencyMs: 1500 } } });
    const started = Date.now();
    const input = { from: '2026-03-30T06:00:00Z', to: '2026-03-30T10:00:00Z' };
    const [slow, fast] = await Promise.all([
      graphql(slotsQuery, { input: { ...input, connectionId: 'cliniq-nordklinik' } }).then((r) => ({
        ...r,
        ms: Date.now() - started,
      })),
      graphql(slotsQuery, { input: { ...input, connectionId: 'cliniq-vastkusten' } }),
    ]);
    expect(slow.errors?.[0]?.extensions?.code).toBe('PROVIDER_TIMEOUT');
    expect(slow.ms).toBeLessThan(1000 + 300);
    expect(fast.errors).toBeUndefined();
    expect(fast.data.contractSlots.length).toBeGreaterThan(0);
  });

  it('stops at the deadline the caller sends in x-deadline-at', async () => {
    await configureSimulator({ tenants: { vastkusten: { latencyMs: 800 } } });
    const started = Date.now();
    const result = await graphql(
      slotQuery,
      { connectionId: 'cliniq-vastkusten', slotId: 'SL-CL2001-PR2101-202603300800' },
      { 'x-deadline-at': String(Date.now() + 300) },
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('PROVIDER_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(300 + 300);
  });

  it('answers UNKNOWN_CONNECTION for a connection it does not serve', async () => {
    const result = await graphql(slotsQuery, {
      input: {
        connectionId: 'cliniq-okand',
        from: '2026-03-30T00:00:00Z',
        to: '2026-03-31T00:00:00Z',
      },
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('UNKNOWN_CONNECTION');
  });

  it('answers a null slot for an id Cliniq does not know, and BAD_USER_INPUT for an offset-less window', async () => {
    const missing = await graphql(slotQuery, {
      connectionId: 'cliniq-nordklinik',
      slotId: 'SL-nope',
    });
    expect(missing).toEqual({ data: { contractSlot: null } });
    const bad = await graphql(slotsQuery, {
      input: {
        connectionId: 'cliniq-nordklinik',
        from: '2026-03-30T00:00:00',
        to: '2026-03-31T00:00:00Z',
      },
    });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
