/*
 * The Cliniq provider subgraph in process over the Cliniq simulator, for its integration tests:
 * the contract calls they make, the simulator's knobs and clock, and what the subgraph logged.
 */
import {
  captureLogs,
  createContractClient,
  slotFields,
  slotsQuery,
  testPatient,
} from '@booking/provider-contract-tests';
import { createProviderService, type ProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import {
  type CliniqSimulator,
  createCliniqSimulator,
} from '../../../simulators/cliniq/src/server.js';
import { type CliniqConnection, cliniqProvider, simulatorConnections } from '../src/provider.js';

/** Wednesday 2026-03-25 09:00 in Stockholm (CET): the spring DST change is four days later. */
export const startOfTest = new Date('2026-03-25T08:00:00Z');
let simulatorNow = startOfTest;
/** Moves the simulator's clock (back to `startOfTest` before every test). */
export const setSimulatorNow = (now: Date) => {
  simulatorNow = now;
};

export const patient = { ...testPatient, email: 'testa@example.se' };

/** Everything the subgraph logs, to prove that patient data never reaches a log line. */
export const { lines: logLines, destination: logSink } = captureLogs();

let simulator: CliniqSimulator;
let subgraph: ProviderService<CliniqConnection>;
let reservationCounter = 0;
export const nextReservationId = () => `res-${Date.now()}-${++reservationCounter}`;

export const { graphql } = createContractClient(() => `${subgraph.url}/graphql`);

export async function configureSimulator(body: unknown): Promise<void> {
  const response = await fetch(`${simulator.url}/_admin/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

const bookingResultFields =
  'booking { reservationId slotId status providerReference expiresAt } error { code message field }';

export const slotQuery = `query ($connectionId: ID!, $slotId: ID!) {
  contractSlot(connectionId: $connectionId, slotId: $slotId) { status slot { ${slotFields} } }
}`;
export const bookingQuery = `query ($connectionId: ID!, $reservationId: ID!) {
  contractBooking(connectionId: $connectionId, reservationId: $reservationId) {
    status booking { reservationId slotId status providerReference expiresAt } reason
  }
}`;
export const holdMutation = `mutation ($input: ContractHoldInput!) { contractHold(input: $input) { ${bookingResultFields} } }`;
export const bookMutation = `mutation ($input: ContractBookInput!) { contractBook(input: $input) { ${bookingResultFields} } }`;
export const confirmMutation = `mutation ($input: ContractConfirmInput!) { contractConfirm(input: $input) { ${bookingResultFields} } }`;
export const cancelMutation = `mutation ($input: ContractCancelInput!) { contractCancel(input: $input) { ${bookingResultFields} } }`;

/** Free slots of one clinic on Monday 30 March, the first weekday after the spring change. */
export async function mondaySlots(connectionId = 'cliniq-nordklinik', clinicId = 'CL1001') {
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
export async function vendorSlotsInUtc(
  from: string,
  to: string,
  offsetHours: Record<string, number>,
) {
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

/** The simulator's base URL, for tests that speak Cliniq directly. */
export const simulatorUrl = () => simulator.url;

/**
 * The subgraph over both simulator tenants for the calling test file, the simulator reset and its
 * clock back at `startOfTest` before every test.
 */
export function useCliniqSubgraph(): void {
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
}
