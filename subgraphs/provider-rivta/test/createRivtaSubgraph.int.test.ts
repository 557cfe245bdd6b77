import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureLogs, contractSuiteNow, testPatient } from '@booking/provider-contract-tests';
import { createProviderService, type ProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type CareUnitSeed,
  createRivtaSimulator,
  defaultSeed,
  type RivtaSimulator,
} from '../../../simulators/rivta/src/server.js';
import {
  type RivtaConnection,
  type RivtaConnectionEntry,
  rivtaProvider,
  rivtaSettings,
  simulatorConnections,
} from '../src/provider.js';

/** The contract suite's clock: a week before the autumn DST change. */
const startOfTest = contractSuiteNow;
let simulatorNow = startOfTest;

const patient = { ...testPatient, email: 'testa@example.se' };

/** A unit open at night on Sundays, to meet both DST changes on the wall clock. */
const nightUnit: CareUnitSeed = {
  logicalAddress: 'SE2321000016-9999',
  name: 'Närakuten natt',
  facilities: [
    {
      hsaId: 'SE2321000016-99N1',
      name: 'Närakuten natt',
      bookingHorizonDays: 28,
      performers: [
        {
          hsaId: 'SE2321000016-N901',
          firstName: 'Nils',
          lastName: 'Natt',
          title: 'Leg. läkare',
          blocks: [
            {
              days: [7],
              from: '01:00',
              to: '04:00',
              timeTypeId: 'LAK20',
              careTypeId: 'ALLM',
              slotMinutes: 20,
            },
          ],
        },
      ],
    },
  ],
};

/** The simulator's units and two more, all behind the simulator's platform at `simulatorUrl`. */
function unitsAt(simulatorUrl: string): RivtaConnectionEntry[] {
  const baseUrl = `${simulatorUrl}/vp`;
  return [
    ...simulatorConnections(simulatorUrl),
    { id: 'natt', name: 'Närakuten natt', baseUrl, logicalAddress: nightUnit.logicalAddress },
    // Not behind the platform at all: the connection must say so, the others carry on.
    { id: 'okand', name: 'Okänd enhet', baseUrl, logicalAddress: 'SE0000000000-0000' },
  ];
}

/** Everything the subgraph logs, to prove that patient data never reaches a log line. */
const { lines: logLines, destination: logSink } = captureLogs();

let simulator: RivtaSimulator;
let subgraph: ProviderService<RivtaConnection>;
/** The reservation index's files: every subgraph started by this file reads the same ones. */
const settings = rivtaSettings.parse({
  RIVTA_RESERVATIONS_DIR: mkdtempSync(join(tmpdir(), 'rivta-index-')),
});

/** The subgraph over the simulator's units, listening; a second one is the first restarted. */
async function startSubgraph(simulatorUrl: string) {
  const service = createProviderService(
    rivtaProvider,
    { connections: unitsAt(simulatorUrl), providerDeadlineMs: 3_000, settings },
    createLogger({ service: 'provider-rivta', level: 'debug', destination: logSink }),
  );
  await service.listen(0);
  return service;
}
let counter = 0;
const nextReservationId = () => `res-${Date.now()}-${++counter}`;

interface GraphQLResponse {
  // biome-ignore lint/suspicious/noExplicitAny: each test reads the shape of its own operation.
  data?: any;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function graphql(
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse> {
  const response = await fetch(`${subgraph.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse;
}

async function configure(body: unknown): Promise<void> {
  const response = await fetch(`${simulator.url}/_admin/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

const slotFields = 'id clinicId start end treatmentIds practitioner { id name }';
const resultFields =
  'booking { reservationId slotId status providerReference expiresAt } error { code message field }';

async function slots(connectionId: string, from: string, to: string, extra: object = {}) {
  const result = await graphql(
    `query ($input: ContractSlotsInput!) { contractSlots(input: $input) { ${slotFields} } }`,
    { input: { connectionId, from, to, ...extra } },
  );
  expect(result.errors).toBeUndefined();
  return result.data.contractSlots as {
    id: string;
    clinicId: string;
    start: string;
    end: string;
    treatmentIds: string[];
    practitioner: { id: string; name: string } | null;
  }[];
}

async function book(
  slotId: string,
  reservationId = nextReservationId(),
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return graphql(
    `mutation ($input: ContractBookInput!) { contractBook(input: $input) { ${resultFields} } }`,
    {
      input: { connectionId: 'rivta-kungsholmen', slotId, reservationId, patient, ...extra },
    },
    headers,
  );
}

async function cancel(reservationId: string, providerReference: string) {
  const result = await graphql(
    `mutation ($input: ContractCancelInput!) { contractCancel(input: $input) { ${resultFields} } }`,
    { input: { connectionId: 'rivta-kungsholmen', reservationId, providerReference } },
  );
  expect(result.errors).toBeUndefined();
  return result.data.contractCancel;
}

async function lookUp(reservationId: string) {
  const result = await graphql(
    'query ($r: ID!) { contractBooking(connectionId: "rivta-kungsholmen", reservationId: $r) { reservationId slotId status providerReference } }',
    { r: reservationId },
  );
  expect(result.errors).toBeUndefined();
  return result.data.contractBooking;
}

async function slotStatus(slotId: string) {
  const result = await graphql(
    'query ($s: ID!) { contractSlot(connectionId: "rivta-kungsholmen", slotId: $s) { status slot { id start } } }',
    { s: slotId },
  );
  expect(result.errors).toBeUndefined();
  return result.data.contractSlot?.status ?? null;
}

/** The simulator's bookings made for a reservation (its id travels in `purpose`). */
function bookingsOf(reservationId: string) {
  return simulator.state.units
    .get('SE2321000016-1234')!
    .allBookings()
    .filter((b) => b.purpose === `Vården:${reservationId}`);
}

/** Free slots at Kungsholmen on Wednesday 21 October, a different one per call. */
let pool: Awaited<ReturnType<typeof slots>> = [];
async function freeSlot() {
  if (pool.length === 0) {
    pool = await slots('rivta-kungsholmen', '2026-10-21T00:00:00Z', '2026-10-23T00:00:00Z', {
      clinicIds: ['SE2321000016-12A1'],
    });
  }
  return pool.shift()!;
}

beforeAll(async () => {
  simulator = createRivtaSimulator({
    clock: () => simulatorNow,
    seed: { ...defaultSeed, units: [...defaultSeed.units, nightUnit] },
    otherPatientsShare: 0,
  });
  subgraph = await startSubgraph(await simulator.listen(0));
});

afterAll(async () => {
  await subgraph.close();
  await simulator.close();
});

beforeEach(() => {
  simulatorNow = startOfTest;
});

afterEach(async () => {
  await configure({ faultRate: 0, latencyMs: 0, responseDelayMs: 0, lostResponses: 0 });
  // Every request the adapter sent and every response the simulator sent was schema-valid.
  const { stats } = simulator.state;
  expect(stats.invalidRequests, stats.lastProblems.join('\n')).toBe(0);
  expect(stats.invalidResponses, stats.lastProblems.join('\n')).toBe(0);
});

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
    simulatorNow = new Date('2026-03-27T08:00:00Z');
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

describe('book and cancel', () => {
  it('books, repeats idempotently, is found by reservation id, cancels twice, and frees the slot', async () => {
    const slot = await freeSlot();
    const reservationId = nextReservationId();
    const first = await book(slot.id, reservationId, { note: 'Ont i ryggen' });
    expect(first.errors).toBeUndefined();
    const booking = first.data.contractBook.booking;
    expect(booking).toMatchObject({ reservationId, slotId: slot.id, status: 'BOOKED' });
    expect(booking.providerReference).toMatch(/^SE2321000016-12A1\|BK\d{8}$/);

    const again = await book(slot.id, reservationId);
    expect(again.data.contractBook.booking.providerReference).toBe(booking.providerReference);
    expect(bookingsOf(reservationId)).toHaveLength(1);
    expect(bookingsOf(reservationId)[0]).toMatchObject({
      subjectOfCare: '199001010017',
      purpose: `Vården:${reservationId}`,
      notification: 'Ont i ryggen',
    });

    expect(await slotStatus(slot.id)).toBe('BOOKED');
    expect(await lookUp(reservationId)).toMatchObject({ status: 'BOOKED', slotId: slot.id });

    const cancelled = await cancel(reservationId, booking.providerReference);
    expect(cancelled.booking).toMatchObject({ status: 'CANCELLED', slotId: slot.id });
    expect((await cancel(reservationId, booking.providerReference)).booking.status).toBe(
      'CANCELLED',
    );
    expect(await lookUp(reservationId)).toMatchObject({ status: 'CANCELLED', slotId: slot.id });
    expect(await slotStatus(slot.id)).toBe('FREE');
  });

  it('books a slot of the repeated autumn hour by its own wall times', async () => {
    const [, ambiguous] = await slots('rivta-natt', '2026-10-25T00:00:00Z', '2026-10-25T01:00:00Z');
    const result = await graphql(
      `mutation ($input: ContractBookInput!) { contractBook(input: $input) { ${resultFields} } }`,
      {
        input: {
          connectionId: 'rivta-natt',
          slotId: ambiguous!.id,
          reservationId: nextReservationId(),
          patient,
        },
      },
    );
    expect(result.data.contractBook.booking).toMatchObject({
      status: 'BOOKED',
      slotId: ambiguous!.id,
    });
    expect(
      simulator.state.units.get(nightUnit.logicalAddress)!.allBookings()[0]!.timeslot.start,
    ).toBe('20261025022000');
  });

  it('answers SLOT_UNAVAILABLE for a slot booked by another reservation, and INVALID_INPUT for a reused reservation id', async () => {
    const slot = await freeSlot();
    const reservationId = nextReservationId();
    expect((await book(slot.id, reservationId)).data.contractBook.booking.status).toBe('BOOKED');
    expect((await book(slot.id)).data.contractBook.error.code).toBe('SLOT_UNAVAILABLE');
    const other = await freeSlot();
    expect((await book(other.id, reservationId)).data.contractBook.error).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'reservationId',
    });
  });

  it('refuses an identity number the producer rejects as INVALID_INPUT on the patient', async () => {
    const slot = await freeSlot();
    const result = await book(slot.id, nextReservationId(), {
      patient: { ...patient, personalIdentityNumber: '199001010018' },
    });
    expect(result.data.contractBook.error).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'patient.personalIdentityNumber',
    });
    expect(await slotStatus(slot.id)).toBe('FREE');
  });

  it('books all the same when the producer shortens a long note (INFO)', async () => {
    const slot = await freeSlot();
    const result = await book(slot.id, nextReservationId(), { note: 'x'.repeat(600) });
    expect(result.data.contractBook.booking.status).toBe('BOOKED');
  });

  it('answers a producer fault on a booking with the typed PROVIDER_UNAVAILABLE', async () => {
    const slot = await freeSlot();
    await configure({ faultRate: 1 });
    const result = await book(slot.id);
    expect(result.errors).toBeUndefined();
    expect(result.data.contractBook.error.code).toBe('PROVIDER_UNAVAILABLE');
  });

  it('finds a booking whose answer was lost, and books idempotently after it', async () => {
    const slot = await freeSlot();
    const reservationId = nextReservationId();
    await configure({ lostResponses: 1 });
    const lost = await book(slot.id, reservationId);
    expect(lost.errors?.[0]?.extensions?.code).toBe('PROVIDER_TIMEOUT');
    const found = await lookUp(reservationId);
    expect(found).toMatchObject({ status: 'BOOKED', slotId: slot.id });
    const again = await book(slot.id, reservationId);
    expect(again.data.contractBook.booking.providerReference).toBe(found.providerReference);
    expect(bookingsOf(reservationId)).toHaveLength(1);
  });

  it('finds a booking made before a restart by its reservation id after it', async () => {
    const slot = await freeSlot();
    const reservationId = nextReservationId();
    const booking = (await book(slot.id, reservationId)).data.contractBook.booking;
    const lostSlot = await freeSlot();
    const lostReservationId = nextReservationId();
    await configure({ lostResponses: 1 });
    expect((await book(lostSlot.id, lostReservationId)).errors?.[0]?.extensions?.code).toBe(
      'PROVIDER_TIMEOUT',
    );

    await subgraph.close();
    subgraph = await startSubgraph(simulator.url);
    expect(await lookUp(reservationId)).toMatchObject({
      status: 'BOOKED',
      slotId: slot.id,
      providerReference: booking.providerReference,
    });
    // The patient of a booking whose answer was lost is not kept across the restart: the look-up
    // cannot tell, and scheduling books again with the patient, which finds the booking.
    expect(await lookUp(lostReservationId)).toBeNull();
    const again = (await book(lostSlot.id, lostReservationId)).data.contractBook.booking;
    expect(again).toMatchObject({ status: 'BOOKED', slotId: lostSlot.id });
    expect(await lookUp(lostReservationId)).toMatchObject({ status: 'BOOKED' });
    expect(bookingsOf(lostReservationId)).toHaveLength(1);
    const cancelled = await cancel(reservationId, booking.providerReference);
    expect(cancelled.booking).toMatchObject({ status: 'CANCELLED', slotId: slot.id });
  });

  it('reconciles a booking that outlived the caller’s deadline', async () => {
    const slot = await freeSlot();
    const reservationId = nextReservationId();
    await configure({ responseDelayMs: 600 });
    const late = await book(
      slot.id,
      reservationId,
      {},
      { 'x-deadline-at': String(Date.now() + 250) },
    );
    expect(late.errors?.[0]?.extensions?.code).toBe('PROVIDER_TIMEOUT');
    await configure({ responseDelayMs: 0 });
    expect(await lookUp(reservationId)).toMatchObject({ status: 'BOOKED', slotId: slot.id });
  });

  it('refuses to cancel within the cut-off, or with a reference of another reservation', async () => {
    const slot = await freeSlot();
    const reservationId = nextReservationId();
    const booking = (await book(slot.id, reservationId)).data.contractBook.booking;
    expect((await cancel(nextReservationId(), booking.providerReference)).error.code).toBe(
      'NOT_FOUND',
    );
    expect((await cancel(reservationId, 'nonsense')).error.code).toBe('NOT_FOUND');
    simulatorNow = new Date(Date.parse(slot.start) - 30 * 60_000);
    expect((await cancel(reservationId, booking.providerReference)).error.code).toBe(
      'NOT_CANCELLABLE',
    );
  });

  it('tells FREE, BOOKED, and null for what cannot be a slot of this unit', async () => {
    const slot = await freeSlot();
    expect(await slotStatus(slot.id)).toBe('FREE');
    expect(await slotStatus(`${slot.id}x`)).toBeNull();
    expect(await slotStatus(slot.id.replace('SE2321000016-12A1', 'SE2321000032-56A1'))).toBeNull();
    expect(await slotStatus('not-a-slot')).toBeNull();
  });

  it('answers UNSUPPORTED to a hold: the platform holds slots itself', async () => {
    const slot = await freeSlot();
    const result = await graphql(
      `mutation ($input: ContractHoldInput!) { contractHold(input: $input) { ${resultFields} } }`,
      {
        input: {
          connectionId: 'rivta-kungsholmen',
          slotId: slot.id,
          reservationId: nextReservationId(),
        },
      },
    );
    expect(result.data.contractHold.error.code).toBe('UNSUPPORTED');
  });

  it('books one slot exactly once when eight reservations race for it', async () => {
    const slot = await freeSlot();
    const results = await Promise.all(Array.from({ length: 8 }, () => book(slot.id)));
    const outcomes = results.map(
      (r) => r.data.contractBook.booking?.status ?? r.data.contractBook.error.code,
    );
    expect(outcomes.filter((o) => o === 'BOOKED')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'SLOT_UNAVAILABLE')).toHaveLength(7);
    const taken = simulator.state.units
      .get('SE2321000016-1234')!
      .allBookings()
      .filter((b) => b.status === 'booked' && slot.id.includes(b.timeslot.start));
    expect(taken).toHaveLength(1);
  });
});

describe('logging', () => {
  it('never writes patient data to a log line', () => {
    expect(logLines.length).toBeGreaterThan(0);
    const all = logLines.join('\n');
    for (const secret of [
      patient.personalIdentityNumber,
      '199001010018',
      patient.givenName,
      patient.familyName,
      patient.email,
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});
