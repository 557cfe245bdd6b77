/*
 * The RIV-TA provider subgraph in process over the RIV-TA simulator, for its integration tests:
 * the contract calls they make, the producer's state and clock, and what the subgraph logged.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  captureLogs,
  contractSuiteNow,
  createContractClient,
  testPatient,
} from '@booking/provider-contract-tests';
import { createProviderService, type ProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
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
  simulatorConnections,
} from '../src/provider.js';

/** The contract suite's clock: a week before the autumn DST change. */
export const startOfTest = contractSuiteNow;
let simulatorNow = startOfTest;
/** Moves the simulator's clock (back to `startOfTest` before every test). */
export const setSimulatorNow = (now: Date) => {
  simulatorNow = now;
};

export const patient = { ...testPatient, email: 'testa@example.se' };

/** A unit open at night on Sundays, to meet both DST changes on the wall clock. */
export const nightUnit: CareUnitSeed = {
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
export const { lines: logLines, destination: logSink } = captureLogs();

let simulator: RivtaSimulator;
let subgraph: ProviderService<RivtaConnection>;
/** The reservation index's files: every subgraph started by this file reads the same ones. */
const reservations = { directory: mkdtempSync(join(tmpdir(), 'rivta-index-')) };

/** The subgraph over the simulator's units, listening; a second one is the first restarted. */
async function startSubgraph(simulatorUrl: string) {
  const service = createProviderService(
    rivtaProvider,
    { connections: unitsAt(simulatorUrl), providerDeadlineMs: 3_000, reservations },
    createLogger({ service: 'provider-rivta', level: 'debug', destination: logSink }),
  );
  await service.listen(0);
  return service;
}
let counter = 0;
export const nextReservationId = () => `res-${Date.now()}-${++counter}`;

export const { graphql } = createContractClient(() => `${subgraph.url}/graphql`);

export async function configure(body: unknown): Promise<void> {
  const response = await fetch(`${simulator.url}/_admin/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

const slotFields = 'id clinicId start end treatmentIds practitioner { id name }';
export const resultFields =
  'booking { reservationId slotId status providerReference expiresAt } error { code message field }';

export async function slots(connectionId: string, from: string, to: string, extra: object = {}) {
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

export async function book(
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

export async function cancel(reservationId: string, providerReference: string) {
  const result = await graphql(
    `mutation ($input: ContractCancelInput!) { contractCancel(input: $input) { ${resultFields} } }`,
    { input: { connectionId: 'rivta-kungsholmen', reservationId, providerReference } },
  );
  expect(result.errors).toBeUndefined();
  return result.data.contractCancel;
}

/** The look-up's booking when `FOUND`; else `NOT_BOOKED` or `UNKNOWN`, what the provider said. */
export async function lookUp(reservationId: string) {
  const result = await graphql(
    'query ($r: ID!) { contractBooking(connectionId: "rivta-kungsholmen", reservationId: $r) { status booking { reservationId slotId status providerReference } reason } }',
    { r: reservationId },
  );
  expect(result.errors).toBeUndefined();
  const { status, booking } = result.data.contractBooking;
  return status === 'FOUND' ? booking : (status as 'NOT_BOOKED' | 'UNKNOWN');
}

export async function slotStatus(slotId: string) {
  const result = await graphql(
    'query ($s: ID!) { contractSlot(connectionId: "rivta-kungsholmen", slotId: $s) { status slot { id start } } }',
    { s: slotId },
  );
  expect(result.errors).toBeUndefined();
  return result.data.contractSlot?.status ?? null;
}

/** The simulator's bookings made for a reservation (its id travels in `purpose`). */
export function bookingsOf(reservationId: string) {
  return simulator.state.units
    .get('SE2321000016-1234')!
    .allBookings()
    .filter((b) => b.purpose === `Vården:${reservationId}`);
}

/** Free slots at Kungsholmen on Wednesday 21 October, a different one per call. */
let pool: Awaited<ReturnType<typeof slots>> = [];
export async function freeSlot() {
  if (pool.length === 0) {
    pool = await slots('rivta-kungsholmen', '2026-10-21T00:00:00Z', '2026-10-23T00:00:00Z', {
      clinicIds: ['SE2321000016-12A1'],
    });
  }
  return pool.shift()!;
}

/** A change the Kungsholmen unit's staff make in their own book (the simulator's control protocol). */
export async function atClinic(body: Record<string, unknown>) {
  const response = await fetch(`${simulator.url}/_admin/clinic-changes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ connection: 'SE2321000016-1234', ...body }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The SOAP calls the simulator received from Kungsholmen's connection since the last `forgetCalls`. */
export async function callsToKungsholmen(): Promise<number> {
  const response = await fetch(`${simulator.url}/_admin/calls`);
  const body = (await response.json()) as {
    connections: Record<string, { calls: unknown[] } | undefined>;
  };
  return body.connections['SE2321000016-1234']?.calls.length ?? 0;
}

export async function forgetCalls(): Promise<void> {
  await fetch(`${simulator.url}/_admin/calls`, { method: 'DELETE' });
}

/** The simulator's live state: its units' bookings and its statistics. */
export const simulatorState = () => simulator.state;

/** Stops the subgraph and starts it again on the same reservation index. */
export async function restartSubgraph(): Promise<void> {
  await subgraph.close();
  subgraph = await startSubgraph(simulator.url);
}

/**
 * The subgraph over the simulator's units (and two of its own) for the calling test file, the
 * clock back at `startOfTest` before every test; after each, the knobs are reset and every
 * request and response must have been schema-valid.
 */
export function useRivtaSubgraph(): void {
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
}
