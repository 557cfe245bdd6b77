import {
  captureLogs,
  contractSuiteNow,
  createContractClient,
  type GraphQLAnswer,
  resultFields,
  slotsQuery,
  testPatient,
} from '@booking/provider-contract-tests';
import { createProviderService, type ProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { createFhirSimulator, type FhirSimulator, fhirBasePath } from '@booking/simulator-fhir';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FhirConnection, fhirProvider, simulatorConnections } from '../src/provider.js';

/** The contract suite's clock: a week before the autumn DST change. */
const startOfTest = contractSuiteNow;
let now = startOfTest;
const clock = () => now;

const patient = { ...testPatient, email: 'testa@example.se' };
/** Day of birth 61: a samordningsnummer (coordination number). */
const coordinationPatient = {
  personalIdentityNumber: '199001610013',
  givenName: 'Sam',
  familyName: 'Ordning',
};

/** Everything the subgraph logs, to prove that patient data never reaches a log line. */
const { lines: logLines, destination: logSink } = captureLogs();

let simulator: FhirSimulator;
let subgraph: ProviderService<FhirConnection>;
let reservationCounter = 0;
const nextReservationId = () => `res-${Date.now()}-${++reservationCounter}`;
const nord = 'fhir-halsanord';
const syd = 'fhir-sydvarden';

// biome-ignore lint/suspicious/noExplicitAny: FHIR JSON as the simulator sends it.
async function fhir(path: string): Promise<any> {
  return fetch(`${simulator.url}${fhirBasePath}/${path}`).then((r) => r.json());
}

// biome-ignore lint/suspicious/noExplicitAny: admin JSON as the simulator sends it.
type AdminBody = any;

async function admin(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: AdminBody }> {
  const response = await fetch(`${simulator.url}/_admin/${path}`, {
    method,
    ...(body !== undefined && {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  });
  return { status: response.status, body: await response.json() };
}

const { graphql, findSlots, slotState, lookUp } = createContractClient(
  () => `${subgraph.url}/graphql`,
);
const mutation = (name: string, type: string) =>
  `mutation ($input: ${type}!) { ${name}(input: $input) { ${resultFields} } }`;

async function book(
  slotId: string,
  reservationId = nextReservationId(),
  who: { personalIdentityNumber: string; givenName: string; familyName: string } = patient,
  c = nord,
) {
  const result = await graphql(mutation('contractBook', 'ContractBookInput'), {
    input: { connectionId: c, slotId, reservationId, patient: who, note: 'Ont i halsen' },
  });
  return { reservationId, ...result, result: result.data?.contractBook };
}
async function hold(slotId: string, reservationId = nextReservationId(), c = nord) {
  const result = await graphql(mutation('contractHold', 'ContractHoldInput'), {
    input: { connectionId: c, slotId, reservationId },
  });
  return { reservationId, ...result, result: result.data?.contractHold };
}
async function confirm(reservationId: string, providerReference: string, c = nord) {
  const result = await graphql(mutation('contractConfirm', 'ContractConfirmInput'), {
    input: { connectionId: c, reservationId, providerReference, patient },
  });
  return result.data?.contractConfirm ?? result;
}
async function cancel(reservationId: string, providerReference: string, c = nord) {
  const result = await graphql(mutation('contractCancel', 'ContractCancelInput'), {
    input: { connectionId: c, reservationId, providerReference, reason: 'Krock' },
  });
  return result.data?.contractCancel ?? result;
}

/** Free slots of one organisation on Tuesday 20 October, handed out one per test. */
const pool: string[] = [];
async function freeSlot(): Promise<string> {
  if (pool.length === 0) {
    const slots = await findSlots(nord, '2026-10-20T00:00:00Z', '2026-10-21T00:00:00Z');
    pool.push(...slots.map((s) => s.id));
  }
  const id = pool.shift();
  if (!id) throw new Error('no free slot left');
  return id;
}

beforeAll(async () => {
  simulator = createFhirSimulator({ clock });
  const base = await simulator.listen(0);
  const [halsanord, sydvarden] = simulatorConnections(base);
  subgraph = createProviderService(
    fhirProvider,
    {
      connections: [{ ...halsanord!, holdTtlSeconds: 120, catalogueTtlSeconds: 0 }, sydvarden!],
      providerDeadlineMs: 5000,
    },
    createLogger({ service: 'provider-fhir', level: 'debug', destination: logSink }),
    { now: () => now.getTime() },
  );
  await subgraph.listen(0);
}, 30_000);

afterAll(async () => {
  await subgraph?.close();
  await simulator?.close();
  // Nothing the subgraph logged may carry patient data.
  const logged = logLines.join('\n');
  for (const value of [
    patient.personalIdentityNumber,
    patient.givenName,
    patient.familyName,
    patient.email,
    coordinationPatient.personalIdentityNumber,
    'Ont i halsen',
  ]) {
    expect(logged).not.toContain(value);
  }
});

beforeEach(async () => {
  now = startOfTest;
  await admin('POST', 'config', {
    latencyMs: 0,
    faultRate: 0,
    down: false,
    lostResponses: 0,
    takeOnRead: 0,
    touchOnRead: 0,
    maxPageSize: 200,
  });
});

describe('describe', () => {
  it('serves both organisations of one FHIR server, each with only its own clinics', async () => {
    const result = await graphql(
      '{ contractConnections { id system capabilities holdTtlSeconds unavailableReason clinics { id name timeZone treatmentIds address { line postalCode city } location { latitude longitude } } treatments { id providerCode name durationMinutes } } }',
    );
    const [halsanord, sydvarden] = result.data.contractConnections;
    expect(halsanord).toMatchObject({
      id: nord,
      system: 'fhir',
      capabilities: ['API_BOOKING', 'HOLDS', 'CANCEL', 'RESCHEDULE'],
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

describe('book', () => {
  it('creates the Patient (personnummer) and a booked Appointment carrying the reservation id, and marks the slot busy', async () => {
    const slotId = await freeSlot();
    const { reservationId, result } = await book(slotId);
    expect(result.error).toBeNull();
    expect(result.booking).toMatchObject({
      reservationId,
      slotId,
      status: 'BOOKED',
      expiresAt: null,
    });
    const appointment = await fhir(`Appointment/${result.booking.providerReference}`);
    expect(appointment).toMatchObject({
      status: 'booked',
      identifier: [{ system: 'urn:booking-platform:reservation', value: reservationId }],
      slot: [{ reference: `Slot/${slotId}` }],
      comment: 'Ont i halsen',
    });
    const patientRef = appointment.participant[0].actor.reference;
    const stored = await fhir(patientRef);
    expect(stored.identifier).toEqual([
      { system: 'http://electronichealth.se/identifier/personnummer', value: '199001010017' },
    ]);
    expect((await fhir(`Slot/${slotId}`)).status).toBe('busy');
    expect(await slotState(nord, slotId)).toBe('BOOKED');
    // The same person booking again is found, not created twice.
    const second = await book(await freeSlot());
    const again = await fhir(`Appointment/${second.result.booking.providerReference}`);
    expect(again.participant[0].actor.reference).toBe(patientRef);
  });

  it('files a coordination number (day of birth 61+) under the samordningsnummer system', async () => {
    const { result } = await book(await freeSlot(), nextReservationId(), coordinationPatient);
    const appointment = await fhir(`Appointment/${result.booking.providerReference}`);
    const stored = await fhir(appointment.participant[0].actor.reference);
    expect(stored.identifier[0].system).toBe(
      'http://electronichealth.se/identifier/samordningsnummer',
    );
  });

  it('answers SLOT_UNAVAILABLE when another client books the slot between our read and our write (412)', async () => {
    const slotId = await freeSlot();
    await admin('POST', 'config', { takeOnRead: 1 });
    const { result } = await book(slotId);
    expect(result.error?.code).toBe('SLOT_UNAVAILABLE');
    expect((await admin('GET', 'config')).body.takeOnRead).toBe(0);
    const appointments = (await admin('GET', `appointments?organization=halsanord`)).body
      .appointments;
    const onSlot = appointments.filter((a: { slotId: string }) => a.slotId === slotId);
    expect(onSlot).toHaveLength(1);
    expect(onSlot[0].identifier[0].system).not.toBe('urn:booking-platform:reservation');
  });

  it('books anyway when another client only edited the slot in between: reads again, writes again', async () => {
    const slotId = await freeSlot();
    await admin('POST', 'config', { touchOnRead: 1 });
    const { result } = await book(slotId);
    expect(result.error).toBeNull();
    expect(result.booking.status).toBe('BOOKED');
  });

  it('lets exactly one of eight concurrent bookings of one slot succeed', async () => {
    const slotId = await freeSlot();
    const results = await Promise.all(Array.from({ length: 8 }, () => book(slotId)));
    const booked = results.filter((r) => r.result?.booking?.status === 'BOOKED');
    expect(booked).toHaveLength(1);
    for (const other of results.filter((r) => r !== booked[0])) {
      expect(other.result.error.code).toBe('SLOT_UNAVAILABLE');
    }
    const appointments = (await admin('GET', 'appointments?organization=halsanord&status=booked'))
      .body.appointments;
    expect(appointments.filter((a: { slotId: string }) => a.slotId === slotId)).toHaveLength(1);
  });

  it('answers five concurrent repeats of one reservation with one and the same booking', async () => {
    const slotId = await freeSlot();
    const reservationId = nextReservationId();
    const results = await Promise.all(Array.from({ length: 5 }, () => book(slotId, reservationId)));
    const references = new Set(results.map((r) => r.result.booking?.providerReference));
    expect(references.size).toBe(1);
    expect(results.every((r) => r.result.booking?.status === 'BOOKED')).toBe(true);
    const found = await fhir(
      `Appointment?identifier=urn:booking-platform:reservation|${reservationId}`,
    );
    expect(found.total).toBe(1);
  });

  it('refuses a reservation id already used for another slot, a slot that has started, and an unknown slot', async () => {
    const { reservationId } = await book(await freeSlot());
    const reused = await book(await freeSlot(), reservationId);
    expect(reused.result.error).toMatchObject({ code: 'INVALID_INPUT', field: 'reservationId' });
    now = new Date('2026-10-20T15:00:00Z');
    const early = await findSlots(nord, '2026-10-20T06:00:00Z', '2026-10-20T07:00:00Z');
    expect((await book(early[0]!.id)).result.error.code).toBe('SLOT_UNAVAILABLE');
    expect((await book('slot-nobody-202610200800')).result.error.code).toBe('SLOT_UNAVAILABLE');
  });

  it('answers PROVIDER_UNAVAILABLE when the server refuses, and PROVIDER_TIMEOUT when the answer is lost, then finds the booking', async () => {
    await admin('POST', 'config', { down: true });
    const refused = await book(await freeSlot());
    expect(refused.result.error.code).toBe('PROVIDER_UNAVAILABLE');
    await admin('POST', 'config', { down: false, lostResponses: 1 });
    const slotId = await freeSlot();
    const lost = await book(slotId);
    expect(lost.errors?.[0]?.extensions?.code).toBe('PROVIDER_TIMEOUT');
    expect(await lookUp(nord, lost.reservationId)).toMatchObject({ status: 'BOOKED', slotId });
    const repeated = await book(slotId, lost.reservationId);
    expect(repeated.result.booking.status).toBe('BOOKED');
  });
});

describe('hold, confirm, cancel', () => {
  it('holds (pending + busy-tentative with an expiry), confirms (booked + busy), cancels (cancelled + free)', async () => {
    const slotId = await freeSlot();
    const held = await hold(slotId);
    expect(held.result.booking).toMatchObject({
      status: 'HELD',
      expiresAt: new Date(startOfTest.getTime() + 120_000).toISOString(),
    });
    const reference = held.result.booking.providerReference;
    expect((await fhir(`Slot/${slotId}`)).status).toBe('busy-tentative');
    expect((await fhir(`Appointment/${reference}`)).status).toBe('pending');
    expect(await slotState(nord, slotId)).toBe('HELD');

    const confirmed = await confirm(held.reservationId, reference);
    expect(confirmed.booking).toMatchObject({ status: 'BOOKED', providerReference: reference });
    expect((await fhir(`Slot/${slotId}`)).status).toBe('busy');
    const booked = await fhir(`Appointment/${reference}`);
    expect(booked.extension).toBeUndefined();
    expect(booked.participant).toHaveLength(3);
    expect((await confirm(held.reservationId, reference)).booking.status).toBe('BOOKED');

    const cancelled = await cancel(held.reservationId, reference);
    expect(cancelled.booking.status).toBe('CANCELLED');
    expect((await fhir(`Appointment/${reference}`)).cancelationReason.coding[0].code).toBe(
      'pat-cpp',
    );
    expect((await fhir(`Slot/${slotId}`)).status).toBe('free');
    expect(await slotState(nord, slotId)).toBe('FREE');
    expect((await cancel(held.reservationId, reference)).booking.status).toBe('CANCELLED');
    expect((await lookUp(nord, held.reservationId))?.status).toBe('CANCELLED');
  });

  it('lets a hold lapse: the slot is offered again, confirm answers HOLD_EXPIRED, another reservation takes it', async () => {
    const slotId = await freeSlot();
    const held = await hold(slotId);
    const reference = held.result.booking.providerReference;
    now = new Date(startOfTest.getTime() + 121_000);
    expect(await slotState(nord, slotId)).toBe('FREE');
    expect((await lookUp(nord, held.reservationId))?.status).toBe('CANCELLED');
    const offered = await findSlots(nord, '2026-10-20T00:00:00Z', '2026-10-21T00:00:00Z');
    expect(offered.some((s) => s.id === slotId)).toBe(true);
    // Before anyone releases it, another reservation may take it: the lapsed hold is released first.
    const taken = await hold(slotId);
    expect(taken.result.booking.status).toBe('HELD');
    expect((await fhir(`Appointment/${reference}`)).status).toBe('cancelled');
    expect((await confirm(held.reservationId, reference)).error.code).toBe('HOLD_EXPIRED');
  });

  it('answers HOLD_EXPIRED to a confirm after the lapse and releases the slot', async () => {
    const slotId = await freeSlot();
    const held = await hold(slotId);
    now = new Date(startOfTest.getTime() + 600_000);
    const result = await confirm(held.reservationId, held.result.booking.providerReference);
    expect(result.error.code).toBe('HOLD_EXPIRED');
    expect((await fhir(`Slot/${slotId}`)).status).toBe('free');
  });

  it('refuses a second hold on a held slot, and books a held slot for the reservation holding it', async () => {
    const slotId = await freeSlot();
    const held = await hold(slotId);
    expect((await hold(slotId)).result.error.code).toBe('SLOT_UNAVAILABLE');
    const again = await hold(slotId, held.reservationId);
    expect(again.result.booking.providerReference).toBe(held.result.booking.providerReference);
    const booked = await book(slotId, held.reservationId);
    expect(booked.result.booking).toMatchObject({
      status: 'BOOKED',
      providerReference: held.result.booking.providerReference,
    });
  });

  it('answers NOT_FOUND for a reference of another reservation or of the other organisation', async () => {
    const { reservationId, result } = await book(await freeSlot());
    const reference = result.booking.providerReference;
    expect((await cancel(nextReservationId(), reference)).error.code).toBe('NOT_FOUND');
    expect((await cancel(reservationId, reference, syd)).error.code).toBe('NOT_FOUND');
    expect((await confirm(reservationId, 'no-such-appointment')).error.code).toBe('NOT_FOUND');
    expect(await lookUp(syd, reservationId)).toBeNull();
    expect(await lookUp(nord, nextReservationId())).toBeNull();
  });

  it('refuses to cancel an appointment that has started', async () => {
    const { reservationId, result } = await book(await freeSlot());
    now = new Date('2026-10-21T00:00:00Z');
    expect((await cancel(reservationId, result.booking.providerReference)).error.code).toBe(
      'NOT_CANCELLABLE',
    );
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
