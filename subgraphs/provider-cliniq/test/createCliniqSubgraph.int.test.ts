import {
  captureLogs,
  createContractClient,
  slotFields,
  slotsQuery,
  testPatient,
} from '@booking/provider-contract-tests';
import { createProviderService, type ProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type CliniqSimulator,
  createCliniqSimulator,
} from '../../../simulators/cliniq/src/server.js';
import { type CliniqConnection, cliniqProvider, simulatorConnections } from '../src/provider.js';

/** Wednesday 2026-03-25 09:00 in Stockholm (CET): the spring DST change is four days later. */
const startOfTest = new Date('2026-03-25T08:00:00Z');
let simulatorNow = startOfTest;

const patient = { ...testPatient, email: 'testa@example.se' };

/** Everything the subgraph logs, to prove that patient data never reaches a log line. */
const { lines: logLines, destination: logSink } = captureLogs();

let simulator: CliniqSimulator;
let subgraph: ProviderService<CliniqConnection>;
let reservationCounter = 0;
const nextReservationId = () => `res-${Date.now()}-${++reservationCounter}`;

const { graphql } = createContractClient(() => `${subgraph.url}/graphql`);

async function configureSimulator(body: unknown): Promise<void> {
  const response = await fetch(`${simulator.url}/_admin/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

const bookingResultFields =
  'booking { reservationId slotId status providerReference expiresAt } error { code message field }';

const slotQuery = `query ($connectionId: ID!, $slotId: ID!) {
  contractSlot(connectionId: $connectionId, slotId: $slotId) { status slot { ${slotFields} } }
}`;
const bookingQuery = `query ($connectionId: ID!, $reservationId: ID!) {
  contractBooking(connectionId: $connectionId, reservationId: $reservationId) {
    reservationId slotId status providerReference expiresAt
  }
}`;
const holdMutation = `mutation ($input: ContractHoldInput!) { contractHold(input: $input) { ${bookingResultFields} } }`;
const bookMutation = `mutation ($input: ContractBookInput!) { contractBook(input: $input) { ${bookingResultFields} } }`;
const confirmMutation = `mutation ($input: ContractConfirmInput!) { contractConfirm(input: $input) { ${bookingResultFields} } }`;
const cancelMutation = `mutation ($input: ContractCancelInput!) { contractCancel(input: $input) { ${bookingResultFields} } }`;

/** Free slots of one clinic on Monday 30 March, the first weekday after the spring change. */
async function mondaySlots(connectionId = 'cliniq-nordklinik', clinicId = 'CL1001') {
  const result = await graphql(slotsQuery, {
    input: {
      connectionId,
      clinicIds: [clinicId],
      from: '2026-03-30T00:00:00Z',
      to: '2026-03-31T00:00:00Z',
    },
  });
  expect(result.errors).toBeUndefined();
  return result.data.contractSlots as { id: string; start: string; clinicId: string }[];
}

/**
 * The oracle for slot times: Cliniq's own answer for CL1001's ALLM20 slots, shifted by hand by the
 * UTC offset of each local day (`offsetHours`), independently of the code under test.
 */
async function vendorSlotsInUtc(from: string, to: string, offsetHours: Record<string, number>) {
  const response = await fetch(
    `${simulator.url}/t/nordklinik/api/v1/slots?clinicId=CL1001&serviceCode=ALLM20&pageSize=100` +
      `&from=${from}&to=${to}`,
    { headers: { 'x-api-key': 'dev-key-nordklinik' } },
  );
  const { data, totalPages } = (await response.json()) as {
    data: { id: string; start: string }[];
    totalPages: number;
  };
  expect(totalPages).toBe(1);
  return data.map((slot) => {
    const offset = offsetHours[slot.start.slice(0, 10)];
    if (offset === undefined) throw new Error(`no offset given for ${slot.start}`);
    const utc = new Date(`${slot.start}Z`).getTime() - offset * 3_600_000;
    return { id: slot.id, start: new Date(utc).toISOString() };
  });
}

beforeAll(async () => {
  simulator = createCliniqSimulator({ clock: () => simulatorNow, rateLimitPerSecond: 10_000 });
  const simulatorUrl = await simulator.listen(0);
  const [nordklinik, vastkusten] = simulatorConnections(simulatorUrl);
  subgraph = createProviderService(
    cliniqProvider,
    {
      providerDeadlineMs: 1000,
      // Västkusten's deadline is long enough to wait out a one-second Retry-After and try again.
      connections: [nordklinik!, { ...vastkusten!, deadlineMs: 2500 }],
    },
    createLogger({ service: 'provider-cliniq', level: 'debug', destination: logSink }),
  );
  await subgraph.listen(0);
});

afterAll(async () => {
  await subgraph?.close();
  await simulator?.close();
});

beforeEach(async () => {
  simulatorNow = startOfTest;
  const response = await fetch(`${simulator.url}/_admin/reset`, { method: 'POST' });
  expect(response.status).toBe(200);
  await configureSimulator({ rateLimitPerSecond: 10_000 });
});

describe('provider-cliniq against the Cliniq simulator', () => {
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
      capabilities: ['API_BOOKING', 'HOLDS', 'CANCEL', 'RESCHEDULE'],
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

  it('marks only the tenant that is down as unavailable in contractConnections', async () => {
    await configureSimulator({ tenants: { vastkusten: { down: true } } });
    const result = await graphql('{ contractConnections { id unavailableReason clinics { id } } }');
    const [nordklinik, vastkusten] = result.data.contractConnections;
    expect(nordklinik).toMatchObject({ unavailableReason: null });
    expect(nordklinik.clinics).toHaveLength(3);
    expect(vastkusten.unavailableReason).toMatch(/503/);
    expect(vastkusten.clinics).toEqual([]);
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
    simulatorNow = new Date('2026-10-21T08:00:00Z');
    await fetch(`${simulator.url}/_admin/reset`, { method: 'POST' });
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

  it('holds, confirms, finds by reservation id and cancels a booking', async () => {
    const [slot] = await mondaySlots();
    const reservationId = nextReservationId();
    const connectionId = 'cliniq-nordklinik';

    const held = await graphql(holdMutation, {
      input: { connectionId, slotId: slot!.id, reservationId },
    });
    expect(held.data.contractHold).toEqual({
      booking: {
        reservationId,
        slotId: slot!.id,
        status: 'HELD',
        providerReference: expect.stringMatching(/^HD-/),
        // Five minutes after the simulator's clock, converted from Stockholm time.
        expiresAt: '2026-03-25T08:05:00.000Z',
      },
      error: null,
    });
    const holdId = held.data.contractHold.booking.providerReference;
    const whileHeld = await graphql(slotQuery, { connectionId, slotId: slot!.id });
    expect(whileHeld.data.contractSlot).toMatchObject({
      status: 'HELD',
      slot: { id: slot!.id, start: slot!.start },
    });

    const confirmed = await graphql(confirmMutation, {
      input: {
        connectionId,
        reservationId,
        providerReference: holdId,
        patient,
        note: 'Ont i halsen',
      },
    });
    expect(confirmed.data.contractConfirm.error).toBeNull();
    expect(confirmed.data.contractConfirm.booking).toMatchObject({
      reservationId,
      status: 'BOOKED',
      providerReference: expect.stringMatching(/^BK-/),
      expiresAt: null,
    });
    const bookingId = confirmed.data.contractConfirm.booking.providerReference;

    const found = await graphql(bookingQuery, { connectionId, reservationId });
    expect(found.data.contractBooking).toEqual({
      reservationId,
      slotId: slot!.id,
      status: 'BOOKED',
      providerReference: bookingId,
      expiresAt: null,
    });

    const cancelled = await graphql(cancelMutation, {
      input: { connectionId, reservationId, providerReference: bookingId },
    });
    expect(cancelled.data.contractCancel.booking).toMatchObject({
      status: 'CANCELLED',
      providerReference: bookingId,
    });
    const again = await graphql(cancelMutation, {
      input: { connectionId, reservationId, providerReference: bookingId },
    });
    expect(again.data.contractCancel.booking).toMatchObject({ status: 'CANCELLED' });
    const afterwards = await graphql(slotQuery, { connectionId, slotId: slot!.id });
    expect(afterwards.data.contractSlot.status).toBe('FREE');
  });

  it('releases a hold when cancelled by its hold reference, and reports it CANCELLED', async () => {
    const [slot] = await mondaySlots('cliniq-vastkusten', 'CL2002');
    const reservationId = nextReservationId();
    const connectionId = 'cliniq-vastkusten';
    const held = await graphql(holdMutation, {
      input: { connectionId, slotId: slot!.id, reservationId },
    });
    const holdId = held.data.contractHold.booking.providerReference;
    const released = await graphql(cancelMutation, {
      input: { connectionId, reservationId, providerReference: holdId },
    });
    expect(released.data.contractCancel.booking).toMatchObject({
      status: 'CANCELLED',
      slotId: slot!.id,
    });
    const state = await graphql(slotQuery, { connectionId, slotId: slot!.id });
    expect(state.data.contractSlot.status).toBe('FREE');
    const wrongOwner = await graphql(cancelMutation, {
      input: { connectionId, reservationId: 'someone-else', providerReference: holdId },
    });
    expect(wrongOwner.data.contractCancel.error).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers SLOT_UNAVAILABLE when holding a slot another reservation holds', async () => {
    const [slot] = await mondaySlots();
    const connectionId = 'cliniq-nordklinik';
    const first = await graphql(holdMutation, {
      input: { connectionId, slotId: slot!.id, reservationId: nextReservationId() },
    });
    expect(first.data.contractHold.booking.status).toBe('HELD');
    const second = await graphql(holdMutation, {
      input: { connectionId, slotId: slot!.id, reservationId: nextReservationId() },
    });
    expect(second.data.contractHold).toEqual({
      booking: null,
      error: { code: 'SLOT_UNAVAILABLE', message: expect.any(String), field: null },
    });
    const unknown = await graphql(holdMutation, {
      input: {
        connectionId,
        slotId: 'SL-CL1001-PR1101-209912310800',
        reservationId: nextReservationId(),
      },
    });
    expect(unknown.data.contractHold.error.code).toBe('SLOT_UNAVAILABLE');
  });

  it('books idempotently: the same reservation id gives the same provider reference', async () => {
    const [slot, other] = await mondaySlots();
    const connectionId = 'cliniq-nordklinik';
    const reservationId = nextReservationId();
    const input = { connectionId, slotId: slot!.id, reservationId, patient };
    const first = await graphql(bookMutation, { input });
    const second = await graphql(bookMutation, { input });
    expect(first.data.contractBook.booking).toMatchObject({ status: 'BOOKED', reservationId });
    expect(second.data.contractBook.booking.providerReference).toBe(
      first.data.contractBook.booking.providerReference,
    );
    const elsewhere = await graphql(bookMutation, { input: { ...input, slotId: other!.id } });
    expect(elsewhere.data.contractBook.error).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'reservationId',
    });
  });

  it('reports patient data Cliniq refuses as INVALID_INPUT on the contract field', async () => {
    const [slot] = await mondaySlots();
    const result = await graphql(bookMutation, {
      input: {
        connectionId: 'cliniq-nordklinik',
        slotId: slot!.id,
        reservationId: nextReservationId(),
        patient: { ...patient, givenName: '   ' },
      },
    });
    expect(result.data.contractBook.error).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'patient.givenName',
    });
  });

  it('refuses a write Cliniq’s document does not allow as INVALID_INPUT, without sending it', async () => {
    const [slot] = await mondaySlots();
    const result = await graphql(holdMutation, {
      input: {
        connectionId: 'cliniq-nordklinik',
        slotId: slot!.id,
        reservationId: 'r'.repeat(129),
      },
    });
    expect(result.data.contractHold.error).toMatchObject({ code: 'INVALID_INPUT' });
    const held = await fetch(`${simulator.url}/_admin/bookings?tenant=nordklinik`);
    expect(((await held.json()) as { holds: unknown[] }).holds).toEqual([]);
  });

  it('answers HOLD_EXPIRED when confirming a lapsed hold, which then reads as CANCELLED', async () => {
    const [slot] = await mondaySlots();
    const connectionId = 'cliniq-nordklinik';
    const reservationId = nextReservationId();
    const held = await graphql(holdMutation, {
      input: { connectionId, slotId: slot!.id, reservationId },
    });
    simulatorNow = new Date(startOfTest.getTime() + 301_000);
    const confirmed = await graphql(confirmMutation, {
      input: {
        connectionId,
        reservationId,
        providerReference: held.data.contractHold.booking.providerReference,
        patient,
      },
    });
    expect(confirmed.data.contractConfirm.error).toMatchObject({ code: 'HOLD_EXPIRED' });
    const found = await graphql(bookingQuery, { connectionId, reservationId });
    expect(found.data.contractBooking).toMatchObject({
      status: 'CANCELLED',
      expiresAt: '2026-03-25T08:05:00.000Z',
    });
  });

  it('answers NOT_CANCELLABLE within Cliniq’s cut-off before the start', async () => {
    const [slot] = await mondaySlots();
    const connectionId = 'cliniq-nordklinik';
    const reservationId = nextReservationId();
    const booked = await graphql(bookMutation, {
      input: { connectionId, slotId: slot!.id, reservationId, patient },
    });
    simulatorNow = new Date(Date.parse(slot!.start) - 30 * 60_000);
    const cancelled = await graphql(cancelMutation, {
      input: {
        connectionId,
        reservationId,
        providerReference: booked.data.contractBook.booking.providerReference,
      },
    });
    expect(cancelled.data.contractCancel.error).toMatchObject({ code: 'NOT_CANCELLABLE' });
  });

  it('reports a lost answer to a write as PROVIDER_TIMEOUT, reconcilable by reservation id', async () => {
    const [slot] = await mondaySlots();
    const connectionId = 'cliniq-nordklinik';
    const reservationId = nextReservationId();
    await configureSimulator({ lostResponses: 1 });
    const lost = await graphql(bookMutation, {
      input: { connectionId, slotId: slot!.id, reservationId, patient },
    });
    expect(lost.errors?.[0]?.extensions?.code).toBe('PROVIDER_TIMEOUT');
    const found = await graphql(bookingQuery, { connectionId, reservationId });
    expect(found.data.contractBooking).toMatchObject({
      reservationId,
      slotId: slot!.id,
      status: 'BOOKED',
    });
    const none = await graphql(bookingQuery, { connectionId, reservationId: 'never-made' });
    expect(none).toEqual({ data: { contractBooking: null } });
  });

  it('maps 429 to PROVIDER_UNAVAILABLE with Retry-After: an error for reads, a typed result for writes', async () => {
    await configureSimulator({ rateLimitPerSecond: 1 });
    const connectionId = 'cliniq-nordklinik';
    // One slot lookup costs two Cliniq calls (slot and clinic list): the second is refused.
    const read = await graphql(slotQuery, {
      connectionId,
      slotId: 'SL-CL1001-PR1101-202603300800',
    });
    expect(read.errors?.[0]?.extensions).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      providerStatus: 429,
      retryAfterSeconds: 1,
    });
    const write = await graphql(holdMutation, {
      input: {
        connectionId,
        slotId: 'SL-CL1001-PR1101-202603300800',
        reservationId: nextReservationId(),
      },
    });
    expect(write.data.contractHold).toEqual({
      booking: null,
      error: {
        code: 'PROVIDER_UNAVAILABLE',
        message: expect.stringContaining('retry after 1 s'),
        field: null,
      },
    });
  });

  it('waits out a Retry-After that fits in the deadline and retries the read once', async () => {
    await configureSimulator({ rateLimitPerSecond: 1 });
    const started = Date.now();
    const result = await graphql(slotQuery, {
      connectionId: 'cliniq-vastkusten',
      slotId: 'SL-CL2001-PR2101-202603300800',
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.contractSlot.slot.id).toBe('SL-CL2001-PR2101-202603300800');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
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

  it('never logs patient data or API keys, though it logs the bookings it makes', async () => {
    const [slot] = await mondaySlots();
    const connectionId = 'cliniq-nordklinik';
    await graphql(bookMutation, {
      input: { connectionId, slotId: slot!.id, reservationId: nextReservationId(), patient },
    });
    await configureSimulator({ tenants: { nordklinik: { down: true } } });
    await graphql(bookMutation, {
      input: { connectionId, slotId: slot!.id, reservationId: nextReservationId(), patient },
    });
    const logs = logLines.join('');
    expect(logs).toContain('slot booked');
    expect(logs).not.toContain(patient.personalIdentityNumber);
    expect(logs).not.toContain(patient.givenName);
    expect(logs).not.toContain(patient.email);
    expect(logs).not.toContain('dev-key-');
  });
});
